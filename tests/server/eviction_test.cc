// maxmemory and its policies, in process: the memory figure is replaced by "100 bytes a key" so
// every eviction is predictable; the real allocator count is tested end to end. As in Redis,
// every command first evicts down to the limit, and a write may then take memory past it until
// the next command: DBSIZE below is such a next command.
#include <gtest/gtest.h>

#include <string>

#include "server/propagation.h"
#include "server/snapshot.h"
#include "test_harness.h"

namespace server {
namespace {

using testing::Harness;

class EvictionTest : public ::testing::Test {
 protected:
  // A limit of `keys` keys (100 bytes each) under `policy`.
  void Limit(int keys, const std::string& policy) {
    h_.server().used_memory_for_tests = [this] {
      int64_t n = 0;
      for (int i = 0; i < h_.server().db_count(); ++i)
        n += static_cast<int64_t>(h_.server().db(i).size());
      return n * 100;
    };
    h_.server().config().maxmemory = keys * 100;
    h_.server().config().maxmemory_policy = policy;
    h_.server().config().maxmemory_samples = 64;  // the most: tests must not depend on luck
    h_.server().OnConfigChanged();
  }
  int64_t DbSize() { return std::stoll(h_.Run({"DBSIZE"}).substr(1)); }
  bool Exists(const std::string& k) { return h_.Run({"EXISTS", k}) == ":1\r\n"; }
  std::string Info(const std::string& field) {
    std::string s = h_.Run({"INFO", "stats"});
    size_t at = s.find(field + ":");
    return s.substr(at + field.size() + 1, s.find("\r\n", at) - at - field.size() - 1);
  }
  Harness h_;
};

TEST_F(EvictionTest, NoevictionRefusesCommandsThatGrowMemory) {
  Limit(3, "noeviction");
  for (const char* k : {"a", "b", "c", "d"}) h_.Run({"SET", k, "v"});  // the 4th gets in: at
  EXPECT_EQ(h_.Run({"SET", "e", "v"}),                                 // the limit, not over
            "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
  EXPECT_EQ(h_.Run({"GET", "a"}), "$1\r\nv\r\n");  // reads and deletes go on
  EXPECT_EQ(h_.Run({"DEL", "d"}), ":1\r\n");
  EXPECT_EQ(h_.Run({"SET", "e", "v"}), "+OK\r\n");
  // In a transaction the refusal comes at queue time, and EXEC aborts.
  EXPECT_EQ(h_.Run({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(h_.Run({"SET", "f", "v"}).substr(0, 4), "-OOM");
  EXPECT_EQ(h_.Run({"EXEC"}).substr(0, 10), "-EXECABORT");
  EXPECT_EQ(DbSize(), 4);
  EXPECT_EQ(Info("evicted_keys"), "0");
}

TEST_F(EvictionTest, AllkeysLruKeepsTheRecentlyUsedKeys) {
  for (int i = 0; i < 100; ++i) h_.Run({"SET", "cold" + std::to_string(i), "v"});
  h_.AdvanceTime(10'000);
  for (int i = 0; i < 20; ++i) h_.Run({"SET", "hot" + std::to_string(i), "v"});
  Limit(60, "allkeys-lru");
  h_.AdvanceTime(10'000);
  for (int i = 0; i < 20; ++i) h_.Run({"GET", "hot" + std::to_string(i)});
  h_.Run({"SET", "trigger", "v"});  // the first GET evicted 60; this adds a 61st
  EXPECT_EQ(DbSize(), 60);          // which DBSIZE evicts again first
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(Exists("hot" + std::to_string(i))) << i;
  EXPECT_TRUE(Exists("trigger"));
  EXPECT_EQ(Info("evicted_keys"), "61");
}

TEST_F(EvictionTest, AllkeysLfuKeepsTheFrequentlyUsedKeys) {
  Limit(1000, "allkeys-lfu");
  for (int i = 0; i < 50; ++i) h_.Run({"SET", "rare" + std::to_string(i), "v"});
  for (int i = 0; i < 10; ++i) h_.Run({"SET", "popular" + std::to_string(i), "v"});
  for (int round = 0; round < 300; ++round) {
    for (int i = 0; i < 10; ++i) h_.Run({"GET", "popular" + std::to_string(i)});
  }
  EXPECT_GT(std::stoi(h_.Run({"OBJECT", "FREQ", "popular0"}).substr(1)), 5);
  h_.server().config().maxmemory = 20 * 100;
  h_.Run({"SET", "trigger", "v"});
  EXPECT_EQ(DbSize(), 20);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(Exists("popular" + std::to_string(i))) << i;
}

TEST_F(EvictionTest, VolatileTtlEvictsTheSoonestExpiryAndNeverPersistentKeys) {
  for (int i = 0; i < 10; ++i) h_.Run({"SET", "keep" + std::to_string(i), "v"});
  for (int i = 0; i < 10; ++i) {
    h_.Run({"SET", "ttl" + std::to_string(i), "v", "EX", std::to_string(1000 + i)});
  }
  h_.Run({"SELECT", "2"});
  h_.Run({"SET", "ttl-other-db", "v", "EX", "500"});  // the soonest of all, in another db
  h_.Run({"SELECT", "0"});
  Limit(18, "volatile-ttl");
  h_.Run({"SET", "trigger", "v"});  // 21 keys: three go, soonest first, then a 19th comes
  EXPECT_EQ(DbSize(), 18);          // and a fourth goes
  h_.Run({"SELECT", "2"});
  EXPECT_FALSE(Exists("ttl-other-db"));
  h_.Run({"SELECT", "0"});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(Exists("ttl" + std::to_string(i))) << i;
  EXPECT_TRUE(Exists("ttl3"));
  // With no volatile key left, nothing can be evicted: refused.
  h_.server().config().maxmemory = 5 * 100;
  EXPECT_EQ(h_.Run({"SET", "x", "v"}).substr(0, 4), "-OOM");
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(Exists("keep" + std::to_string(i)));
}

TEST_F(EvictionTest, RandomPoliciesEvictJustEnough) {
  for (int i = 0; i < 30; ++i) h_.Run({"SET", "p" + std::to_string(i), "v"});
  for (int i = 0; i < 30; ++i) h_.Run({"SET", "v" + std::to_string(i), "v", "EX", "1000"});
  Limit(40, "volatile-random");
  h_.Run({"SET", "trigger", "v"});
  EXPECT_EQ(DbSize(), 40);
  for (int i = 0; i < 30; ++i) EXPECT_TRUE(Exists("p" + std::to_string(i)));
  Limit(10, "allkeys-random");
  h_.Run({"SET", "trigger2", "v"});
  EXPECT_EQ(DbSize(), 10);
}

// An evicted key leaves the log as DEL, ahead of the command that made room, and not inside
// its transaction.
TEST_F(EvictionTest, EvictionsPropagateAsDel) {
  struct Recorder : PropagationSink {
    void Feed(std::span<const PropagatedCommand> group) override {
      for (const auto& c : group) lines.push_back(c.argv[0] + " " + c.argv[1]);
      lines.push_back("--");
    }
    std::vector<std::string> lines;
  } rec;
  h_.Run({"SET", "old", "v"});
  h_.AdvanceTime(5000);
  h_.Run({"SET", "new", "v"});
  h_.server().AddPropagationSink(&rec);
  Limit(1, "allkeys-lru");
  h_.Run({"SET", "newer", "v"});
  h_.server().RemovePropagationSink(&rec);
  EXPECT_EQ(rec.lines, (std::vector<std::string>{"DEL old", "--", "SET newer", "--"}));
}

// Keys loaded from a file start with the access stamp a new key gets: now under LRU (not idle
// since 1970, which would make them the first to go), Redis's initial counter under LFU.
TEST(EvictionLoad, LoadedKeysGetFreshAccessStamps) {
  Harness h;
  h.Run({"SET", "k", "v"});
  ASSERT_EQ(h.Run({"SAVE"}), "+OK\r\n");
  for (const char* policy : {"allkeys-lru", "allkeys-lfu"}) {
    Config c;
    c.dir = h.server().config().dir;
    c.maxmemory_policy = policy;
    Harness loaded(c);
    std::string error;
    ASSERT_TRUE(LoadRdbAtStartup(loaded.server(), &error)) << error;
    if (std::string(policy) == "allkeys-lru") {
      EXPECT_EQ(loaded.Run({"OBJECT", "IDLETIME", "k"}), ":0\r\n");
    } else {
      EXPECT_EQ(loaded.Run({"OBJECT", "FREQ", "k"}), ":5\r\n");
    }
  }
}

}  // namespace
}  // namespace server
