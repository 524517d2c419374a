// What writes propagate as (server/propagation.h): deterministic forms, expiry DELs, groups.
#include "server/propagation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_harness.h"

namespace server::testing {
namespace {

// Records each group as lines "db:ARG ARG ...", wrapped in MULTI/EXEC as a sink must wrap a
// group of several commands.
class Recorder : public PropagationSink {
 public:
  void Feed(std::span<const PropagatedCommand> group) override {
    std::vector<std::string> g;
    if (group.size() > 1) g.push_back(std::to_string(group.front().db) + ":MULTI");
    for (const PropagatedCommand& c : group) {
      std::string line = std::to_string(c.db) + ":";
      for (size_t i = 0; i < c.argv.size(); ++i) line += (i ? " " : "") + c.argv[i];
      g.push_back(line);
    }
    if (group.size() > 1) g.push_back(std::to_string(group.back().db) + ":EXEC");
    groups.push_back(g);
  }
  // Takes what was fed since the last call, one line per command, groups concatenated.
  std::vector<std::string> Take() {
    std::vector<std::string> all;
    for (auto& g : groups) all.insert(all.end(), g.begin(), g.end());
    groups.clear();
    return all;
  }
  std::vector<std::vector<std::string>> groups;
};

class Propagation : public TwoClients {
 protected:
  Propagation() {
    h_.SetTime(1'000'000);
    h_.server().AddPropagationSink(&rec_);
  }
  ~Propagation() override { h_.server().RemovePropagationSink(&rec_); }
  using Lines = std::vector<std::string>;
  Recorder rec_;
};

TEST_F(Propagation, PlainWritesAsTheyRanReadsAndNoOpsNot) {
  h_.Run({"set", "k", "v"});
  h_.Run({"get", "k"});
  h_.Run({"del", "missing"});
  h_.Run({"set", "k", "w", "nx"});  // not done: nothing changed
  h_.Run({"rpush", "l", "a", "b"});
  EXPECT_EQ(rec_.Take(), (Lines{"0:set k v", "0:rpush l a b"}));
  h_.Run({"select", "3"});
  h_.Run({"incr", "n"});
  EXPECT_EQ(rec_.Take(), (Lines{"3:incr n"}));
}

TEST_F(Propagation, RelativeTimesBecomeAbsolute) {
  h_.Run({"set", "a", "1", "ex", "10"});
  h_.Run({"set", "b", "1", "px", "500", "get"});
  h_.Run({"set", "c", "1", "pxat", "2000000"});  // already absolute: as it ran
  h_.Run({"setex", "d", "5", "x"});
  h_.Run({"psetex", "e", "5", "x"});
  h_.Run({"expire", "a", "100", "gt"});
  h_.Run({"pexpireat", "b", "3000000"});
  h_.Run({"getex", "c", "exat", "500"});  // 500 s is in the past: deletes
  h_.Run({"set", "f", "1"});
  h_.Run({"getex", "f", "px", "100"});
  h_.Run({"getex", "f", "persist"});
  h_.Run({"expire", "d", "-1"});  // deletes
  EXPECT_EQ(rec_.Take(),
            (Lines{"0:SET a 1 PXAT 1010000", "0:SET b 1 PXAT 1000500", "0:set c 1 pxat 2000000",
                   "0:SET d x PXAT 1005000", "0:SET e x PXAT 1000005", "0:PEXPIREAT a 1100000",
                   "0:PEXPIREAT b 3000000", "0:DEL c", "0:set f 1", "0:PEXPIREAT f 1000100",
                   "0:PERSIST f", "0:DEL d"}));
}

TEST_F(Propagation, ResultsNotInputs) {
  h_.Run({"set", "x", "1.5"});
  h_.Run({"incrbyfloat", "x", "2"});
  h_.Run({"hincrbyfloat", "h", "f", "0.25"});
  h_.Run({"sadd", "s", "only"});
  h_.Run({"spop", "s"});
  h_.Run({"spop", "s", "3"});  // empty now: nothing
  EXPECT_EQ(rec_.Take(), (Lines{"0:set x 1.5", "0:SET x 3.5 KEEPTTL", "0:HSET h f 0.25",
                                "0:sadd s only", "0:SREM s only"}));
  h_.Run({"mset", "k1", "a", "k2", "b", "k3", "c", "j", "d"});
  rec_.Take();
  h_.Run({"kdelrange", "[k", "(l"});
  EXPECT_EQ(rec_.Take(), (Lines{"0:DEL k1 k2 k3"}));
  // RESTORE with a relative TTL: the absolute time, ABSTTL, and the same payload.
  const std::string dumped = h_.Run({"dump", "j"});  // "$<n>\r\n<payload>\r\n"
  const size_t start = dumped.find("\r\n") + 2;
  const std::string payload = dumped.substr(start, dumped.size() - start - 2);
  h_.Run({"restore", "r", "5000", payload, "replace", "idletime", "3"});
  EXPECT_EQ(rec_.Take(), (Lines{"0:RESTORE r 1005000 " + payload + " ABSTTL REPLACE"}));
}

TEST_F(Propagation, ExpiredKeysAsDelBeforeTheCommandThatFoundThem) {
  h_.Run({"set", "k", "v", "px", "10"});
  h_.Run({"set", "j", "v", "px", "10"});
  rec_.Take();
  h_.AdvanceTime(20);
  h_.Run({"get", "k"});  // a read: only the DEL
  EXPECT_EQ(rec_.Take(), (Lines{"0:DEL k"}));
  h_.Run({"rpush", "j", "x"});  // the DEL and the write, as one transaction
  ASSERT_EQ(rec_.groups.size(), 1u);
  EXPECT_EQ(rec_.Take(), (Lines{"0:MULTI", "0:DEL j", "0:rpush j x", "0:EXEC"}));
  h_.Run({"set", "m", "v", "px", "10"});
  rec_.Take();
  h_.AdvanceTime(20);
  h_.server().Cron();  // active expiry
  EXPECT_EQ(rec_.Take(), (Lines{"0:DEL m"}));
}

TEST_F(Propagation, ExecIsOneGroupAndBlockedClientsLogWhatTheyDid) {
  h_.Run({"multi"});
  h_.Run({"set", "a", "1"});
  h_.Run({"get", "a"});
  h_.Run({"incr", "a"});
  h_.Run({"exec"});
  ASSERT_EQ(rec_.groups.size(), 1u);
  EXPECT_EQ(rec_.Take(), (Lines{"0:MULTI", "0:set a 1", "0:incr a", "0:EXEC"}));

  Run(a_, {"blpop", "q", "0"});
  Run(b_, {"blmove", "src", "dst", "right", "left", "0"});
  EXPECT_EQ(rec_.Take(), Lines{});  // blocking is not a write
  h_.Run({"rpush", "q", "j1", "j2"});
  h_.Run({"rpush", "src", "x"});
  EXPECT_EQ(rec_.Take(),
            (Lines{"0:rpush q j1 j2", "0:LPOP q", "0:rpush src x", "0:LMOVE src dst RIGHT LEFT"}));
  h_.Run({"zadd", "z", "1", "a", "2", "b"});
  h_.Run({"bzpopmax", "z", "0"});
  h_.Run({"blmpop", "0", "1", "q", "left", "count", "5"});
  EXPECT_EQ(rec_.Take(), (Lines{"0:zadd z 1 a 2 b", "0:ZPOPMAX z", "0:LPOP q 1"}));
}

}  // namespace
}  // namespace server::testing
