// Stream store operations: the store half of XADD, XDEL, XTRIM and XSETID. They return values or
// a Status and never build replies; server/commands/stream_family.cc parses and replies. Every
// change is reported to the Db (Insert for a new stream, Touched for an edit). Unlike other
// collections, a stream that becomes empty stays in the keyspace, as in Redis.
// Not thread-safe: the loop thread owns the Db.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "store/db.h"
#include "store/entry.h"
#include "store/status.h"
#include "store/stream_value.h"

namespace store {

// The stream in e: nullptr if e is null; kWrongType if e holds another type.
Result<const StreamValue*> StreamOf(const Entry* e);
Result<StreamValue*> MutableStreamOf(Entry* e);

struct StreamAddParams {
  enum class IdKind {
    kAuto,     // "*": the clock's ms, or the next ID after the last one
    kAutoSeq,  // "ms-*": the next sequence number within ms
    kExplicit  // "ms-seq" (or "ms")
  } id_kind = IdKind::kAuto;
  StreamId id;  // ms for kAutoSeq, the whole ID for kExplicit
  bool nomkstream = false;
  std::optional<StreamTrim> trim;
  // stream-node-max-entries / stream-node-max-bytes: where new blocks start.
  size_t node_max_entries = kStreamNodeMaxEntries;
  size_t node_max_bytes = kStreamNodeMaxBytes;
};

struct StreamAddOutcome {
  enum class Code {
    kAdded,
    kNoStream,    // NOMKSTREAM and the key is absent: nothing done
    kIdTooSmall,  // the ID is not greater than the stream's last ID
    kExhausted,   // the last ID is the greatest possible: nothing can follow it
    kSeqTooBig,   // "ms-*" after ms-18446744073709551615 (Redis: "Elements are too large")
  } code = Code::kAdded;
  StreamId id;          // the ID given to the new entry
  int64_t trimmed = 0;  // entries removed by the trim
};

// XADD: appends fields (field, value, ...) to the stream at key, creating it unless nomkstream,
// then applies the trim. kWrongType iff the key holds another type. now_ms is the clock for "*".
// REQUIRES: fields is non-empty and even.
Result<StreamAddOutcome> StreamAdd(Db& db, std::string_view key, Entry* e,
                                   const StreamAddParams& params,
                                   std::span<const std::string_view> fields, uint64_t now_ms);

// XDEL: deletes the entries with these IDs; returns how many existed (0 for an absent key).
Result<int64_t> StreamDelete(Db& db, std::string_view key, Entry* e, std::span<const StreamId> ids);

// XTRIM: returns how many entries went (0 for an absent key).
Result<int64_t> StreamTrimKey(Db& db, std::string_view key, Entry* e, const StreamTrim& trim);

}  // namespace store
