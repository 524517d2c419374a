// Blocking list commands through the in-process server; expected replies checked against
// redis-server 7.0.15.
#include <gtest/gtest.h>

#include "test_harness.h"

namespace server::testing {
namespace {

using ListBlocking = TwoClients;

TEST_F(ListBlocking, ImmediateWhenDataIsThere) {
  h_.Run({"rpush", "l2", "a", "b", "c"});
  EXPECT_EQ(h_.Run({"blpop", "nokey", "l2", "0"}), "*2\r\n$2\r\nl2\r\n$1\r\na\r\n");
  EXPECT_EQ(h_.Run({"brpop", "l2", "0"}), "*2\r\n$2\r\nl2\r\n$1\r\nc\r\n");
  h_.Run({"rpush", "l2", "x", "y"});
  EXPECT_EQ(h_.Run({"blmpop", "0", "2", "nokey", "l2", "right", "count", "5"}),
            "*2\r\n$2\r\nl2\r\n*3\r\n$1\r\ny\r\n$1\r\nx\r\n$1\r\nb\r\n");
}

TEST_F(ListBlocking, ArgumentErrors) {
  EXPECT_EQ(h_.Run({"blpop", "l", "x"}), "-ERR timeout is not a float or out of range\r\n");
  EXPECT_EQ(h_.Run({"blpop", "l", "-1"}), "-ERR timeout is negative\r\n");
  EXPECT_EQ(h_.Run({"blpop", "l", "1e100"}), "-ERR timeout is negative\r\n");
  EXPECT_EQ(h_.Run({"blmove", "l", "d", "up", "right", "0"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h_.Run({"blmpop", "0", "0", "l", "left"}), "-ERR numkeys should be greater than 0\r\n");
  EXPECT_EQ(h_.Run({"blmpop", "0", "1", "l", "left", "count", "0"}),
            "-ERR count should be greater than 0\r\n");
  h_.Run({"set", "str", "v"});
  EXPECT_EQ(h_.Run({"blpop", "str", "l", "0"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

TEST_F(ListBlocking, JobQueueFirstComeFirstServed) {
  EXPECT_EQ(Run(a_, {"brpop", "jobs", "0"}), "");
  EXPECT_EQ(Run(b_, {"brpop", "jobs", "0"}), "");
  EXPECT_EQ(h_.Run({"lpush", "jobs", "j1", "j2"}), ":2\r\n");
  EXPECT_EQ(a_.out, "*2\r\n$4\r\njobs\r\n$2\r\nj1\r\n");
  EXPECT_EQ(b_.out, "*2\r\n$4\r\njobs\r\n$2\r\nj2\r\n");
  EXPECT_EQ(h_.Run({"exists", "jobs"}), ":0\r\n");
}

TEST_F(ListBlocking, BlmoveWakesAChain) {
  Run(a_, {"blmove", "src", "mid", "left", "right", "0"});
  Run(b_, {"blpop", "mid", "0"});
  h_.Run({"rpush", "src", "v"});
  EXPECT_EQ(a_.out, "$1\r\nv\r\n");
  EXPECT_EQ(b_.out, "*2\r\n$3\r\nmid\r\n$1\r\nv\r\n");  // woken by a_'s push to mid
  EXPECT_EQ(h_.Run({"exists", "src", "mid"}), ":0\r\n");
}

TEST_F(ListBlocking, TimeoutRepliesNull) {
  h_.SetTime(10000);
  Run(a_, {"blpop", "l", "0.5"});
  Run(b_, {"brpoplpush", "l", "d", "0.5"});
  h_.AdvanceTime(500);
  h_.server().ExpireBlockedClients();
  EXPECT_EQ(a_.out, "*-1\r\n");
  EXPECT_EQ(b_.out, "*-1\r\n");
  a_.proto = 3;
  Run(a_, {"blmpop", "0.001", "1", "l", "left"});
  h_.AdvanceTime(1);
  h_.server().ExpireBlockedClients();
  EXPECT_EQ(a_.out, "_\r\n");
}

TEST_F(ListBlocking, InsideMultiAnswersAtOnce) {
  Run(a_, {"multi"});
  Run(a_, {"blpop", "l", "0"});
  EXPECT_EQ(Run(a_, {"exec"}), "*1\r\n*-1\r\n");
}

TEST_F(ListBlocking, WrongTypeWriteKeepsWaiterBlocked) {
  Run(a_, {"blpop", "k", "0"});
  h_.Run({"set", "k", "string"});
  EXPECT_TRUE(a_.blocked);
  EXPECT_EQ(a_.out, "");
  h_.Run({"del", "k"});
  h_.Run({"rpush", "k", "x"});
  EXPECT_EQ(a_.out, "*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
}

TEST_F(ListBlocking, RenameMakesKeyReady) {
  h_.Run({"rpush", "other", "x"});
  Run(a_, {"blpop", "k", "0"});
  h_.Run({"rename", "other", "k"});
  EXPECT_EQ(a_.out, "*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
}

TEST_F(ListBlocking, SortedSetPops) {
  h_.Run({"zadd", "z", "1", "a", "2", "b", "3", "c"});
  EXPECT_EQ(h_.Run({"bzpopmin", "no", "z", "0"}), "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n");
  EXPECT_EQ(h_.Run({"bzpopmax", "z", "0"}), "*3\r\n$1\r\nz\r\n$1\r\nc\r\n$1\r\n3\r\n");
  EXPECT_EQ(h_.Run({"bzmpop", "0", "2", "no", "z", "min", "count", "5"}),
            "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  EXPECT_EQ(h_.Run({"bzmpop", "0", "1", "z", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h_.Run({"bzmpop", "0", "0", "z", "min"}), "-ERR numkeys should be greater than 0\r\n");
  h_.Run({"set", "s", "1"});
  EXPECT_EQ(h_.Run({"bzpopmin", "s", "0"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  a_.proto = 3;
  Run(a_, {"bzmpop", "0", "1", "z2", "max", "count", "3"});
  EXPECT_TRUE(a_.blocked);
  h_.Run({"zadd", "z2", "1", "a", "2", "b"});
  EXPECT_EQ(a_.out, "*2\r\n$2\r\nz2\r\n*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n");
}

TEST_F(ListBlocking, MoveIntoTheDbMakesKeyReady) {
  Run(a_, {"select", "1"});
  Run(a_, {"blpop", "k", "0"});
  h_.Run({"rpush", "k", "x"});  // db 0: another key of the same name
  EXPECT_EQ(a_.out, "");
  EXPECT_EQ(h_.Run({"move", "k", "1"}), ":1\r\n");
  EXPECT_EQ(a_.out, "*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
}

// Redis rescans both dbs of a SWAPDB for keys blocked clients wait on.
TEST_F(ListBlocking, SwapDbMakesKeysReady) {
  Run(a_, {"blpop", "q", "0"});  // db 0
  Run(b_, {"select", "1"});
  Run(b_, {"bzpopmin", "z", "0"});  // db 1
  h_.Run({"select", "1"});
  h_.Run({"rpush", "q", "y"});
  h_.Run({"select", "0"});
  h_.Run({"zadd", "z", "5", "m"});
  EXPECT_EQ(a_.out, "");
  EXPECT_EQ(b_.out, "");
  EXPECT_EQ(h_.Run({"swapdb", "0", "1"}), "+OK\r\n");
  EXPECT_EQ(a_.out, "*2\r\n$1\r\nq\r\n$1\r\ny\r\n");
  EXPECT_EQ(b_.out, "*3\r\n$1\r\nz\r\n$1\r\nm\r\n$1\r\n5\r\n");
  EXPECT_FALSE(a_.blocked);
  EXPECT_FALSE(b_.blocked);
}

TEST_F(ListBlocking, ClientUnblockAsTimeoutOrError) {
  Run(a_, {"blpop", "k", "0"});
  Run(b_, {"blmove", "k", "d", "left", "left", "0"});
  const std::string a_id = std::to_string(a_.id), b_id = std::to_string(b_.id);
  EXPECT_EQ(h_.Run({"client", "unblock", a_id}), ":1\r\n");
  EXPECT_EQ(a_.out, "*-1\r\n");
  EXPECT_FALSE(a_.blocked);
  EXPECT_EQ(h_.Run({"client", "unblock", a_id, "error"}), ":0\r\n");  // no longer blocked
  EXPECT_EQ(h_.Run({"client", "unblock", b_id, "ERROR"}), ":1\r\n");
  EXPECT_EQ(b_.out, "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
  EXPECT_FALSE(b_.blocked);
  // Nothing waits any more: a push stays in the list.
  h_.Run({"rpush", "k", "v"});
  EXPECT_EQ(h_.Run({"llen", "k"}), ":1\r\n");
  EXPECT_EQ(h_.Run({"client", "unblock", "999", "timeout"}), ":0\r\n");
  EXPECT_EQ(h_.Run({"client", "unblock", "abc"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h_.Run({"client", "unblock", "1", "bogus"}),
            "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n");
  EXPECT_EQ(h_.Run({"client", "unblock", "1", "2", "3"}),
            "-ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT "
            "HELP.\r\n");
  EXPECT_NE(h_.Run({"info", "errorstats"}).find("errorstat_UNBLOCKED:count=1"), std::string::npos);
}

}  // namespace
}  // namespace server::testing
