// Writing RDB: the primitive encodings (lengths, strings, doubles), one value, and a whole
// snapshot laid out as Redis 7.0 lays it out (version 10; grammar in rdb_format.h):
//
//   "REDIS0010" AUX redis-ver, redis-bits, ctime, used-mem, aof-base
//   FUNCTION2 <library>*                              (only libraries the caller hands back)
//   per non-empty db: SELECTDB <n> RESIZEDB <keys> <expires>
//                     ([EXPIRETIME_MS <ms>] <type> <key> <value>)*
//   EOF <CRC-64 of all the above, or 0 when checksums are off>
//
// Encoding choices follow Redis's so that DUMP payloads match byte for byte (save for LZF, see
// lzf.h): a string of at most 11 characters that is a canonical integer in int32 range is stored
// as an integer; with compression on, a string longer than 20 bytes is stored LZF-compressed iff
// that saves at least 4 bytes; compact in-memory encodings are written packed (listpack, intset),
// the others as plain sequences; lists are always QUICKLIST_2 of listpack nodes.
// Not thread-safe; a writer and its sink belong to one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "persistence/durable_file.h"
#include "persistence/rdb_format.h"
#include "store/persist_api.h"
#include "store/value.h"

namespace persistence {

// Where RDB bytes go: a file, a buffer, a socket. Write returns false on failure (then the sink
// should keep a description in error()); the writer stops at the first failure.
class RdbSink {
 public:
  virtual ~RdbSink() = default;
  [[nodiscard]] virtual bool Write(std::string_view bytes) = 0;
  virtual std::string error() const { return ""; }
};

// Appends to a std::string it owns.
class StringSink : public RdbSink {
 public:
  bool Write(std::string_view bytes) override {
    data_.append(bytes);
    return true;
  }
  const std::string& data() const { return data_; }
  std::string Take() { return std::move(data_); }

 private:
  std::string data_;
};

// Appends to a DurableFile (durable_file.h), which publishes the file only on Commit(). The same
// sink serves snapshots and the RDB preamble of an AOF base. REQUIRES: file outlives the sink.
class DurableFileSink : public RdbSink {
 public:
  explicit DurableFileSink(DurableFile* file) : file_(file) {}
  bool Write(std::string_view bytes) override { return file_->Append(bytes).ok(); }
  std::string error() const override { return file_->status().message; }

 private:
  DurableFile* file_;
};

struct EncodeOptions {
  bool compression = true;  // rdbcompression
  int64_t list_fill = -2;   // list-max-listpack-size: how lists are cut into nodes
};

struct RdbWriteOptions {
  EncodeOptions encode;
  bool checksum = true;              // rdbchecksum
  std::string redis_ver = "7.0.15";  // the version we claim to be, as redis-ver
  int64_t ctime = 0;                 // the aux ctime (Unix seconds); 0 means now
  int64_t used_mem = 0;              // the aux used-mem
  bool aof_base = false;             // the aux aof-base: 1 in the RDB preamble of an AOF base
  // Function libraries to save (FUNCTION2 items), e.g. those a load kept (RdbLoadInfo).
  std::vector<std::string> functions;
};

namespace rdb {

// The primitive encodings, appended to *out.
void AppendLength(uint64_t len, std::string* out);
// A string as Redis's rdbSaveRawString stores it (integer, LZF or plain; see the file comment).
void AppendString(std::string_view s, bool compression, std::string* out);
// An integer string value (Redis's rdbSaveLongLongAsStringObject).
void AppendIntString(int64_t v, std::string* out);
void AppendBinaryDouble(double d, std::string* out);
// A sorted-set score as the text a listpack holds: Redis 7.0's d2string ("%.17g", inf, -inf,
// nan, -0).
std::string FormatScore(double d);

// Appends the serialisation of v (without its type byte) and returns its type code.
TypeCode AppendValue(const store::Value& v, const EncodeOptions& opts, std::string* out);

}  // namespace rdb

// Writes one RDB stream to a sink: Begin, then keys grouped by db, then Finish.
// REQUIRES: the sink outlives the writer. Calls after a failure do nothing.
class RdbWriter {
 public:
  RdbWriter(RdbSink* sink, RdbWriteOptions opts);
  RdbWriter(const RdbWriter&) = delete;
  RdbWriter& operator=(const RdbWriter&) = delete;

  // The magic, aux fields and function libraries.
  void Begin();
  // Starts db `db`: SELECTDB and RESIZEDB with the given hints.
  void BeginDb(int db, size_t keys, size_t expires);
  void WriteKey(std::string_view key, const store::Value& v, int64_t expire_at);
  // Appends key records made earlier by EncodeKey (with the same encode options).
  void WriteEncodedKeys(std::string_view records);
  // One key record ([EXPIRETIME_MS] type key value), as WriteKey writes it, appended to *out.
  static void EncodeKey(std::string_view key, const store::Value& v, int64_t expire_at,
                        const EncodeOptions& opts, std::string* out);
  // EOF and the checksum, then a last flush. Returns ok().
  [[nodiscard]] bool Finish();

  bool ok() const { return ok_; }
  std::string error() const;
  uint64_t bytes_written() const { return written_ + buf_.size(); }

 private:
  void MaybeFlush();
  void Flush();

  RdbSink* sink_;
  RdbWriteOptions opts_;
  std::string buf_;
  uint64_t crc_ = 0;
  uint64_t written_ = 0;
  bool ok_ = true;
};

// Writes the whole keyspace of `view` as one RDB stream. Returns true, or false with *error.
[[nodiscard]] bool SaveSnapshot(const store::SnapshotView& view, const RdbWriteOptions& opts,
                                RdbSink* sink, std::string* error);

// Saves to `path` through a DurableFile: a temp file next to it, fsynced, renamed over path, and
// the directory fsynced, so no reader ever sees a partial file under `path`.
[[nodiscard]] bool SaveSnapshotFile(const store::SnapshotView& view, const RdbWriteOptions& opts,
                                    const std::string& path, std::string* error);

}  // namespace persistence
