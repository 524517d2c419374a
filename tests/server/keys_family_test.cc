// Generic key commands through the dispatcher, comparing whole RESP replies. Expected replies of
// Redis commands were taken from redis-server 7.0.15; KRANGE/KDELRANGE and the ordering of SCAN
// and KEYS are Fickle's own (docs/scan.md).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_harness.h"

namespace server::testing {
namespace {

// A time well after any TTL literal below, so that relative TTLs are easy to read.
constexpr int64_t kNow = 1'700'000'000'000;

TEST(KeysFamily, DelAndUnlinkCountExisting) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"set", "b", "2"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"del", "a", "a", "b", "nokey"}), ":2\r\n");
  EXPECT_EQ(h.Run({"exists", "a", "b"}), ":0\r\n");
  EXPECT_EQ(h.Run({"set", "c", "3"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"unlink", "c", "nokey"}), ":1\r\n");
  EXPECT_EQ(h.Run({"unlink", "c"}), ":0\r\n");
  EXPECT_EQ(h.Run({"del"}), "-ERR wrong number of arguments for 'del' command\r\n");
}

TEST(KeysFamily, ExistsCountsRepeats) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"exists", "a", "a", "nokey"}), ":2\r\n");
  EXPECT_EQ(h.Run({"exists", "nokey"}), ":0\r\n");
  EXPECT_EQ(h.Run({"exists"}), "-ERR wrong number of arguments for 'exists' command\r\n");
}

TEST(KeysFamily, TouchCountsExisting) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"set", "b", "2"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"touch", "a", "nokey", "b", "a"}), ":3\r\n");
}

TEST(KeysFamily, TypeOfKeys) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "s", "hello"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"type", "s"}), "+string\r\n");
  EXPECT_EQ(h.Run({"type", "nokey"}), "+none\r\n");
  EXPECT_EQ(h.Run({"type"}), "-ERR wrong number of arguments for 'type' command\r\n");
}

TEST(KeysFamily, ExpireFlagErrors) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "10", "nx", "xx"}),
            "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "10", "NX", "GT"}),
            "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "10", "nx", "lt"}),
            "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "10", "gt", "lt"}),
            "-ERR GT and LT options at the same time are not compatible\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "10", "foo"}), "-ERR Unsupported option foo\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "abc", "foo"}), "-ERR Unsupported option foo\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "abc", "nx", "xx"}),
            "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "abc"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "10", "nx", "foo"}), "-ERR Unsupported option foo\r\n");
  EXPECT_EQ(h.Run({"pexpire", "a", "10", "Gt", "LT"}),
            "-ERR GT and LT options at the same time are not compatible\r\n");
  EXPECT_EQ(h.Run({"expire", "a"}), "-ERR wrong number of arguments for 'expire' command\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "10", "nx", "xx", "gt", "lt"}),
            "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
}

TEST(KeysFamily, ExpireOverflow) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "9223372036854775"}),
            "-ERR invalid expire time in 'expire' command\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "9223372036854776"}),
            "-ERR invalid expire time in 'expire' command\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "-9223372036854776"}),
            "-ERR invalid expire time in 'expire' command\r\n");
  EXPECT_EQ(h.Run({"pexpire", "a", "9223372036854775807"}),
            "-ERR invalid expire time in 'pexpire' command\r\n");
  EXPECT_EQ(h.Run({"pexpire", "a", "9223372036854775806"}),
            "-ERR invalid expire time in 'pexpire' command\r\n");
  EXPECT_EQ(h.Run({"expireat", "a", "9223372036854776"}),
            "-ERR invalid expire time in 'expireat' command\r\n");
  EXPECT_EQ(h.Run({"expireat", "a", "-9223372036854776"}),
            "-ERR invalid expire time in 'expireat' command\r\n");
  EXPECT_EQ(h.Run({"pexpireat", "a", "9223372036854775807"}), ":1\r\n");
  EXPECT_EQ(h.Run({"pexpiretime", "a"}), ":9223372036854775807\r\n");
  EXPECT_EQ(h.Run({"expiretime", "a"}), ":9223372036854776\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "99999999999999999999"}),
            "-ERR value is not an integer or out of range\r\n");
}

TEST(KeysFamily, ExpireConditions) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "100", "gt"}), ":0\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "100", "xx"}), ":0\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "100", "lt"}), ":1\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "200", "nx"}), ":0\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "50", "gt"}), ":0\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "200", "gt"}), ":1\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "300", "lt"}), ":0\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "100", "lt"}), ":1\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "100", "xx"}), ":1\r\n");
  EXPECT_EQ(h.Run({"persist", "a"}), ":1\r\n");
  EXPECT_EQ(h.Run({"persist", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"persist", "nokey"}), ":0\r\n");
  EXPECT_EQ(h.Run({"expire", "nokey", "10"}), ":0\r\n");
}

TEST(KeysFamily, ExpireInThePastDeletes) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "0"}), ":1\r\n");
  EXPECT_EQ(h.Run({"exists", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"pexpire", "a", "-1", "nx"}), ":1\r\n");
  EXPECT_EQ(h.Run({"exists", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"expireat", "a", "100"}), ":1\r\n");
  EXPECT_EQ(h.Run({"exists", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"pexpireat", "a", "-9223372036854775808"}), ":1\r\n");
  EXPECT_EQ(h.Run({"exists", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"pexpire", "a", "-9223372036854775808"}), ":1\r\n");
  EXPECT_EQ(h.Run({"exists", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"expire", "a", "-5", "gt"}), ":0\r\n");
  EXPECT_EQ(h.Run({"exists", "a"}), ":1\r\n");
}

TEST(KeysFamily, TtlOfMissingAndPersistent) {
  Harness h;
  EXPECT_EQ(h.Run({"ttl", "nokey"}), ":-2\r\n");
  EXPECT_EQ(h.Run({"pttl", "nokey"}), ":-2\r\n");
  EXPECT_EQ(h.Run({"expiretime", "nokey"}), ":-2\r\n");
  EXPECT_EQ(h.Run({"pexpiretime", "nokey"}), ":-2\r\n");
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"ttl", "a"}), ":-1\r\n");
  EXPECT_EQ(h.Run({"pttl", "a"}), ":-1\r\n");
  EXPECT_EQ(h.Run({"expiretime", "a"}), ":-1\r\n");
  EXPECT_EQ(h.Run({"pexpiretime", "a"}), ":-1\r\n");
  EXPECT_EQ(h.Run({"pexpireat", "a", "2000000000623"}), ":1\r\n");
  EXPECT_EQ(h.Run({"expiretime", "a"}), ":2000000001\r\n");
  EXPECT_EQ(h.Run({"pexpiretime", "a"}), ":2000000000623\r\n");
}

TEST(KeysFamily, RenameErrorsAndSameKey) {
  Harness h;
  EXPECT_EQ(h.Run({"rename", "nokey", "x"}), "-ERR no such key\r\n");
  EXPECT_EQ(h.Run({"renamenx", "nokey", "x"}), "-ERR no such key\r\n");
  EXPECT_EQ(h.Run({"rename", "nokey", "nokey"}), "-ERR no such key\r\n");
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"rename", "a", "a"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"renamenx", "a", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"get", "a"}), "$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"rename", "a"}), "-ERR wrong number of arguments for 'rename' command\r\n");
}

TEST(KeysFamily, RenameOverwritesAndNx) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"set", "b", "2"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"renamenx", "a", "b"}), ":0\r\n");
  EXPECT_EQ(h.Run({"rename", "a", "b"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"get", "b"}), "$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"exists", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"set", "c", "3"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"renamenx", "b", "d"}), ":1\r\n");
  EXPECT_EQ(h.Run({"get", "d"}), "$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"renamenx", "c", "d"}), ":0\r\n");
}

TEST(KeysFamily, MoveErrors) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"move", "a", "0"}), "-ERR source and destination objects are the same\r\n");
  EXPECT_EQ(h.Run({"move", "a", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(h.Run({"move", "a", "-1"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(h.Run({"move", "a", "abc"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"move", "a", "99999999999"}),
            "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n");
  EXPECT_EQ(h.Run({"move", "nokey", "1"}), ":0\r\n");
  EXPECT_EQ(h.Run({"move", "a", "1"}), ":1\r\n");
  EXPECT_EQ(h.Run({"exists", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"select", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"get", "a"}), "$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"set", "a", "2"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"select", "0"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"set", "a", "3"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"move", "a", "1"}), ":0\r\n");
  EXPECT_EQ(h.Run({"get", "a"}), "$1\r\n3\r\n");
}

TEST(KeysFamily, CopyArgumentsAndErrors) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"copy", "a", "a"}), "-ERR source and destination objects are the same\r\n");
  EXPECT_EQ(h.Run({"copy", "a", "b", "db"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"copy", "a", "b", "db", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(h.Run({"copy", "a", "b", "db", "-1"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(h.Run({"copy", "a", "b", "db", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"copy", "a", "b", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"copy", "a", "b", "c", "d", "e"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"copy", "a", "a", "db", "0"}),
            "-ERR source and destination objects are the same\r\n");
  EXPECT_EQ(h.Run({"copy", "a", "a", "db", "1"}), ":1\r\n");
  EXPECT_EQ(h.Run({"copy", "nokey", "b"}), ":0\r\n");
  EXPECT_EQ(h.Run({"copy", "a", "b", "replace", "db", "0"}), ":1\r\n");
  EXPECT_EQ(h.Run({"set", "s", "hello"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"copy", "s", "b"}), ":0\r\n");
  EXPECT_EQ(h.Run({"copy", "s", "b", "REPLACE"}), ":1\r\n");
  EXPECT_EQ(h.Run({"get", "b"}), "$5\r\nhello\r\n");
  EXPECT_EQ(h.Run({"get", "a"}), "$1\r\n1\r\n");
}

TEST(KeysFamily, ObjectSubcommands) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "s", "hello"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"set", "n", "12345"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"set", "small", "1"}), "+OK\r\n");
  EXPECT_EQ(
      h.Run({"set", "long", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}),
      "+OK\r\n");
  EXPECT_EQ(h.Run({"object", "encoding", "s"}), "$6\r\nembstr\r\n");
  EXPECT_EQ(h.Run({"object", "encoding", "n"}), "$3\r\nint\r\n");
  EXPECT_EQ(h.Run({"object", "encoding", "long"}), "$3\r\nraw\r\n");
  EXPECT_EQ(h.Run({"object", "encoding", "nokey"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"object", "refcount", "s"}), ":1\r\n");
  EXPECT_EQ(h.Run({"object", "refcount", "small"}), ":2147483647\r\n");
  EXPECT_EQ(h.Run({"object", "refcount", "n"}), ":1\r\n");
  EXPECT_EQ(h.Run({"object", "refcount", "nokey"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"object", "freq", "s"}),
            "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please "
            "note that when switching between policies at runtime LRU and LFU data will take some "
            "time to adjust.\r\n");
  EXPECT_EQ(h.Run({"object", "freq", "nokey"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"object", "idletime", "nokey"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"object"}), "-ERR wrong number of arguments for 'object' command\r\n");
  EXPECT_EQ(h.Run({"object", "encoding"}),
            "-ERR wrong number of arguments for 'object|encoding' command\r\n");
  EXPECT_EQ(h.Run({"object", "help", "x"}),
            "-ERR wrong number of arguments for 'object|help' command\r\n");
  EXPECT_EQ(h.Run({"object", "foo"}), "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n");
  EXPECT_EQ(
      h.Run({"object", "help"}),
      "*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING "
      "<key>\r\n+    Return the kind of internal representation used in order to store the "
      "value\r\n+    associated with a <key>.\r\n+FREQ <key>\r\n+    Return the access frequency "
      "index of the <key>. The returned integer is\r\n+    proportional to the logarithm of the "
      "recent access frequency of the key.\r\n+IDLETIME <key>\r\n+    Return the idle time of the "
      "<key>, that is the approximated number of\r\n+    seconds elapsed since the last access to "
      "the key.\r\n+REFCOUNT <key>\r\n+    Return the number of references of the value associated "
      "with the specified\r\n+    <key>.\r\n+HELP\r\n+    Prints this help.\r\n");
}

TEST(KeysFamily, RandomKeyOnEmptyAndSingle) {
  Harness h;
  EXPECT_EQ(h.Run({"randomkey"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"set", "only", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"randomkey"}), "$4\r\nonly\r\n");
}

TEST(KeysFamily, ScanErrors) {
  Harness h;
  EXPECT_EQ(h.Run({"scan", "abc"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(h.Run({"scan", "18446744073709551616"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(h.Run({"scan", " 1"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(h.Run({"scan", "1x"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "count", "0"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "count", "-1"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "count", "abc"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "match"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "type"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "count"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"scan", "abc", "foo"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(h.Run({"scan"}), "-ERR wrong number of arguments for 'scan' command\r\n");
}

TEST(KeysFamily, ScanSpecialCursors) {
  Harness h;
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"scan", ""}), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"scan", "+0"}), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"scan", "-1"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "type", "STRING"}), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "type", "foo"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "match", "b*", "match", "a*"}),
            "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "COUNT", "9223372036854775807"}),
            "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n");
}

TEST(KeysFamily, KeysArityAndEmpty) {
  Harness h;
  EXPECT_EQ(h.Run({"keys", "*"}), "*0\r\n");
  EXPECT_EQ(h.Run({"keys"}), "-ERR wrong number of arguments for 'keys' command\r\n");
  EXPECT_EQ(h.Run({"keys", "*", "x"}), "-ERR wrong number of arguments for 'keys' command\r\n");
}

TEST(KeysFamily, TtlRoundsToNearestSecond) {
  Harness h;
  h.SetTime(kNow);
  h.Run({"set", "k", "v"});
  EXPECT_EQ(h.Run({"pexpire", "k", "1500"}), ":1\r\n");
  EXPECT_EQ(h.Run({"ttl", "k"}), ":2\r\n");
  EXPECT_EQ(h.Run({"pttl", "k"}), ":1500\r\n");
  EXPECT_EQ(h.Run({"pexpire", "k", "1499"}), ":1\r\n");
  EXPECT_EQ(h.Run({"ttl", "k"}), ":1\r\n");
  EXPECT_EQ(h.Run({"expire", "k", "100"}), ":1\r\n");
  EXPECT_EQ(h.Run({"expiretime", "k"}), ":1700000100\r\n");
  EXPECT_EQ(h.Run({"pexpiretime", "k"}), ":1700000100000\r\n");
  h.AdvanceTime(40'000);
  EXPECT_EQ(h.Run({"ttl", "k"}), ":60\r\n");
  EXPECT_EQ(h.Run({"pttl", "k"}), ":60000\r\n");
  EXPECT_EQ(h.Run({"expireat", "k", "1700000050"}), ":1\r\n");
  EXPECT_EQ(h.Run({"pttl", "k"}), ":10000\r\n");
}

TEST(KeysFamily, KeyExpiresWithTheClock) {
  Harness h;
  h.SetTime(kNow);
  h.Run({"set", "k", "v"});
  EXPECT_EQ(h.Run({"pexpire", "k", "100"}), ":1\r\n");
  h.AdvanceTime(99);
  EXPECT_EQ(h.Run({"exists", "k"}), ":1\r\n");
  h.AdvanceTime(1);
  EXPECT_EQ(h.Run({"exists", "k"}), ":0\r\n");
  EXPECT_EQ(h.Run({"ttl", "k"}), ":-2\r\n");
  EXPECT_EQ(h.Run({"persist", "k"}), ":0\r\n");
}

TEST(KeysFamily, RenameKeepsTtl) {
  Harness h;
  h.SetTime(kNow);
  h.Run({"set", "a", "1"});
  h.Run({"expire", "a", "100"});
  EXPECT_EQ(h.Run({"rename", "a", "b"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"ttl", "b"}), ":100\r\n");
  EXPECT_EQ(h.Run({"ttl", "a"}), ":-2\r\n");
  // The overwritten destination's TTL does not survive: the source's (none) does.
  h.Run({"set", "c", "3"});
  EXPECT_EQ(h.Run({"rename", "c", "b"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"ttl", "b"}), ":-1\r\n");
}

TEST(KeysFamily, MoveAndCopyKeepTtl) {
  Harness h;
  h.SetTime(kNow);
  h.Run({"set", "a", "1"});
  h.Run({"expire", "a", "100"});
  EXPECT_EQ(h.Run({"copy", "a", "b", "db", "2"}), ":1\r\n");
  EXPECT_EQ(h.Run({"move", "a", "1"}), ":1\r\n");
  h.Run({"select", "1"});
  EXPECT_EQ(h.Run({"ttl", "a"}), ":100\r\n");
  h.Run({"select", "2"});
  EXPECT_EQ(h.Run({"ttl", "b"}), ":100\r\n");
  EXPECT_EQ(h.Run({"get", "b"}), "$1\r\n1\r\n");
}

// Runs a command as another client would, so WATCH sees a change it did not make.
void RunAsOther(Harness& h, std::vector<std::string_view> argv) {
  Session other(2, 0);
  h.server().AddSession(&other);
  h.server().Execute(other, argv);
  h.server().RemoveSession(&other);
}

TEST(KeysFamily, RenameMarksWatchersOfBothKeys) {
  Harness h;
  h.Run({"set", "a", "1"});
  h.Run({"watch", "b"});
  RunAsOther(h, {"rename", "a", "b"});  // the destination is modified
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*-1\r\n");
  h.Run({"watch", "b"});
  RunAsOther(h, {"rename", "b", "c"});  // the source is deleted
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*-1\r\n");
  h.Run({"watch", "c"});
  RunAsOther(h, {"move", "c", "1"});
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*-1\r\n");
  h.Run({"select", "1"});
  h.Run({"watch", "c"});
  RunAsOther(h, {"kdelrange", "-", "+"});  // db 0: not the watched key's db
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*0\r\n");
}

TEST(KeysFamily, ExpireTouchesWatchers) {
  Harness h;
  h.SetTime(kNow);
  h.Run({"set", "a", "1"});
  h.Run({"watch", "a"});
  EXPECT_EQ(h.Run({"expire", "a", "100"}), ":1\r\n");
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*-1\r\n");
}

TEST(KeysFamily, IdleTimeFollowsAccess) {
  Harness h;
  h.SetTime(kNow);
  h.Run({"set", "k", "v"});
  h.Run({"get", "k"});
  h.AdvanceTime(10'000);
  EXPECT_EQ(h.Run({"object", "idletime", "k"}), ":10\r\n");
  // OBJECT itself does not count as an access; TOUCH does.
  EXPECT_EQ(h.Run({"object", "idletime", "k"}), ":10\r\n");
  EXPECT_EQ(h.Run({"touch", "k"}), ":1\r\n");
  EXPECT_EQ(h.Run({"object", "idletime", "k"}), ":0\r\n");
  // RENAME carries the value over as it is: the access it makes is the last one.
  h.AdvanceTime(5'000);
  h.Run({"rename", "k", "k2"});
  h.AdvanceTime(3'000);
  EXPECT_EQ(h.Run({"object", "idletime", "k2"}), ":3\r\n");
}

TEST(KeysFamily, ObjectUnderLfuPolicy) {
  Harness h;
  h.server().config().maxmemory_policy = "allkeys-lfu";
  h.server().OnConfigChanged();
  h.Run({"set", "k", "v"});
  EXPECT_EQ(h.Run({"object", "idletime", "k"}),
            "-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that "
            "when switching between policies at runtime LRU and LFU data will take some time to "
            "adjust.\r\n");
  EXPECT_EQ(h.Run({"object", "freq", "k"}), ":5\r\n");
}

TEST(KeysFamily, RefcountOfSmallIntsWithLruLimit) {
  Harness h;
  h.Run({"set", "k", "1"});
  EXPECT_EQ(h.Run({"object", "refcount", "k"}), ":2147483647\r\n");
  h.server().config().maxmemory = 1 << 30;
  h.server().config().maxmemory_policy = "allkeys-lru";
  EXPECT_EQ(h.Run({"object", "refcount", "k"}), ":1\r\n");
}

TEST(KeysFamily, Resp3NullForMissingObject) {
  Harness h;
  h.Run({"hello", "3"});
  EXPECT_EQ(h.Run({"object", "encoding", "nokey"}), "_\r\n");
  EXPECT_EQ(h.Run({"randomkey"}), "_\r\n");
}

TEST(KeysFamily, ExistsAndTypeCountHitsAndMisses) {
  Harness h;
  h.Run({"set", "k", "v"});
  Stats& st = h.server().stats();
  uint64_t hits = st.keyspace_hits, misses = st.keyspace_misses;
  h.Run({"exists", "k", "nokey"});
  h.Run({"type", "k"});
  EXPECT_EQ(st.keyspace_hits - hits, 2u);
  EXPECT_EQ(st.keyspace_misses - misses, 1u);
}

TEST(KeysFamily, RandomKeyReturnsLiveKeys) {
  Harness h;
  h.SetTime(kNow);
  h.Run({"set", "a", "1"});
  h.Run({"set", "b", "2"});
  h.Run({"pexpire", "b", "1"});
  h.AdvanceTime(1);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(h.Run({"randomkey"}), "$1\r\na\r\n");
}

// Fickle's SCAN: keys in order, a cursor that resumes after the last key returned.
TEST(KeysFamily, ScanReturnsKeysInOrder) {
  Harness h;
  for (const char* k : {"d", "b", "e", "a", "c"}) h.Run({"set", k, "1"});
  std::string first = h.Run({"scan", "0", "count", "2"});
  // *2, then the cursor as a bulk string, then the page.
  ASSERT_EQ(first.substr(0, 4), "*2\r\n");
  size_t cursor_end = first.find("\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  ASSERT_NE(cursor_end, std::string::npos) << first;
  std::string cursor =
      first.substr(first.find("\r\n", 4) + 2, cursor_end - first.find("\r\n", 4) - 2);
  // Keys added behind the cursor ("bb") are not returned; those ahead of it ("cc") are.
  h.Run({"del", "c"});
  h.Run({"set", "bb", "1"});
  h.Run({"set", "cc", "1"});
  std::string second = h.Run({"scan", cursor, "count", "10"});
  EXPECT_EQ(second, "*2\r\n$1\r\n0\r\n*3\r\n$2\r\ncc\r\n$1\r\nd\r\n$1\r\ne\r\n");
}

TEST(KeysFamily, ScanMatchAndType) {
  Harness h;
  for (const char* k : {"user:2", "user:1", "other", "user:10"}) h.Run({"set", k, "1"});
  EXPECT_EQ(h.Run({"scan", "0", "match", "user:1*"}),
            "*2\r\n$1\r\n0\r\n*2\r\n$6\r\nuser:1\r\n$7\r\nuser:10\r\n");
  EXPECT_EQ(h.Run({"scan", "0", "type", "string", "match", "o*"}),
            "*2\r\n$1\r\n0\r\n*1\r\n$5\r\nother\r\n");
}

TEST(KeysFamily, KeysInOrderWithPrefixSeek) {
  Harness h;
  h.SetTime(kNow);
  for (const char* k : {"b:2", "a", "b:1", "b:3", "c"}) h.Run({"set", k, "1"});
  h.Run({"pexpire", "b:3", "1"});
  h.AdvanceTime(1);
  EXPECT_EQ(h.Run({"keys", "b:*"}), "*2\r\n$3\r\nb:1\r\n$3\r\nb:2\r\n");
  EXPECT_EQ(h.Run({"keys", "*"}), "*4\r\n$1\r\na\r\n$3\r\nb:1\r\n$3\r\nb:2\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"keys", "?"}), "*2\r\n$1\r\na\r\n$1\r\nc\r\n");
}

TEST(KeysFamily, KRange) {
  Harness h;
  for (const char* k : {"a", "b", "ba", "bb", "c"}) h.Run({"set", k, "1"});
  EXPECT_EQ(h.Run({"krange", "-", "+"}),
            "*5\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nba\r\n$2\r\nbb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"krange", "[b", "(bb"}), "*2\r\n$1\r\nb\r\n$2\r\nba\r\n");
  EXPECT_EQ(h.Run({"krange", "(a", "+", "LIMIT", "1", "2"}), "*2\r\n$2\r\nba\r\n$2\r\nbb\r\n");
  EXPECT_EQ(h.Run({"krange", "-", "+", "limit", "3", "-1"}), "*2\r\n$2\r\nbb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"krange", "-", "+", "limit", "-1", "2"}), "*0\r\n");
  EXPECT_EQ(h.Run({"krange", "-", "+", "limit", "0", "0"}), "*0\r\n");
  EXPECT_EQ(h.Run({"krange", "+", "-"}), "*0\r\n");
  EXPECT_EQ(h.Run({"krange", "[c", "[a"}), "*0\r\n");
}

TEST(KeysFamily, KRangeErrors) {
  Harness h;
  EXPECT_EQ(h.Run({"krange", "a", "+"}), "-ERR min or max not valid string range item\r\n");
  EXPECT_EQ(h.Run({"krange", "-", "b"}), "-ERR min or max not valid string range item\r\n");
  EXPECT_EQ(h.Run({"krange", "-", "+", "limit", "1"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"krange", "-", "+", "foo"}), "-ERR syntax error\r\n");
  // Options are checked first, as ZRANGEBYLEX does.
  EXPECT_EQ(h.Run({"krange", "a", "b", "limit", "x", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"krange", "-"}), "-ERR wrong number of arguments for 'krange' command\r\n");
  EXPECT_EQ(h.Run({"kdelrange", "-", "+", "limit", "0", "1"}),
            "-ERR wrong number of arguments for 'kdelrange' command\r\n");
  EXPECT_EQ(h.Run({"kdelrange", "x", "+"}), "-ERR min or max not valid string range item\r\n");
}

TEST(KeysFamily, KDelRangeSkipsExpired) {
  Harness h;
  h.SetTime(kNow);
  for (const char* k : {"a", "b", "ba", "bb", "c"}) h.Run({"set", k, "1"});
  h.Run({"pexpire", "ba", "1"});
  h.AdvanceTime(1);
  EXPECT_EQ(h.Run({"krange", "[b", "[c"}), "*3\r\n$1\r\nb\r\n$2\r\nbb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"kdelrange", "[b", "(c"}), ":2\r\n");
  EXPECT_EQ(h.Run({"keys", "*"}), "*2\r\n$1\r\na\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"kdelrange", "-", "+"}), ":2\r\n");
  EXPECT_EQ(h.Run({"kdelrange", "-", "+"}), ":0\r\n");
}

}  // namespace
}  // namespace server::testing
