// A script that runs past busy-reply-threshold, over real sockets: other clients (connected
// before or after it started) get -BUSY, SCRIPT KILL stops a script that has not written (even
// one that wraps its loop in pcall), a script that wrote can only be abandoned by SHUTDOWN NOSAVE,
// and then none of its writes reach the AOF.
#include <chrono>
#include <thread>

#include "harness.h"

namespace e2e {
namespace {

constexpr char kBusyEval[] =
    "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

constexpr char kBusyFunction[] =
    "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

// Pings until the reply is -BUSY: the script another client sent has been read and has run past
// the threshold (the server may read this client's command first).
void WaitUntilBusy(redisContext* c, const char* busy = kBusyEval) {
  for (int i = 0; i < 100; ++i) {
    if (Show(Command(c, {"PING"}).get()) == busy) return;
  }
  ADD_FAILURE() << "the script never became busy";
}

class BusyScriptTest : public ServerTest {
 protected:
  std::vector<std::string> ServerArgs() const override {
    return {"--busy-reply-threshold", "100", "--enable-debug-command", "yes"};  // DEBUG SLEEP
  }
};

TEST_F(BusyScriptTest, OthersGetBusyAndScriptKillStopsTheScript) {
  redisContext* before = NewClient();  // connected before the script starts
  RawClient runner(port());
  const std::string body = "local i = 0 while true do i = i + 1 end";
  ASSERT_TRUE(runner.Send(Cmd({"EVAL", body, "0"})));
  WaitUntilBusy(before);
  redisContext* after = NewClient();  // accepted while the script runs
  EXPECT_EQ(Show(Command(after, {"GET", "k"}).get()), kBusyEval);
  // A transaction is refused as a whole.
  EXPECT_EQ(Show(Command(after, {"MULTI"}).get()), "+OK");
  EXPECT_EQ(Show(Command(after, {"SET", "k", "v"}).get()), kBusyEval);
  EXPECT_EQ(Show(Command(after, {"EXEC"}).get()),
            std::string("-EXECABORT Transaction discarded because of: ") + (kBusyEval + 1));
  EXPECT_EQ(Show(Command(before, {"SHUTDOWN"}).get()), kBusyEval);
  EXPECT_EQ(Show(Command(before, {"SCRIPT", "KILL"}).get()), "+OK");
  EXPECT_EQ(runner.ReadReply(),
            "-ERR Script killed by user with SCRIPT KILL... script: "
            "3fcf51a9b854b8f66cb8685600b0d7df968f4398, on @user_script:1.\r\n");
  EXPECT_EQ(Show(Command(after, {"PING"}).get()), "+PONG");
  EXPECT_EQ(Show(Command(after, {"SCRIPT", "KILL"}).get()),
            "-NOTBUSY No scripts in execution right now.");
  EXPECT_EQ(Show(Command(after, {"EXISTS", "k"}).get()), ":0");
}

// Replies go out once per loop turn. A client answered earlier in the turn in which a script
// then turns busy must still get its reply while the script runs. DEBUG SLEEP holds the loop so
// that the PING and the EVAL are read in one turn, the PING first.
TEST_F(BusyScriptTest, AReplyQueuedBeforeTheScriptStartedIsSentWhileItRuns) {
  using namespace std::chrono_literals;
  RawClient sleeper(port());
  RawClient early(port());
  RawClient runner(port());
  ASSERT_TRUE(sleeper.Send(Cmd({"DEBUG", "SLEEP", "0.3"})));
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(early.Send(Cmd({"PING"})));
  std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(runner.Send(Cmd({"EVAL", "local i = 0 while true do i = i + 1 end", "0"})));
  EXPECT_EQ(early.ReadReply(), "+PONG\r\n");
  EXPECT_EQ(sleeper.ReadReply(), "+OK\r\n");
  redisContext* c = NewClient();
  WaitUntilBusy(c);  // the script was still running when the PONG came
  EXPECT_EQ(Show(Command(c, {"SCRIPT", "KILL"}).get()), "+OK");
  const std::string reply = runner.ReadReply();
  EXPECT_EQ(reply.rfind("-ERR Script killed by user with SCRIPT KILL...", 0), 0u) << reply;
}

TEST_F(BusyScriptTest, PcallCannotSwallowTheKill) {
  RawClient runner(port());
  ASSERT_TRUE(runner.Send(Cmd(
      {"EVAL", "while true do pcall(function() local i = 0 while true do i = i + 1 end end) end",
       "0"})));
  redisContext* c = NewClient();
  WaitUntilBusy(c);
  EXPECT_EQ(Show(Command(c, {"SCRIPT", "KILL"}).get()), "+OK");
  const std::string reply = runner.ReadReply();
  EXPECT_EQ(reply.rfind("-ERR Script killed by user with SCRIPT KILL...", 0), 0u) << reply;
  EXPECT_EQ(Show(Command(c, {"PING"}).get()), "+PONG");
}

TEST_F(BusyScriptTest, AScriptUnderTheThresholdIsNeverInterrupted) {
  redisContext* c = NewClient();
  EXPECT_EQ(Show(Command(c, {"CONFIG", "SET", "lua-time-limit", "60000"}).get()), "+OK");
  EXPECT_EQ(Show(Command(c, {"CONFIG", "GET", "busy-reply-threshold"}).get()),
            "*2[$20:busy-reply-threshold,$5:60000]");
  RawClient runner(port());
  ASSERT_TRUE(
      runner.Send(Cmd({"EVAL", "local i = 0 while i < 3000000 do i = i + 1 end return i", "0"})));
  // Queued behind the script, answered after it.
  EXPECT_EQ(Show(Command(c, {"PING"}).get()), "+PONG");
  EXPECT_EQ(runner.ReadReply(), ":3000000\r\n");
}

TEST_F(BusyScriptTest, FunctionKillStopsABusyFunctionAndStatsDescribeIt) {
  redisContext* c = NewClient();
  EXPECT_EQ(Show(Command(c, {"FUNCTION", "LOAD",
                             "#!lua name=busy\n"
                             "redis.register_function('spin', function(keys, args)\n"
                             "  local i = 0 while true do i = i + 1 end\n"
                             "end)"})
                     .get()),
            "$4:busy");
  RawClient runner(port());
  ASSERT_TRUE(runner.Send(Cmd({"FCALL", "spin", "1", "k", "a"})));
  WaitUntilBusy(c, kBusyFunction);
  const std::string stats = Show(Command(c, {"FUNCTION", "STATS"}).get());
  EXPECT_EQ(stats.rfind("*4[$14:running_script,*6[$4:name,$4:spin,$7:command,*5[$5:FCALL,$4:spin,"
                        "$1:1,$1:k,$1:a],$11:duration_ms,:",
                        0),
            0u)
      << stats;
  EXPECT_EQ(Show(Command(c, {"SCRIPT", "KILL"}).get()), kBusyFunction);
  EXPECT_EQ(Show(Command(c, {"FUNCTION", "KILL"}).get()), "+OK");
  EXPECT_EQ(
      runner.ReadReply(),
      "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:3.\r\n");
  EXPECT_EQ(Show(Command(c, {"FUNCTION", "KILL"}).get()),
            "-NOTBUSY No scripts in execution right now.");
}

TEST(BusyScriptShutdownTest, AWritingScriptIsUnkillableAndShutdownNosaveDropsItsWrites) {
  ServerProcess s;
  ASSERT_TRUE(
      s.Start({"--busy-reply-threshold", "100", "--appendonly", "yes", "--appendfsync", "always"}));
  {
    ContextPtr c = Connect(s.port());
    EXPECT_EQ(Show(Command(c.get(), {"SET", "before", "1"}).get()), "+OK");
    RawClient runner(s.port());
    ASSERT_TRUE(runner.Send(Cmd({"EVAL",
                                 "redis.call('set', 'during', '1') "
                                 "local i = 0 while true do i = i + 1 end",
                                 "0"})));
    WaitUntilBusy(c.get());
    EXPECT_EQ(Show(Command(c.get(), {"SCRIPT", "KILL"}).get()),
              "-UNKILLABLE Sorry the script already executed write commands against the "
              "dataset. You can either wait the script termination or kill the server in a hard "
              "way using the SHUTDOWN NOSAVE command.");
    EXPECT_EQ(Show(Command(c.get(), {"SHUTDOWN", "SAVE"}).get()), kBusyEval);
    ReplyPtr r = Command(c.get(), {"SHUTDOWN", "NOSAVE"});
    EXPECT_EQ(r, nullptr);  // closed without a reply
    bool closed = false;
    runner.ReadUntilClosed(&closed);
    EXPECT_TRUE(closed);
  }
  EXPECT_EQ(s.Wait(), 0);
  ASSERT_TRUE(s.Start({"--appendonly", "yes"}));
  ContextPtr c = Connect(s.port());
  EXPECT_EQ(Show(Command(c.get(), {"GET", "before"}).get()), "$1:1");
  EXPECT_EQ(Show(Command(c.get(), {"EXISTS", "during"}).get()), ":0");
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

}  // namespace
}  // namespace e2e
