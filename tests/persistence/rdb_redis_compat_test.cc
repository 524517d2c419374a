// Compatibility with Debian's redis-server 7.0 in both directions:
//   - redis fills a keyspace with every type and encoding, SAVEs, and our reader's result must
//     equal what redis reports key by key (type, value, encoding, expiry, function libraries);
//   - our writer's file must pass redis-check-rdb, and redis-server must load it with every key,
//     type, value, encoding and expiry intact.
// Skipped iff redis-server is not installed.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"
#include "rdb_test_util.h"
#include "redis_harness.h"

namespace persistence {
namespace {

using testing::Canonical;
using testing::Keyspace;
using testing::RedisServer;
using testing::Reply;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The canonical text (testing::Canonical's format) of key in redis's current db.
std::string RedisCanonical(RedisServer& r, const std::string& key) {
  const std::string type = r.Cmd({"TYPE", key}).str;
  std::string out;
  auto add = [&](const std::string& s) { out += s + ","; };
  if (type == "string") return "string:" + r.Cmd({"GET", key}).str;
  if (type == "list") {
    for (const Reply& e : r.Cmd({"LRANGE", key, "0", "-1"}).elements) add(e.str);
    return "list:[" + out + "]";
  }
  if (type == "hash") {
    std::map<std::string, std::string> m;
    const Reply all = r.Cmd({"HGETALL", key});
    for (size_t i = 0; i + 1 < all.elements.size(); i += 2) {
      m[all.elements[i].str] = all.elements[i + 1].str;
    }
    for (const auto& [f, v] : m) add(f + "=" + v);
    return "hash:[" + out + "]";
  }
  if (type == "set") {
    std::vector<std::string> m;
    for (const Reply& e : r.Cmd({"SMEMBERS", key}).elements) m.push_back(e.str);
    std::sort(m.begin(), m.end());
    for (const auto& x : m) add(x);
    return "set:[" + out + "]";
  }
  if (type == "zset") {
    const Reply all = r.Cmd({"ZRANGE", key, "0", "-1", "WITHSCORES"});
    for (size_t i = 0; i + 1 < all.elements.size(); i += 2) {
      add(all.elements[i].str + "=" +
          testing::Score(std::strtod(all.elements[i + 1].str.c_str(), nullptr)));
    }
    return "zset:[" + out + "]";
  }
  return "unknown type " + type;
}

// db -> key -> "canonical|encoding|pexpireat" for every key redis holds in dbs 0..15.
std::map<int, std::map<std::string, std::string>> RedisDump(RedisServer& r) {
  std::map<int, std::map<std::string, std::string>> m;
  for (int db = 0; db < 16; ++db) {
    r.Cmd({"SELECT", std::to_string(db)});
    for (const Reply& k : r.Cmd({"KEYS", "*"}).elements) {
      const long long at = r.Cmd({"PEXPIRETIME", k.str}).integer;
      m[db][k.str] = RedisCanonical(r, k.str) + "|" + r.Cmd({"OBJECT", "ENCODING", k.str}).str +
                     "|" + std::to_string(at < 0 ? 0 : at);
    }
  }
  r.Cmd({"SELECT", "0"});
  return m;
}

void MustOk(const Reply& r) { ASSERT_NE(r.type, '-') << r.str; }

// Keys of every type and encoding Redis 7.0 has, made through its commands.
void FillRedis(RedisServer& r, int64_t later_ms) {
  MustOk(r.Cmd({"SET", "s:int", "12345"}));
  MustOk(r.Cmd({"SET", "s:bigint", "-9223372036854775808"}));
  MustOk(r.Cmd({"SET", "s:embstr", "hello"}));
  MustOk(r.Cmd({"SET", "s:lzf", std::string(2000, 'a') + "b" + std::string(2000, 'a')}));
  std::string bin;
  for (int i = 0; i < 256; ++i) bin.push_back(static_cast<char>(i));
  MustOk(r.Cmd({"SET", "s:binary", bin}));
  MustOk(r.Cmd({"SET", "s:ttl", "v", "PXAT", std::to_string(later_ms)}));
  MustOk(r.Cmd({"SET", "s:empty", ""}));

  MustOk(r.Cmd({"RPUSH", "l:small", "a", "1", "-4096", "70000", "3000000000", ""}));
  std::vector<std::string> big = {"RPUSH", "l:big"};
  for (int i = 0; i < 5000; ++i)
    big.push_back(i % 3 ? std::to_string(i) : "elem-" + std::to_string(i));
  MustOk(r.Cmd(big));
  MustOk(r.Cmd({"LPUSH", "l:big", std::string(9000, 'L')}));  // a node of its own
  MustOk(r.Cmd({"PEXPIREAT", "l:big", std::to_string(later_ms)}));

  MustOk(r.Cmd({"HSET", "h:listpack", "a", "1", "b", "-5000", "c", "hello", "d", "12345678901"}));
  std::vector<std::string> hash = {"HSET", "h:table"};
  for (int i = 0; i < 600; ++i) {
    hash.push_back("field" + std::to_string(i));
    hash.push_back(std::to_string(i * 7));
  }
  MustOk(r.Cmd(hash));
  MustOk(r.Cmd({"HSET", "h:longvalue", "f", std::string(100, 'v')}));

  MustOk(r.Cmd({"SADD", "set:intset", "1", "-5", "70000", "9223372036854775807"}));
  MustOk(r.Cmd({"SADD", "set:table", "apple", "pear", "12"}));
  std::vector<std::string> ints = {"SADD", "set:manyints"};
  for (int i = 0; i < 600; ++i) ints.push_back(std::to_string(i * 3));
  MustOk(r.Cmd(ints));

  MustOk(r.Cmd({"ZADD", "z:listpack", "1.5", "a", "0.1", "b", "3", "c", "-2.5e-5", "d", "inf", "e",
                "-inf", "f", "1e20", "g"}));
  std::vector<std::string> zbig = {"ZADD", "z:skiplist"};
  for (int i = 0; i < 300; ++i) {
    zbig.push_back(std::to_string(i * 0.25 - 7));
    zbig.push_back("member" + std::to_string(i));
  }
  MustOk(r.Cmd(zbig));
  MustOk(r.Cmd({"ZADD", "z:longmember", "1", std::string(100, 'm')}));

  MustOk(r.Cmd({"SELECT", "5"}));
  MustOk(r.Cmd({"SET", "in-db-5", "five"}));
  MustOk(r.Cmd({"HSET", "h5", "x", "y"}));
  MustOk(r.Cmd({"SELECT", "0"}));
}

TEST(RdbRedisCompat, WeLoadWhatRedisSaves) {
  if (!testing::HaveRedisServer()) GTEST_SKIP() << "redis-server is not installed";
  RedisServer redis;
  ASSERT_TRUE(redis.ok()) << "could not start redis-server";
  const int64_t later = NowMs() + 3'600'000;
  FillRedis(redis, later);
  const std::string lib =
      "#!lua name=fickletest\nredis.register_function('f', function() return 1 end)";
  MustOk(redis.Cmd({"FUNCTION", "LOAD", lib}));
  MustOk(redis.Cmd({"SAVE"}));
  const auto want = RedisDump(redis);

  Keyspace ks(16, NowMs());
  store::DbSink sink = ks.Sink();
  RdbLoadInfo info;
  const RdbStatus st = LoadRdbFile(redis.dir() + "/dump.rdb", LoadLimits(), &sink, &info);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(info.version, 10);
  EXPECT_TRUE(info.checksum_verified);
  EXPECT_EQ(info.functions, std::vector<std::string>{lib});
  EXPECT_EQ(ks.Dump(), want);
}

TEST(RdbRedisCompat, WeLoadRedisFilesWithoutCompressionOrChecksum) {
  if (!testing::HaveRedisServer()) GTEST_SKIP() << "redis-server is not installed";
  RedisServer redis({"--rdbcompression", "no", "--rdbchecksum", "no"});
  ASSERT_TRUE(redis.ok()) << "could not start redis-server";
  FillRedis(redis, NowMs() + 3'600'000);
  MustOk(redis.Cmd({"SAVE"}));
  const auto want = RedisDump(redis);
  Keyspace ks(16, NowMs());
  store::DbSink sink = ks.Sink();
  RdbLoadInfo info;
  const RdbStatus st = LoadRdbFile(redis.dir() + "/dump.rdb", LoadLimits(), &sink, &info);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(info.checksum_verified);
  EXPECT_EQ(ks.Dump(), want);
}

// Discards keys: only whether a load succeeds matters here.
class NullSink : public store::SnapshotSink {
 public:
  store::Status Put(int, std::string_view, store::Value, int64_t) override {
    return store::Status::kOk;
  }
};

TEST(RdbRedisCompat, EveryPrefixAndFlippedByteOfASmallRedisFileFails) {
  if (!testing::HaveRedisServer()) GTEST_SKIP() << "redis-server is not installed";
  RedisServer redis;
  ASSERT_TRUE(redis.ok()) << "could not start redis-server";
  // One small key of each compact encoding, one with a TTL, one LZF string, a second db.
  MustOk(redis.Cmd({"SET", "s", "hello"}));
  MustOk(redis.Cmd({"SET", "i", "-77"}));
  MustOk(redis.Cmd(
      {"SET", "lzf", std::string(100, 'z'), "PXAT", std::to_string(NowMs() + 3'600'000)}));
  MustOk(redis.Cmd({"RPUSH", "l", "a", "12", "b"}));
  MustOk(redis.Cmd({"HSET", "h", "f", "v", "n", "5"}));
  MustOk(redis.Cmd({"SADD", "si", "1", "2"}));
  MustOk(redis.Cmd({"SADD", "ss", "x", "y"}));
  MustOk(redis.Cmd({"ZADD", "z", "1.5", "m", "2", "n"}));
  MustOk(redis.Cmd({"SELECT", "2"}));
  MustOk(redis.Cmd({"SET", "k2", "v2"}));
  MustOk(redis.Cmd({"SAVE"}));
  std::string file;
  {
    std::ifstream f(redis.dir() + "/dump.rdb", std::ios::binary);
    file.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  NullSink whole;
  RdbLoadInfo info;
  ASSERT_TRUE(LoadRdb(file, LoadLimits(), &whole, &info).ok());
  EXPECT_EQ(info.keys, 9u);
  for (size_t cut = 0; cut < file.size(); ++cut) {
    NullSink sink;
    const RdbStatus st = LoadRdb(std::string_view(file).substr(0, cut), LoadLimits(), &sink, &info);
    ASSERT_FALSE(st.ok()) << "a prefix of " << cut << " bytes loaded";
    ASSERT_LE(st.offset(), cut);
  }
  // With a checksum, any changed byte is an error (a parse error or a checksum mismatch).
  for (size_t i = 0; i < file.size(); ++i) {
    std::string bad = file;
    bad[i] = static_cast<char>(bad[i] ^ 0x04);
    NullSink sink;
    EXPECT_FALSE(LoadRdb(bad, LoadLimits(), &sink, &info).ok()) << "flip at byte " << i;
  }
}

// Our file, with the dataset and a function library, loads in redis-server and redis-check-rdb
// accepts it; the library is callable there.
void CheckRedisLoadsOurFile(RdbWriteOptions opts) {
  Keyspace ks(16, NowMs());
  testing::Fill(ks);
  opts.functions = {
      "#!lua name=ours\nredis.register_function('from_fickle', function(keys) "
      "return 'hello ' .. keys[1] end)"};
  const std::string dir = RedisServer::MakeTempDir();
  ASSERT_FALSE(dir.empty());
  std::string err;
  ASSERT_TRUE(SaveSnapshotFile(ks.View(), opts, dir + "/dump.rdb", &err)) << err;

  const std::string check = "redis-check-rdb " + dir + "/dump.rdb > " + dir + "/check.log 2>&1";
  EXPECT_EQ(std::system(check.c_str()), 0) << "redis-check-rdb refused our file; see " << dir;

  RedisServer redis({}, dir);
  ASSERT_TRUE(redis.ok()) << "redis-server did not start on our file (see " << dir << "/redis.log)";
  EXPECT_EQ(RedisDump(redis), ks.Dump());
  const testing::Reply r = redis.Cmd({"FCALL", "from_fickle", "1", "world"});
  EXPECT_EQ(r.type, '$');
  EXPECT_EQ(r.str, "hello world");
}

TEST(RdbRedisCompat, RedisLoadsWhatWeSave) {
  if (!testing::HaveRedisServer()) GTEST_SKIP() << "redis-server is not installed";
  CheckRedisLoadsOurFile(RdbWriteOptions());
}

TEST(RdbRedisCompat, RedisLoadsWhatWeSaveWithoutCompressionOrChecksum) {
  if (!testing::HaveRedisServer()) GTEST_SKIP() << "redis-server is not installed";
  RdbWriteOptions opts;
  opts.encode.compression = false;
  opts.checksum = false;
  CheckRedisLoadsOurFile(opts);
}

}  // namespace
}  // namespace persistence
