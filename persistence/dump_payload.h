// DUMP / RESTORE payloads, laid out as Redis's:
//
//   payload := <u8: type> <value> <u16 LE: RDB version> <u64 LE: CRC-64 of all bytes before it>
//
// The value is serialised exactly as in an RDB file (rdb_writer.h, rdb_reader.h), so a payload
// from Redis 7.0 restores here and ours restores in Redis. We stamp version 10 (Redis 7.0) and
// accept any version up to 11; the checksum is always verified, as RESTORE verifies it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"
#include "store/value.h"

namespace persistence {

// The DUMP payload of v. `opts` carries rdbcompression and list-max-listpack-size.
std::string DumpValue(const store::Value& v, const EncodeOptions& opts = EncodeOptions());

// The value of a payload, built under `limits`; an error (with its byte offset) if the payload is
// malformed, from a newer version, fails its checksum, or holds an empty collection.
RdbResult<store::Value> ParseDumpPayload(std::string_view payload,
                                         const LoadLimits& limits = LoadLimits());

// FUNCTION DUMP / RESTORE payloads: the same footer, around a sequence of FUNCTION2 items
// (opcode 245 and the library's source as an RDB string), in the order given:
//
//   payload := (<u8: 245> <str: library code>)* <u16 LE: RDB version> <u64 LE: CRC-64>
std::string DumpFunctions(const std::vector<std::string>& libraries, bool compression = true);

// Why a FUNCTION RESTORE payload is refused, in the words Redis replies with.
enum class FunctionPayloadError {
  kNone,
  kVersionOrChecksum,  // "DUMP payload version or checksum are wrong"
  kNotFunction,        // an item that is neither FUNCTION2 nor the pre-release FUNCTION
  kTruncated,          // "Failed loading <what>" (library payload, library name, ...)
};

// The libraries' sources in a payload (a pre-release FUNCTION item becomes the source FUNCTION2
// would hold, as rdb::ReadPreGaFunction builds it). On failure the error kind, *what for
// kTruncated, and in *libraries the items read before the bad one: Redis loads each item as it
// reads it, so an earlier library's load error is the one it reports.
FunctionPayloadError ParseFunctionsPayload(std::string_view payload,
                                           std::vector<std::string>* libraries, const char** what);

}  // namespace persistence
