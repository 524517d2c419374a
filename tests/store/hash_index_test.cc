#include "store/hash_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "store/skiplist.h"

namespace store {
namespace {

// The index is driven through growth and shrink (so through incremental resizes) with random
// inserts and erases against a std::map model; every key of the model must be found, and erased
// keys must not be.
TEST(HashIndex, MatchesModelThroughIncrementalResizes) {
  std::mt19937 rng(7);
  SkipList nodes;  // owns the Entry objects the index points to
  HashIndex index;
  std::map<std::string, Entry*> model;
  bool saw_rehash = false;
  for (int round = 0; round < 4; ++round) {
    // Grow to ~20k keys, then shrink to a few hundred.
    for (int i = 0; i < 30000; ++i) {
      std::string k = "k" + std::to_string(rng() % 20000);
      bool grow = (i % 3) != 0;
      auto it = model.find(k);
      if (grow && it == model.end()) {
        Entry* e = nodes.Insert(k, Value());
        index.Insert(e);
        model[k] = e;
      } else if (!grow && it != model.end()) {
        ASSERT_TRUE(index.Erase(k));
        nodes.Erase(k);
        model.erase(it);
      } else if (!grow) {
        ASSERT_FALSE(index.Erase(k));
      }
      saw_rehash |= index.rehashing();
      ASSERT_EQ(index.size(), model.size());
      if (i % 97 == 0) {
        // A pipelined batch's look ahead, present and absent keys, more than one prefetch round:
        // it may only read (under ASan, only inside the tables), so the model still holds.
        std::string ks[20];
        std::string_view views[20];
        for (int j = 0; j < 20; ++j) views[j] = ks[j] = "k" + std::to_string(rng() % 25000);
        index.Prefetch(views, 20);
      }
    }
    for (const auto& [k, e] : model) ASSERT_EQ(index.Find(k), e) << k;
    while (model.size() > 300) {
      auto it = model.begin();
      std::advance(it, static_cast<long>(rng() % model.size()));
      ASSERT_TRUE(index.Erase(it->first));
      nodes.Erase(it->first);
      model.erase(it);
      saw_rehash |= index.rehashing();
    }
    for (const auto& [k, e] : model) ASSERT_EQ(index.Find(k), e) << k;
    EXPECT_EQ(index.Find("absent"), nullptr);
  }
  EXPECT_TRUE(saw_rehash);
  while (index.Rehash(1000)) {
  }
  EXPECT_LE(index.capacity(), 4096u);  // shrank back
  for (const auto& [k, e] : model) ASSERT_EQ(index.Find(k), e);
}

TEST(HashIndex, RandomReturnsLiveNodesDuringResize) {
  SkipList nodes;
  HashIndex index;
  for (int i = 0; i < 1000; ++i) index.Insert(nodes.Insert("k" + std::to_string(i), Value()));
  std::mt19937_64 rng(1);
  for (int i = 0; i < 1000; ++i) {
    Entry* e = index.Random(rng());
    ASSERT_NE(e, nullptr);
    ASSERT_EQ(index.Find(e->key()), e);
  }
  HashIndex empty;
  EXPECT_EQ(empty.Random(123), nullptr);
}

TEST(HashIndex, HashIsSeededAndLengthSensitive) {
  EXPECT_NE(HashBytes("a", 1), HashBytes("a", 2));
  EXPECT_NE(HashBytes(std::string_view("\0", 1), 1), HashBytes(std::string_view("\0\0", 2), 1));
}

}  // namespace
}  // namespace store

namespace store {
namespace {

TEST(HashIndex, ReserveSizesOnceAndHoldsTheFloorUntilReleased) {
  SkipList nodes;
  HashIndex index;
  index.Reserve(100000);
  const size_t reserved = index.capacity();
  EXPECT_GE(reserved * 3, 100000u * 4);
  for (int i = 0; i < 100000; ++i) {
    index.Insert(nodes.Insert("k" + std::to_string(i), Value()));
    ASSERT_FALSE(index.rehashing()) << i;  // no resize on the way
  }
  EXPECT_EQ(index.capacity(), reserved);
  for (int i = 0; i < 99990; ++i) index.Erase("k" + std::to_string(i));
  index.Rehash(SIZE_MAX);
  EXPECT_EQ(index.capacity(), reserved);  // the floor holds
  index.Reserve(0);
  for (int i = 99990; i < 100000; ++i) index.Erase("k" + std::to_string(i));
  index.Insert(nodes.Insert("again", Value()));
  index.Rehash(SIZE_MAX);
  EXPECT_LT(index.capacity(), reserved);  // released: it shrinks again
  EXPECT_NE(index.Find("again"), nullptr);
}

}  // namespace
}  // namespace store
