// SnapshotWalk: a snapshot written in slices while the keyspace changes must load back as the
// keyspace was when the walk started. Checked against a copy taken at T0, under seeded random
// interleavings of slices and writes (overwrites, deletes, new keys, TTLs, in-place list edits)
// across several dbs, some empty at T0.
#include "persistence/snapshot_walk.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"
#include "rdb_test_util.h"
#include "store/list_value.h"

namespace persistence {
namespace {

using testing::AddCollection;
using testing::AddString;
using testing::Keyspace;

std::string Key(std::mt19937_64& rng, int space) {
  return "k:" + std::to_string(rng() % static_cast<uint64_t>(space));
}

// Fills dbs 0, 2 and 5 (the others stay empty) with strings, some with TTLs, and some lists.
void Populate(Keyspace& ks, std::mt19937_64& rng, int per_db) {
  for (int db : {0, 2, 5}) {
    for (int i = 0; i < per_db; ++i) {
      const std::string k = "k:" + std::to_string(rng() % static_cast<uint64_t>(per_db * 2));
      if (ks.dbs[db]->Peek(k) != nullptr) continue;
      if (rng() % 5 == 0) {
        auto l = std::make_unique<store::ListValue>();
        l->Push(store::ListEnd::kTail, "a" + std::to_string(i));
        AddCollection(*ks.dbs[db], k, std::move(l));
      } else {
        const int64_t at = rng() % 4 == 0 ? ks.clock.now_ms + 1000 + static_cast<int64_t>(i) : 0;
        AddString(*ks.dbs[db], k, "v" + std::to_string(rng() % 1000), at);
      }
    }
  }
}

// One random change to ks, announced to the walk first as the server announces it.
void RandomWrite(Keyspace& ks, SnapshotWalk& walk, std::mt19937_64& rng, int space) {
  const size_t db = rng() % 7;  // dbs 6 and up stay untouched; 1, 3, 4 were empty at T0
  store::Db& d = *ks.dbs[db];
  const std::string k = Key(rng, space);
  walk.BeforeWrite(db, k);
  store::Entry* e = d.Peek(k);
  switch (rng() % 5) {
    case 0:
      d.Set(k, store::Value::String("new" + std::to_string(rng() % 100)));
      break;
    case 1:
      d.Erase(k);
      break;
    case 2:
      if (e != nullptr) e = d.SetExpire(e, rng() % 2 == 0 ? 0 : ks.clock.now_ms + 5000);
      break;
    case 3:
      if (e != nullptr && e->value().type() == store::ObjType::kList) {
        static_cast<store::ListValue&>(*e->value().collection())
            .Push(store::ListEnd::kHead, "edited");
        d.Touched(k);
      }
      break;
    default:
      if (e == nullptr) AddString(d, k, "created");
      break;
  }
}

std::map<int, std::map<std::string, std::string>> Load(const std::string& file) {
  Keyspace loaded;
  store::DbSink sink = loaded.Sink();
  RdbLoadInfo info;
  const RdbStatus st = LoadRdb(file, LoadLimits(), &sink, &info);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(info.checksum_verified);
  return loaded.Dump();
}

TEST(SnapshotWalk, WithoutWritesEqualsAOneShotSave) {
  Keyspace ks;
  std::mt19937_64 rng(1);
  Populate(ks, rng, 300);
  StringSink one_shot;
  std::string err;
  RdbWriteOptions opts;
  opts.ctime = 1;
  ASSERT_TRUE(SaveSnapshot(ks.View(), opts, &one_shot, &err)) << err;
  StringSink sliced;
  RdbWriter w(&sliced, opts);
  SnapshotWalk walk(ks.View(), &w, opts.encode);
  int steps = 0;
  while (!walk.Step(7, SIZE_MAX)) ++steps;
  EXPECT_GT(steps, 50);
  EXPECT_EQ(sliced.data(), one_shot.data());  // byte for byte: same order, same checksum
}

TEST(SnapshotWalk, ByteBudgetBoundsASlice) {
  Keyspace ks;
  for (int i = 0; i < 100; ++i)
    AddString(*ks.dbs[0], "k" + std::to_string(i), std::string(100, 'x'));
  StringSink sink;
  RdbWriteOptions opts;
  opts.encode.compression = false;
  RdbWriter w(&sink, opts);
  SnapshotWalk walk(ks.View(), &w, opts.encode);
  uint64_t before = w.bytes_written();
  EXPECT_FALSE(walk.Step(1000, 1000));
  // A slice stops at the first key past the budget: about ten 100-byte values.
  EXPECT_GE(walk.keys_written(), 9u);
  EXPECT_LE(walk.keys_written(), 11u);
  EXPECT_LT(w.bytes_written() - before, 1300u);
  EXPECT_TRUE(walk.Finish());
  EXPECT_EQ(walk.keys_written(), 100u);
}

TEST(SnapshotWalk, EmptyKeyspaceIsAValidFile) {
  Keyspace ks;
  StringSink sink;
  RdbWriter w(&sink, RdbWriteOptions());
  SnapshotWalk walk(ks.View(), &w, EncodeOptions());
  EXPECT_TRUE(walk.Step(10, SIZE_MAX));
  EXPECT_TRUE(Load(sink.data()).empty());
}

TEST(SnapshotWalk, WriteAheadOfTheWalkKeepsTheOldValue) {
  Keyspace ks;
  for (char c = 'a'; c <= 'f'; ++c) AddString(*ks.dbs[0], std::string(1, c), "old");
  AddString(*ks.dbs[3], "x", "old");
  const auto t0 = ks.Dump();
  StringSink sink;
  RdbWriter w(&sink, RdbWriteOptions());
  SnapshotWalk walk(ks.View(), &w, EncodeOptions());
  EXPECT_FALSE(walk.Step(2, SIZE_MAX));     // a, b written
  for (std::string k : {"a", "d", "zz"}) {  // behind, ahead, new ahead
    walk.BeforeWrite(0, k);
    ks.dbs[0]->Set(k, store::Value::String("new"));
  }
  walk.BeforeWrite(0, "e");
  ks.dbs[0]->Erase("e");
  walk.BeforeWrite(3, "x");  // a db the walk has not begun
  ks.dbs[3]->Set("x", store::Value::String("new"));
  walk.BeforeWrite(3, "y");
  AddString(*ks.dbs[3], "y", "new");
  walk.BeforeWrite(1, "q");  // empty at T0
  AddString(*ks.dbs[1], "q", "new");
  EXPECT_EQ(walk.preimages(), 3u);  // d, e, x
  ASSERT_TRUE(walk.Finish());
  EXPECT_EQ(walk.keys_written(), 7u);
  EXPECT_EQ(Load(sink.data()), t0);
}

TEST(SnapshotWalk, RandomInterleavingsLoadAsT0) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    Keyspace ks;
    const int per_db = 50 + static_cast<int>(rng() % 200);
    Populate(ks, rng, per_db);
    const auto t0 = ks.Dump();
    StringSink sink;
    RdbWriteOptions opts;
    opts.encode.compression = seed % 2 == 0;
    RdbWriter w(&sink, opts);
    SnapshotWalk walk(ks.View(), &w, opts.encode);
    while (!walk.done()) {
      const int writes = static_cast<int>(rng() % 20);
      for (int i = 0; i < writes; ++i) RandomWrite(ks, walk, rng, per_db * 2);
      walk.Step(1 + rng() % 30, rng() % 3 == 0 ? 200 : SIZE_MAX);
    }
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(Load(sink.data()), t0);
  }
}

}  // namespace
}  // namespace persistence
