#include "store/skiplist.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <random>
#include <string>

#include "store/db.h"

namespace store {
namespace {

std::string RandomKey(std::mt19937& rng) {
  std::uniform_int_distribution<int> len(0, 6), ch('a', 'e');
  std::string k(static_cast<size_t>(len(rng)), 'a');
  for (char& c : k) c = static_cast<char>(ch(rng));
  return k;
}

// Random inserts, erases and seeks with a fixed seed, checked against std::map.
TEST(SkipList, MatchesStdMapModel) {
  std::mt19937 rng(42);
  SkipList list;
  std::map<std::string, int64_t> model;
  for (int i = 0; i < 20000; ++i) {
    std::string k = RandomKey(rng);
    switch (rng() % 3) {
      case 0:
        if (model.count(k) == 0) {
          model[k] = i;
          list.Insert(k, Value::Int(i));
        }
        break;
      case 1:
        EXPECT_EQ(list.Erase(k), model.erase(k) == 1);
        break;
      case 2: {
        bool excl = rng() % 2;
        auto it = excl ? model.upper_bound(k) : model.lower_bound(k);
        Entry* e = list.LowerBound(k, excl);
        if (it == model.end()) {
          EXPECT_EQ(e, nullptr);
        } else {
          ASSERT_NE(e, nullptr);
          EXPECT_EQ(e->key(), it->first);
          EXPECT_EQ(e->value().int_value(), it->second);
        }
      }
    }
    ASSERT_EQ(list.size(), model.size());
  }
  auto it = model.begin();
  for (Entry* e = list.First(); e != nullptr; e = e->next(0), ++it) {
    ASSERT_NE(it, model.end());
    EXPECT_EQ(e->key(), it->first);
  }
  EXPECT_EQ(it, model.end());
}

TEST(SkipList, BinaryKeysOrderBytewise) {
  SkipList list;
  list.Insert(std::string("\xff", 1), Value());
  list.Insert(std::string("a\0b", 3), Value());
  list.Insert("a", Value());
  EXPECT_EQ(list.First()->key(), "a");
  EXPECT_EQ(list.First()->next(0)->key(), std::string("a\0b", 3));
  EXPECT_EQ(list.First()->next(0)->next(0)->key(), "\xff");
}

}  // namespace
}  // namespace store

namespace store {
namespace {

// Ascending inserts take the tail path; erasing the last keys (and others) must keep the tails
// right, or a later append would link after a freed node or out of order.
TEST(SkipList, AppendsAfterTheTailThroughErases) {
  std::mt19937 rng(7);
  SkipList list;
  std::map<std::string, int64_t> model;
  int next = 0;
  auto key = [](int i) {
    char b[16];
    std::snprintf(b, sizeof(b), "k%08d", i);
    return std::string(b);
  };
  for (int i = 0; i < 20000; ++i) {
    const uint32_t op = rng() % 10;
    if (op < 6 || model.empty()) {  // append past the end
      std::string k = key(next++);
      list.Insert(k, Value::Int(i));
      model[k] = i;
    } else if (op < 8) {  // erase the last key, or the last few
      int n = 1 + static_cast<int>(rng() % 3);
      while (n-- > 0 && !model.empty()) {
        auto last = std::prev(model.end());
        ASSERT_TRUE(list.Erase(last->first));
        model.erase(last);
      }
    } else {  // erase a random key
      auto it = model.lower_bound(key(static_cast<int>(rng() % std::max(next, 1))));
      if (it == model.end()) continue;
      ASSERT_TRUE(list.Erase(it->first));
      model.erase(it);
    }
    ASSERT_EQ(list.size(), model.size());
  }
  // Every level is in order and the walk matches the model.
  auto it = model.begin();
  for (Entry* e = list.First(); e != nullptr; e = e->next(0), ++it) {
    ASSERT_NE(it, model.end());
    EXPECT_EQ(e->key(), it->first);
  }
  EXPECT_EQ(it, model.end());
  list.Clear();
  list.Insert("b", Value::Int(1));
  list.Insert("a", Value::Int(2));  // not past the end: a search
  list.Insert("c", Value::Int(3));
  EXPECT_EQ(list.First()->key(), "a");
  EXPECT_EQ(list.First()->next(0)->next(0)->key(), "c");
}

}  // namespace
}  // namespace store
