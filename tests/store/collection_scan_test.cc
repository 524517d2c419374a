// HSCAN / SSCAN / ZSCAN's steps on the value types (the walk itself: slot_table_test.cc).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "store/set_value.h"
#include "store/zset_value.h"

namespace store {
namespace {

TEST(CollectionScan, SetIntsetIsOnePageHashtablePages) {
  SetValue s;
  for (int i = 0; i < 100; ++i) s.Add(std::to_string(i), 512);
  ASSERT_TRUE(s.is_intset());
  std::set<std::string> seen;
  EXPECT_EQ(s.ScanStep(0, 1, [&](std::string_view m) { seen.emplace(m); }), 0u);
  EXPECT_EQ(seen.size(), 100u);

  for (int i = 0; i < 1000; ++i) s.Add("s" + std::to_string(i), 512);
  ASSERT_FALSE(s.is_intset());
  seen.clear();
  uint64_t cursor = s.ScanStep(0, 10, [&](std::string_view m) { seen.emplace(m); });
  EXPECT_NE(cursor, 0u);
  while (cursor != 0) cursor = s.ScanStep(cursor, 10, [&](std::string_view m) { seen.emplace(m); });
  EXPECT_EQ(seen.size(), 1100u);
  EXPECT_EQ(seen.count("s999"), 1u);
  EXPECT_EQ(seen.count("42"), 1u);
}

TEST(CollectionScan, ZSetListpackInRankOrderSkiplistPagesWithScores) {
  ZSetValue small(/*listpack=*/true);
  small.Set("b", 2, 128, 64);
  small.Set("a", 3, 128, 64);
  small.Set("c", 1, 128, 64);
  std::vector<std::pair<std::string, double>> order;
  EXPECT_EQ(small.ScanStep(0, 1, [&](double s, std::string_view m) { order.emplace_back(m, s); }),
            0u);
  EXPECT_EQ(order, (std::vector<std::pair<std::string, double>>{{"c", 1}, {"b", 2}, {"a", 3}}));

  ZSetValue big(/*listpack=*/false);
  for (int i = 0; i < 500; ++i) big.Set("m" + std::to_string(i), i * 0.5, 128, 64);
  std::map<std::string, double> seen;
  auto note = [&](double s, std::string_view m) { seen[std::string(m)] = s; };
  uint64_t cursor = big.ScanStep(0, 10, note);
  EXPECT_NE(cursor, 0u);
  while (cursor != 0) cursor = big.ScanStep(cursor, 10, note);
  ASSERT_EQ(seen.size(), 500u);
  EXPECT_EQ(seen["m7"], 3.5);
  EXPECT_EQ(seen["m499"], 249.5);
}

// The skiplist's index is walked by the SlotTable cursor: members present for the whole walk are
// reported even as others come and go (and the index is rebuilt) between steps.
TEST(CollectionScan, ZSetSkipListSurvivesChangesMidWalk) {
  std::mt19937_64 rng(99);
  ZSetValue z(/*listpack=*/false);
  for (int i = 0; i < 300; ++i) z.Set("keep" + std::to_string(i), i, 128, 64);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int steps = 0;
  int next_tmp = 0;
  do {
    cursor =
        z.ScanStep(cursor, 1 + rng() % 8, [&](double, std::string_view m) { seen.emplace(m); });
    for (int k = 0; k < 10; ++k) {
      z.Set("tmp" + std::to_string(next_tmp++), static_cast<double>(rng() % 100), 128, 64);
      if (next_tmp > 1000) z.Remove("tmp" + std::to_string(next_tmp - 1000));
    }
  } while (cursor != 0 && ++steps < 100000);
  ASSERT_EQ(cursor, 0u);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(seen.count("keep" + std::to_string(i)), 1u) << i;
}

}  // namespace
}  // namespace store
