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
  void Feed(std::span<const PropagatedCommand> group) override {
    for (const PropagatedCommand& c : group) commands.push_back(c.argv);
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
  std::vector<std::vector<std::string>> commands;
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
  for (const auto& argv : rec_.commands) {
    std::vector<std::string_view> args(argv.begin(), argv.end());
    replay.Run(args);
  }
  for (auto* cmd : {"stream", "full"}) {
    std::vector<std::string_view> info = {"xinfo", "stream", "s"};
    if (std::string(cmd) == "full") info.insert(info.end(), {"full", "count", "0"});
    EXPECT_EQ(replay.Run(info), h_.Run(info));
  }
}

}  // namespace
}  // namespace server::testing
