// DUMP payloads: our own round trips and errors, then byte-for-byte equality with DUMP from
// redis-server 7.0 (compression off, so LZF output, which is not byte-identical to liblzf, is
// out of the comparison), and RESTORE of our payloads in redis with compression on.
#include "persistence/dump_payload.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "persistence/crc64.h"
#include "rdb_test_util.h"
#include "redis_harness.h"

namespace persistence {
namespace {

using testing::Canonical;
using testing::RedisServer;
using testing::Reply;

std::string Hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

TEST(DumpPayload, LayoutOfAStringPayload) {
  // DUMP of SET k 12 on redis-server 7.0.15: "\x00\xc0\x0c\n\x00" + CRC.
  const std::string p = DumpValue(store::Value::String("12"));
  ASSERT_EQ(p.size(), 13u);
  EXPECT_EQ(p.substr(0, 5), std::string("\x00\xc0\x0c\x0a\x00", 5));
  EXPECT_EQ(Hex(p.substr(5)), "3c2af8515c04bcd5");
}

TEST(DumpPayload, RoundTripsEveryValueOfTheFill) {
  testing::Keyspace ks;
  testing::Fill(ks);
  for (const auto& db : ks.dbs) {
    for (const store::Entry* e = db->First(); e != nullptr; e = e->next(0)) {
      for (bool compress : {true, false}) {
        EncodeOptions opts;
        opts.compression = compress;
        const std::string p = DumpValue(e->value(), opts);
        RdbResult<store::Value> v = ParseDumpPayload(p);
        ASSERT_TRUE(v.ok()) << e->key() << ": " << v.status().ToString();
        EXPECT_EQ(Canonical(v.value()), Canonical(e->value())) << e->key();
        EXPECT_EQ(v.value().Encoding(), e->value().Encoding()) << e->key();
      }
    }
  }
}

TEST(DumpPayload, RejectsBadChecksumVersionAndTrailingBytes) {
  const std::string good = DumpValue(store::Value::String("hello"));
  ASSERT_TRUE(ParseDumpPayload(good).ok());
  for (size_t cut = 0; cut < good.size(); ++cut) {
    EXPECT_FALSE(ParseDumpPayload(good.substr(0, cut)).ok()) << cut;
  }
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] ^= 0x20;
    EXPECT_FALSE(ParseDumpPayload(bad).ok()) << i;
  }
  // Version 12 with a correct checksum: refused for its version.
  std::string v12 = good.substr(0, good.size() - 10) + std::string("\x0c\x00", 2);
  const uint64_t crc = Crc64(0, v12);
  for (int i = 0; i < 8; ++i) v12.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  RdbResult<store::Value> r = ParseDumpPayload(v12);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("version 12"), std::string::npos);
  // A valid value followed by a stray byte, correctly checksummed.
  std::string extra = good.substr(0, good.size() - 10) + "x" + std::string("\x0a\x00", 2);
  const uint64_t crc2 = Crc64(0, extra);
  for (int i = 0; i < 8; ++i) extra.push_back(static_cast<char>((crc2 >> (8 * i)) & 0xff));
  r = ParseDumpPayload(extra);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bytes left"), std::string::npos);
}

// One case: commands that build `key` in redis, and the same value built in our store.
struct Case {
  std::string key;
  std::vector<std::vector<std::string>> commands;
  store::Value ours;
  bool byte_exact;  // false for hashtable encodings, whose order is the dict's
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  auto add = [&](std::string key, std::vector<std::vector<std::string>> cmds, store::Value v,
                 bool exact = true) {
    cases.push_back(Case{std::move(key), std::move(cmds), std::move(v), exact});
  };
  add("str", {{"SET", "str", "hello"}}, store::Value::String("hello"));
  add("int", {{"SET", "int", "-1"}}, store::Value::String("-1"));
  add("int40", {{"SET", "int40", "1099511627776"}}, store::Value::String("1099511627776"));
  add("long", {{"SET", "long", std::string(100, 'q')}},
      store::Value::String(std::string(100, 'q')));

  {
    auto h = std::make_unique<store::HashValue>();
    std::vector<std::string> cmd = {"HSET", "hash"};
    const std::vector<std::pair<std::string, std::string>> fields = {
        {"a", "1"}, {"b", "-5000"}, {"c", "70000"}, {"name", "fickle"}, {"n", "9000000000"}};
    for (const auto& [f, v] : fields) {
      (void)h->Set(f, v, store::HashLimits());
      cmd.push_back(f);
      cmd.push_back(v);
    }
    add("hash", {cmd}, store::Value::Of(std::move(h)));
  }
  {
    auto h = std::make_unique<store::HashValue>();
    std::vector<std::string> cmd = {"HSET", "bighash"};
    for (int i = 0; i < 700; ++i) {
      (void)h->Set("f" + std::to_string(i), std::to_string(i), store::HashLimits());
      cmd.push_back("f" + std::to_string(i));
      cmd.push_back(std::to_string(i));
    }
    add("bighash", {cmd}, store::Value::Of(std::move(h)), false);
  }
  auto list = [&](std::string key, std::vector<std::string> elems) {
    auto l = std::make_unique<store::ListValue>();
    std::vector<std::string> cmd = {"RPUSH", key};
    for (const std::string& e : elems) {
      l->Push(store::ListEnd::kTail, e);
      cmd.push_back(e);
    }
    add(key, {cmd}, store::Value::Of(std::move(l)));
  };
  list("list", {"a", "1", "-4096", "", "3000000000", std::string(200, 'x')});
  std::vector<std::string> many;
  for (int i = 0; i < 5000; ++i)
    many.push_back(i % 3 ? std::to_string(i) : "elem-" + std::to_string(i));
  list("biglist", many);
  many.insert(many.begin() + 2500, std::string(9000, 'L'));
  list("hugeelem", many);

  auto set = [&](std::string key, std::vector<std::string> members, bool exact = true) {
    auto s = std::make_unique<store::SetValue>();
    std::vector<std::string> cmd = {"SADD", key};
    for (const std::string& m : members) {
      (void)s->Add(m, 512);
      cmd.push_back(m);
    }
    add(key, {cmd}, store::Value::Of(std::move(s)), exact);
  };
  set("intset16", {"3", "1", "2"});
  set("intset32", {"70000", "-1"});
  set("intset64", {"9223372036854775807", "-9223372036854775808", "0"});
  set("strset", {"apple", "pear", "12"}, false);

  auto zset = [&](std::string key, std::vector<std::pair<double, std::string>> elems,
                  std::vector<std::string> score_text) {
    auto z = std::make_unique<store::ZSetValue>(true);
    std::vector<std::string> cmd = {"ZADD", key};
    for (size_t i = 0; i < elems.size(); ++i) {
      (void)z->Set(elems[i].second, elems[i].first, 128, 64);
      cmd.push_back(score_text[i]);
      cmd.push_back(elems[i].second);
    }
    add(key, {cmd}, store::Value::Of(std::move(z)));
  };
  zset("zset", {{1.5, "a"}, {0.1, "b"}, {3, "c"}, {-2.5e-5, "d"}, {HUGE_VAL, "e"}, {1e20, "f"}},
       {"1.5", "0.1", "3", "-2.5e-5", "inf", "1e20"});
  std::vector<std::pair<double, std::string>> zs;
  std::vector<std::string> zt;
  for (int i = 0; i < 300; ++i) {
    zs.emplace_back(i * 0.25 - 7, "member" + std::to_string(i));
    zt.push_back(std::to_string(i * 0.25 - 7));
  }
  zset("bigzset", zs, zt);
  return cases;
}

// Appends the version (10) and CRC-64 footer to body.
std::string WithFooter(std::string body) {
  body += std::string("\x0a\x00", 2);
  const uint64_t crc = Crc64(0, body);
  for (int i = 0; i < 8; ++i) body.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  return body;
}

TEST(FunctionPayload, RoundTripsLibrariesWithAndWithoutCompression) {
  const std::vector<std::string> libs = {
      "#!lua name=a\nredis.register_function('fa', function() return 1 end)",
      "#!lua name=b\n" + std::string(300, '-') + "\nredis.register_function('fb', function() end)"};
  for (bool compression : {false, true}) {
    const std::string payload = DumpFunctions(libs, compression);
    EXPECT_EQ(static_cast<uint8_t>(payload[0]), 245);
    std::vector<std::string> got;
    const char* what = nullptr;
    ASSERT_EQ(ParseFunctionsPayload(payload, &got, &what), FunctionPayloadError::kNone);
    EXPECT_EQ(got, libs);
    for (size_t cut = 0; cut + 1 < payload.size(); ++cut) {
      EXPECT_NE(ParseFunctionsPayload(payload.substr(0, cut), &got, &what),
                FunctionPayloadError::kNone)
          << cut;
    }
  }
  // No libraries: just the footer, as FUNCTION DUMP answers on an empty server.
  EXPECT_EQ(DumpFunctions({}), std::string("\x0a\x00]\x9b\\@\x0f\x7f\xa2\xda", 10));
}

TEST(FunctionPayload, PreReleaseItemsAndErrors) {
  std::vector<std::string> got;
  const char* what = nullptr;
  // name "zl", engine "LUA", a description (dropped), then the code.
  const std::string code = "redis.register_function('zz', function() return 1 end)";
  std::string item = std::string(
                         "\xf6\x02zl\x03LUA\x01\x04"
                         "desc") +
                     static_cast<char>(code.size()) + code;
  ASSERT_EQ(ParseFunctionsPayload(WithFooter(item), &got, &what), FunctionPayloadError::kNone);
  EXPECT_EQ(got, std::vector<std::string>{"#!LUA name=zl\n" + code});
  const std::pair<std::string, std::string> cuts[] = {
      {"\xf6", "library name"},
      {"\xf6\x02zl", "engine name"},
      {"\xf6\x02zl\x03LUA", "library blob"},
      {"\xf6\x02zl\x03LUA\x01", "library description"},
      {"\xf6\x02zl\x03LUA\x01\x04"
       "desc",
       "library blob"},
      {"\xf5", "library payload"},
  };
  for (const auto& [body, expected] : cuts) {
    EXPECT_EQ(ParseFunctionsPayload(WithFooter(body), &got, &what),
              FunctionPayloadError::kTruncated)
        << expected;
    EXPECT_EQ(std::string(what), expected);
  }
  EXPECT_EQ(ParseFunctionsPayload(WithFooter(std::string("\x00\x01a", 3)), &got, &what),
            FunctionPayloadError::kNotFunction);
  EXPECT_EQ(ParseFunctionsPayload("short", &got, &what), FunctionPayloadError::kVersionOrChecksum);
}

TEST(DumpPayloadRedis, ByteForByteWithRedisWithoutCompression) {
  if (!testing::HaveRedisServer()) GTEST_SKIP() << "redis-server is not installed";
  RedisServer redis({"--rdbcompression", "no"});
  ASSERT_TRUE(redis.ok());
  EncodeOptions plain;
  plain.compression = false;
  for (Case& c : Cases()) {
    SCOPED_TRACE(c.key);
    for (const auto& cmd : c.commands) ASSERT_NE(redis.Cmd(cmd).type, '-');
    ASSERT_EQ(redis.Cmd({"OBJECT", "ENCODING", c.key}).str, c.ours.Encoding());
    const std::string theirs = redis.Cmd({"DUMP", c.key}).str;
    const std::string ours = DumpValue(c.ours, plain);
    if (c.byte_exact) {
      EXPECT_EQ(Hex(ours), Hex(theirs));
    }
    // Whatever the bytes, each side reads the other's payload as the same value.
    RdbResult<store::Value> parsed = ParseDumpPayload(theirs);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(Canonical(parsed.value()), Canonical(c.ours));
    EXPECT_EQ(parsed.value().Encoding(), c.ours.Encoding());
  }
}

TEST(DumpPayloadRedis, ListNodesSplitAsRedisForEveryFill) {
  if (!testing::HaveRedisServer()) GTEST_SKIP() << "redis-server is not installed";
  RedisServer redis({"--rdbcompression", "no"});
  ASSERT_TRUE(redis.ok());
  for (int64_t fill : {-1, -3, -5, 1, 5, 128}) {
    SCOPED_TRACE(fill);
    ASSERT_EQ(redis.Cmd({"CONFIG", "SET", "list-max-listpack-size", std::to_string(fill)}).str,
              "OK");
    const std::string key = "list" + std::to_string(fill);
    auto list = std::make_unique<store::ListValue>(fill);
    std::vector<std::string> cmd = {"RPUSH", key};
    for (int i = 0; i < 3000; ++i) {
      // Mixed sizes, so both the count and the byte bounds are reached.
      const std::string e = i % 5 ? std::to_string(i * 7919) : std::string(i % 300, 'e');
      list->Push(store::ListEnd::kTail, e);
      cmd.push_back(e);
    }
    ASSERT_EQ(redis.Cmd(cmd).integer, 3000);
    EncodeOptions opts;
    opts.compression = false;
    opts.list_fill = fill;
    EXPECT_EQ(Hex(DumpValue(store::Value::Of(std::move(list)), opts)),
              Hex(redis.Cmd({"DUMP", key}).str));
  }
}

TEST(DumpPayloadRedis, RedisRestoresOurCompressedPayloadsAndWeReadTheirs) {
  if (!testing::HaveRedisServer()) GTEST_SKIP() << "redis-server is not installed";
  RedisServer redis;
  ASSERT_TRUE(redis.ok());
  for (Case& c : Cases()) {
    SCOPED_TRACE(c.key);
    const std::string ours = DumpValue(c.ours);
    const Reply r = redis.Cmd({"RESTORE", "copy:" + c.key, "0", ours});
    ASSERT_EQ(r.str, "OK") << r.str;
    EXPECT_EQ(redis.Cmd({"OBJECT", "ENCODING", "copy:" + c.key}).str, c.ours.Encoding());
    for (const auto& cmd : c.commands) ASSERT_NE(redis.Cmd(cmd).type, '-');
    // Redis's compressed payload of the same value reads back equal.
    RdbResult<store::Value> theirs = ParseDumpPayload(redis.Cmd({"DUMP", c.key}).str);
    ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
    EXPECT_EQ(Canonical(theirs.value()), Canonical(c.ours));
    // And the copy restored from our bytes equals the original in redis.
    RdbResult<store::Value> copy = ParseDumpPayload(redis.Cmd({"DUMP", "copy:" + c.key}).str);
    ASSERT_TRUE(copy.ok()) << copy.status().ToString();
    EXPECT_EQ(Canonical(copy.value()), Canonical(c.ours));
  }
}

}  // namespace
}  // namespace persistence
