// XREAD BLOCK with several real clients over sockets: "$" means "after what is there when I
// block", every waiter of a stream sees a new entry (reads do not consume), timeouts, several
// keys, writes that add nothing (XDEL, XTRIM, another type) keep clients waiting, and a MULTI
// wakes waiters with its final state. Waits are for replies, never for time.
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

using StreamBlockingTest = ServerTest;

// The RESP2 reply of XREAD for one key and one entry with one field.
std::string OneEntry(const std::string& key, const std::string& id, const std::string& f,
                     const std::string& v) {
  auto bulk = [](const std::string& s) {
    return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
  };
  return "*1\r\n*2\r\n" + bulk(key) + "*1\r\n*2\r\n" + bulk(id) + "*2\r\n" + bulk(f) + bulk(v);
}

TEST_F(StreamBlockingTest, DollarServesEveryWaiterOnlyNewEntries) {
  BlockedCount blocked(client_);
  EXPECT_EQ(Show(Run({"XADD", "s", "1-1", "old", "x"}).get()), "$3:1-1");
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<RawClient>(port()));
    ASSERT_TRUE(clients.back()->Send(Cmd({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"})));
    ASSERT_TRUE(blocked.WaitFor(i + 1));
  }
  // An XADD before the retry must not move what "$" meant: each client gets exactly 2-1.
  EXPECT_EQ(Show(Run({"XADD", "s", "2-1", "new", "y"}).get()), "$3:2-1");
  for (auto& c : clients) EXPECT_EQ(c->ReadReply(), OneEntry("s", "2-1", "new", "y"));
  EXPECT_EQ(blocked.Now(), 0);
  EXPECT_EQ(Show(Run({"XLEN", "s"}).get()), ":2");
}

TEST_F(StreamBlockingTest, TimeoutAnswersNullAndCountLimitsTheServedEntries) {
  BlockedCount blocked(client_);
  RawClient a(port()), b(port());
  ASSERT_TRUE(a.Send(Cmd({"XREAD", "BLOCK", "30", "STREAMS", "s", "$"})));
  ASSERT_TRUE(b.Send(Cmd({"XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "0"})));
  EXPECT_EQ(a.ReadReply(), "*-1\r\n");
  ASSERT_TRUE(blocked.WaitFor(1));
  EXPECT_EQ(Show(Run({"MULTI"}).get()), "+OK");
  Run({"XADD", "s", "5-1", "a", "1"});
  Run({"XADD", "s", "5-2", "a", "2"});
  EXPECT_EQ(Show(Run({"EXEC"}).get()), "*2[$3:5-1,$3:5-2]");
  EXPECT_EQ(b.ReadReply(), OneEntry("s", "5-1", "a", "1"));
}

// A script's XADDs wake a blocked reader once the script ends, with everything it added.
TEST_F(StreamBlockingTest, AScriptsAddsWakeTheReaderAtItsEnd) {
  BlockedCount blocked(client_);
  Run({"XADD", "s", "1-1", "old", "x"});
  RawClient a(port());
  ASSERT_TRUE(a.Send(Cmd({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"})));
  ASSERT_TRUE(blocked.WaitFor(1));
  EXPECT_EQ(Show(Run({"EVAL",
                      "redis.call('xadd', KEYS[1], '5-1', 'a', '1') "
                      "return redis.call('xadd', KEYS[1], '5-2', 'a', '2')",
                      "1", "s"})
                     .get()),
            "$3:5-2");
  const std::string both =
      "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
      "*2\r\n$3\r\n5-2\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n";
  EXPECT_EQ(a.ReadReply(), both);
}

TEST_F(StreamBlockingTest, SeveralKeysAndWritesThatAddNothing) {
  BlockedCount blocked(client_);
  Run({"XADD", "s1", "1-1", "a", "1"});
  Run({"XADD", "s1", "2-1", "a", "2"});
  RawClient a(port());
  ASSERT_TRUE(a.Send(Cmd({"XREAD", "BLOCK", "0", "STREAMS", "s1", "s2", "$", "$"})));
  ASSERT_TRUE(blocked.WaitFor(1));
  // These change s1 but add nothing after its last ID; s2 becomes a string: a keeps waiting.
  EXPECT_EQ(Show(Run({"XDEL", "s1", "1-1"}).get()), ":1");
  EXPECT_EQ(Show(Run({"XTRIM", "s1", "MAXLEN", "0"}).get()), ":1");
  EXPECT_EQ(Show(Run({"SET", "s2", "x"}).get()), "+OK");
  EXPECT_EQ(Show(Run({"PING"}).get()), "+PONG");
  EXPECT_EQ(blocked.Now(), 1);
  EXPECT_EQ(Show(Run({"DEL", "s2"}).get()), ":1");
  EXPECT_EQ(Show(Run({"XADD", "s2", "1-5", "b", "1"}).get()), "$3:1-5");
  EXPECT_EQ(a.ReadReply(), OneEntry("s2", "1-5", "b", "1"));
  EXPECT_EQ(blocked.Now(), 0);
}

TEST_F(StreamBlockingTest, InsideMultiAnswersAtOnce) {
  RawClient a(port());
  ASSERT_TRUE(
      a.Send(Cmd({"MULTI"}) + Cmd({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}) + Cmd({"EXEC"})));
  EXPECT_EQ(a.ReadReply(), "+OK\r\n");
  EXPECT_EQ(a.ReadReply(), "+QUEUED\r\n");
  EXPECT_EQ(a.ReadReply(), "*1\r\n*-1\r\n");
}

TEST_F(StreamBlockingTest, GroupReadersShareNewEntriesFirstComeFirstServed) {
  BlockedCount blocked(client_);
  EXPECT_EQ(Show(Run({"XGROUP", "CREATE", "q", "workers", "$", "MKSTREAM"}).get()), "+OK");
  RawClient a(port()), b(port()), c(port());
  ASSERT_TRUE(a.Send(Cmd(
      {"XREADGROUP", "GROUP", "workers", "a", "COUNT", "1", "BLOCK", "0", "STREAMS", "q", ">"})));
  ASSERT_TRUE(blocked.WaitFor(1));
  ASSERT_TRUE(b.Send(Cmd(
      {"XREADGROUP", "GROUP", "workers", "b", "COUNT", "1", "BLOCK", "0", "STREAMS", "q", ">"})));
  ASSERT_TRUE(blocked.WaitFor(2));
  ASSERT_TRUE(
      c.Send(Cmd({"XREADGROUP", "GROUP", "workers", "c", "BLOCK", "0", "STREAMS", "q", ">"})));
  ASSERT_TRUE(blocked.WaitFor(3));
  // Two jobs in one transaction: the first two waiters get one each, the third keeps waiting.
  EXPECT_EQ(Show(Run({"MULTI"}).get()), "+OK");
  Run({"XADD", "q", "1-1", "job", "1"});
  Run({"XADD", "q", "1-2", "job", "2"});
  EXPECT_EQ(Show(Run({"EXEC"}).get()), "*2[$3:1-1,$3:1-2]");
  EXPECT_EQ(a.ReadReply(), OneEntry("q", "1-1", "job", "1"));
  EXPECT_EQ(b.ReadReply(), OneEntry("q", "1-2", "job", "2"));
  EXPECT_EQ(blocked.Now(), 1);
  EXPECT_EQ(Show(Run({"XPENDING", "q", "workers"}).get()),
            "*4[:2,$3:1-1,$3:1-2,*2[*2[$1:a,$1:1],*2[$1:b,$1:1]]]");
  // Destroying the group wakes the last one with an error.
  EXPECT_EQ(Show(Run({"XGROUP", "DESTROY", "q", "workers"}).get()), ":1");
  EXPECT_EQ(c.ReadReply(),
            "-NOGROUP the consumer group this client was blocked on no longer exists\r\n");
  EXPECT_EQ(blocked.Now(), 0);
}

TEST_F(StreamBlockingTest, GroupReaderLearnsItsKeyWentAwayPlainReaderKeepsWaiting) {
  BlockedCount blocked(client_);
  Run({"XADD", "s", "1-1", "f", "v"});
  Run({"XGROUP", "CREATE", "s", "g", "$"});
  RawClient reader(port()), group_reader(port());
  ASSERT_TRUE(reader.Send(Cmd({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"})));
  ASSERT_TRUE(
      group_reader.Send(Cmd({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"})));
  ASSERT_TRUE(blocked.WaitFor(2));
  EXPECT_EQ(Show(Run({"DEL", "s"}).get()), ":1");
  EXPECT_EQ(group_reader.ReadReply(), "-UNBLOCKED the stream key no longer exists\r\n");
  EXPECT_EQ(blocked.Now(), 1);
  // The XREAD waits for entries after 1-1, whatever happened to the key meanwhile.
  EXPECT_EQ(Show(Run({"XADD", "s", "2-1", "f", "w"}).get()), "$3:2-1");
  EXPECT_EQ(reader.ReadReply(), OneEntry("s", "2-1", "f", "w"));
  EXPECT_EQ(blocked.Now(), 0);
}

TEST_F(StreamBlockingTest, GroupReaderLearnsOfFlushAndActiveExpiry) {
  BlockedCount blocked(client_);
  Run({"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"});
  RawClient a(port());
  ASSERT_TRUE(a.Send(Cmd({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"})));
  ASSERT_TRUE(blocked.WaitFor(1));
  EXPECT_EQ(Show(Run({"FLUSHALL"}).get()), "+OK");
  EXPECT_EQ(a.ReadReply(), "-UNBLOCKED the stream key no longer exists\r\n");
  // Expired by the server's cron, with no command touching the key.
  Run({"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"});
  ASSERT_TRUE(a.Send(Cmd({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"})));
  ASSERT_TRUE(blocked.WaitFor(1));
  EXPECT_EQ(Show(Run({"PEXPIRE", "s", "20"}).get()), ":1");
  EXPECT_EQ(a.ReadReply(), "-UNBLOCKED the stream key no longer exists\r\n");
  EXPECT_EQ(blocked.Now(), 0);
}

}  // namespace
}  // namespace e2e
