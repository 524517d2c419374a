#include "persistence/rdb_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "persistence/crc64.h"
#include "persistence/lzf.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_packed.h"
#include "persistence/rdb_stream.h"
#include "store/list_value.h"
#include "store/set_value.h"
#include "store/zset_value.h"

namespace persistence {

std::string RdbStatus::ToString() const {
  if (ok_) return "ok";
  return message_ + " (at byte " + std::to_string(offset_) + ")";
}

namespace rdb {

// --- Cursor ---------------------------------------------------------------------------------

bool Cursor::Fail(std::string message) { return FailAt(pos_, std::move(message)); }

bool Cursor::FailAt(size_t offset, std::string message) {
  if (status_.ok()) status_ = RdbStatus::Error(offset, std::move(message));
  return false;
}

bool Cursor::ReadByte(uint8_t* b) {
  if (!ok()) return false;
  if (pos_ >= data_.size()) return Fail("unexpected end of file");
  *b = static_cast<uint8_t>(data_[pos_++]);
  return true;
}

bool Cursor::ReadLE(int bytes, uint64_t* v) {
  if (!ok()) return false;
  if (remaining() < static_cast<size_t>(bytes)) return Fail("unexpected end of file");
  uint64_t r = 0;
  for (int i = bytes - 1; i >= 0; --i) r = (r << 8) | static_cast<uint8_t>(data_[pos_ + i]);
  pos_ += static_cast<size_t>(bytes);
  *v = r;
  return true;
}

bool Cursor::ReadBytes(size_t n, std::string_view* out) {
  if (!ok()) return false;
  if (remaining() < n) return Fail("unexpected end of file");
  *out = data_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool Cursor::ReadLength(uint64_t* len, bool* encoded) {
  const size_t start = pos_;
  uint8_t b = 0;
  if (!ReadByte(&b)) return false;
  if (encoded != nullptr) *encoded = false;
  switch (b >> 6) {
    case kLen6:
      *len = b & 0x3f;
      return true;
    case kLen14: {
      uint8_t b2 = 0;
      if (!ReadByte(&b2)) return false;
      *len = ((b & 0x3fu) << 8) | b2;
      return true;
    }
    case kLenEncoded:
      if (encoded == nullptr) return FailAt(start, "string encoding where a length was expected");
      *encoded = true;
      *len = b & 0x3f;
      return true;
    default:
      break;
  }
  int bytes;
  if (b == kLen32) {
    bytes = 4;
  } else if (b == kLen64) {
    bytes = 8;
  } else {
    return FailAt(start, "unknown length encoding " + std::to_string(b));
  }
  std::string_view raw;
  if (!ReadBytes(static_cast<size_t>(bytes), &raw)) return false;
  uint64_t v = 0;
  for (char c : raw) v = (v << 8) | static_cast<uint8_t>(c);  // big-endian
  *len = v;
  return true;
}

bool Cursor::ReadCount(uint64_t* n, size_t min_bytes_each) {
  const size_t start = pos_;
  if (!ReadLength(n)) return false;
  if (*n > remaining() / min_bytes_each) {
    return FailAt(start, "count " + std::to_string(*n) + " exceeds what the remaining " +
                             std::to_string(remaining()) + " bytes can hold");
  }
  return true;
}

bool Cursor::ReadString(std::string* out) {
  const size_t start = pos_;
  uint64_t len = 0;
  bool encoded;
  if (!ReadLength(&len, &encoded)) return false;
  if (!encoded) {
    std::string_view bytes;
    if (!ReadBytes(len, &bytes)) return false;
    out->assign(bytes);
    return true;
  }
  uint64_t raw = 0;
  switch (len) {
    case kEncInt8:
    case kEncInt16:
    case kEncInt32: {
      const int bytes = len == kEncInt8 ? 1 : len == kEncInt16 ? 2 : 4;
      if (!ReadLE(bytes, &raw)) return false;
      const uint64_t sign = uint64_t{1} << (bytes * 8 - 1);
      const uint64_t mask = bytes == 4 ? 0xffffffffull : (uint64_t{1} << (bytes * 8)) - 1;
      *out = store::FormatInt64(static_cast<int64_t>(((raw & mask) ^ sign) - sign));
      return true;
    }
    case kEncLzf: {
      uint64_t clen = 0;
      uint64_t ulen = 0;
      if (!ReadLength(&clen) || !ReadLength(&ulen)) return false;
      std::string_view packed;
      if (!ReadBytes(clen, &packed)) return false;
      // A 3-byte back-reference expands to at most 264 bytes: a larger claim is corrupt, and
      // checking it first keeps a bad length from allocating gigabytes.
      if (ulen > clen * 88 + 32) {
        return FailAt(start, "LZF string claims " + std::to_string(ulen) + " bytes from " +
                                 std::to_string(clen));
      }
      out->resize(ulen);
      if (!LzfDecompress(packed, out->data(), ulen)) {
        return FailAt(start, "corrupt LZF-compressed string");
      }
      return true;
    }
    default:
      return FailAt(start, "unknown string encoding " + std::to_string(len));
  }
}

bool Cursor::ReadTextDouble(double* d) {
  uint8_t n = 0;
  if (!ReadByte(&n)) return false;
  if (n == kDoubleNan) {
    *d = std::nan("");
    return true;
  }
  if (n == kDoublePosInf || n == kDoubleNegInf) {
    *d = n == kDoublePosInf ? HUGE_VAL : -HUGE_VAL;
    return true;
  }
  const size_t start = pos_;
  std::string_view text;
  if (!ReadBytes(n, &text)) return false;
  char buf[256];
  std::memcpy(buf, text.data(), n);
  buf[n] = '\0';
  char* end = nullptr;
  *d = std::strtod(buf, &end);
  if (n == 0 || end != buf + n) return FailAt(start, "invalid score text");
  return true;
}

bool Cursor::ReadBinaryDouble(double* d) {
  uint64_t bits = 0;
  if (!ReadLE(8, &bits)) return false;
  std::memcpy(d, &bits, sizeof(*d));
  return true;
}

// --- values ---------------------------------------------------------------------------------

namespace {

// Builders that add elements as the store would, reporting duplicates (a corrupt file: Redis
// refuses them too) through the cursor.
class ListBuilder {
 public:
  explicit ListBuilder(const LoadLimits& l)
      : list_(std::make_unique<store::ListValue>(l.list_fill)) {}
  void Add(std::string_view e) { list_->Push(store::ListEnd::kTail, e); }
  size_t size() const { return list_->size(); }
  store::Value Take() { return store::Value::Of(std::move(list_)); }

 private:
  std::unique_ptr<store::ListValue> list_;
};

bool AddHashField(Cursor& in, size_t at, store::HashValue& h, std::string_view f,
                  std::string_view v, const LoadLimits& l) {
  if (!h.Set(f, v, l.hash)) return in.FailAt(at, "duplicate hash field '" + std::string(f) + "'");
  return true;
}

bool AddSetMember(Cursor& in, size_t at, store::SetValue& s, std::string_view m,
                  const LoadLimits& l) {
  if (!s.Add(m, l.set_max_intset_entries)) {
    return in.FailAt(at, "duplicate set member '" + std::string(m) + "'");
  }
  return true;
}

bool AddZSetMember(Cursor& in, size_t at, store::ZSetValue& z, std::string_view m, double score,
                   const LoadLimits& l) {
  if (std::isnan(score)) return in.FailAt(at, "NaN score for member '" + std::string(m) + "'");
  if (!z.Set(m, score, l.zset_max_listpack_entries, l.zset_max_listpack_value)) {
    return in.FailAt(at, "duplicate sorted set member '" + std::string(m) + "'");
  }
  return true;
}

using Blob = bool (*)(std::string_view, std::vector<std::string>*, std::string*);

// Reads a <str> holding a packed blob and decodes it with parse.
bool ReadPacked(Cursor& in, Blob parse, const char* what, std::vector<std::string>* items) {
  const size_t at = in.offset();
  std::string blob;
  if (!in.ReadString(&blob)) return false;
  std::string err;
  if (!parse(blob, items, &err)) return in.FailAt(at, std::string("corrupt ") + what + ": " + err);
  return true;
}

bool ParsePackedScore(Cursor& in, size_t at, const std::string& text, double* score) {
  char* end = nullptr;
  *score = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) {
    return in.FailAt(at, "invalid score '" + text + "'");
  }
  return true;
}

}  // namespace

bool ReadPreGaFunction(Cursor& in, std::string* library, const char** what) {
  std::string name, engine, description, code;
  if (!in.ReadString(&name)) {
    *what = "library name";
    return false;
  }
  if (!in.ReadString(&engine)) {
    *what = "engine name";
    return false;
  }
  // A missing indicator reads as "no description": Redis then fails on the code.
  uint64_t has_description = 0;
  if (in.remaining() > 0 && !in.ReadLength(&has_description)) {
    *what = "library blob";
    return false;
  }
  if (has_description != 0 && !in.ReadString(&description)) {
    *what = "library description";
    return false;
  }
  if (!in.ReadString(&code)) {
    *what = "library blob";
    return false;
  }
  *library = "#!" + engine + " name=" + name + "\n" + code;
  return true;
}

bool ReadValue(Cursor& in, uint8_t type, const LoadLimits& l, store::Value* out, bool* empty) {
  const size_t at = in.offset();
  *empty = false;
  switch (type) {
    case kTypeString: {
      std::string s;
      if (!in.ReadString(&s)) return false;
      *out = store::Value::String(s);
      return true;
    }
    case kTypeList:
    case kTypeListZiplist:
    case kTypeListQuicklist:
    case kTypeListQuicklist2: {
      ListBuilder list(l);
      std::vector<std::string> items;
      if (type == kTypeList) {
        uint64_t n = 0;
        if (!in.ReadCount(&n)) return false;
        std::string e;
        for (uint64_t i = 0; i < n; ++i) {
          if (!in.ReadString(&e)) return false;
          list.Add(e);
        }
      } else if (type == kTypeListZiplist) {
        if (!ReadPacked(in, ParseZiplist, "ziplist", &items)) return false;
        for (const std::string& e : items) list.Add(e);
      } else {
        uint64_t nodes = 0;
        if (!in.ReadCount(&nodes)) return false;
        for (uint64_t i = 0; i < nodes; ++i) {
          uint64_t container = kQuicklistPacked;
          const size_t node_at = in.offset();
          if (type == kTypeListQuicklist2 && !in.ReadLength(&container)) return false;
          if (container == kQuicklistPlain) {
            std::string e;
            if (!in.ReadString(&e)) return false;
            list.Add(e);
            continue;
          }
          if (container != kQuicklistPacked) {
            return in.FailAt(node_at, "unknown quicklist container " + std::to_string(container));
          }
          items.clear();
          const bool v2 = type == kTypeListQuicklist2;
          if (!ReadPacked(in, v2 ? ParseListpack : ParseZiplist, v2 ? "listpack" : "ziplist",
                          &items)) {
            return false;
          }
          // Redis refuses an empty node: it never writes one.
          if (items.empty()) return in.FailAt(node_at, "empty quicklist node");
          for (const std::string& e : items) list.Add(e);
        }
      }
      *empty = list.size() == 0;
      if (!*empty) *out = list.Take();
      return true;
    }
    case kTypeSet:
    case kTypeSetIntset:
    case kTypeSetListpack: {
      auto set = std::make_unique<store::SetValue>();
      if (type == kTypeSet) {
        uint64_t n = 0;
        if (!in.ReadCount(&n)) return false;
        // A set too big for an intset starts as a hashtable, as Redis builds it.
        if (n > l.set_max_intset_entries) set->ConvertToHashtable();
        std::string m;
        for (uint64_t i = 0; i < n; ++i) {
          const size_t m_at = in.offset();
          if (!in.ReadString(&m) || !AddSetMember(in, m_at, *set, m, l)) return false;
        }
      } else if (type == kTypeSetIntset) {
        std::string blob;
        if (!in.ReadString(&blob)) return false;
        std::vector<int64_t> ints;
        std::string err;
        if (!ParseIntset(blob, &ints, &err)) return in.FailAt(at, "corrupt intset: " + err);
        for (int64_t v : ints) {
          if (!AddSetMember(in, at, *set, store::FormatInt64(v), l)) return false;
        }
      } else {
        std::vector<std::string> items;
        if (!ReadPacked(in, ParseListpack, "listpack", &items)) return false;
        for (const std::string& m : items) {
          if (!AddSetMember(in, at, *set, m, l)) return false;
        }
      }
      *empty = set->size() == 0;
      if (!*empty) *out = store::Value::Of(std::move(set));
      return true;
    }
    case kTypeZSet:
    case kTypeZSet2:
    case kTypeZSetZiplist:
    case kTypeZSetListpack: {
      auto z = std::make_unique<store::ZSetValue>(true);
      if (type == kTypeZSet || type == kTypeZSet2) {
        uint64_t n = 0;
        if (!in.ReadCount(&n, 2)) return false;
        if (static_cast<int64_t>(n) > l.zset_max_listpack_entries) z->ConvertToSkipList();
        std::string m;
        double score = 0;
        for (uint64_t i = 0; i < n; ++i) {
          const size_t m_at = in.offset();
          if (!in.ReadString(&m)) return false;
          if (!(type == kTypeZSet ? in.ReadTextDouble(&score) : in.ReadBinaryDouble(&score))) {
            return false;
          }
          if (!AddZSetMember(in, m_at, *z, m, score, l)) return false;
        }
      } else {
        std::vector<std::string> items;
        const bool lp = type == kTypeZSetListpack;
        if (!ReadPacked(in, lp ? ParseListpack : ParseZiplist, lp ? "listpack" : "ziplist",
                        &items)) {
          return false;
        }
        if (items.size() % 2 != 0) return in.FailAt(at, "sorted set blob has an odd count");
        for (size_t i = 0; i < items.size(); i += 2) {
          double score = 0;
          if (!ParsePackedScore(in, at, items[i + 1], &score) ||
              !AddZSetMember(in, at, *z, items[i], score, l)) {
            return false;
          }
        }
      }
      *empty = z->size() == 0;
      if (!*empty) *out = store::Value::Of(std::move(z));
      return true;
    }
    case kTypeHash:
    case kTypeHashZipmap:
    case kTypeHashZiplist:
    case kTypeHashListpack: {
      auto h = std::make_unique<store::HashValue>();
      if (type == kTypeHash) {
        uint64_t n = 0;
        if (!in.ReadCount(&n, 2)) return false;
        if (static_cast<int64_t>(n) > l.hash.max_listpack_entries) h->ConvertToHashtable();
        std::string f;
        std::string v;
        for (uint64_t i = 0; i < n; ++i) {
          const size_t f_at = in.offset();
          if (!in.ReadString(&f) || !in.ReadString(&v) || !AddHashField(in, f_at, *h, f, v, l)) {
            return false;
          }
        }
      } else {
        std::vector<std::string> items;
        Blob parse = type == kTypeHashZipmap    ? ParseZipmap
                     : type == kTypeHashZiplist ? ParseZiplist
                                                : ParseListpack;
        const char* what = type == kTypeHashZipmap    ? "zipmap"
                           : type == kTypeHashZiplist ? "ziplist"
                                                      : "listpack";
        if (!ReadPacked(in, parse, what, &items)) return false;
        if (items.size() % 2 != 0) return in.FailAt(at, "hash blob has an odd count");
        for (size_t i = 0; i < items.size(); i += 2) {
          if (!AddHashField(in, at, *h, items[i], items[i + 1], l)) return false;
        }
      }
      *empty = h->size() == 0;
      if (!*empty) *out = store::Value::Of(std::move(h));
      return true;
    }
    case kTypeStreamListpacks:
    case kTypeStreamListpacks2:
    case kTypeStreamListpacks3:
      // An empty stream is a value (Redis keeps it), so *empty stays false.
      return ReadStream(in, type, out);
    case kTypeModulePreGa:
    case kTypeModule2:
      return in.FailAt(at, "module values (type " + std::to_string(type) + ") are not supported");
    default:
      return in.FailAt(at, "unknown value type " + std::to_string(type));
  }
}

}  // namespace rdb

// --- files ----------------------------------------------------------------------------------

namespace {

RdbStatus ParseRdb(std::string_view data, const LoadLimits& limits, store::SnapshotSink* sink,
                   RdbLoadInfo* info) {
  using rdb::Cursor;
  *info = RdbLoadInfo();
  Cursor in(data);
  std::string_view magic;
  if (!in.ReadBytes(9, &magic)) return RdbStatus::Error(0, "file too short for an RDB header");
  if (magic.substr(0, 5) != "REDIS") return RdbStatus::Error(0, "not an RDB file (no REDIS magic)");
  int version = 0;
  for (char c : magic.substr(5)) {
    if (c < '0' || c > '9') return RdbStatus::Error(5, "invalid RDB version field");
    version = version * 10 + (c - '0');
  }
  if (version < 1 || version > rdb::kMaxVersion) {
    return RdbStatus::Error(5, "can't handle RDB format version " + std::to_string(version) +
                                   " (this server reads versions 1 to " +
                                   std::to_string(rdb::kMaxVersion) + ")");
  }
  info->version = version;

  int db = 0;
  int64_t expire_at = 0;
  std::string key;
  while (true) {
    const size_t item_at = in.offset();
    uint8_t op = 0;
    if (!in.ReadByte(&op)) return in.status();
    switch (op) {
      case rdb::kOpEof: {
        const size_t eof_end = in.offset();
        if (version >= 5) {
          uint64_t stored = 0;
          if (!in.ReadLE(8, &stored)) return in.status();
          if (stored != 0) {
            const uint64_t actual = Crc64(0, data.substr(0, eof_end));
            if (actual != stored) {
              return RdbStatus::Error(eof_end, "checksum mismatch: file says " +
                                                   std::to_string(stored) + ", content has " +
                                                   std::to_string(actual));
            }
            info->checksum_verified = true;
          }
        }
        info->bytes = in.offset();
        return RdbStatus::Ok();
      }
      case rdb::kOpSelectDb: {
        uint64_t n = 0;
        if (!in.ReadLength(&n)) return in.status();
        if (n > 1u << 20) return RdbStatus::Error(item_at, "implausible db number");
        db = static_cast<int>(n);
        continue;
      }
      case rdb::kOpResizeDb: {
        uint64_t keys = 0;
        uint64_t expires = 0;
        if (!in.ReadLength(&keys) || !in.ReadLength(&expires)) return in.status();
        sink->Reserve(db, keys, expires);
        continue;
      }
      case rdb::kOpAux: {
        std::string name;
        std::string value;
        if (!in.ReadString(&name) || !in.ReadString(&value)) return in.status();
        info->aux.emplace_back(std::move(name), std::move(value));
        continue;
      }
      case rdb::kOpFunction2: {
        std::string lib;
        if (!in.ReadString(&lib)) return in.status();
        info->functions.push_back(std::move(lib));
        continue;
      }
      case rdb::kOpFunction: {
        std::string lib;
        const char* what = nullptr;
        if (!rdb::ReadPreGaFunction(in, &lib, &what)) return in.status();
        info->functions.push_back(std::move(lib));
        continue;
      }
      case rdb::kOpModuleAux:
        return RdbStatus::Error(item_at, "module auxiliary data (MODULE_AUX) is not supported");
      case rdb::kOpExpireTime: {
        uint64_t s = 0;
        if (!in.ReadLE(4, &s)) return in.status();
        expire_at = static_cast<int64_t>(static_cast<int32_t>(s)) * 1000;
        continue;
      }
      case rdb::kOpExpireTimeMs: {
        uint64_t ms = 0;
        if (!in.ReadLE(8, &ms)) return in.status();
        expire_at = static_cast<int64_t>(ms);
        continue;
      }
      case rdb::kOpIdle: {
        // Access times are not restored: the store's LRU clock belongs to the server.
        uint64_t idle = 0;
        if (!in.ReadLength(&idle)) return in.status();
        continue;
      }
      case rdb::kOpFreq: {
        uint8_t freq = 0;
        if (!in.ReadByte(&freq)) return in.status();
        continue;
      }
      default:
        break;
    }
    // A key: <type> <key> <value>. An unknown code is reported before its "key" is read, since
    // the bytes after it are probably not one.
    if (op == 8 || op > rdb::kTypeStreamListpacks3) {
      return RdbStatus::Error(item_at, "unknown opcode or value type " + std::to_string(op));
    }
    if (!in.ReadString(&key)) return in.status();
    store::Value value;
    bool empty = false;
    if (!rdb::ReadValue(in, op, limits, &value, &empty)) {
      const RdbStatus& s = in.status();
      return RdbStatus::Error(s.offset(), s.message() + " in key '" + key + "'");
    }
    if (empty) {
      ++info->empty_keys_skipped;
    } else {
      // A zero expiry would read as "none"; Redis never writes one, so keep it expired instead.
      const int64_t at = expire_at == 0 ? 0 : std::max<int64_t>(expire_at, 1);
      const store::Status st = sink->Put(db, key, std::move(value), at);
      if (st == store::Status::kOutOfRange) {
        return RdbStatus::Error(item_at, "key '" + key + "' is in db " + std::to_string(db) +
                                             ", which this server does not have");
      }
      if (st == store::Status::kExists) {
        return RdbStatus::Error(item_at, "duplicate key '" + key + "' in db " + std::to_string(db));
      }
      if (st != store::Status::kOk) return RdbStatus::Error(item_at, "key '" + key + "' refused");
      ++info->keys;
    }
    expire_at = 0;
  }
}

}  // namespace

RdbStatus LoadRdb(std::string_view data, const LoadLimits& limits, store::SnapshotSink* sink,
                  RdbLoadInfo* info) {
  RdbStatus st = ParseRdb(data, limits, sink, info);
  std::string duplicate;
  if (sink->Finish(&duplicate) != store::Status::kOk && st.ok()) {
    st = RdbStatus::Error(data.size(), "duplicate key '" + duplicate + "' in the file");
  }
  return st;
}

RdbStatus LoadRdbFile(const std::string& path, const LoadLimits& limits, store::SnapshotSink* sink,
                      RdbLoadInfo* info) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return RdbStatus::Error(0, "cannot open " + path + ": " + std::strerror(errno));
  std::string data;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) data.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string err = std::strerror(errno);
      ::close(fd);
      return RdbStatus::Error(data.size(), "read of " + path + " failed: " + err);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return LoadRdb(data, limits, sink, info);
}

}  // namespace persistence
