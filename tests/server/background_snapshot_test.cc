// BGSAVE and BGREWRITEAOF walk the keyspace in slices while commands keep running. The file a
// BGSAVE writes must load as the keyspace was at the BGSAVE; an AOF rewritten meanwhile must load
// as the keyspace is at the end. Driven in process: the test decides when slices run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "server/snapshot.h"
#include "test_harness.h"

namespace server {
namespace {

using testing::Harness;

constexpr int kDbs = 4;

// db -> key -> DUMP payload and PEXPIRETIME: the whole keyspace, comparable across servers.
using Contents = std::map<int, std::map<std::string, std::string>>;

std::vector<std::string> ParseBulks(const std::string& resp) {
  std::vector<std::string> out;
  size_t pos = resp.find("\r\n") + 2;  // after the array header
  while (pos < resp.size() && resp[pos] == '$') {
    const size_t eol = resp.find("\r\n", pos);
    const size_t len = std::stoul(resp.substr(pos + 1, eol - pos - 1));
    out.push_back(resp.substr(eol + 2, len));
    pos = eol + 2 + len + 2;
  }
  return out;
}

Contents Snapshot(Harness& h) {
  Contents c;
  for (int db = 0; db < kDbs; ++db) {
    const std::string n = std::to_string(db);
    h.Run({"SELECT", n});
    for (const std::string& k : ParseBulks(h.Run({"KEYS", "*"}))) {
      c[db][k] = h.Run({"DUMP", k}) + h.Run({"PEXPIRETIME", k});
    }
  }
  h.Run({"SELECT", "0"});
  return c;
}

void Populate(Harness& h, std::mt19937_64& rng) {
  for (int db = 0; db < kDbs - 1; ++db) {  // the last db starts empty
    h.Run({"SELECT", std::to_string(db)});
    for (int i = 0; i < 3000; ++i) {
      const std::string k = "k:" + std::to_string(rng() % 4000);
      switch (rng() % 4) {
        case 0:
          h.Run({"RPUSH", k, "a", "b", std::to_string(i)});
          break;
        case 1:
          h.Run({"HSET", k, "f" + std::to_string(i % 7), std::to_string(i)});
          break;
        case 2:
          h.Run({"ZADD", k, std::to_string(i % 13), "m" + std::to_string(i)});
          break;
        default:
          h.Run({"SET", k, "v" + std::to_string(i), "EX", std::to_string(1000 + i)});
      }
    }
  }
  h.Run({"SELECT", "0"});
}

// A random write in a random db: overwrites, deletes, new keys, in-place edits, TTLs, renames,
// transactions, and now and then one that names no keys (SWAPDB, FLUSHDB, MOVE).
void RandomWrite(Harness& h, std::mt19937_64& rng, bool barriers) {
  h.Run({"SELECT", std::to_string(rng() % kDbs)});
  const std::string k = "k:" + std::to_string(rng() % 5000);
  const std::string k2 = "k:" + std::to_string(rng() % 5000);
  const std::string v = std::to_string(rng() % 100000);
  switch (rng() % (barriers ? 13 : 10)) {
    case 0:
      h.Run({"SET", k, v});
      break;
    case 1:
      h.Run({"DEL", k, k2});
      break;
    case 2:
      h.Run({"RPUSH", k, v});
      break;
    case 3:
      h.Run({"HSET", k, "f", v});
      break;
    case 4:
      h.Run({"ZADD", k, "1", v});
      break;
    case 5:
      h.Run({"EXPIRE", k, "5000"});
      break;
    case 6:
      h.Run({"PERSIST", k});
      break;
    case 7:
      h.Run({"RENAME", k, k2});
      break;
    case 8:
      h.Run({"MSET", k, v, k2, v});
      break;
    case 9:
      h.Run({"MULTI"});
      h.Run({"SET", k, v});
      h.Run({"DEL", k2});
      h.Run({"EXEC"});
      break;
    case 10:
      h.Run({"SWAPDB", "1", "2"});
      break;
    case 11:
      h.Run({"MOVE", k, std::to_string(rng() % kDbs)});
      break;
    default:
      h.Run({"FLUSHDB"});
      break;
  }
  h.Run({"SELECT", "0"});
}

Contents LoadDump(const std::string& dir) {
  Config c;
  c.dir = dir;
  Harness loaded(c);
  std::string error;
  EXPECT_TRUE(LoadRdbAtStartup(loaded.server(), &error)) << error;
  return Snapshot(loaded);
}

class BackgroundSnapshotTest : public ::testing::TestWithParam<int> {};

TEST_P(BackgroundSnapshotTest, BgsaveLoadsAsTheKeyspaceWasAtTheStart) {
  const bool barriers = GetParam() % 3 == 0;
  std::mt19937_64 rng(static_cast<uint64_t>(GetParam()));
  Harness h;
  h.server().incremental_snapshots = true;
  Populate(h, rng);
  const Contents t0 = Snapshot(h);
  ASSERT_EQ(h.Run({"BGSAVE"}), "+Background saving started\r\n");
  int slices = 0;
  while (h.server().snapshots().bgsave_in_progress) {
    for (int i = rng() % 40; i > 0; --i) RandomWrite(h, rng, barriers);
    h.server().StepSnapshots(/*max_keys=*/40);
    ++slices;
  }
  EXPECT_TRUE(h.server().snapshots().last_bgsave_ok);
  if (!barriers) {
    EXPECT_GT(slices, 1);
  }
  EXPECT_NE(Snapshot(h), t0);                        // the writes changed the keyspace ...
  EXPECT_EQ(LoadDump(h.server().config().dir), t0);  // ... but not the file
}

INSTANTIATE_TEST_SUITE_P(Seeds, BackgroundSnapshotTest, ::testing::Range(1, 7));

TEST(BackgroundSnapshot, SaveWaitsForARunningBgsave) {
  Harness h;
  h.server().incremental_snapshots = true;
  for (int i = 0; i < 20000; ++i) h.Run({"SET", "k" + std::to_string(i), "v"});
  ASSERT_EQ(h.Run({"BGSAVE"}), "+Background saving started\r\n");
  EXPECT_EQ(h.Run({"SAVE"}), "-ERR Background save already in progress\r\n");
  EXPECT_EQ(h.Run({"BGSAVE"}), "-ERR Background save already in progress\r\n");
  while (h.server().wants_snapshot_steps()) h.server().StepSnapshots();
  EXPECT_FALSE(h.server().snapshots().bgsave_in_progress);
  EXPECT_EQ(h.Run({"SAVE"}), "+OK\r\n");
}

TEST(BackgroundSnapshot, AofRewrittenDuringWritesReplaysToTheFinalState) {
  std::mt19937_64 rng(7);
  Config c;
  c.appendonly = true;
  Harness h(c);
  h.server().incremental_snapshots = true;
  std::string error;
  ASSERT_TRUE(h.server().StartAof(&error)) << error;
  Populate(h, rng);
  ASSERT_EQ(h.Run({"BGREWRITEAOF"}), "+Background append only file rewriting started\r\n");
  ASSERT_EQ(h.Run({"BGSAVE"}), "+Background saving started\r\n");  // two walks at once
  int slices = 0;
  while (h.server().wants_snapshot_steps() || h.server().snapshots().bgsave_in_progress) {
    for (int i = rng() % 40; i > 0; --i) RandomWrite(h, rng, /*barriers=*/false);
    h.server().StepSnapshots(/*max_keys=*/40);
    ++slices;
  }
  EXPECT_GT(slices, 1);
  const Contents final_state = Snapshot(h);
  h.server().BeforeReplies();  // the AOF records reach the file
  h.server().StopAof();
  Config again;
  again.dir = h.server().config().dir;
  again.appendonly = true;
  Harness replayed(again);
  ASSERT_TRUE(replayed.server().StartAof(&error)) << error;
  EXPECT_EQ(Snapshot(replayed), final_state);
}

}  // namespace
}  // namespace server

namespace server {
namespace {

// With appendonly no, BGREWRITEAOF still writes a base and a manifest naming only it, as
// Redis 7.0 does; a server started later with appendonly yes loads that data.
TEST(BackgroundSnapshot, BgrewriteaofWithTheAofOffWritesABase) {
  Harness h;
  h.Run({"SET", "a", "1"});
  h.Run({"RPUSH", "l", "x", "y"});
  ASSERT_EQ(h.Run({"BGREWRITEAOF"}), "+Background append only file rewriting started\r\n");
  h.Run({"SET", "b", "2"});
  ASSERT_EQ(h.Run({"BGREWRITEAOF"}), "+Background append only file rewriting started\r\n");
  const std::string dir = h.server().config().dir + "/appendonlydir";
  std::ifstream in(dir + "/appendonly.aof.manifest");
  std::string manifest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(manifest, "file appendonly.aof.2.base.rdb seq 2 type b\n");
  EXPECT_FALSE(std::filesystem::exists(dir + "/appendonly.aof.1.base.rdb"));  // dropped
  Config c;
  c.dir = h.server().config().dir;
  c.appendonly = true;
  Harness loaded(c);
  std::string error;
  ASSERT_TRUE(loaded.server().StartAof(&error)) << error;
  EXPECT_EQ(Snapshot(loaded), Snapshot(h));
  loaded.server().StopAof();
}

}  // namespace
}  // namespace server
