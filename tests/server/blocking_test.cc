#include <gtest/gtest.h>

#include "server/context.h"
#include "test_harness.h"

namespace server::testing {
namespace {

// BTAKE key timeout-ms: a test-only blocking command. Takes (GETDEL) the string at key, or blocks
// until someone sets it; answers null on timeout or inside MULTI.
void CmdBTake(CommandContext& ctx) {
  if (store::Entry* e = ctx.db->Find(ctx.arg(1))) {
    std::string scratch;
    std::string v(e->value().Str(&scratch));
    ctx.db->Erase(ctx.arg(1));
    return ctx.out.Bulk(v);
  }
  if (ctx.timed_out || !ctx.may_block) return ctx.out.Null();
  ctx.BlockOn(ctx.argv.subspan(1, 1), std::stoll(std::string(ctx.arg(2))));
}

class Blocking : public TwoClients {
 protected:
  Blocking() {
    h_.server().registry().Add({{"btake", 3, kWrite | kBlocking, 1, 1, 1, kAclBlocking, CmdBTake,
                                 "test", "0", "test-only blocking pop"}});
  }
};

TEST_F(Blocking, BlocksUntilKeyIsWrittenFirstComeFirstServed) {
  EXPECT_EQ(Run(a_, {"btake", "k", "0"}), "");
  EXPECT_EQ(Run(b_, {"btake", "k", "0"}), "");
  EXPECT_TRUE(a_.blocked);
  EXPECT_EQ(h_.Run({"set", "k", "one"}), "+OK\r\n");
  EXPECT_EQ(a_.out, "$3\r\none\r\n");  // the first to block is served first
  EXPECT_FALSE(a_.blocked);
  EXPECT_TRUE(b_.blocked);
  EXPECT_EQ(b_.out, "");
  h_.Run({"set", "k", "two"});
  EXPECT_EQ(b_.out, "$3\r\ntwo\r\n");
  EXPECT_EQ(h_.Run({"get", "k"}), "$-1\r\n");
}

TEST_F(Blocking, ServedAtExecNotInsideIt) {
  Run(a_, {"btake", "k", "0"});
  h_.Run({"multi"});
  h_.Run({"set", "k", "1"});
  h_.Run({"set", "k", "2"});
  EXPECT_EQ(h_.Run({"exec"}), "*2\r\n+OK\r\n+OK\r\n");
  EXPECT_EQ(a_.out, "$1\r\n2\r\n");  // woken once the transaction is done, seeing its result
}

TEST_F(Blocking, NoBlockingInsideMulti) {
  Run(a_, {"multi"});
  Run(a_, {"btake", "k", "0"});
  EXPECT_EQ(Run(a_, {"exec"}), "*1\r\n$-1\r\n");
  EXPECT_FALSE(a_.blocked);
}

TEST_F(Blocking, TimesOut) {
  h_.SetTime(1000);
  Run(a_, {"btake", "k", "500"});
  h_.AdvanceTime(499);
  h_.server().ExpireBlockedClients();
  EXPECT_TRUE(a_.blocked);
  h_.AdvanceTime(1);
  h_.server().ExpireBlockedClients();
  EXPECT_FALSE(a_.blocked);
  EXPECT_EQ(a_.out, "$-1\r\n");
  h_.Run({"set", "k", "v"});  // nobody waits any more
  EXPECT_EQ(h_.Run({"get", "k"}), "$1\r\nv\r\n");
}

TEST_F(Blocking, DisconnectLeavesNoTrace) {
  Run(a_, {"btake", "k", "0"});
  h_.server().RemoveSession(&a_);
  EXPECT_TRUE(h_.server().blocking().empty());
  h_.Run({"set", "k", "v"});
  EXPECT_EQ(a_.out, "");
  EXPECT_EQ(h_.Run({"get", "k"}), "$1\r\nv\r\n");
  h_.server().AddSession(&a_);  // the fixture removes it again
}

TEST_F(Blocking, OtherDbDoesNotWake) {
  Run(a_, {"btake", "k", "0"});
  h_.Run({"select", "1"});
  h_.Run({"set", "k", "v"});
  EXPECT_TRUE(a_.blocked);
}

}  // namespace
}  // namespace server::testing
