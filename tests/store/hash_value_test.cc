// HashValue against a std::map model: random operations with a fixed seed, across the
// listpack -> hashtable conversion, plus the hash store operations' edge cases.
#include "store/hash_value.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "store/clock.h"
#include "store/db.h"
#include "store/hash_ops.h"

namespace store {
namespace {

std::map<std::string, std::string> Contents(const HashValue& h) {
  std::map<std::string, std::string> m;
  h.ForEach([&](std::string_view f, std::string_view v) {
    EXPECT_TRUE(m.emplace(std::string(f), std::string(v)).second) << "duplicate field " << f;
  });
  return m;
}

TEST(HashValue, ModelBased) {
  std::mt19937_64 rng(20240607);
  const HashLimits limits{16, 8};
  for (int round = 0; round < 20; ++round) {
    HashValue h;
    std::map<std::string, std::string> model;
    bool converted = false;
    for (int step = 0; step < 400; ++step) {
      const std::string field = "f" + std::to_string(rng() % 24);
      const int op = static_cast<int>(rng() % 10);
      if (op < 6) {
        // Mostly short values; now and then one past the value limit.
        std::string value(rng() % 20 == 0 ? 9 : rng() % 8, static_cast<char>('a' + rng() % 26));
        const bool is_new = model.find(field) == model.end();
        EXPECT_EQ(h.Set(field, value, limits), is_new);
        model[field] = value;
        if (value.size() > 8 || model.size() > 16) converted = true;
      } else if (op < 9) {
        EXPECT_EQ(h.Erase(field), model.erase(field) == 1);
      } else {
        const std::optional<std::string_view> v = h.Get(field);
        auto it = model.find(field);
        ASSERT_EQ(!v, it == model.end());
        if (v) {
          EXPECT_EQ(*v, it->second);
        }
      }
      ASSERT_EQ(h.size(), model.size());
      // One-way conversion: once past a limit, always a hashtable.
      ASSERT_EQ(h.is_listpack(), !converted);
      ASSERT_EQ(h.encoding(), converted ? "hashtable" : "listpack");
    }
    EXPECT_EQ(Contents(h), model);
    // A scan walk over the whole table visits every entry.
    std::map<std::string, std::string> seen;
    uint64_t cursor = 0;
    do {
      cursor = h.ScanStep(cursor, 3, [&](std::string_view f, std::string_view v) {
        seen[std::string(f)] = std::string(v);
      });
    } while (cursor != 0);
    EXPECT_EQ(seen, model);
    auto copy = h.Clone();
    EXPECT_EQ(Contents(static_cast<const HashValue&>(*copy)), model);
    EXPECT_EQ(copy->encoding(), h.encoding());
  }
}

TEST(HashValue, ListpackKeepsInsertionOrder) {
  HashValue h;
  const HashLimits limits;
  h.Set("b", "1", limits);
  h.Set("a", "2", limits);
  h.Set("c", "3", limits);
  h.Erase("a");
  h.Set("a", "4", limits);
  h.Set("b", "5", limits);
  std::vector<std::string> order;
  h.ForEach([&](std::string_view f, std::string_view) { order.emplace_back(f); });
  EXPECT_EQ(order, (std::vector<std::string>{"b", "c", "a"}));
  EXPECT_EQ(h.At(0).second, "5");
}

TEST(HashValue, ScanSurvivesGrowth) {
  HashValue h;
  const HashLimits limits{0, 64};
  for (int i = 0; i < 100; ++i) h.Set("old" + std::to_string(i), "v", limits);
  std::set<std::string> seen;
  auto note = [&](std::string_view f, std::string_view) { seen.emplace(f); };
  uint64_t cursor = h.ScanStep(0, 5, note);
  ASSERT_NE(cursor, 0u);
  // Grow the table mid-walk: the bucket array is rebuilt.
  for (int i = 0; i < 5000; ++i) h.Set("new" + std::to_string(i), "v", limits);
  int steps = 0;
  while (cursor != 0 && ++steps < 100000) cursor = h.ScanStep(cursor, 5, note);
  EXPECT_EQ(cursor, 0u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen.count("old" + std::to_string(i)), 1u) << i;
}

TEST(HashValue, ZeroEntryLimitConvertsAtOnce) {
  HashValue h;
  EXPECT_TRUE(h.Set("f", "v", HashLimits{0, 64}));
  EXPECT_EQ(h.encoding(), "hashtable");
}

TEST(HashValue, SmallHashCarriesOneEncoding) {
  // A vptr and a variant of the packed pairs (a pointer and two 32-bit counts: 16 bytes on 64-bit
  // targets, 12 on 32-bit ones) or a map pointer: one 32-byte block.
  EXPECT_LE(sizeof(HashValue), 32u);
  EXPECT_EQ(sizeof(PackedPairs), sizeof(void*) + 8);
}

TEST(HashValue, ConvertsPastTheEntryLimitWithContentsIntact) {
  HashValue h;
  const HashLimits limits{8, 64};
  std::map<std::string, std::string> model;
  for (int i = 0; i < 8; ++i) {
    const std::string f = "field" + std::to_string(i);
    const std::string v(static_cast<size_t>(i * 8), static_cast<char>(i));  // 0..56 bytes
    ASSERT_TRUE(h.Set(f, v, limits));
    model[f] = v;
  }
  EXPECT_EQ(h.encoding(), "listpack");
  EXPECT_FALSE(h.Set("field3", "replaced", limits));
  model["field3"] = "replaced";
  EXPECT_EQ(h.encoding(), "listpack");
  ASSERT_TRUE(h.Set("ninth", "", limits));
  model["ninth"] = "";
  EXPECT_EQ(h.encoding(), "hashtable");
  EXPECT_EQ(Contents(h), model);
  EXPECT_EQ(*h.Get("field3"), "replaced");
  EXPECT_EQ(*h.Get("ninth"), "");
}

TEST(HashValue, ConvertsOnALongFieldOrValue) {
  const HashLimits limits{512, 16};
  HashValue by_value;
  by_value.Set("a", "1", limits);
  by_value.Set("b", std::string(16, 'x'), limits);
  EXPECT_EQ(by_value.encoding(), "listpack");
  by_value.Set("c", std::string(17, 'x'), limits);
  EXPECT_EQ(by_value.encoding(), "hashtable");
  EXPECT_EQ(Contents(by_value),
            (std::map<std::string, std::string>{
                {"a", "1"}, {"b", std::string(16, 'x')}, {"c", std::string(17, 'x')}}));
  HashValue by_field;
  by_field.Set("a", "1", limits);
  by_field.Set(std::string(17, 'f'), "v", limits);
  EXPECT_EQ(by_field.encoding(), "hashtable");
  EXPECT_EQ(by_field.size(), 2u);
}

TEST(HashValue, ListpackBinarySafe) {
  HashValue h;
  const HashLimits limits;
  const std::string binary("\0\xff\r\n", 4);
  h.Set(binary, "", limits);
  h.Set("", binary, limits);
  EXPECT_EQ(h.encoding(), "listpack");
  EXPECT_EQ(*h.Get(binary), "");
  EXPECT_EQ(*h.Get(""), binary);
  EXPECT_EQ(h.At(1).first, "");
  EXPECT_TRUE(h.Erase(binary));
  EXPECT_EQ(h.size(), 1u);
}

TEST(HashValue, HashtableRewritesValuesOfAnySize) {
  HashValue h;
  const HashLimits limits{0, 64};
  const std::string long_value(300, 'L');  // a two-byte length
  ASSERT_TRUE(h.Set("f", "12345", limits));
  ASSERT_EQ(h.encoding(), "hashtable");
  EXPECT_FALSE(h.Set("f", "abcde", limits));  // same size: rewritten in place
  EXPECT_EQ(*h.Get("f"), "abcde");
  EXPECT_FALSE(h.Set("f", long_value, limits));  // grows: a new allocation
  EXPECT_EQ(*h.Get("f"), long_value);
  EXPECT_FALSE(h.Set("f", "", limits));
  EXPECT_EQ(*h.Get("f"), "");
  const std::string binary("\0k\xff", 3);
  EXPECT_TRUE(h.Set(binary, binary, limits));
  EXPECT_TRUE(h.Set("", "empty field", limits));
  // A value taken from the hash itself may be written back, to its own field or another.
  const std::string_view own = *h.Get("");
  EXPECT_FALSE(h.Set("", own, limits));
  EXPECT_FALSE(h.Set("f", *h.Get(binary), limits));
  EXPECT_EQ(Contents(h), (std::map<std::string, std::string>{
                             {"", "empty field"}, {"f", binary}, {binary, binary}}));
  auto copy = h.Clone();
  EXPECT_TRUE(h.Erase("f"));
  EXPECT_FALSE(h.Erase("f"));
  EXPECT_EQ(static_cast<const HashValue&>(*copy).size(), 3u);
  EXPECT_EQ(*static_cast<const HashValue&>(*copy).Get("f"), binary);
}

class HashOpsTest : public ::testing::Test {
 protected:
  Clock clock_;
  Db db_{0, &clock_};
  HashLimits limits_;
};

TEST_F(HashOpsTest, SetDelDeletesEmptyKey) {
  const std::string_view args[] = {"a", "1", "b", "2", "a", "3"};
  Result<int64_t> added = HashSet(db_, "h", db_.Find("h"), args, limits_);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added.value(), 2);
  const std::string_view fields[] = {"a", "zz"};
  EXPECT_EQ(HashDel(db_, "h", db_.Find("h"), fields).value(), 1);
  ASSERT_NE(db_.Find("h"), nullptr);
  const std::string_view last[] = {"b"};
  EXPECT_EQ(HashDel(db_, "h", db_.Find("h"), last).value(), 1);
  EXPECT_EQ(db_.Find("h"), nullptr);
}

TEST_F(HashOpsTest, LongArgumentConverts) {
  const std::string long_value(65, 'x');
  const std::string_view args[] = {"a", long_value};
  ASSERT_TRUE(HashSet(db_, "h", nullptr, args, limits_).ok());
  EXPECT_EQ(db_.Find("h")->value().Encoding(), "hashtable");
}

TEST_F(HashOpsTest, IncrBy) {
  EXPECT_EQ(HashIncrBy(db_, "h", nullptr, "n", 5, limits_).value(), 5);
  EXPECT_EQ(HashIncrBy(db_, "h", db_.Find("h"), "n", -7, limits_).value(), -2);
  const std::string_view args[] = {"s", "abc", "big", "9223372036854775807"};
  ASSERT_TRUE(HashSet(db_, "h", db_.Find("h"), args, limits_).ok());
  EXPECT_EQ(HashIncrBy(db_, "h", db_.Find("h"), "s", 1, limits_).status(), Status::kNotInteger);
  EXPECT_EQ(HashIncrBy(db_, "h", db_.Find("h"), "big", 1, limits_).status(), Status::kOverflow);
  EXPECT_EQ(HashIncrByFloat(db_, "h", db_.Find("h"), "s", 1, limits_).status(), Status::kNotFloat);
  EXPECT_EQ(HashIncrByFloat(db_, "h", db_.Find("h"), "f", 1.5L, limits_).value(), "1.5");
  db_.Set("str", Value::String("x"));
  EXPECT_EQ(HashIncrBy(db_, "str", db_.Find("str"), "n", 1, limits_).status(), Status::kWrongType);
}

TEST_F(HashOpsTest, RandomEntries) {
  HashValue h;
  for (int i = 0; i < 10; ++i) h.Set("f" + std::to_string(i), "v", limits_);
  EXPECT_EQ(HashRandomEntries(h, 100, 1).size(), 10u);
  auto distinct = HashRandomEntries(h, 6, 2);
  ASSERT_EQ(distinct.size(), 6u);
  std::set<std::string_view> fields;
  for (const auto& [f, v] : distinct) fields.insert(f);
  EXPECT_EQ(fields.size(), 6u);
  EXPECT_EQ(HashRandomEntries(h, -25, 3).size(), 25u);
  EXPECT_TRUE(HashRandomEntries(h, 0, 4).empty());
}

TEST_F(HashOpsTest, RandomEntriesHashtable) {
  HashValue h;
  for (int i = 0; i < 1000; ++i) h.Set("f" + std::to_string(i), std::to_string(i), limits_);
  ASSERT_EQ(h.encoding(), "hashtable");
  for (int64_t count : {1, 10, 333, 334, 999, 1000, 5000}) {
    auto picks = HashRandomEntries(h, count, static_cast<uint64_t>(count));
    ASSERT_EQ(picks.size(), static_cast<size_t>(std::min<int64_t>(count, 1000)));
    std::set<std::string_view> fields;
    for (const auto& [f, v] : picks) {
      fields.insert(f);
      EXPECT_EQ("f" + std::string(v), f);
    }
    EXPECT_EQ(fields.size(), picks.size()) << count;
  }
  // Sparse after deletions (the bucket array never shrinks): picks still come back.
  for (int i = 0; i < 999; ++i) h.Erase("f" + std::to_string(i));
  auto picks = HashRandomEntries(h, -20, 7);
  ASSERT_EQ(picks.size(), 20u);
  for (const auto& [f, v] : picks) EXPECT_EQ(f, "f999");
  // Roughly uniform: every field of a small hashtable shows up in many draws.
  HashValue small;
  for (int i = 0; i < 8; ++i) small.Set("x" + std::to_string(i), "v", HashLimits{0, 64});
  std::map<std::string_view, int> hits;
  for (const auto& [f, v] : HashRandomEntries(small, -8000, 9)) ++hits[f];
  EXPECT_EQ(hits.size(), 8u);
  for (const auto& [f, n] : hits) EXPECT_GT(n, 500) << f;
}

}  // namespace
}  // namespace store
