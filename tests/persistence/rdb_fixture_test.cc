// The Valkey 8.0.1 fixture (RDB version 11) loads and matches its expected.json key by key.
// The JSON is read by a minimal test-only parser (objects, arrays, strings, numbers, null).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "persistence/rdb_reader.h"
#include "rdb_test_util.h"

namespace persistence {
namespace {

constexpr const char* kFixtureDir = "/work/shared/fixtures/rdb/";

struct Json {
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = kNull;
  bool b = false;
  double num = 0;
  std::string str;
  std::vector<Json> arr;
  std::vector<std::pair<std::string, Json>> obj;  // in document order

  const Json& at(std::string_view key) const {
    for (const auto& [k, v] : obj) {
      if (k == key) return v;
    }
    static const Json null;
    ADD_FAILURE() << "no key " << key;
    return null;
  }
};

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}
  bool Parse(Json* out) {
    if (!Value(out)) return false;
    Ws();
    return pos_ == s_.size();
  }

 private:
  void Ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool Lit(std::string_view w) {
    if (s_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }
  bool String(std::string* out) {
    if (!Lit("\"")) return false;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) return false;
      c = s_[pos_++];
      switch (c) {
        case 'n':
          out->push_back('\n');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'u': {
          if (pos_ + 4 > s_.size()) return false;
          const unsigned cp = std::stoul(std::string(s_.substr(pos_, 4)), nullptr, 16);
          pos_ += 4;
          if (cp >= 0x80) return false;  // the fixture is ASCII; keep the parser honest
          out->push_back(static_cast<char>(cp));
          break;
        }
        default:
          out->push_back(c);
      }
    }
    return Lit("\"");
  }
  bool Value(Json* out) {
    Ws();
    if (pos_ >= s_.size()) return false;
    const char c = s_[pos_];
    if (c == '{') {
      ++pos_;
      out->kind = Json::kObject;
      Ws();
      if (Lit("}")) return true;
      while (true) {
        Ws();
        std::string key;
        Json v;
        if (!String(&key)) return false;
        Ws();
        if (!Lit(":") || !Value(&v)) return false;
        out->obj.emplace_back(std::move(key), std::move(v));
        Ws();
        if (Lit("}")) return true;
        if (!Lit(",")) return false;
      }
    }
    if (c == '[') {
      ++pos_;
      out->kind = Json::kArray;
      Ws();
      if (Lit("]")) return true;
      while (true) {
        Json v;
        if (!Value(&v)) return false;
        out->arr.push_back(std::move(v));
        Ws();
        if (Lit("]")) return true;
        if (!Lit(",")) return false;
      }
    }
    if (c == '"') {
      out->kind = Json::kString;
      return String(&out->str);
    }
    if (Lit("null")) return true;
    if (Lit("true") || Lit("false")) {
      out->kind = Json::kBool;
      out->b = s_[pos_ - 1] == 'e' && s_[pos_ - 2] == 'u';  // "true" ends in "ue"
      return true;
    }
    const std::string rest(s_.substr(pos_, 64));
    char* end = nullptr;
    out->num = std::strtod(rest.c_str(), &end);
    if (end == rest.c_str()) return false;
    out->kind = Json::kNumber;
    pos_ += static_cast<size_t>(end - rest.c_str());
    return true;
  }
  std::string_view s_;
  size_t pos_ = 0;
};

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// What our store reports for a Valkey encoding: Redis 7.0 (our model) has no listpack lists or
// sets, so those load as a quicklist and (for non-integer members) a hashtable.
std::string OurEncoding(const std::string& type, const std::string& theirs) {
  if (type == "list") return "quicklist";
  if (type == "set" && theirs == "listpack") return "hashtable";
  return theirs;
}

TEST(RdbFixture, Valkey801Version11MatchesExpectedJson) {
  const std::string rdb = ReadFile(std::string(kFixtureDir) + "valkey-8.0.1-v11.rdb");
  const std::string json = ReadFile(std::string(kFixtureDir) + "valkey-8.0.1-v11.expected.json");
  if (rdb.empty() || json.empty()) GTEST_SKIP() << "fixture not present in " << kFixtureDir;
  Json expected;
  ASSERT_TRUE(JsonParser(json).Parse(&expected));
  const Json& keys = expected.at("keys");
  ASSERT_EQ(keys.kind, Json::kObject);

  testing::Keyspace ks(16, 1'700'000'000'000);
  store::DbSink sink = ks.Sink();
  RdbLoadInfo info;
  const RdbStatus st = LoadRdb(rdb, LoadLimits(), &sink, &info);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(info.version, 11);
  EXPECT_TRUE(info.checksum_verified);
  EXPECT_EQ(info.keys, keys.obj.size());

  size_t total = 0;
  for (const auto& d : ks.dbs) total += d->size();
  EXPECT_EQ(total, keys.obj.size());

  for (const auto& [name, want] : keys.obj) {
    SCOPED_TRACE(name);
    const size_t slash = name.find('/');
    const int db = std::stoi(name.substr(0, slash));
    const std::string key = name.substr(slash + 1);
    const store::Entry* e = ks.dbs[db]->Peek(key);
    ASSERT_NE(e, nullptr);
    const store::Value& v = e->value();
    const std::string type = want.at("type").str;
    EXPECT_EQ(store::TypeName(v.type()), type);
    EXPECT_EQ(v.Encoding(), OurEncoding(type, want.at("encoding").str));
    const Json& px = want.at("pexpireat");
    EXPECT_EQ(e->expire_at(), px.kind == Json::kNull ? 0 : static_cast<int64_t>(px.num));

    const Json& val = want.at("value");
    std::string want_text;
    auto add = [&](const std::string& s) { want_text += s + ","; };
    if (type == "string") {
      want_text = "string:" + val.str;
    } else if (type == "list") {
      for (const Json& x : val.arr) add(x.str);
      want_text = "list:[" + want_text + "]";
    } else if (type == "set") {
      std::vector<std::string> m;
      for (const Json& x : val.arr) m.push_back(x.str);
      std::sort(m.begin(), m.end());
      for (const auto& x : m) add(x);
      want_text = "set:[" + want_text + "]";
    } else if (type == "hash") {
      std::map<std::string, std::string> m;
      for (const auto& [f, x] : val.obj) m[f] = x.str;
      for (const auto& [f, x] : m) add(f + "=" + x);
      want_text = "hash:[" + want_text + "]";
    } else if (type == "zset") {
      // JSON holds the shortest text that reads back as the same double; compare as doubles
      // by formatting both the same way.
      for (const Json& pair : val.arr) add(pair.arr[0].str + "=" + testing::Score(pair.arr[1].num));
      want_text = "zset:[" + want_text + "]";
    } else {
      ADD_FAILURE() << "unexpected type " << type;
    }
    EXPECT_EQ(testing::Canonical(v), want_text);
  }
}

// Discards keys: only whether a load succeeds matters here.
class NullSink : public store::SnapshotSink {
 public:
  store::Status Put(int, std::string_view, store::Value, int64_t) override {
    return store::Status::kOk;
  }
};

// Every cut in the first and last KB, and every 31st byte between them: all prefixes would be
// quadratic in the file size (minutes under ASan). rdb_redis_compat_test feeds every prefix of a
// small file redis-server writes.
TEST(RdbFixture, PrefixesOfTheRealFileFailCleanly) {
  const std::string rdb = ReadFile(std::string(kFixtureDir) + "valkey-8.0.1-v11.rdb");
  if (rdb.empty()) GTEST_SKIP() << "fixture not present in " << kFixtureDir;
  const size_t edge = 1024;
  for (size_t cut = 0; cut < rdb.size(); cut += (cut < edge || cut + edge >= rdb.size()) ? 1 : 31) {
    NullSink sink;
    RdbLoadInfo info;
    const RdbStatus st = LoadRdb(std::string_view(rdb).substr(0, cut), LoadLimits(), &sink, &info);
    ASSERT_FALSE(st.ok()) << "a prefix of " << cut << " bytes loaded";
    ASSERT_LE(st.offset(), cut);
  }
}

}  // namespace
}  // namespace persistence
