#include <gtest/gtest.h>

#include "test_harness.h"

namespace server::testing {
namespace {

TEST(Connection, PingEcho) {
  Harness h;
  EXPECT_EQ(h.Run({"ping"}), "+PONG\r\n");
  EXPECT_EQ(h.Run({"ping", "hi"}), "$2\r\nhi\r\n");
  EXPECT_EQ(h.Run({"ping", "a", "b"}), "-ERR wrong number of arguments for 'ping' command\r\n");
  EXPECT_EQ(h.Run({"echo", ""}), "$0\r\n\r\n");
}

TEST(Connection, SelectSwitchesDatabase) {
  Harness h;
  h.Run({"set", "k", "0"});
  EXPECT_EQ(h.Run({"select", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"get", "k"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"select", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(h.Run({"select", "-1"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(h.Run({"select", "x"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"select", "0"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"get", "k"}), "$1\r\n0\r\n");
}

TEST(Connection, HelloNegotiatesResp3) {
  Harness h;
  std::string r2 = h.Run({"hello"});
  EXPECT_EQ(r2.substr(0, 4), "*14\r");
  std::string r3 = h.Run({"hello", "3"});
  EXPECT_EQ(r3,
            "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"
            "$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:1\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n"
            "$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n");
  EXPECT_EQ(h.Run({"get", "nokey"}), "_\r\n");
  EXPECT_EQ(h.Run({"hello", "4"}), "-NOPROTO unsupported protocol version\r\n");
  EXPECT_EQ(h.Run({"hello", "x"}), "-ERR Protocol version is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"hello", "2", "foo"}), "-ERR Syntax error in HELLO option 'foo'\r\n");
  EXPECT_EQ(h.Run({"hello", "3", "setname", "a b"}),
            "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
}

TEST(Connection, HelloAuthWithRequirePass) {
  Config c;
  c.requirepass = "pw";
  Harness h(std::move(c));
  EXPECT_EQ(h.Run({"hello", "3", "auth", "default", "bad"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(h.Run({"hello", "2", "auth", "default", "pw", "setname", "me"}).substr(0, 4), "*14\r");
  EXPECT_EQ(h.Run({"client", "getname"}), "$2\r\nme\r\n");
}

TEST(Connection, AuthWithoutPasswordConfigured) {
  Harness h;
  EXPECT_EQ(h.Run({"auth", "x"}),
            "-ERR AUTH <password> called without any password configured for the default user. "
            "Are you sure your configuration is correct?\r\n");
  EXPECT_EQ(h.Run({"auth", "default", "anything"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"auth", "a", "b"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
}

TEST(Connection, ClientNames) {
  Harness h;
  EXPECT_EQ(h.Run({"client", "getname"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"client", "setname", "a b"}),
            "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
  EXPECT_EQ(h.Run({"client", "setname", "worker-1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"client", "getname"}), "$8\r\nworker-1\r\n");
  EXPECT_EQ(h.Run({"client", "id"}), ":1\r\n");
}

TEST(Connection, ClientReplyOffAndSkip) {
  Harness h;
  EXPECT_EQ(h.Run({"client", "reply", "off"}), "");
  EXPECT_EQ(h.Run({"set", "a", "1"}), "");
  EXPECT_EQ(h.Run({"client", "reply", "on"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"client", "reply", "skip"}), "");
  EXPECT_EQ(h.Run({"get", "a"}), "");
  EXPECT_EQ(h.Run({"get", "a"}), "$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"client", "reply", "foo"}), "-ERR syntax error\r\n");
}

TEST(Connection, ClientListDescribesSession) {
  Harness h;
  h.session().addr = "127.0.0.1:5000";
  std::string r = h.Run({"client", "list"});
  EXPECT_NE(r.find("id=1 addr=127.0.0.1:5000 "), std::string::npos) << r;
  EXPECT_NE(r.find(" cmd=client|list "), std::string::npos) << r;
  EXPECT_EQ(h.Run({"client", "list", "id", "x"}), "-ERR Invalid client ID\r\n");
  EXPECT_EQ(h.Run({"client", "list", "id", "99"}), "$0\r\n\r\n");
}

TEST(Connection, ClientKillMarksVictim) {
  Harness h;
  Session other(2, 0);
  other.addr = "10.0.0.1:1234";
  h.server().AddSession(&other);
  EXPECT_EQ(h.Run({"client", "kill", "1.2.3.4:5"}), "-ERR No such client\r\n");
  EXPECT_EQ(h.Run({"client", "kill", "10.0.0.1:1234"}), "+OK\r\n");
  EXPECT_TRUE(other.close_after_reply);
  EXPECT_EQ(h.Run({"client", "kill", "id", "1"}), ":0\r\n");  // SKIPME yes by default
  EXPECT_EQ(h.Run({"client", "kill", "id", "2", "skipme", "no"}), ":1\r\n");
  h.server().RemoveSession(&other);
}

TEST(Connection, QuitClosesAfterReply) {
  Harness h;
  EXPECT_EQ(h.Run({"quit"}), "+OK\r\n");
  EXPECT_TRUE(h.session().close_after_reply);
}

}  // namespace
}  // namespace server::testing
