#include <gtest/gtest.h>

#include "test_harness.h"

namespace server::testing {
namespace {

TEST(Dispatch, UnknownCommand) {
  Harness h;
  EXPECT_EQ(h.Run({"foo", "a", "b"}),
            "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n");
  EXPECT_EQ(h.Run({"foo"}), "-ERR unknown command 'foo', with args beginning with: \r\n");
}

TEST(Dispatch, WrongArityUsesLowercaseName) {
  Harness h;
  EXPECT_EQ(h.Run({"GET"}), "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(h.Run({"get", "a", "b"}), "-ERR wrong number of arguments for 'get' command\r\n");
}

TEST(Dispatch, CaseInsensitiveNames) {
  Harness h;
  EXPECT_EQ(h.Run({"SeT", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), "$1\r\nv\r\n");
}

TEST(Dispatch, UnknownSubcommand) {
  Harness h;
  EXPECT_EQ(h.Run({"client", "bogus"}), "-ERR unknown subcommand 'bogus'. Try CLIENT HELP.\r\n");
  EXPECT_EQ(h.Run({"client"}), "-ERR wrong number of arguments for 'client' command\r\n");
  EXPECT_EQ(h.Run({"client", "setname"}),
            "-ERR wrong number of arguments for 'client|setname' command\r\n");
}

TEST(Dispatch, RequirePass) {
  Config c;
  c.requirepass = "secret";
  Harness h(std::move(c));
  EXPECT_EQ(h.Run({"get", "k"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(h.Run({"auth", "nope"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(h.Run({"auth", "secret"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"get", "k"}), "$-1\r\n");
}

}  // namespace
}  // namespace server::testing
