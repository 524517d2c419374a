#include "persistence/rdb_writer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

#include "persistence/crc64.h"
#include "persistence/lzf.h"
#include "persistence/rdb_packed.h"
#include "persistence/rdb_stream.h"
#include "store/hash_value.h"
#include "store/list_value.h"
#include "store/set_value.h"
#include "store/zset_value.h"

namespace persistence {
namespace rdb {
namespace {

constexpr size_t kFlushBytes = 64 * 1024;

void PutLE(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void AppendEncodedInt(int64_t v, std::string* out) {
  if (v >= INT8_MIN && v <= INT8_MAX) {
    out->push_back(static_cast<char>((kLenEncoded << 6) | kEncInt8));
    PutLE(out, static_cast<uint64_t>(v), 1);
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    out->push_back(static_cast<char>((kLenEncoded << 6) | kEncInt16));
    PutLE(out, static_cast<uint64_t>(v), 2);
  } else {
    out->push_back(static_cast<char>((kLenEncoded << 6) | kEncInt32));
    PutLE(out, static_cast<uint64_t>(v), 4);
  }
}

// Node size bounds of list-max-listpack-size -1..-5, in bytes.
constexpr size_t kFillBytes[] = {4096, 8192, 16384, 32768, 65536};
// The cap on a node under a positive (count) fill, as Redis's safety limit.
constexpr size_t kSafetyBytes = 8192;
// Redis estimates a node's size after an insert as its bytes + the element + this much overhead.
constexpr size_t kSizeEstimateOverhead = 8;

// Whether a listpack node of `bytes` bytes and `count` entries may take an element of `len` bytes
// under fill, using Redis's estimate so that our nodes split where Redis's do for lists built by
// pushes at the tail.
bool NodeTakes(int64_t fill, size_t bytes, size_t count, size_t len) {
  const size_t new_size = bytes + len + kSizeEstimateOverhead;
  if (fill < 0) {
    const int64_t level = std::min<int64_t>(-fill, 5);
    return new_size <= kFillBytes[level - 1];
  }
  return new_size <= kSafetyBytes && count < static_cast<size_t>(std::max<int64_t>(fill, 1));
}

void AppendList(const store::ListValue& list, const EncodeOptions& opts, std::string* out) {
  // Nodes are built first because QUICKLIST_2 starts with the node count.
  std::vector<std::string> nodes;
  ListpackBuilder lp;
  list.Visit(0, list.size(), false, [&](size_t, std::string_view elem) {
    if (lp.count() > 0 && !NodeTakes(opts.list_fill, lp.bytes(), lp.count(), elem.size())) {
      nodes.push_back(lp.Finish());
    }
    lp.Append(elem);
    return true;
  });
  if (lp.count() > 0) nodes.push_back(lp.Finish());
  AppendLength(nodes.size(), out);
  for (const std::string& n : nodes) {
    AppendLength(kQuicklistPacked, out);
    AppendString(n, opts.compression, out);
  }
}

TypeCode AppendHash(const store::HashValue& h, const EncodeOptions& opts, std::string* out) {
  if (h.is_listpack()) {
    ListpackBuilder lp;
    h.ForEach([&](std::string_view f, std::string_view v) {
      lp.Append(f);
      lp.Append(v);
    });
    AppendString(lp.Finish(), opts.compression, out);
    return kTypeHashListpack;
  }
  AppendLength(h.size(), out);
  h.ForEach([&](std::string_view f, std::string_view v) {
    AppendString(f, opts.compression, out);
    AppendString(v, opts.compression, out);
  });
  return kTypeHash;
}

TypeCode AppendSet(const store::SetValue& s, const EncodeOptions& opts, std::string* out) {
  if (s.is_intset()) {
    std::vector<int64_t> ints;
    ints.reserve(s.size());
    s.ForEach([&](std::string_view m) {
      int64_t v = 0;
      const bool ok = store::ParseInt64(m, &v);
      assert(ok && "intset member is not an integer");
      (void)ok;
      ints.push_back(v);
    });
    AppendString(BuildIntset(ints), opts.compression, out);
    return kTypeSetIntset;
  }
  AppendLength(s.size(), out);
  s.ForEach([&](std::string_view m) { AppendString(m, opts.compression, out); });
  return kTypeSet;
}

TypeCode AppendZSet(const store::ZSetValue& z, const EncodeOptions& opts, std::string* out) {
  const size_t n = z.size();
  if (z.is_listpack()) {
    ListpackBuilder lp;
    if (n > 0) {
      z.ForRange(0, n - 1, false, [&](double score, std::string_view member) {
        lp.Append(member);
        lp.Append(FormatScore(score));
      });
    }
    AppendString(lp.Finish(), opts.compression, out);
    return kTypeZSetListpack;
  }
  // Highest score first, as Redis writes it, so that a loader inserting each element at the head
  // of a skip list never has to search.
  AppendLength(n, out);
  if (n > 0) {
    z.ForRange(0, n - 1, true, [&](double score, std::string_view member) {
      AppendString(member, opts.compression, out);
      AppendBinaryDouble(score, out);
    });
  }
  return kTypeZSet2;
}

}  // namespace

void AppendLength(uint64_t len, std::string* out) {
  if (len < (1u << 6)) {
    out->push_back(static_cast<char>(len));
  } else if (len < (1u << 14)) {
    out->push_back(static_cast<char>((kLen14 << 6) | (len >> 8)));
    out->push_back(static_cast<char>(len & 0xff));
  } else if (len <= UINT32_MAX) {
    out->push_back(static_cast<char>(kLen32));
    for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  } else {
    out->push_back(static_cast<char>(kLen64));
    for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  }
}

void AppendString(std::string_view s, bool compression, std::string* out) {
  int64_t v = 0;
  if (s.size() <= 11 && store::ParseInt64(s, &v) && v >= INT32_MIN && v <= INT32_MAX) {
    AppendEncodedInt(v, out);
    return;
  }
  if (compression && s.size() > 20) {
    // Compression must save at least 4 bytes to be kept, as in Redis.
    thread_local std::string scratch;
    scratch.resize(s.size() - 4);
    const size_t n = LzfCompress(s, scratch.data(), scratch.size());
    if (n > 0) {
      out->push_back(static_cast<char>((kLenEncoded << 6) | kEncLzf));
      AppendLength(n, out);
      AppendLength(s.size(), out);
      out->append(scratch.data(), n);
      return;
    }
  }
  AppendLength(s.size(), out);
  out->append(s);
}

void AppendIntString(int64_t v, std::string* out) {
  if (v >= INT32_MIN && v <= INT32_MAX) {
    AppendEncodedInt(v, out);
    return;
  }
  const std::string digits = store::FormatInt64(v);
  AppendLength(digits.size(), out);
  out->append(digits);
}

void AppendBinaryDouble(double d, std::string* out) {
  uint64_t bits = 0;
  static_assert(sizeof(bits) == sizeof(d));
  std::memcpy(&bits, &d, sizeof(d));
  PutLE(out, bits, 8);
}

std::string FormatScore(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[32];
  const int n = std::snprintf(buf, sizeof(buf), "%.17g", d);
  return std::string(buf, static_cast<size_t>(n));
}

TypeCode AppendValue(const store::Value& v, const EncodeOptions& opts, std::string* out) {
  switch (v.type()) {
    case store::ObjType::kString:
      if (v.is_int()) {
        AppendIntString(v.int_value(), out);
      } else {
        std::string scratch;
        AppendString(v.Str(&scratch), opts.compression, out);
      }
      return kTypeString;
    case store::ObjType::kList:
      AppendList(static_cast<const store::ListValue&>(*v.collection()), opts, out);
      return kTypeListQuicklist2;
    case store::ObjType::kHash:
      return AppendHash(static_cast<const store::HashValue&>(*v.collection()), opts, out);
    case store::ObjType::kSet:
      return AppendSet(static_cast<const store::SetValue&>(*v.collection()), opts, out);
    case store::ObjType::kZSet:
      return AppendZSet(static_cast<const store::ZSetValue&>(*v.collection()), opts, out);
    case store::ObjType::kStream:
      return AppendStream(static_cast<const store::StreamValue&>(*v.collection()), opts.compression,
                          out);
  }
  assert(false && "unsupported value type");
  return kTypeString;
}

}  // namespace rdb

// --- RdbWriter ------------------------------------------------------------------------------

RdbWriter::RdbWriter(RdbSink* sink, RdbWriteOptions opts) : sink_(sink), opts_(std::move(opts)) {
  buf_.reserve(2 * rdb::kFlushBytes);
}

void RdbWriter::Begin() {
  char magic[16];
  std::snprintf(magic, sizeof(magic), "REDIS%04d", rdb::kVersion);
  buf_.append(magic);
  auto aux = [&](std::string_view name, std::string_view value) {
    buf_.push_back(static_cast<char>(rdb::kOpAux));
    rdb::AppendString(name, opts_.encode.compression, &buf_);
    rdb::AppendString(value, opts_.encode.compression, &buf_);
  };
  auto aux_int = [&](std::string_view name, int64_t value) {
    buf_.push_back(static_cast<char>(rdb::kOpAux));
    rdb::AppendString(name, opts_.encode.compression, &buf_);
    rdb::AppendIntString(value, &buf_);
  };
  aux("redis-ver", opts_.redis_ver);
  aux_int("redis-bits", sizeof(void*) * 8);
  aux_int("ctime", opts_.ctime != 0 ? opts_.ctime : static_cast<int64_t>(std::time(nullptr)));
  aux_int("used-mem", opts_.used_mem);
  aux_int("aof-base", opts_.aof_base ? 1 : 0);
  for (const std::string& lib : opts_.functions) {
    buf_.push_back(static_cast<char>(rdb::kOpFunction2));
    rdb::AppendString(lib, opts_.encode.compression, &buf_);
  }
  MaybeFlush();
}

void RdbWriter::BeginDb(int db, size_t keys, size_t expires) {
  buf_.push_back(static_cast<char>(rdb::kOpSelectDb));
  rdb::AppendLength(static_cast<uint64_t>(db), &buf_);
  buf_.push_back(static_cast<char>(rdb::kOpResizeDb));
  rdb::AppendLength(keys, &buf_);
  rdb::AppendLength(expires, &buf_);
}

void RdbWriter::EncodeKey(std::string_view key, const store::Value& v, int64_t expire_at,
                          const EncodeOptions& opts, std::string* out) {
  if (expire_at != 0) {
    out->push_back(static_cast<char>(rdb::kOpExpireTimeMs));
    rdb::PutLE(out, static_cast<uint64_t>(expire_at), 8);
  }
  // The type byte comes first but is known only once the value is encoded; reserve it.
  const size_t type_at = out->size();
  out->push_back('\0');
  rdb::AppendString(key, opts.compression, out);
  (*out)[type_at] = static_cast<char>(rdb::AppendValue(v, opts, out));
}

void RdbWriter::WriteKey(std::string_view key, const store::Value& v, int64_t expire_at) {
  if (!ok_) return;
  EncodeKey(key, v, expire_at, opts_.encode, &buf_);
  MaybeFlush();
}

void RdbWriter::WriteEncodedKeys(std::string_view records) {
  if (!ok_) return;
  buf_.append(records);
  MaybeFlush();
}

bool RdbWriter::Finish() {
  if (!ok_) return false;
  buf_.push_back(static_cast<char>(rdb::kOpEof));
  crc_ = Crc64(crc_, buf_);
  rdb::PutLE(&buf_, opts_.checksum ? crc_ : 0, 8);
  // The checksum bytes are not part of what the checksum covers: flush without hashing them.
  if (!sink_->Write(buf_)) ok_ = false;
  written_ += buf_.size();
  buf_.clear();
  return ok_;
}

std::string RdbWriter::error() const {
  if (ok_) return "";
  const std::string e = sink_->error();
  return e.empty() ? "write failed" : e;
}

void RdbWriter::MaybeFlush() {
  if (buf_.size() >= rdb::kFlushBytes) Flush();
}

void RdbWriter::Flush() {
  if (!ok_) return;
  if (opts_.checksum) crc_ = Crc64(crc_, buf_);
  if (!sink_->Write(buf_)) ok_ = false;
  written_ += buf_.size();
  buf_.clear();
}

// --- whole snapshots ------------------------------------------------------------------------

bool SaveSnapshot(const store::SnapshotView& view, const RdbWriteOptions& opts, RdbSink* sink,
                  std::string* error) {
  RdbWriter w(sink, opts);
  w.Begin();
  for (size_t i = 0; i < view.db_count() && w.ok(); ++i) {
    if (view.key_count(i) == 0) continue;
    w.BeginDb(static_cast<int>(i), view.key_count(i), view.expires_count(i));
    view.ForEach(i, [&](std::string_view key, const store::Value& v, int64_t expire_at) {
      w.WriteKey(key, v, expire_at);
      return w.ok();
    });
  }
  if (!w.Finish()) {
    *error = w.error();
    return false;
  }
  return true;
}

bool SaveSnapshotFile(const store::SnapshotView& view, const RdbWriteOptions& opts,
                      const std::string& path, std::string* error) {
  DurableFile file(path);
  if (!file.status().ok()) {
    *error = file.status().message;
    return false;
  }
  DurableFileSink sink(&file);
  if (!SaveSnapshot(view, opts, &sink, error)) return false;  // the destructor drops the temp file
  const IoStatus st = file.Commit();
  if (!st.ok()) {
    *error = st.message;
    return false;
  }
  return true;
}

}  // namespace persistence
