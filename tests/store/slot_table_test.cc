// SlotTable against a std::map model, and its cursor walk: an element present for the whole walk
// is reported, and the walk ends after one pass, however the table grows, shrinks or is rebuilt
// between steps (the property Redis's SCAN gives, and that a position cursor would not).
#include "store/slot_table.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace store {
namespace {

struct Item {
  std::string key;
};
struct KeyOfItem {
  static std::string_view Key(const Item* i) { return i->key; }
};
using Table = SlotTable<Item, KeyOfItem>;

TEST(SlotTableTest, MatchesAModelThroughGrowthShrinkAndTombstones) {
  std::mt19937 rng(5);
  Table t;
  std::map<std::string, std::unique_ptr<Item>> model;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 20000; ++i) {
      const std::string k = "k" + std::to_string(rng() % 5000);
      if (rng() % 3 != 0) {
        if (model.count(k) == 0) {
          auto item = std::make_unique<Item>(Item{k});
          t.Insert(item.get());
          model[k] = std::move(item);
        }
      } else {
        Item* gone = t.Erase(k);
        auto it = model.find(k);
        ASSERT_EQ(gone, it == model.end() ? nullptr : it->second.get()) << k;
        if (it != model.end()) model.erase(it);
      }
      ASSERT_EQ(t.size(), model.size());
    }
    for (const auto& [k, item] : model) ASSERT_EQ(t.Find(k), item.get()) << k;
    EXPECT_EQ(t.Find("absent"), nullptr);
    // Shrink to a few: the table follows down.
    while (model.size() > 10) {
      ASSERT_NE(t.Erase(model.begin()->first), nullptr);
      model.erase(model.begin());
    }
    EXPECT_LE(t.capacity(), 128u);
    for (const auto& [k, item] : model) ASSERT_EQ(t.Find(k), item.get()) << k;
  }
}

// Writes never stop between steps: the table grows from 512 to 4096 slots and back, and is
// rebuilt for tombstones again and again. The walk must still end within one pass and report
// every element that stayed.
TEST(SlotTableTest, AWalkUnderUnboundedChurnEndsAndMissesNothingThatStays) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    Table t;
    std::vector<std::unique_ptr<Item>> keep, tmp;
    for (int i = 0; i < 300; ++i) {
      keep.push_back(std::make_unique<Item>(Item{"keep" + std::to_string(i)}));
      t.Insert(keep.back().get());
    }
    std::map<std::string, int> seen;
    uint64_t cursor = 0;
    int steps = 0;
    int next_tmp = 0;
    do {
      cursor = t.ScanStep(cursor, 1 + rng() % 16, [&](const Item* i) { ++seen[i->key]; });
      const bool growing = (steps / 40) % 2 == 0;  // phases of growth and of shrinking
      for (int k = 0; k < 60; ++k) {
        if (growing || tmp.empty()) {
          tmp.push_back(std::make_unique<Item>(Item{"tmp" + std::to_string(next_tmp++)}));
          t.Insert(tmp.back().get());
        } else {
          const size_t victim = rng() % tmp.size();
          ASSERT_EQ(t.Erase(tmp[victim]->key), tmp[victim].get());
          tmp[victim] = std::move(tmp.back());
          tmp.pop_back();
        }
      }
      ++steps;
    } while (cursor != 0 && steps < 100000);
    ASSERT_EQ(cursor, 0u) << "the walk never ended, seed " << seed;
    // One pass over at most 4096 homes, 1-16 a step: a bounded number of steps.
    EXPECT_LT(steps, 4096) << "seed " << seed;
    for (const auto& k : keep) EXPECT_GE(seen[k->key], 1) << k->key << " seed " << seed;
  }
}

TEST(SlotTableTest, AStableTableReportsEachElementOnceAndEmptyEndsAtOnce) {
  Table t;
  EXPECT_EQ(t.ScanStep(0, 10, [](const Item*) { FAIL(); }), 0u);
  std::vector<std::unique_ptr<Item>> items;
  for (int i = 0; i < 1000; ++i) {
    items.push_back(std::make_unique<Item>(Item{"m" + std::to_string(i)}));
    t.Insert(items.back().get());
  }
  std::map<std::string, int> seen;
  uint64_t cursor = 0;
  int steps = 0;
  do {
    cursor = t.ScanStep(cursor, 7, [&](const Item* i) { ++seen[i->key]; });
    ++steps;
  } while (cursor != 0);
  EXPECT_GT(steps, 1);  // it paged
  ASSERT_EQ(seen.size(), items.size());
  for (const auto& [k, n] : seen) EXPECT_EQ(n, 1) << k;
}

}  // namespace
}  // namespace store
