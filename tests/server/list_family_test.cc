// List commands through the in-process Harness. Every expected reply was taken from Debian's
// redis-server 7.0.15 (raw RESP bytes), by replaying redis-compat/cases/lists.txt against it; the
// differential run replays the same file against both servers.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "test_harness.h"

namespace server::testing {
namespace {

TEST(ListFamily, PushPop) {
  Harness h;
  EXPECT_EQ(h.Run({"LPUSH", "l", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "l", "d", "e"}), ":5\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}),
            "*5\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(h.Run({"LLEN", "l"}), ":5\r\n");
  EXPECT_EQ(h.Run({"LPUSHX", "l", "z"}), ":6\r\n");
  EXPECT_EQ(h.Run({"RPUSHX", "l", "y"}), ":7\r\n");
  EXPECT_EQ(h.Run({"LPUSHX", "nol", "z"}), ":0\r\n");
  EXPECT_EQ(h.Run({"RPUSHX", "nol", "z"}), ":0\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "nol"}), ":0\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l"}), "$1\r\nz\r\n");
  EXPECT_EQ(h.Run({"RPOP", "l"}), "$1\r\ny\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l", "2"}), "*2\r\n$1\r\nc\r\n$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"RPOP", "l", "2"}), "*2\r\n$1\r\ne\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l", "0"}), "*0\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l", "10"}), "*1\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "l"}), ":0\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l", "1"}), "*-1\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l", "0"}), "*-1\r\n");
  EXPECT_EQ(h.Run({"RPOP", "l", "3"}), "*-1\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l", "-1"}), "-ERR value is out of range, must be positive\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l", "x"}), "-ERR value is out of range, must be positive\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l", "1", "2"}),
            "-ERR wrong number of arguments for 'lpop' command\r\n");
  EXPECT_EQ(h.Run({"RPOP", "nol", "-1"}), "-ERR value is out of range, must be positive\r\n");
  EXPECT_EQ(h.Run({"LLEN", "nol"}), ":0\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "l", ""}), ":1\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}), "*1\r\n$0\r\n\r\n");
  EXPECT_EQ(h.Run({"LPOP", "l"}), "$0\r\n\r\n");
}
TEST(ListFamily, WrongType) {
  Harness h;
  EXPECT_EQ(h.Run({"SET", "s", "v"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"LPUSH", "s", "a"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "s", "a"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LPUSHX", "s", "a"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"RPUSHX", "s", "a"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LLEN", "s"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "s", "0"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "s", "0", "1"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LPOP", "s"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"RPOP", "s", "1"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LSET", "s", "0", "v"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LINSERT", "s", "BEFORE", "a", "b"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LREM", "s", "0", "a"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LTRIM", "s", "0", "1"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LPOS", "s", "a"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"RPOPLPUSH", "s", "d"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "s", "d", "LEFT", "RIGHT"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "s", "LEFT"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "l", "x"}), ":1\r\n");
  EXPECT_EQ(h.Run({"RPOPLPUSH", "l", "s"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "l", "s", "LEFT", "LEFT"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}), "*1\r\n$1\r\nx\r\n");
  EXPECT_EQ(h.Run({"LPOP", "s", "0"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "s", "x"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "s", "x", "1"}), "-ERR value is not an integer or out of range\r\n");
}
TEST(ListFamily, IndexRange) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "a", "b", "c", "d", "e"}), ":5\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "l", "0"}), "$1\r\na\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "l", "-1"}), "$1\r\ne\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "l", "4"}), "$1\r\ne\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "l", "5"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "l", "-6"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "l", "x"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "nol", "x"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"LINDEX", "nol", "0"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "1", "3"}), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "-3", "-1"}), "*3\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "-100", "100"}),
            "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "3", "1"}), "*0\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "5", "10"}), "*0\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "-1", "-5"}), "*0\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "x", "1"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "nol", "x", "1"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "nol", "0", "-1"}), "*0\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "9223372036854775807"}),
            "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "-9223372036854775808", "0"}), "*1\r\n$1\r\na\r\n");
}
TEST(ListFamily, Set) {
  Harness h;
  EXPECT_EQ(h.Run({"LSET", "nol", "0", "v"}), "-ERR no such key\r\n");
  EXPECT_EQ(h.Run({"LSET", "nol", "x", "v"}), "-ERR no such key\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "l", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(h.Run({"LSET", "l", "0", "A"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"LSET", "l", "-1", "C"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"LSET", "l", "3", "x"}), "-ERR index out of range\r\n");
  EXPECT_EQ(h.Run({"LSET", "l", "-4", "x"}), "-ERR index out of range\r\n");
  EXPECT_EQ(h.Run({"LSET", "l", "x", "v"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}), "*3\r\n$1\r\nA\r\n$1\r\nb\r\n$1\r\nC\r\n");
}
TEST(ListFamily, Insert) {
  Harness h;
  EXPECT_EQ(h.Run({"LINSERT", "nol", "BEFORE", "a", "b"}), ":0\r\n");
  EXPECT_EQ(h.Run({"LINSERT", "nol", "MIDDLE", "a", "b"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "l", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(h.Run({"LINSERT", "l", "BEFORE", "b", "x"}), ":4\r\n");
  EXPECT_EQ(h.Run({"LINSERT", "l", "after", "b", "y"}), ":5\r\n");
  EXPECT_EQ(h.Run({"LINSERT", "l", "AFTER", "c", "z"}), ":6\r\n");
  EXPECT_EQ(h.Run({"LINSERT", "l", "BEFORE", "a", "w"}), ":7\r\n");
  EXPECT_EQ(h.Run({"LINSERT", "l", "BEFORE", "nope", "w"}), ":-1\r\n");
  EXPECT_EQ(h.Run({"LINSERT", "l", "MIDDLE", "a", "w"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}),
            "*7\r\n$1\r\nw\r\n$1\r\na\r\n$1\r\nx\r\n$1\r\nb\r\n$1\r\ny\r\n$1\r\nc\r\n$1\r\nz\r\n");
}
TEST(ListFamily, Rem) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "a", "b", "a", "c", "a", "b", "a"}), ":7\r\n");
  EXPECT_EQ(h.Run({"LREM", "l", "2", "a"}), ":2\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}),
            "*5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"LREM", "l", "-1", "a"}), ":1\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}),
            "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"LREM", "l", "0", "b"}), ":2\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}), "*2\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"LREM", "l", "0", "zz"}), ":0\r\n");
  EXPECT_EQ(h.Run({"LREM", "l", "x", "a"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"LREM", "nol", "x", "a"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"LREM", "nol", "1", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"LREM", "l", "0", "a"}), ":1\r\n");
  EXPECT_EQ(h.Run({"LREM", "l", "0", "c"}), ":1\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "l"}), ":0\r\n");
}
TEST(ListFamily, Trim) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "a", "b", "c", "d", "e"}), ":5\r\n");
  EXPECT_EQ(h.Run({"LTRIM", "l", "1", "-2"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"LTRIM", "l", "-2", "100"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}), "*2\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"LTRIM", "l", "x", "1"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"LTRIM", "nol", "0", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"LTRIM", "l", "5", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "l"}), ":0\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "l", "a", "b"}), ":2\r\n");
  EXPECT_EQ(h.Run({"LTRIM", "l", "1", "0"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "l"}), ":0\r\n");
}
TEST(ListFamily, Move) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "src", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(h.Run({"RPOPLPUSH", "src", "dst"}), "$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "src", "dst", "LEFT", "RIGHT"}), "$1\r\na\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "src", "dst", "left", "left"}), "$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "src", "dst", "RIGHT", "LEFT"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "src"}), ":0\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "dst", "dst", "LEFT", "RIGHT"}), "$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}), "*3\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"RPOPLPUSH", "dst", "dst"}), "$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "nol", "dst", "LEFT", "RIGHT"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"RPOPLPUSH", "nol", "dst"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "dst", "dst", "UP", "LEFT"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "dst", "dst", "LEFT", "DOWN"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LMOVE", "nol", "dst", "UP", "LEFT"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "one", "x"}), ":1\r\n");
  EXPECT_EQ(h.Run({"RPOPLPUSH", "one", "one"}), "$1\r\nx\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "one", "0", "-1"}), "*1\r\n$1\r\nx\r\n");
}
TEST(ListFamily, Mpop) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "a", "1", "2", "3"}), ":3\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "b", "4", "5"}), ":2\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "2", "nol", "a", "LEFT"}), "*2\r\n$1\r\na\r\n*1\r\n$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "2", "nol", "a", "RIGHT", "COUNT", "10"}),
            "*2\r\n$1\r\na\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "2", "a", "b", "right", "count", "1"}),
            "*2\r\n$1\r\nb\r\n*1\r\n$1\r\n5\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "nol", "LEFT"}), "*-1\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "0", "a", "LEFT"}), "-ERR numkeys should be greater than 0\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "-1", "a", "LEFT"}), "-ERR numkeys should be greater than 0\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "x", "a", "LEFT"}), "-ERR numkeys should be greater than 0\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "3", "a", "b", "LEFT"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "a", "b", "LEFT"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "b", "MIDDLE"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "b", "LEFT", "COUNT", "0"}),
            "-ERR count should be greater than 0\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "b", "LEFT", "COUNT", "-1"}),
            "-ERR count should be greater than 0\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "b", "LEFT", "COUNT", "x"}),
            "-ERR count should be greater than 0\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "b", "LEFT", "COUNT", "1", "COUNT", "1"}),
            "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "b", "LEFT", "COUNT"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "b", "LEFT", "extra"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "b"}), "-ERR wrong number of arguments for 'lmpop' command\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "2", "b"}), "-ERR wrong number of arguments for 'lmpop' command\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "1", "b", "LEFT", "COUNT", "5"}), "*2\r\n$1\r\nb\r\n*1\r\n$1\r\n4\r\n");
  EXPECT_EQ(h.Run({"LMPOP", "9223372036854775807", "b", "LEFT"}), "-ERR syntax error\r\n");
}
TEST(ListFamily, Pos) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"}), ":7\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "c"}), ":2\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "z"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "2"}), ":3\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "-1"}), ":6\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "-2"}), ":3\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "4"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "COUNT", "0"}), "*3\r\n:0\r\n:3\r\n:6\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "COUNT", "2"}), "*2\r\n:0\r\n:3\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "COUNT", "2", "RANK", "-1"}), "*2\r\n:6\r\n:3\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "z", "COUNT", "0"}), "*0\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "MAXLEN", "3"}), ":0\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "MAXLEN", "3", "COUNT", "0"}), "*1\r\n:0\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "2", "MAXLEN", "4"}), ":3\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "-1", "MAXLEN", "3"}), ":6\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "0"}),
            "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "COUNT", "-1"}), "-ERR COUNT can't be negative\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "MAXLEN", "-1"}), "-ERR MAXLEN can't be negative\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "COUNT", "x"}), "-ERR COUNT can't be negative\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "BOGUS", "1"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"LPOS", "l", "a", "RANK", "-9223372036854775808"}), ":6\r\n");
  EXPECT_EQ(h.Run({"LPOS", "nol", "a"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"LPOS", "nol", "a", "COUNT", "1"}), "*0\r\n");
  EXPECT_EQ(h.Run({"LPOS", "nol", "a", "RANK", "0"}),
            "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list\r\n");
}

TEST(ListFamily, Resp3NullShapes) {
  Harness h;
  h.Run({"hello", "3"});
  EXPECT_EQ(h.Run({"lpop", "x", "1"}), "_\r\n");
  EXPECT_EQ(h.Run({"lpop", "x"}), "_\r\n");
  EXPECT_EQ(h.Run({"rpop", "x", "0"}), "_\r\n");
  EXPECT_EQ(h.Run({"lmpop", "1", "x", "left"}), "_\r\n");
  EXPECT_EQ(h.Run({"lmove", "x", "y", "left", "left"}), "_\r\n");
  EXPECT_EQ(h.Run({"rpush", "x", "a"}), ":1\r\n");
  EXPECT_EQ(h.Run({"lpop", "x", "0"}), "*0\r\n");
  EXPECT_EQ(h.Run({"lpos", "x", "a", "count", "0"}), "*1\r\n:0\r\n");
  EXPECT_EQ(h.Run({"lmpop", "1", "x", "left"}), "*2\r\n$1\r\nx\r\n*1\r\n$1\r\na\r\n");
}

TEST(ListFamily, EncodingIsQuicklistAtEverySize) {
  Harness h;
  EXPECT_EQ(h.Run({"rpush", "l", "a"}), ":1\r\n");
  EXPECT_EQ(Encoding(h, "l"), "quicklist");
  EXPECT_EQ(h.Run({"object", "encoding", "l"}), "$9\r\nquicklist\r\n");
  EXPECT_EQ(h.Run({"config", "set", "list-max-listpack-size", "1"}), "+OK\r\n");
  const std::string big(10000, 'x');
  EXPECT_EQ(h.Run({"rpush", "l", "b", big}), ":3\r\n");
  EXPECT_EQ(Encoding(h, "l"), "quicklist");
  EXPECT_EQ(h.Run({"type", "l"}), "+list\r\n");
}

TEST(ListFamily, EveryChangeBreaksWatch) {
  const std::vector<std::vector<std::string_view>> writes = {
      {"lpush", "l", "x"},          {"rpushx", "l", "x"},    {"lpop", "l"},
      {"rpop", "l", "1"},           {"lset", "l", "0", "x"}, {"linsert", "l", "before", "a", "x"},
      {"ltrim", "l", "1", "-1"},    {"lrem", "l", "0", "a"}, {"lmove", "l", "l", "left", "right"},
      {"lmpop", "1", "l", "right"}, {"rpoplpush", "l", "o"},
  };
  for (const auto& w : writes) {
    Harness h;
    h.Run({"rpush", "l", "a", "b"});
    Session other(2, 0);
    h.server().AddSession(&other);
    h.Run({"watch", "l"});
    h.server().Execute(other, w);
    h.Run({"multi"});
    h.Run({"llen", "l"});
    EXPECT_EQ(h.Run({"exec"}), "*-1\r\n") << w[0];
    h.server().RemoveSession(&other);
  }
}

TEST(ListFamily, ReadsAndNoOpsKeepWatch) {
  const std::vector<std::vector<std::string_view>> reads = {
      {"llen", "l"},
      {"lindex", "l", "0"},
      {"lrange", "l", "0", "-1"},
      {"lpos", "l", "a"},
      {"lpushx", "nol", "x"},
      {"linsert", "l", "before", "zz", "x"},
      {"lrem", "l", "0", "zz"},
      {"lpop", "nol"},
      {"lmove", "nol", "l", "left", "left"},
  };
  for (const auto& r : reads) {
    Harness h;
    h.Run({"rpush", "l", "a", "b"});
    Session other(2, 0);
    h.server().AddSession(&other);
    h.Run({"watch", "l"});
    h.server().Execute(other, r);
    h.Run({"multi"});
    h.Run({"llen", "l"});
    EXPECT_EQ(h.Run({"exec"}), "*1\r\n:2\r\n") << r[0];
    h.server().RemoveSession(&other);
  }
}

TEST(ListFamily, BinarySafeElements) {
  using namespace std::literals;
  Harness h;
  EXPECT_EQ(h.Run({"rpush"sv, "l"sv, "\0\r\n"sv, ""sv}), ":2\r\n");
  EXPECT_EQ(h.Run({"lrange", "l", "0", "-1"}), "*2\r\n$3\r\n\0\r\n\r\n$0\r\n\r\n"s);
  EXPECT_EQ(h.Run({"lpos"sv, "l"sv, "\0\r\n"sv}), ":0\r\n");
}

}  // namespace
}  // namespace server::testing
