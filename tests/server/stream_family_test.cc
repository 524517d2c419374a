// Stream commands in-process: IDs from the injected clock, what XADD/XTRIM propagate as, and
// that replaying the propagated commands on a fresh server rebuilds the same stream (the AOF's
// guarantee). Reply texts and errors are checked against Redis in redis-compat/cases/streams.txt.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/propagation.h"
#include "test_harness.h"

namespace server::testing {
namespace {

class Recorder : public PropagationSink {
 public:
  // Wraps a group of several commands in MULTI/EXEC, as a sink must (server/propagation.h).
  void Feed(std::span<const PropagatedCommand> group) override {
    auto add = [&](const std::vector<std::string>& argv) {
      commands.push_back(argv);
      all.push_back(argv);
    };
    if (group.size() > 1) add({"MULTI"});
    for (const PropagatedCommand& c : group) add(c.argv);
    if (group.size() > 1) add({"EXEC"});
  }
  // Each command as one line "ARG ARG ...", and forgets them.
  std::vector<std::string> TakeLines() {
    std::vector<std::string> lines;
    for (const auto& argv : commands) {
      std::string line;
      for (size_t i = 0; i < argv.size(); ++i) line += (i ? " " : "") + argv[i];
      lines.push_back(line);
    }
    commands.clear();
    return lines;
  }
  std::vector<std::vector<std::string>> commands;  // since the last TakeLines
  std::vector<std::vector<std::string>> all;       // everything, for replay
};

class StreamFamily : public ::testing::Test {
 protected:
  StreamFamily() {
    h_.SetTime(1000);
    h_.server().AddPropagationSink(&rec_);
  }
  ~StreamFamily() override { h_.server().RemovePropagationSink(&rec_); }
  using Lines = std::vector<std::string>;
  Harness h_;
  Recorder rec_;
};

TEST_F(StreamFamily, AutoIdsFollowTheClockAndNeverGoBack) {
  EXPECT_EQ(h_.Run({"xadd", "s", "*", "a", "1"}), "$6\r\n1000-0\r\n");
  EXPECT_EQ(h_.Run({"xadd", "s", "*", "a", "2"}), "$6\r\n1000-1\r\n");
  h_.SetTime(900);  // the clock went back: the sequence goes on
  EXPECT_EQ(h_.Run({"xadd", "s", "*", "a", "3"}), "$6\r\n1000-2\r\n");
  h_.SetTime(2000);
  EXPECT_EQ(h_.Run({"xadd", "s", "*", "a", "4"}), "$6\r\n2000-0\r\n");
  EXPECT_EQ(h_.Run({"xadd", "s", "2000-*", "a", "5"}), "$6\r\n2000-1\r\n");
  EXPECT_EQ(h_.Run({"xadd", "s", "7000-*", "a", "6"}), "$6\r\n7000-0\r\n");
  EXPECT_EQ(h_.Run({"xlen", "s"}), ":6\r\n");
  EXPECT_EQ(h_.Run({"type", "s"}), "+stream\r\n");
  EXPECT_EQ(h_.Run({"object", "encoding", "s"}), "$6\r\nstream\r\n");
}

TEST_F(StreamFamily, XAddPropagatesItsIdAndExactTrims) {
  h_.Run({"xadd", "s", "*", "f", "v"});
  h_.Run({"xadd", "s", "nomkstream", "maxlen", "=", "5", "*", "f", "v"});
  h_.Run({"xadd", "nokey", "nomkstream", "*", "f", "v"});  // nothing done: nothing logged
  h_.Run({"xadd", "s", "1-1", "f", "v"});                  // refused: nothing logged
  EXPECT_EQ(rec_.TakeLines(), (Lines{"XADD s 1000-0 f v", "XADD s MAXLEN = 5 1000-1 f v"}));
  for (int i = 0; i < 250; ++i) h_.Run({"xadd", "s", "*", "f", "v"});
  rec_.TakeLines();
  // "~" removes whole 100-entry blocks only; the log says how many are left, exactly.
  h_.Run({"xadd", "s", "maxlen", "~", "10", "limit", "150", "*", "f", "v"});
  h_.Run({"xadd", "s", "minid", "~", "1000-240", "*", "f", "v"});
  EXPECT_EQ(rec_.TakeLines(),
            (Lines{"XADD s MAXLEN = 153 1000-252 f v", "XADD s MINID = 1000-200 1000-253 f v"}));
}

TEST_F(StreamFamily, XTrimPropagatesOnlyWhatItDid) {
  for (int i = 1; i <= 250; ++i) {
    const std::string id = std::to_string(i) + "-1";
    h_.Run({"xadd", "s", id, "f", "v"});
  }
  rec_.TakeLines();
  EXPECT_EQ(h_.Run({"xtrim", "s", "maxlen", "~", "120"}), ":100\r\n");
  EXPECT_EQ(h_.Run({"xtrim", "s", "maxlen", "~", "120"}), ":0\r\n");
  EXPECT_EQ(h_.Run({"xtrim", "s", "minid", "~", "230"}), ":100\r\n");
  EXPECT_EQ(h_.Run({"xtrim", "s", "minid", "245"}), ":44\r\n");
  EXPECT_EQ(h_.Run({"xtrim", "nokey", "maxlen", "0"}), ":0\r\n");
  EXPECT_EQ(h_.Run({"xdel", "s", "249-1", "1-1"}), ":1\r\n");
  EXPECT_EQ(rec_.TakeLines(), (Lines{"XTRIM s MAXLEN = 150", "XTRIM s MINID = 201-1",
                                     "XTRIM s MINID = 245-0", "xdel s 249-1 1-1"}));
}

TEST_F(StreamFamily, ReplayingThePropagatedCommandsRebuildsTheStream) {
  for (int i = 0; i < 320; ++i) {
    h_.AdvanceTime(i % 3);
    const std::string n = std::to_string(i);
    h_.Run({"xadd", "s", "maxlen", "~", "150", "*", "n", n, "odd", i % 2 ? "y" : "n"});
    if (i % 7 == 0) h_.Run({"xdel", "s", "1000-" + n});
    if (i % 50 == 0) h_.Run({"xtrim", "s", "minid", "~", std::to_string(1000 + i / 4)});
  }
  h_.Run({"xsetid", "s", "99999-0", "entriesadded", "1000"});
  Harness replay;
  for (const auto& argv : rec_.all) {
    std::vector<std::string_view> args(argv.begin(), argv.end());
    replay.Run(args);
  }
  for (auto* cmd : {"stream", "full"}) {
    std::vector<std::string_view> info = {"xinfo", "stream", "s"};
    if (std::string(cmd) == "full") info.insert(info.end(), {"full", "count", "0"});
    EXPECT_EQ(replay.Run(info), h_.Run(info));
  }
}

TEST_F(StreamFamily, PendingIdleTimesAndClaimsFollowTheClock) {
  h_.Run({"xadd", "s", "1-1", "f", "v"});
  h_.Run({"xadd", "s", "2-1", "f", "v"});
  h_.Run({"xgroup", "create", "s", "g", "0"});
  EXPECT_EQ(h_.Run({"xreadgroup", "group", "g", "c1", "count", "1", "streams", "s", ">"}),
            "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  h_.SetTime(6000);
  h_.Run({"xreadgroup", "group", "g", "c2", "streams", "s", ">"});
  EXPECT_EQ(h_.Run({"xpending", "s", "g", "-", "+", "10"}),
            "*2\r\n*4\r\n$3\r\n1-1\r\n$2\r\nc1\r\n:5000\r\n:1\r\n"
            "*4\r\n$3\r\n2-1\r\n$2\r\nc2\r\n:0\r\n:1\r\n");
  EXPECT_EQ(h_.Run({"xpending", "s", "g", "idle", "4000", "-", "+", "10"}),
            "*1\r\n*4\r\n$3\r\n1-1\r\n$2\r\nc1\r\n:5000\r\n:1\r\n");
  EXPECT_EQ(h_.Run({"xinfo", "consumers", "s", "g"}),
            "*2\r\n*6\r\n$4\r\nname\r\n$2\r\nc1\r\n$7\r\npending\r\n:1\r\n$4\r\nidle\r\n:5000\r\n"
            "*6\r\n$4\r\nname\r\n$2\r\nc2\r\n$7\r\npending\r\n:1\r\n$4\r\nidle\r\n:0\r\n");
  // Only entries idle at least min-idle-time move.
  EXPECT_EQ(h_.Run({"xclaim", "s", "g", "c3", "5001", "1-1", "2-1", "justid"}), "*0\r\n");
  EXPECT_EQ(h_.Run({"xclaim", "s", "g", "c3", "5000", "1-1", "2-1", "justid"}),
            "*1\r\n$3\r\n1-1\r\n");
  h_.SetTime(7000);
  EXPECT_EQ(h_.Run({"xautoclaim", "s", "g", "c4", "1000", "0", "justid"}),
            "*3\r\n$3\r\n0-0\r\n*2\r\n$3\r\n1-1\r\n$3\r\n2-1\r\n*0\r\n");
  // IDLE sets the delivery time back; TIME sets it; a time in the future is taken as now.
  h_.Run({"xclaim", "s", "g", "c5", "0", "1-1", "idle", "300"});
  h_.Run({"xclaim", "s", "g", "c5", "0", "2-1", "time", "99999999", "retrycount", "9"});
  EXPECT_EQ(h_.Run({"xpending", "s", "g", "-", "+", "10"}),
            "*2\r\n*4\r\n$3\r\n1-1\r\n$2\r\nc5\r\n:300\r\n:2\r\n"
            "*4\r\n$3\r\n2-1\r\n$2\r\nc5\r\n:0\r\n:9\r\n");
}

TEST_F(StreamFamily, GroupReadsPropagateAsClaimsAndReplayTheSamePel) {
  h_.Run({"xadd", "s", "1-1", "f", "v"});
  h_.Run({"xadd", "s", "2-1", "f", "v"});
  h_.Run({"xadd", "s", "3-1", "f", "v"});
  h_.Run({"xgroup", "create", "s", "g", "$"});
  h_.Run({"xgroup", "setid", "s", "g", "0"});
  rec_.TakeLines();
  h_.Run({"xreadgroup", "group", "g", "c1", "count", "2", "streams", "s", ">"});
  EXPECT_EQ(rec_.TakeLines(), (Lines{"MULTI", "XGROUP CREATECONSUMER s g c1",
                                     "XCLAIM s g c1 0 1-1 TIME 1000 RETRYCOUNT 1 FORCE JUSTID",
                                     "XCLAIM s g c1 0 2-1 TIME 1000 RETRYCOUNT 1 FORCE JUSTID",
                                     "XGROUP SETID s g 2-1 ENTRIESREAD 2", "EXEC"}));
  h_.SetTime(2000);
  h_.Run({"xreadgroup", "group", "g", "c2", "noack", "streams", "s", ">"});
  h_.Run({"xreadgroup", "group", "g", "c1", "streams", "s", "0"});
  h_.Run({"xack", "s", "g", "1-1"});
  h_.Run({"xclaim", "s", "g", "c3", "0", "2-1"});
  h_.Run({"xadd", "s", "4-1", "f", "v"});
  h_.Run({"xreadgroup", "group", "g", "c2", "streams", "s", ">"});
  h_.Run({"xdel", "s", "4-1"});
  h_.Run({"xautoclaim", "s", "g", "c4", "0", "0"});
  h_.Run({"xgroup", "create", "s", "other", "0", "mkstream"});
  h_.Run({"xgroup", "create", "fresh", "g", "$", "mkstream"});
  h_.Run({"xgroup", "delconsumer", "s", "g", "c1"});
  Harness replay;
  replay.SetTime(2000);
  for (const auto& argv : rec_.all) {
    std::vector<std::string_view> args(argv.begin(), argv.end());
    replay.Run(args);
  }
  for (std::vector<std::string_view> cmd :
       {std::vector<std::string_view>{"xinfo", "groups", "s"},
        std::vector<std::string_view>{"xpending", "s", "g", "-", "+", "100"},
        std::vector<std::string_view>{"xpending", "s", "g"},
        std::vector<std::string_view>{"xinfo", "stream", "s"},
        std::vector<std::string_view>{"xinfo", "groups", "fresh"}}) {
    EXPECT_EQ(replay.Run(cmd), h_.Run(cmd)) << cmd[0] << " " << cmd[1];
  }
}

}  // namespace
}  // namespace server::testing
