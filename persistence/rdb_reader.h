// Reading RDB files of versions 1..11 (Redis 2.x through 7.2, Valkey 8) into store Values, and the
// primitive decoders DUMP payloads share. Grammar in rdb_format.h, packed blobs in rdb_packed.h.
//
// Supported: every opcode (AUX kept, IDLE/FREQ read and ignored, FUNCTION2 and pre-release
// FUNCTION libraries kept as source text in RdbLoadInfo::functions for the server to register),
// every non-module value type and encoding. Refused with an error naming them: module values,
// MODULE_AUX, and files newer than version 11.
// Values are rebuilt as the store builds them under the configured limits, so a listpack hash
// past hash-max-listpack-entries loads as a hashtable, as Redis converts it.
//
// Errors never crash: every length is checked against the bytes that remain before anything is
// allocated, and every error says what was wrong and at which byte offset of the input.
// Not thread-safe; one load runs on one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/hash_value.h"
#include "store/persist_api.h"
#include "store/value.h"

namespace persistence {

// Success, or what went wrong and where.
class [[nodiscard]] RdbStatus {
 public:
  static RdbStatus Ok() { return RdbStatus(); }
  static RdbStatus Error(size_t offset, std::string message) {
    RdbStatus s;
    s.ok_ = false;
    s.offset_ = offset;
    s.message_ = std::move(message);
    return s;
  }
  bool ok() const { return ok_; }
  size_t offset() const { return offset_; }
  const std::string& message() const { return message_; }
  // "<message> (at byte <offset>)", or "ok".
  std::string ToString() const;

 private:
  bool ok_ = true;
  size_t offset_ = 0;
  std::string message_;
};

// A value or an RdbStatus error. REQUIRES: value() only when ok().
template <typename T>
class [[nodiscard]] RdbResult {
 public:
  RdbResult(T v) : value_(std::move(v)) {}           // NOLINT: implicit by design
  RdbResult(RdbStatus s) : status_(std::move(s)) {}  // NOLINT
  bool ok() const { return status_.ok(); }
  const RdbStatus& status() const { return status_; }
  T& value() { return *value_; }

 private:
  RdbStatus status_;
  std::optional<T> value_;
};

// The store's configured encoding thresholds, applied to loaded values.
struct LoadLimits {
  store::HashLimits hash;                   // hash-max-listpack-entries / -value
  int64_t list_fill = -2;                   // list-max-listpack-size
  size_t set_max_intset_entries = 512;      // set-max-intset-entries
  int64_t zset_max_listpack_entries = 128;  // zset-max-listpack-entries
  int64_t zset_max_listpack_value = 64;     // zset-max-listpack-value
};

// What a load found besides keys.
struct RdbLoadInfo {
  int version = 0;
  std::vector<std::pair<std::string, std::string>> aux;  // in file order
  // FUNCTION2 items: each is a library's source (with its "#!lua name=..." shebang), for the
  // server to register (server/snapshot.cc).
  std::vector<std::string> functions;
  uint64_t bytes = 0;               // bytes the RDB took, through its checksum: where an AOF
                                    // preamble's records start
  uint64_t keys = 0;                // keys handed to the sink
  uint64_t empty_keys_skipped = 0;  // empty collections, which Redis 7.0 skips too
  bool checksum_verified = false;   // false when the file has none (v < 5) or it is zero
};

// Loads a whole RDB image, handing every key to sink in file order. `data` is only read during
// the call; loaded values own copies of their bytes. On error the sink has received
// the keys before the failure: load into empty Dbs and discard them if this fails (a partial file
// must never be taken for a good one). Trailing bytes after the checksum are ignored, as Redis
// ignores them.
RdbStatus LoadRdb(std::string_view data, const LoadLimits& limits, store::SnapshotSink* sink,
                  RdbLoadInfo* info);
// Reads the file at path and loads it.
RdbStatus LoadRdbFile(const std::string& path, const LoadLimits& limits, store::SnapshotSink* sink,
                      RdbLoadInfo* info);

namespace rdb {

// Sequential reads over an in-memory image with bounds checks. The first failure is kept (with the
// offset where it happened) and every later read fails too, so callers may check once at the end
// of a step. ReadBytes views point into the image. REQUIRES: the image outlives the cursor and
// those views.
class Cursor {
 public:
  explicit Cursor(std::string_view data) : data_(data) {}
  size_t offset() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool ok() const { return status_.ok(); }
  const RdbStatus& status() const { return status_; }
  // Records an error at the current offset (the first one wins) and returns false.
  bool Fail(std::string message);
  bool FailAt(size_t offset, std::string message);

  bool ReadByte(uint8_t* b);
  bool ReadLE(int bytes, uint64_t* v);
  bool ReadBytes(size_t n, std::string_view* out);
  // A <len>. When the top bits announce a special string encoding, *encoded is set and *len holds
  // the kEnc* code; passing encoded == nullptr makes that an error.
  bool ReadLength(uint64_t* len, bool* encoded = nullptr);
  // A <len> used as an element count: also checks it does not exceed the remaining bytes divided
  // by min_bytes_each, so a corrupt count cannot trigger a huge allocation.
  bool ReadCount(uint64_t* n, size_t min_bytes_each = 1);
  // A <str> (integer, LZF or plain), returned as bytes.
  bool ReadString(std::string* out);
  // A ZSET score as text (<dbl>) and a ZSET_2 binary score.
  bool ReadTextDouble(double* d);
  bool ReadBinaryDouble(double* d);

 private:
  std::string_view data_;
  size_t pos_ = 0;
  RdbStatus status_;
};

// Reads the body of a pre-release FUNCTION item (opcode 246, Redis 7.0 release candidates):
//   <str: library name> <str: engine> <len: has description> [<str: description>] <str: code>
// and returns the library as FUNCTION2 holds it: "#!<engine> name=<name>\n<code>" (the
// description is dropped, as Redis drops it). On failure *what names the missing part: "library
// name", "engine name", "library description" or "library blob" (Redis's words), and the cursor
// holds the error.
bool ReadPreGaFunction(Cursor& in, std::string* library, const char** what);

// Reads the <value> of a type code. Returns false (the error in the cursor) on failure. *empty is
// set iff the value was a collection with no elements (no Value is made then).
bool ReadValue(Cursor& in, uint8_t type, const LoadLimits& limits, store::Value* out, bool* empty);

}  // namespace rdb
}  // namespace persistence
