// Malformed and inline input over a raw socket. Each protocol error gets Redis's exact reply and
// the connection is closed afterwards; other connections are unaffected.
#include <string>

#include "harness.h"

namespace e2e {
namespace {

using ProtocolTest = ServerTest;

// Sends `input` on a fresh connection and returns everything the server sends before it closes
// the connection. Fails the test if the server keeps the connection open.
std::string ReplyThenClose(int port, const std::string& input) {
  RawClient raw(port);
  raw.Send(input);  // the server may close before taking every byte; the reply is what counts
  bool closed = false;
  std::string reply = raw.ReadUntilClosed(&closed);
  EXPECT_TRUE(closed) << "connection left open after " << input.substr(0, 40);
  return reply;
}

TEST_F(ProtocolTest, InvalidMultibulkLength) {
  EXPECT_EQ(ReplyThenClose(port(), "*abc\r\n"),
            "-ERR Protocol error: invalid multibulk length\r\n");
  EXPECT_EQ(ReplyThenClose(port(), "*3000000000\r\n"),
            "-ERR Protocol error: invalid multibulk length\r\n");
}

TEST_F(ProtocolTest, InvalidBulkLength) {
  EXPECT_EQ(ReplyThenClose(port(), "*1\r\n$abc\r\n"),
            "-ERR Protocol error: invalid bulk length\r\n");
  EXPECT_EQ(ReplyThenClose(port(), "*1\r\n$-1\r\n"),
            "-ERR Protocol error: invalid bulk length\r\n");
  // Above proto-max-bulk-len (512 MB by default).
  EXPECT_EQ(ReplyThenClose(port(), "*1\r\n$600000000\r\n"),
            "-ERR Protocol error: invalid bulk length\r\n");
}

TEST_F(ProtocolTest, ExpectedDollar) {
  EXPECT_EQ(ReplyThenClose(port(), "*1\r\nfoo\r\n"),
            "-ERR Protocol error: expected '$', got 'f'\r\n");
}

TEST_F(ProtocolTest, UnbalancedQuotes) {
  EXPECT_EQ(ReplyThenClose(port(), "SET \"abc\r\n"),
            "-ERR Protocol error: unbalanced quotes in request\r\n");
  EXPECT_EQ(ReplyThenClose(port(), "SET 'a'b\r\n"),
            "-ERR Protocol error: unbalanced quotes in request\r\n");
}

TEST_F(ProtocolTest, TooBigInlineRequest) {
  EXPECT_EQ(ReplyThenClose(port(), std::string(70 * 1024, 'a')),
            "-ERR Protocol error: too big inline request\r\n");
}

TEST_F(ProtocolTest, RepliesBeforeTheErrorAreDelivered) {
  EXPECT_EQ(ReplyThenClose(port(), "*1\r\n$4\r\nPING\r\nPING\r\n*x\r\nPING\r\n"),
            "+PONG\r\n+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
}

TEST_F(ProtocolTest, ProtocolErrorDoesNotAffectOtherClients) {
  RawClient bystander(port());
  ASSERT_TRUE(bystander.Send("PING\r\n"));
  EXPECT_EQ(bystander.ReadReply(), "+PONG\r\n");
  ReplyThenClose(port(), "*1\r\nx\r\n");
  ASSERT_TRUE(bystander.Send("PING\r\n"));
  EXPECT_EQ(bystander.ReadReply(), "+PONG\r\n");
}

TEST_F(ProtocolTest, InlineCommandsTelnetStyle) {
  RawClient raw(port());
  ASSERT_TRUE(raw.Send("PING\r\n"));
  EXPECT_EQ(raw.ReadReply(), "+PONG\r\n");
  ASSERT_TRUE(raw.Send("PING\n"));  // bare LF, as `nc` sends
  EXPECT_EQ(raw.ReadReply(), "+PONG\r\n");
  ASSERT_TRUE(raw.Send("\r\n\r\nSET k \"a b\\r\\n\\x41\"\r\n"));  // empty lines are ignored
  EXPECT_EQ(raw.ReadReply(), "+OK\r\n");
  ASSERT_TRUE(raw.Send("GET k\r\n"));
  EXPECT_EQ(raw.ReadReply(), "$6\r\na b\r\nA\r\n");
  ASSERT_TRUE(raw.Send("ECHO 'it\\'s'\r\n"));
  EXPECT_EQ(raw.ReadReply(), "$4\r\nit's\r\n");
  ASSERT_TRUE(raw.Send("   ping    hello   \r\n"));
  EXPECT_EQ(raw.ReadReply(), "$5\r\nhello\r\n");
}

TEST_F(ProtocolTest, InlineCommandSplitAcrossWrites) {
  RawClient raw(port());
  ASSERT_TRUE(raw.Send("EC"));
  ASSERT_TRUE(raw.Send("HO he"));
  ASSERT_TRUE(raw.Send("llo\r"));
  ASSERT_TRUE(raw.Send("\n"));
  EXPECT_EQ(raw.ReadReply(), "$5\r\nhello\r\n");
}

TEST_F(ProtocolTest, MultibulkSplitAtEveryByte) {
  RawClient raw(port());
  const std::string cmd = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n";
  for (char c : cmd) ASSERT_TRUE(raw.Send(std::string(1, c)));
  EXPECT_EQ(raw.ReadReply(), "+OK\r\n");
  ASSERT_TRUE(raw.Send("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"));
  EXPECT_EQ(raw.ReadReply(), "$5\r\nva\r\nl\r\n");
}

TEST_F(ProtocolTest, EmptyMultibulkIsIgnored) {
  RawClient raw(port());
  ASSERT_TRUE(raw.Send("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n"));
  EXPECT_EQ(raw.ReadReply(), "+PONG\r\n");
}

class QueryBufferLimitTest : public ServerTest {
 protected:
  std::vector<std::string> ServerArgs() const override {
    return {"--client-query-buffer-limit", "1mb"};
  }
};

TEST_F(QueryBufferLimitTest, ClosesClientOverTheLimit) {
  // One incomplete 3 MB argument: the query buffer passes 1 MB before the command completes.
  std::string input = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n";
  input += std::string(1536 * 1024, 'v');
  EXPECT_EQ(ReplyThenClose(port(), input), "");
  EXPECT_EQ(Show(Run({"GET", "k"}).get()), "(nil)");
  // A command under the limit still works.
  EXPECT_EQ(Show(Run({"SET", "k", std::string(512 * 1024, 'v')}).get()), "+OK");
}

class IdleTimeoutTest : public ServerTest {
 protected:
  std::vector<std::string> ServerArgs() const override { return {"--timeout", "1"}; }
};

TEST_F(IdleTimeoutTest, ClosesIdleClients) {
  RawClient raw(port());
  ASSERT_TRUE(raw.Send("PING\r\n"));
  EXPECT_EQ(raw.ReadReply(), "+PONG\r\n");
  bool closed = false;
  EXPECT_EQ(raw.ReadUntilClosed(&closed), "");
  EXPECT_TRUE(closed) << "an idle client outlived `timeout 1`";
  RawClient fresh(port());
  ASSERT_TRUE(fresh.Send("PING\r\n"));
  EXPECT_EQ(fresh.ReadReply(), "+PONG\r\n");
}

}  // namespace
}  // namespace e2e
