// Blocking commands with several real clients over sockets: timeouts, disconnects while waiting,
// first-come-first-served across connections, CLIENT UNBLOCK, and input pipelined behind a
// blocked command. Waits are for replies (with the harness's safety deadline), never for time.
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

using BlockingTest = ServerTest;

TEST_F(BlockingTest, TimeoutsAnswerNullWhileOthersKeepWaiting) {
  RawClient a(port()), b(port()), c(port());
  BlockedCount blocked(client_);
  ASSERT_TRUE(a.Send(Cmd({"BLPOP", "ka", "0.05"})));
  ASSERT_TRUE(b.Send(Cmd({"BRPOP", "kb", "0.1"})));
  ASSERT_TRUE(c.Send(Cmd({"BLMOVE", "kc", "dst", "LEFT", "RIGHT", "0"})));
  ASSERT_TRUE(blocked.WaitFor(3));
  EXPECT_EQ(a.ReadReply(), "*-1\r\n");
  EXPECT_EQ(b.ReadReply(), "*-1\r\n");
  EXPECT_EQ(blocked.Now(), 1);  // c waits forever
  EXPECT_EQ(Show(Run({"RPUSH", "kc", "job"}).get()), ":1");
  EXPECT_EQ(c.ReadReply(), "$3\r\njob\r\n");
  EXPECT_EQ(Show(Run({"LRANGE", "dst", "0", "-1"}).get()), "*1[$3:job]");
  EXPECT_EQ(blocked.Now(), 0);
}

TEST_F(BlockingTest, DisconnectWhileWaitingLosesNothing) {
  BlockedCount blocked(client_);
  RawClient b(port());
  {
    RawClient gone(port());
    ASSERT_TRUE(gone.Send(Cmd({"BRPOP", "jobs", "0"})));
    ASSERT_TRUE(blocked.WaitFor(1));
  }  // closes its socket while blocked, ahead of b in line
  ASSERT_TRUE(blocked.WaitFor(0));
  ASSERT_TRUE(b.Send(Cmd({"BRPOP", "jobs", "0"})));
  ASSERT_TRUE(blocked.WaitFor(1));
  EXPECT_EQ(Show(Run({"LPUSH", "jobs", "j1"}).get()), ":1");
  EXPECT_EQ(b.ReadReply(), "*2\r\n$4\r\njobs\r\n$2\r\nj1\r\n");
  EXPECT_EQ(Show(Run({"LLEN", "jobs"}).get()), ":0");
  EXPECT_EQ(blocked.Now(), 0);
}

TEST_F(BlockingTest, FirstComeFirstServedAcrossConnections) {
  BlockedCount blocked(client_);
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<RawClient>(port()));
    ASSERT_TRUE(clients.back()->Send(Cmd({"BRPOP", "q", "0"})));
    ASSERT_TRUE(blocked.WaitFor(i + 1));  // so the arrival order is known
  }
  // One push of five: each waiter gets one element, the first to block the first popped.
  EXPECT_EQ(Show(Run({"LPUSH", "q", "e1", "e2", "e3", "e4", "e5"}).get()), ":5");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(clients[i]->ReadReply(), "*2\r\n$1\r\nq\r\n$2\r\ne" + std::to_string(i + 1) + "\r\n");
  }
  EXPECT_EQ(blocked.Now(), 0);
}

TEST_F(BlockingTest, ClientUnblockThenPipelinedInputRuns) {
  BlockedCount blocked(client_);
  RawClient a(port());
  ASSERT_TRUE(a.Send(Cmd({"CLIENT", "ID"})));
  std::string id_reply = a.ReadReply();  // ":<id>\r\n"
  const std::string id = id_reply.substr(1, id_reply.size() - 3);
  // The PING waits, unparsed, behind the blocked BLPOP.
  ASSERT_TRUE(a.Send(Cmd({"BLPOP", "k", "0"}) + Cmd({"PING"})));
  ASSERT_TRUE(blocked.WaitFor(1));
  EXPECT_EQ(Show(Run({"CLIENT", "UNBLOCK", id}).get()), ":1");
  EXPECT_EQ(a.ReadReply(), "*-1\r\n");
  EXPECT_EQ(a.ReadReply(), "+PONG\r\n");
  ASSERT_TRUE(a.Send(Cmd({"BLPOP", "k", "0"})));
  ASSERT_TRUE(blocked.WaitFor(1));
  EXPECT_EQ(Show(Run({"CLIENT", "UNBLOCK", id, "ERROR"}).get()), ":1");
  EXPECT_EQ(a.ReadReply(), "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
  EXPECT_EQ(Show(Run({"CLIENT", "UNBLOCK", id}).get()), ":0");
}

TEST_F(BlockingTest, TransactionWakesWaiterWithItsFinalState) {
  BlockedCount blocked(client_);
  RawClient a(port());
  ASSERT_TRUE(a.Send(Cmd({"BZPOPMAX", "z", "0"})));
  ASSERT_TRUE(blocked.WaitFor(1));
  EXPECT_EQ(Show(Run({"MULTI"}).get()), "+OK");
  Run({"ZADD", "z", "1", "low"});
  Run({"ZADD", "z", "9", "high"});
  Run({"ZREM", "z", "high"});
  EXPECT_EQ(Show(Run({"EXEC"}).get()), "*3[:1,:1,:1]");
  // Served after the whole EXEC: it sees the set without "high".
  EXPECT_EQ(a.ReadReply(), "*3\r\n$1\r\nz\r\n$3\r\nlow\r\n$1\r\n1\r\n");
}

}  // namespace
}  // namespace e2e
