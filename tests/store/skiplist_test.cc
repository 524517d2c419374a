#include "store/skiplist.h"

#include <gtest/gtest.h>

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
