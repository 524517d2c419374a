// PairTable against a std::map model with a fixed seed (sets, overwrites of every length, erases
// through growth, shrinking and tombstone rebuilds), and HSCAN's guarantee: a cursor walk with
// writes between its steps returns every pair present for the whole walk.
#include "store/pair_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>

namespace store {
namespace {

std::map<std::string, std::string> Contents(const PairTable& t) {
  std::map<std::string, std::string> out;
  t.ForEach([&](std::string_view f, std::string_view v) {
    EXPECT_TRUE(out.emplace(std::string(f), std::string(v)).second) << "listed twice: " << f;
  });
  return out;
}

TEST(PairTableTest, MatchesAModel) {
  PairTable t;
  std::map<std::string, std::string> model;
  std::mt19937 rng(11);
  for (int step = 0; step < 60000; ++step) {
    // A key space that grows, then shrinks, so the table grows and shrinks through rebuilds.
    const int span = step < 30000 ? 50 + step / 10 : 3050 - (step - 30000) / 10;
    const std::string f = "f" + std::to_string(rng() % static_cast<unsigned>(span));
    if (rng() % 3 != 0) {
      const std::string v(rng() % 40, static_cast<char>('a' + rng() % 26));
      ASSERT_EQ(t.Set(f, v), model.count(f) == 0) << step;
      model[f] = v;
    } else {
      ASSERT_EQ(t.Erase(f), model.erase(f) == 1) << step;
    }
    ASSERT_EQ(t.size(), model.size());
    const char* p = t.Find(f);
    ASSERT_EQ(p != nullptr, model.count(f) == 1);
    if (p != nullptr) {
      ASSERT_EQ(PairTable::Read(p).second, model[f]);
    }
    if (step % 5000 == 0) {
      ASSERT_EQ(Contents(t), model) << step;
    }
  }
  EXPECT_EQ(Contents(t), model);
  PairTable copy(t);
  EXPECT_EQ(Contents(copy), model);
  for (size_t i = 0; i < t.size(); ++i) ASSERT_NE(t.At(i), nullptr);
}

TEST(PairTableTest, AScanWithWritesBetweenStepsMissesNoStayingPair) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    PairTable t;
    std::mt19937 rng(seed);
    std::set<std::string> staying;
    for (int i = 0; i < 500; ++i) {
      const std::string f = "s" + std::to_string(i);
      t.Set(f, "v");
      staying.insert(f);
    }
    for (int i = 0; i < 500; ++i) t.Set("t" + std::to_string(i), "v");
    std::set<std::string> seen;
    uint64_t cursor = 0;
    int steps = 0;
    do {
      cursor =
          t.ScanStep(cursor, 10, [&](std::string_view f, std::string_view) { seen.emplace(f); });
      // Between steps: churn of other fields (adds, deletes, so rebuilds of every kind).
      for (int k = 0; k < 20; ++k) {
        const std::string f = "t" + std::to_string(rng() % 2000);
        if (rng() % 2 == 0) {
          t.Set(f, std::string(rng() % 30, 'x'));
        } else {
          t.Erase(f);
        }
      }
      ASSERT_LT(++steps, 100000) << "the walk never ends";
    } while (cursor != 0);
    for (const std::string& f : staying) ASSERT_EQ(seen.count(f), 1u) << f << " seed " << seed;
  }
}

TEST(PairTableTest, RandomReachesEveryPair) {
  PairTable t;
  for (int i = 0; i < 100; ++i) t.Set("f" + std::to_string(i), "v");
  std::mt19937_64 rng(3);
  auto next = [](void* r) { return (*static_cast<std::mt19937_64*>(r))(); };
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) seen.emplace(PairTable::Read(t.Random(next, &rng)).first);
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace store
