// Set commands through the in-process Harness. Every expected reply was taken from Debian's
// redis-server 7.0.15 (raw RESP bytes); redis-compat/cases/sets.txt holds the same kinds of
// commands for the differential run. Random commands (SPOP, SRANDMEMBER) are checked by their
// properties: membership, counts, and no repeats where Redis promises none.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "test_harness.h"

namespace server::testing {
namespace {

using namespace std::literals;

// The bulk strings of a flat array/set reply ("*N" or "~N" followed by N bulks).
std::vector<std::string> Bulks(const std::string& reply) {
  std::vector<std::string> out;
  size_t pos = reply.find("\r\n") + 2;
  while (pos < reply.size()) {
    EXPECT_EQ(reply[pos], '$') << reply;
    size_t eol = reply.find("\r\n", pos);
    size_t len = std::stoul(reply.substr(pos + 1, eol - pos - 1));
    out.push_back(reply.substr(eol + 2, len));
    pos = eol + 2 + len + 2;
  }
  return out;
}

std::set<std::string> Sorted(const std::string& reply) {
  std::vector<std::string> b = Bulks(reply);
  return std::set<std::string>(b.begin(), b.end());
}

const char* kWrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

TEST(SetFamily, AddRemCard) {
  Harness h;
  EXPECT_EQ(h.Run({"sadd", "s", "1", "2", "3", "2"}), ":3\r\n");
  EXPECT_EQ(h.Run({"sadd", "s", "3", "4"}), ":1\r\n");
  EXPECT_EQ(h.Run({"scard", "s"}), ":4\r\n");
  EXPECT_EQ(h.Run({"srem", "s", "1", "9", "1"}), ":1\r\n");
  EXPECT_EQ(h.Run({"srem", "none", "1"}), ":0\r\n");
  EXPECT_EQ(h.Run({"scard", "none"}), ":0\r\n");
  EXPECT_EQ(h.Run({"smembers", "s"}), "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n");  // intset
  EXPECT_EQ(h.Run({"smembers", "none"}), "*0\r\n");
  EXPECT_EQ(h.Run({"type", "s"}), "+set\r\n");
  EXPECT_EQ(h.Run({"srem", "s", "2", "3", "4"}), ":3\r\n");
  EXPECT_FALSE(Exists(h, "s"));
  EXPECT_EQ(h.Run({"sadd", "s"}), "-ERR wrong number of arguments for 'sadd' command\r\n");
}

TEST(SetFamily, Encodings) {
  Harness h;
  EXPECT_EQ(h.Run({"sadd", "i", "1", "-5", "12345678901234"}), ":3\r\n");
  EXPECT_EQ(Encoding(h, "i"), "intset");
  EXPECT_EQ(h.Run({"sadd", "v", "01"}), ":1\r\n");
  EXPECT_EQ(Encoding(h, "v"), "hashtable");
  EXPECT_EQ(h.Run({"config", "set", "set-max-intset-entries", "2"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"sadd", "t", "1", "2"}), ":2\r\n");
  EXPECT_EQ(Encoding(h, "t"), "intset");
  EXPECT_EQ(h.Run({"sadd", "t", "3"}), ":1\r\n");
  EXPECT_EQ(Encoding(h, "t"), "hashtable");
  EXPECT_EQ(h.Run({"srem", "t", "3", "2"}), ":2\r\n");
  EXPECT_EQ(Encoding(h, "t"), "hashtable");  // one way
  EXPECT_EQ(h.Run({"object", "encoding", "t"}), "$9\r\nhashtable\r\n");
  EXPECT_EQ(h.Run({"sadd", "i", "x"}), ":1\r\n");
  EXPECT_EQ(Encoding(h, "i"), "hashtable");
  // A stored result is built as an intset, converted past the limit.
  EXPECT_EQ(h.Run({"sunionstore", "d", "t"}), ":1\r\n");
  EXPECT_EQ(Encoding(h, "d"), "intset");
  EXPECT_EQ(h.Run({"sunionstore", "d", "i"}), ":4\r\n");
  EXPECT_EQ(Encoding(h, "d"), "hashtable");
}

TEST(SetFamily, Membership) {
  Harness h;
  h.Run({"sadd", "s", "1", "2", "3", "4"});
  EXPECT_EQ(h.Run({"sismember", "s", "2"}), ":1\r\n");
  EXPECT_EQ(h.Run({"sismember", "s", "02"}), ":0\r\n");
  EXPECT_EQ(h.Run({"sismember", "none", "1"}), ":0\r\n");
  EXPECT_EQ(h.Run({"smismember", "s", "1", "2", "3", "x"}), "*4\r\n:1\r\n:1\r\n:1\r\n:0\r\n");
  EXPECT_EQ(h.Run({"smismember", "none", "1", "2"}), "*2\r\n:0\r\n:0\r\n");
  EXPECT_EQ(h.Run({"sadd"sv, "b"sv, "\x00\xff"sv, ""sv}), ":2\r\n");
  EXPECT_EQ(h.Run({"sismember"sv, "b"sv, "\x00\xff"sv}), ":1\r\n");
  EXPECT_EQ(h.Run({"sismember", "b", ""}), ":1\r\n");
}

TEST(SetFamily, WrongType) {
  Harness h;
  h.Run({"set", "str", "x"});
  for (std::vector<std::string_view> cmd : std::vector<std::vector<std::string_view>>{
           {"sadd", "str", "1"},
           {"srem", "str", "1"},
           {"scard", "str"},
           {"sismember", "str", "1"},
           {"smismember", "str", "1"},
           {"smembers", "str"},
           {"srandmember", "str"},
           {"srandmember", "str", "1"},
           {"spop", "str"},
           {"spop", "str", "1"},
           {"sscan", "str", "0"},
           {"sinter", "none", "str"},
           {"sinter", "str", "none"},
           {"sunion", "none", "str"},
           {"sdiff", "none", "str"},
           {"sinterstore", "d", "none", "str"},
           {"sintercard", "2", "none", "str"},
           {"smove", "str", "none", "1"},
       }) {
    EXPECT_EQ(h.Run(cmd), kWrongType) << cmd[0];
  }
  EXPECT_FALSE(Exists(h, "d"));
  PutList(h, "l");
  EXPECT_EQ(h.Run({"sadd", "l", "1"}), kWrongType);
}

TEST(SetFamily, Algebra) {
  Harness h;
  h.Run({"sadd", "a", "1", "2", "3", "4", "a"});
  h.Run({"sadd", "b", "3", "4", "5", "b", "a"});
  h.Run({"sadd", "c", "4", "a", "z"});
  EXPECT_EQ(Sorted(h.Run({"sunion", "a", "b", "c"})),
            (std::set<std::string>{"1", "2", "3", "4", "5", "a", "b", "z"}));
  EXPECT_EQ(Sorted(h.Run({"sinter", "a", "b", "c"})), (std::set<std::string>{"4", "a"}));
  EXPECT_EQ(Sorted(h.Run({"sdiff", "a", "b", "c"})), (std::set<std::string>{"1", "2"}));
  EXPECT_EQ(h.Run({"sinter", "a", "none"}), "*0\r\n");
  EXPECT_EQ(h.Run({"sdiff", "none", "a"}), "*0\r\n");
  EXPECT_EQ(h.Run({"sunion", "none"}), "*0\r\n");
  // STORE: overwrites any type and the TTL; an empty result deletes the destination.
  h.Run({"set", "d", "old", "ex", "100"});
  EXPECT_EQ(h.Run({"sinterstore", "d", "a", "b"}), ":3\r\n");
  EXPECT_EQ(Ttl(h, "d"), -1);
  EXPECT_EQ(Sorted(h.Run({"smembers", "d"})), (std::set<std::string>{"3", "4", "a"}));
  EXPECT_EQ(h.Run({"sdiffstore", "d", "a", "a"}), ":0\r\n");
  EXPECT_FALSE(Exists(h, "d"));
  h.Run({"set", "d", "old"});
  EXPECT_EQ(h.Run({"sunionstore", "d", "none"}), ":0\r\n");
  EXPECT_FALSE(Exists(h, "d"));
  EXPECT_EQ(h.Run({"sunionstore", "a", "a", "c"}), ":6\r\n");  // a source may be the target
  EXPECT_EQ(h.Run({"scard", "a"}), ":6\r\n");
}

TEST(SetFamily, InterCard) {
  Harness h;
  h.Run({"sadd", "a", "1", "2", "3"});
  h.Run({"sadd", "b", "2", "3", "4"});
  EXPECT_EQ(h.Run({"sintercard", "2", "a", "b"}), ":2\r\n");
  EXPECT_EQ(h.Run({"sintercard", "2", "a", "b", "LIMIT", "1"}), ":1\r\n");
  EXPECT_EQ(h.Run({"sintercard", "2", "a", "b", "limit", "0"}), ":2\r\n");
  EXPECT_EQ(h.Run({"sintercard", "1", "a", "LIMIT", "5", "LIMIT", "1"}), ":1\r\n");
  EXPECT_EQ(h.Run({"sintercard", "2", "a", "none"}), ":0\r\n");
  const char* numkeys = "-ERR numkeys should be greater than 0\r\n";
  EXPECT_EQ(h.Run({"sintercard", "0", "a"}), numkeys);
  EXPECT_EQ(h.Run({"sintercard", "-1", "a"}), numkeys);
  EXPECT_EQ(h.Run({"sintercard", "x", "a"}), numkeys);
  EXPECT_EQ(h.Run({"sintercard", "99999999999999999999", "a"}), numkeys);
  EXPECT_EQ(h.Run({"sintercard", "3", "a", "b"}),
            "-ERR Number of keys can't be greater than number of args\r\n");
  const char* limit = "-ERR LIMIT can't be negative\r\n";
  EXPECT_EQ(h.Run({"sintercard", "1", "a", "LIMIT", "-1"}), limit);
  EXPECT_EQ(h.Run({"sintercard", "1", "a", "LIMIT", "1.5"}), limit);
  EXPECT_EQ(h.Run({"sintercard", "1", "a", "LIMIT"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"sintercard", "1", "a", "foo", "1"}), "-ERR syntax error\r\n");
}

TEST(SetFamily, Move) {
  Harness h;
  h.Run({"sadd", "a", "1", "2", "x"});
  h.Run({"sadd", "b", "3"});
  h.Run({"set", "str", "v"});
  EXPECT_EQ(h.Run({"smove", "a", "b", "1"}), ":1\r\n");
  EXPECT_EQ(h.Run({"smembers", "b"}), "*2\r\n$1\r\n1\r\n$1\r\n3\r\n");
  EXPECT_EQ(h.Run({"smove", "a", "b", "9"}), ":0\r\n");
  EXPECT_EQ(h.Run({"smove", "a", "new", "x"}), ":1\r\n");
  EXPECT_EQ(Encoding(h, "new"), "hashtable");
  EXPECT_EQ(h.Run({"smove", "a", "a", "2"}), ":1\r\n");
  EXPECT_EQ(h.Run({"smove", "a", "a", "9"}), ":0\r\n");
  EXPECT_EQ(h.Run({"smove", "a", "b", "2"}), ":1\r\n");
  EXPECT_FALSE(Exists(h, "a"));
  EXPECT_EQ(h.Run({"smove", "none", "str", "1"}), ":0\r\n");  // absent source wins
  EXPECT_EQ(h.Run({"smove", "str", "b", "1"}), kWrongType);
  EXPECT_EQ(h.Run({"smove", "b", "str", "99"}), kWrongType);
}

TEST(SetFamily, PopErrorsAndShapes) {
  Harness h;
  h.Run({"sadd", "s", "1", "2", "3"});
  EXPECT_EQ(h.Run({"spop", "none"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"spop", "none", "2"}), "*0\r\n");
  EXPECT_EQ(h.Run({"spop", "s", "0"}), "*0\r\n");
  const char* positive = "-ERR value is out of range, must be positive\r\n";
  EXPECT_EQ(h.Run({"spop", "s", "-1"}), positive);
  EXPECT_EQ(h.Run({"spop", "s", "x"}), positive);
  h.Run({"set", "str", "v"});
  EXPECT_EQ(h.Run({"spop", "str", "x"}), positive);  // the count is parsed first
  EXPECT_EQ(h.Run({"spop", "s", "1", "2"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"srandmember", "none"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"srandmember", "none", "3"}), "*0\r\n");
  EXPECT_EQ(h.Run({"srandmember", "s", "0"}), "*0\r\n");
  EXPECT_EQ(h.Run({"srandmember", "s", "-9223372036854775808"}),
            "-ERR value is out of range, value must between -9223372036854775807 and "
            "9223372036854775807\r\n");
  EXPECT_EQ(h.Run({"srandmember", "str", "x"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"srandmember", "s", "1", "2"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"srandmember", "s", "9223372036854775807"}),
            "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  // RESP3: SPOP with a count replies a set, SRANDMEMBER an array.
  h.Run({"hello", "3"});
  EXPECT_EQ(h.Run({"spop", "none", "2"}), "~0\r\n");
  EXPECT_EQ(h.Run({"srandmember", "none", "2"}), "*0\r\n");
  EXPECT_EQ(h.Run({"smembers", "none"}), "~0\r\n");
  EXPECT_EQ(h.Run({"smembers", "s"}), "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(h.Run({"srandmember", "s", "5"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(h.Run({"spop", "s", "5"}), "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_FALSE(Exists(h, "s"));
}

TEST(SetFamily, RandomProperties) {
  Harness h;
  for (const char* extra : {"1", "w"}) {  // intset, then hashtable
    h.Run({"del", "s"});
    std::set<std::string> all;
    for (int i = 0; i < 40; ++i) {
      std::string m = std::to_string(i * 7);
      all.insert(m);
      h.Run({"sadd", "s", m});
    }
    h.Run({"sadd", "s", extra});
    all.insert(extra);
    for (int count : {1, 5, 20, 40, 41, 100}) {
      std::vector<std::string> got = Bulks(h.Run({"srandmember", "s", std::to_string(count)}));
      std::set<std::string> distinct(got.begin(), got.end());
      EXPECT_EQ(got.size(), std::min<size_t>(count, all.size()));
      EXPECT_EQ(distinct.size(), got.size());
      for (const std::string& m : got) EXPECT_EQ(all.count(m), 1u) << m;
    }
    std::vector<std::string> neg = Bulks(h.Run({"srandmember", "s", "-60"}));
    EXPECT_EQ(neg.size(), 60u);
    for (const std::string& m : neg) EXPECT_EQ(all.count(m), 1u) << m;
    std::vector<std::string> one = Bulks("*1\r\n" + h.Run({"srandmember", "s"}));
    EXPECT_EQ(all.count(one[0]), 1u);
    std::vector<std::string> popped = Bulks(h.Run({"spop", "s", "10"}));
    std::set<std::string> p(popped.begin(), popped.end());
    EXPECT_EQ(p.size(), 10u);
    std::set<std::string> rest = Sorted(h.Run({"smembers", "s"}));
    EXPECT_EQ(rest.size(), all.size() - 10);
    for (const std::string& m : p) {
      EXPECT_EQ(all.count(m), 1u);
      EXPECT_EQ(rest.count(m), 0u);
    }
    std::string single = Bulks("*1\r\n" + h.Run({"spop", "s"}))[0];
    EXPECT_EQ(rest.count(single), 1u);
    EXPECT_EQ(h.Run({"scard", "s"}), ":" + std::to_string(all.size() - 11) + "\r\n");
  }
}

TEST(SetFamily, Scan) {
  Harness h;
  h.Run({"sadd", "s", "1", "2", "3", "10", "11"});
  EXPECT_EQ(h.Run({"sscan", "s", "0"}),
            "*2\r\n$1\r\n0\r\n*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n11\r\n");
  EXPECT_EQ(h.Run({"sscan", "s", "0", "MATCH", "1*", "COUNT", "1"}),
            "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$2\r\n10\r\n$2\r\n11\r\n");
  EXPECT_EQ(h.Run({"sscan", "none", "0", "COUNT", "0"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(h.Run({"sscan", "none", "x"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(h.Run({"sscan", "s", "18446744073709551616"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(h.Run({"sscan", "s", "0", "COUNT", "0"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"sscan", "s", "0", "COUNT", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"sscan", "s", "0", "TYPE", "set"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"sscan", "s", "0", "MATCH"}), "-ERR syntax error\r\n");
}

TEST(SetFamily, WatchSeesChanges) {
  Harness h;
  for (std::vector<std::string_view> cmd : std::vector<std::vector<std::string_view>>{
           {"sadd", "s", "2"},
           {"srem", "s", "1"},
           {"spop", "s"},
           {"smove", "s", "t", "1"},
           {"smove", "t", "s", "9"},
           {"sunionstore", "s", "none"},
           {"sinterstore", "s", "s"},
       }) {
    h.Run({"flushall"});
    h.Run({"sadd", "s", "1", "5"});
    h.Run({"sadd", "t", "9"});
    EXPECT_EQ(h.Run({"watch", "s"}), "+OK\r\n");
    h.Run(cmd);
    EXPECT_EQ(h.Run({"multi"}), "+OK\r\n");
    h.Run({"ping"});
    EXPECT_EQ(h.Run({"exec"}), "*-1\r\n") << cmd[0];
  }
  // A command that changes nothing leaves the watch intact.
  for (std::vector<std::string_view> cmd : std::vector<std::vector<std::string_view>>{
           {"sadd", "s", "1"},
           {"srem", "s", "9"},
           {"smove", "s", "t", "7"},
           {"spop", "s", "0"},
       }) {
    h.Run({"flushall"});
    h.Run({"sadd", "s", "1", "5"});
    EXPECT_EQ(h.Run({"watch", "s"}), "+OK\r\n");
    h.Run(cmd);
    EXPECT_EQ(h.Run({"multi"}), "+OK\r\n");
    h.Run({"ping"});
    EXPECT_EQ(h.Run({"exec"}), "*1\r\n+PONG\r\n") << cmd[0];
  }
}

}  // namespace
}  // namespace server::testing
