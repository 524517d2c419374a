#include <gtest/gtest.h>

#include "test_harness.h"

namespace server::testing {
namespace {

TEST(Transaction, QueuesAndExecutes) {
  Harness h;
  EXPECT_EQ(h.Run({"multi"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"set", "a", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"get", "a"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"exec"}), "*2\r\n+OK\r\n$1\r\n1\r\n");
}

TEST(Transaction, EmptyExec) {
  Harness h;
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*0\r\n");
}

TEST(Transaction, QueueingErrorAbortsExec) {
  Harness h;
  h.Run({"multi"});
  h.Run({"set", "a", "1"});
  EXPECT_EQ(h.Run({"get"}), "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(h.Run({"nosuchcmd"}),
            "-ERR unknown command 'nosuchcmd', with args beginning with: \r\n");
  EXPECT_EQ(h.Run({"exec"}), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  EXPECT_EQ(h.Run({"get", "a"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"exec"}), "-ERR EXEC without MULTI\r\n");
}

TEST(Transaction, RuntimeErrorDoesNotStopTheRest) {
  Harness h;
  h.Run({"multi"});
  h.Run({"select", "x"});
  h.Run({"set", "a", "1"});
  EXPECT_EQ(h.Run({"exec"}), "*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n");
  EXPECT_EQ(h.Run({"get", "a"}), "$1\r\n1\r\n");
}

TEST(Transaction, NestingAndMisuse) {
  Harness h;
  EXPECT_EQ(h.Run({"discard"}), "-ERR DISCARD without MULTI\r\n");
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"multi"}), "-ERR MULTI calls can not be nested\r\n");
  EXPECT_EQ(h.Run({"watch", "x"}), "-ERR WATCH inside MULTI is not allowed\r\n");
  EXPECT_EQ(h.Run({"discard"}), "+OK\r\n");
  EXPECT_FALSE(h.session().in_multi);
}

TEST(Transaction, WatchFailsAfterChangeByAnotherClient) {
  Harness h;
  Session other(2, 0);
  h.server().AddSession(&other);
  EXPECT_EQ(h.Run({"watch", "k"}), "+OK\r\n");
  std::vector<std::string_view> set = {"set", "k", "x"};
  h.server().Execute(other, set);
  h.Run({"multi"});
  h.Run({"set", "k", "mine"});
  EXPECT_EQ(h.Run({"exec"}), "*-1\r\n");
  EXPECT_EQ(h.Run({"get", "k"}), "$1\r\nx\r\n");
  h.server().RemoveSession(&other);
}

TEST(Transaction, WatchOwnChangeBeforeMultiAlsoFails) {
  Harness h;
  h.Run({"watch", "k"});
  h.Run({"set", "k", "1"});
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*-1\r\n");
}

TEST(Transaction, UnchangedWatchSucceedsAndUnwatchForgets) {
  Harness h;
  h.Run({"watch", "k"});
  h.Run({"multi"});
  h.Run({"set", "k", "1"});
  EXPECT_EQ(h.Run({"exec"}), "*1\r\n+OK\r\n");
  h.Run({"watch", "k"});
  EXPECT_EQ(h.Run({"unwatch"}), "+OK\r\n");
  h.Run({"set", "k", "2"});
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*0\r\n");
}

TEST(Transaction, WatchFailsWhenKeyExpires) {
  Harness h;
  h.SetTime(1000000);
  h.Run({"set", "k", "v"});
  store::Entry* e = h.server().db(0).Find("k");
  ASSERT_NE(e, nullptr);
  e = h.server().db(0).SetExpire(e, 1000500);
  h.Run({"watch", "k"});
  h.AdvanceTime(1000);  // k is now logically expired, though nothing has deleted it yet
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*-1\r\n");
}

TEST(Transaction, WatchOfAlreadyExpiredKeyIsNoChange) {
  Harness h;
  h.SetTime(1000000);
  h.Run({"set", "k", "v"});
  (void)h.server().db(0).SetExpire(h.server().db(0).Find("k"), 1000500);
  h.AdvanceTime(1000);
  h.Run({"watch", "k"});  // already expired: its deletion later is no logical change
  EXPECT_EQ(h.Run({"get", "k"}), "$-1\r\n");
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*0\r\n");
}

TEST(Transaction, WatchOtherDbIsIndependent) {
  Harness h;
  h.Run({"watch", "k"});
  h.Run({"select", "1"});
  h.Run({"set", "k", "1"});
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*0\r\n");
}

TEST(Transaction, FlushAllTouchesWatchedExistingKeys) {
  Harness h;
  h.Run({"set", "k", "1"});
  h.Run({"watch", "k"});
  h.server().FlushAll();
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"exec"}), "*-1\r\n");
}

TEST(Transaction, RejectedExecAbortsTransaction) {
  Harness h;
  h.Run({"multi"});
  h.Run({"set", "a", "1"});
  EXPECT_EQ(h.Run({"exec", "x"}),
            "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' "
            "command\r\n");
  EXPECT_FALSE(h.session().in_multi);
  EXPECT_EQ(h.Run({"get", "a"}), "$-1\r\n");
}

TEST(Transaction, BareContainerCommandQueues) {
  // COMMAND alone is a container run without a subcommand; EXEC must not look for one.
  Harness h;
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"command"}), "+QUEUED\r\n");
  h.Run({"client", "id"});
  std::string r = h.Run({"exec"});
  EXPECT_EQ(r.substr(0, 5), "*2\r\n*");
  EXPECT_EQ(r.substr(r.size() - 4), ":1\r\n");
}

TEST(Transaction, ResetLeavesMulti) {
  Harness h;
  h.Run({"multi"});
  h.Run({"set", "a", "1"});
  EXPECT_EQ(h.Run({"reset"}), "+RESET\r\n");
  EXPECT_EQ(h.Run({"exec"}), "-ERR EXEC without MULTI\r\n");
  EXPECT_EQ(h.Run({"get", "a"}), "$-1\r\n");
}

}  // namespace
}  // namespace server::testing
