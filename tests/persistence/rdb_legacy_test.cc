// Files built by hand from the grammar in rdb_format.h: the opcodes and value encodings Redis 7.0
// no longer writes (or that our writer never emits), and the errors the reader must give.
#include <gtest/gtest.h>

#include <string>

#include "persistence/crc64.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_packed.h"
#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"
#include "rdb_test_util.h"

namespace persistence {
namespace {

using testing::Canonical;
using testing::Keyspace;

std::string B(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

// Builds a file item by item.
class FileBuilder {
 public:
  explicit FileBuilder(int version) {
    char magic[10];
    std::snprintf(magic, sizeof(magic), "REDIS%04d", version);
    data_ = magic;
  }
  FileBuilder& Raw(std::string_view s) {
    data_.append(s);
    return *this;
  }
  FileBuilder& Op(uint8_t op) { return Raw(std::string(1, static_cast<char>(op))); }
  FileBuilder& Len(uint64_t n) {
    rdb::AppendLength(n, &data_);
    return *this;
  }
  FileBuilder& Str(std::string_view s) {
    rdb::AppendString(s, false, &data_);
    return *this;
  }
  // EOF plus, for version >= 5, a checksum (real or zero).
  std::string Finish(bool with_crc = true, bool has_crc_field = true) {
    data_.push_back(static_cast<char>(rdb::kOpEof));
    if (has_crc_field) {
      const uint64_t crc = with_crc ? Crc64(0, data_) : 0;
      for (int i = 0; i < 8; ++i) data_.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
    }
    return data_;
  }

 private:
  std::string data_;
};

std::string ZiplistOf(std::initializer_list<std::string> strs) {
  // Strings only, each under 64 bytes: prevlen, 00xxxxxx length, bytes.
  std::string body;
  size_t prev = 0;
  for (const std::string& s : strs) {
    std::string e;
    e.push_back(static_cast<char>(prev));
    e.push_back(static_cast<char>(s.size()));
    e += s;
    prev = e.size();
    body += e;
  }
  std::string out;
  const size_t total = 10 + body.size() + 1;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((total >> (8 * i)) & 0xff));
  out += std::string(4, '\0');
  out.push_back(static_cast<char>(strs.size()));
  out.push_back('\0');
  return out + body + B({0xff});
}

struct Loaded {
  RdbStatus status;
  RdbLoadInfo info;
  std::map<int, std::map<std::string, std::string>> keys;
};

Loaded Load(const std::string& file, int64_t now_ms = 1'000) {
  Keyspace ks(16, now_ms);
  store::DbSink sink = ks.Sink();
  Loaded r;
  r.status = LoadRdb(file, LoadLimits(), &sink, &r.info);
  r.keys = ks.Dump();
  return r;
}

TEST(RdbLegacy, AllOpcodesOfVersion10) {
  FileBuilder f(10);
  f.Op(rdb::kOpAux).Str("redis-ver").Str("7.0.0");
  f.Op(rdb::kOpFunction2).Str("#!lua name=lib\nreturn 1");
  f.Op(rdb::kOpSelectDb).Len(2);
  f.Op(rdb::kOpResizeDb).Len(3).Len(2);
  f.Op(rdb::kOpExpireTimeMs).Raw(B({0x10, 0x27, 0, 0, 0, 0, 0, 0}));
  f.Op(rdb::kOpIdle).Len(1000);
  f.Op(rdb::kTypeString).Str("a").Str("1");
  f.Op(rdb::kOpFreq).Raw(B({5}));
  f.Op(rdb::kTypeString).Str("b").Str("2");
  f.Op(rdb::kOpExpireTime).Raw(B({100, 0, 0, 0}));
  f.Op(rdb::kTypeString).Str("c").Str("3");
  const std::string file = f.Finish();
  const Loaded r = Load(file);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.info.functions, (std::vector<std::string>{"#!lua name=lib\nreturn 1"}));
  ASSERT_EQ(r.info.aux.size(), 1u);
  EXPECT_EQ(r.info.aux[0].second, "7.0.0");
  EXPECT_EQ(r.keys.at(2).at("a"), "string:1|int|10000");
  EXPECT_EQ(r.keys.at(2).at("b"), "string:2|int|0");  // an expiry applies to one key only
  EXPECT_EQ(r.keys.at(2).at("c"), "string:3|int|100000");
}

TEST(RdbLegacy, RefusedOpcodesAndTypesAreNamed) {
  const std::string module_aux = FileBuilder(10).Op(rdb::kOpModuleAux).Len(1).Finish();
  Loaded r = Load(module_aux);
  EXPECT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("MODULE_AUX"), std::string::npos);
  EXPECT_EQ(r.status.offset(), 9u);

  // An empty stream (no nodes, length 0, IDs and counters 0) with one consumer group whose
  // pending entry no consumer owns: a corrupt file.
  const std::string stream = FileBuilder(10)
                                 .Op(rdb::kTypeStreamListpacks2)
                                 .Str("st")
                                 .Len(0)
                                 .Len(0)
                                 .Len(0)
                                 .Len(0)
                                 .Len(0)
                                 .Len(0)
                                 .Len(0)
                                 .Len(0)
                                 .Len(0)
                                 .Len(1)
                                 .Str("g")
                                 .Len(0)
                                 .Len(0)
                                 .Len(0)
                                 .Len(1)
                                 .Raw(std::string(15, '\0') + "\x01")
                                 .Raw(std::string(8, '\0'))
                                 .Len(1)
                                 .Len(0)
                                 .Finish();
  r = Load(stream);
  EXPECT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("has no consumer"), std::string::npos) << r.status.message();
  EXPECT_NE(r.status.message().find("'st'"), std::string::npos) << r.status.message();

  r = Load(FileBuilder(10).Op(rdb::kTypeModule2).Str("m").Finish());
  EXPECT_NE(r.status.message().find("module"), std::string::npos);
  r = Load(FileBuilder(10).Op(8).Str("m").Finish());
  EXPECT_NE(r.status.message().find("unknown opcode or value type 8"), std::string::npos);
  EXPECT_EQ(r.status.offset(), 9u);
  r = Load(FileBuilder(10).Op(244).Str("m").Finish());
  EXPECT_NE(r.status.message().find("unknown opcode or value type 244"), std::string::npos);
}

TEST(RdbLegacy, Version1PlainEncodingsWithoutChecksum) {
  FileBuilder f(1);
  f.Op(rdb::kOpSelectDb).Len(0);
  f.Op(rdb::kTypeList).Str("list").Len(3).Str("a").Str("b").Str("-3");
  f.Op(rdb::kTypeSet).Str("set").Len(2).Str("x").Str("7");
  f.Op(rdb::kTypeZSet).Str("zset").Len(3).Str("p").Raw(B({3})).Raw("1.5");
  f.Str("q").Raw(B({254})).Str("r").Raw(B({255}));
  f.Op(rdb::kTypeHash).Str("hash").Len(1).Str("f").Str("v");
  const Loaded r = Load(f.Finish(false, false));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.info.version, 1);
  EXPECT_FALSE(r.info.checksum_verified);
  EXPECT_EQ(r.keys.at(0).at("list"), "list:[a,b,-3,]|quicklist|0");
  EXPECT_EQ(r.keys.at(0).at("set"), "set:[7,x,]|hashtable|0");
  EXPECT_EQ(r.keys.at(0).at("zset"), "zset:[r=-inf,p=1.5,q=inf,]|listpack|0");
  EXPECT_EQ(r.keys.at(0).at("hash"), "hash:[f=v,]|listpack|0");
}

TEST(RdbLegacy, ZipmapZiplistIntsetAndQuicklist) {
  const std::string zipmap = B({1, 1}) + "k" + B({2, 0}) + "vv" + B({0xff});
  rdb::ListpackBuilder node;
  node.Append("n1");
  node.Append("n2");
  const std::string intset = rdb::BuildIntset(std::vector<int64_t>{-1, 3});
  FileBuilder f(9);
  f.Op(rdb::kTypeHashZipmap).Str("zm").Str(zipmap);
  f.Op(rdb::kTypeListZiplist).Str("lz").Str(ZiplistOf({"a", "b"}));
  f.Op(rdb::kTypeSetIntset).Str("si").Str(intset);
  f.Op(rdb::kTypeZSetZiplist).Str("zz").Str(ZiplistOf({"m", "2.5", "n", "-1"}));
  f.Op(rdb::kTypeHashZiplist).Str("hz").Str(ZiplistOf({"f", "v", "g", "w"}));
  f.Op(rdb::kTypeListQuicklist).Str("lq").Len(2).Str(ZiplistOf({"a"})).Str(ZiplistOf({"b", "c"}));
  const Loaded r = Load(f.Finish());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.info.checksum_verified);
  EXPECT_EQ(r.keys.at(0).at("zm"), "hash:[k=vv,]|listpack|0");
  EXPECT_EQ(r.keys.at(0).at("lz"), "list:[a,b,]|quicklist|0");
  EXPECT_EQ(r.keys.at(0).at("si"), "set:[-1,3,]|intset|0");
  EXPECT_EQ(r.keys.at(0).at("zz"), "zset:[n=-1,m=2.5,]|listpack|0");
  EXPECT_EQ(r.keys.at(0).at("hz"), "hash:[f=v,g=w,]|listpack|0");
  EXPECT_EQ(r.keys.at(0).at("lq"), "list:[a,b,c,]|quicklist|0");
}

TEST(RdbLegacy, Version11ListpackSetAndQuicklist2PlainNodes) {
  rdb::ListpackBuilder members;
  for (const char* m : {"apple", "12", "pear"}) members.Append(m);
  rdb::ListpackBuilder node;
  node.Append("packed");
  FileBuilder f(11);
  f.Op(rdb::kTypeSetListpack).Str("s").Str(members.Finish());
  f.Op(rdb::kTypeListQuicklist2).Str("l").Len(2);
  f.Len(rdb::kQuicklistPlain).Str(std::string(100, 'P'));
  f.Len(rdb::kQuicklistPacked).Str(node.Finish());
  const Loaded r = Load(f.Finish(false));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_FALSE(r.info.checksum_verified);  // a zero checksum means "not computed"
  EXPECT_EQ(r.keys.at(0).at("s"), "set:[12,apple,pear,]|hashtable|0");
  EXPECT_EQ(r.keys.at(0).at("l"), "list:[" + std::string(100, 'P') + ",packed,]|quicklist|0");
}

TEST(RdbLegacy, BadQuicklistContainerAndEmptyNode) {
  FileBuilder f(10);
  f.Op(rdb::kTypeListQuicklist2).Str("l").Len(1).Len(3).Str("x");
  Loaded r = Load(f.Finish());
  EXPECT_NE(r.status.message().find("container 3"), std::string::npos) << r.status.message();
  FileBuilder g(10);
  g.Op(rdb::kTypeListQuicklist2).Str("l").Len(1).Len(2).Str(rdb::ListpackBuilder().Finish());
  r = Load(g.Finish());
  EXPECT_NE(r.status.message().find("empty quicklist node"), std::string::npos);
}

TEST(RdbLegacy, EmptyCollectionsAreSkippedAsRedisDoes) {
  FileBuilder f(10);
  f.Op(rdb::kTypeSet).Str("empty").Len(0);
  f.Op(rdb::kTypeString).Str("k").Str("v");
  const Loaded r = Load(f.Finish());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.info.empty_keys_skipped, 1u);
  EXPECT_EQ(r.keys.at(0).size(), 1u);
}

TEST(RdbLegacy, DuplicatesAndBadDbsAreErrors) {
  Loaded r = Load(FileBuilder(10)
                      .Op(rdb::kTypeString)
                      .Str("k")
                      .Str("1")
                      .Op(rdb::kTypeString)
                      .Str("k")
                      .Str("2")
                      .Finish());
  EXPECT_NE(r.status.message().find("duplicate key 'k'"), std::string::npos);
  r = Load(FileBuilder(10).Op(rdb::kTypeSet).Str("s").Len(2).Str("a").Str("a").Finish());
  EXPECT_NE(r.status.message().find("duplicate set member 'a'"), std::string::npos);
  r = Load(FileBuilder(10)
               .Op(rdb::kTypeHash)
               .Str("h")
               .Len(2)
               .Str("a")
               .Str("1")
               .Str("a")
               .Str("2")
               .Finish());
  EXPECT_NE(r.status.message().find("duplicate hash field 'a'"), std::string::npos);
  r = Load(
      FileBuilder(10).Op(rdb::kOpSelectDb).Len(16).Op(rdb::kTypeString).Str("k").Str("v").Finish());
  EXPECT_NE(r.status.message().find("db 16"), std::string::npos) << r.status.message();
  r = Load(FileBuilder(10).Op(rdb::kTypeZSet).Str("z").Len(1).Str("m").Raw(B({253})).Finish());
  EXPECT_NE(r.status.message().find("NaN"), std::string::npos) << r.status.message();
}

TEST(RdbLegacy, HugeCountsFailWithoutAllocating) {
  // A list claiming 2^40 elements in a tiny file.
  const Loaded r = Load(FileBuilder(10).Op(rdb::kTypeList).Str("l").Len(1ull << 40).Finish());
  EXPECT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("count"), std::string::npos) << r.status.message();
  EXPECT_EQ(r.status.offset(), 9u + 3);
}

}  // namespace
}  // namespace persistence
