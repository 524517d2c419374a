// PackedPairs: the byte format round-trips any bytes, keeps insertion order through erases in
// the middle, sizes its buffer to the allocator's classes, and agrees with an ordered model.
#include "store/packed_pairs.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace store {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs Contents(const PackedPairs& p) {
  Pairs out;
  p.ForEach([&](std::string_view f, std::string_view v) { out.emplace_back(f, v); });
  return out;
}

TEST(PackedPairs, EmptyHoldsNoBuffer) {
  PackedPairs p;
  EXPECT_EQ(p.size(), 0u);
  EXPECT_EQ(p.bytes(), 0u);
  EXPECT_EQ(p.capacity(), 0u);
  EXPECT_FALSE(p.Get("x"));
  EXPECT_FALSE(p.Erase("x"));
  EXPECT_TRUE(Contents(p).empty());
}

TEST(PackedPairs, RoundTripsBinaryEmptyAndLongStrings) {
  const std::string binary("a\0b\xff\x80\r\n", 7);
  const std::string long_field(300, 'F');    // a two-byte length
  const std::string huge_value(20000, 'v');  // a three-byte length
  const Pairs want = {{"", ""},         {"empty-value", ""}, {"", "empty-field-taken"},
                      {binary, binary}, {long_field, "x"},   {"y", huge_value}};
  PackedPairs p;
  for (const auto& [f, v] : want) {
    // The pair {"", "empty-field-taken"} overwrites the first one's value.
    p.Set(f, v);
  }
  const Pairs stored = {{"", "empty-field-taken"},
                        {"empty-value", ""},
                        {binary, binary},
                        {long_field, "x"},
                        {"y", huge_value}};
  EXPECT_EQ(Contents(p), stored);
  EXPECT_EQ(p.size(), 5u);
  size_t bytes = 0;
  for (const auto& [f, v] : stored) bytes += PackedPairs::PairBytes(f.size(), v.size());
  EXPECT_EQ(p.bytes(), bytes);
  EXPECT_EQ(PackedPairs::PairBytes(300, 20000), 2u + 300u + 3u + 20000u);
  for (const auto& [f, v] : stored) {
    ASSERT_TRUE(p.Get(f)) << f;
    EXPECT_EQ(*p.Get(f), v);
  }
  EXPECT_EQ(p.At(2).first, binary);
  EXPECT_EQ(p.At(4).second, huge_value);
}

TEST(PackedPairs, SetReportsNewAndKeepsPosition) {
  PackedPairs p;
  EXPECT_TRUE(p.Set("a", "1"));
  EXPECT_TRUE(p.Set("b", "2"));
  EXPECT_TRUE(p.Set("c", "3"));
  EXPECT_FALSE(p.Set("b", "a much longer value than before"));
  EXPECT_FALSE(p.Set("a", ""));
  EXPECT_FALSE(p.Set("c", "3"));
  EXPECT_EQ(Contents(p), (Pairs{{"a", ""}, {"b", "a much longer value than before"}, {"c", "3"}}));
}

TEST(PackedPairs, EraseInTheMiddleKeepsOrder) {
  PackedPairs p;
  for (int i = 0; i < 6; ++i) p.Set("f" + std::to_string(i), "v" + std::to_string(i));
  EXPECT_TRUE(p.Erase("f2"));
  EXPECT_FALSE(p.Erase("f2"));
  EXPECT_TRUE(p.Erase("f0"));
  EXPECT_TRUE(p.Erase("f5"));
  EXPECT_EQ(Contents(p), (Pairs{{"f1", "v1"}, {"f3", "v3"}, {"f4", "v4"}}));
  EXPECT_TRUE(p.Set("f2", "again"));
  EXPECT_EQ(p.At(3), (std::pair<std::string_view, std::string_view>("f2", "again")));
  for (const char* f : {"f1", "f3", "f4", "f2"}) EXPECT_TRUE(p.Erase(f));
  EXPECT_EQ(p.size(), 0u);
  EXPECT_EQ(p.capacity(), 0u);
}

TEST(PackedPairs, CapacityFollowsSizeClasses) {
  EXPECT_EQ(PackedPairs::CapacityFor(0), 0u);
  // mimalloc 2.0.9's mi_good_size gives these blocks.
  EXPECT_EQ(PackedPairs::CapacityFor(1), 8u);
  EXPECT_EQ(PackedPairs::CapacityFor(9), 16u);
  EXPECT_EQ(PackedPairs::CapacityFor(17), 32u);
  EXPECT_EQ(PackedPairs::CapacityFor(24), 32u);
  EXPECT_EQ(PackedPairs::CapacityFor(33), 48u);
  EXPECT_EQ(PackedPairs::CapacityFor(64), 64u);
  EXPECT_EQ(PackedPairs::CapacityFor(65), 80u);
  EXPECT_EQ(PackedPairs::CapacityFor(86), 96u);
  EXPECT_EQ(PackedPairs::CapacityFor(240), 256u);
  EXPECT_EQ(PackedPairs::CapacityFor(260), 320u);
  EXPECT_EQ(PackedPairs::CapacityFor(8193), 10240u);
  // Growth between classes is bounded: never more than 25% slack above 64 bytes.
  for (size_t n = 65; n < 100000; n += 7) {
    const size_t c = PackedPairs::CapacityFor(n);
    ASSERT_GE(c, n);
    ASSERT_LE(c, n + n / 4) << n;
  }
}

TEST(PackedPairs, GrowsToAThresholdSizedToFit) {
  // 512 pairs of a 10-byte field and a 12-byte value, as the default listpack limit allows.
  PackedPairs p;
  for (int i = 0; i < 512; ++i) {
    char field[16];
    char value[16];
    snprintf(field, sizeof(field), "field:%04d", i);
    snprintf(value, sizeof(value), "val:%08x", i * 7919);
    ASSERT_TRUE(p.Set(field, value));
    ASSERT_EQ(p.bytes(), static_cast<size_t>(i + 1) * 24);
    ASSERT_EQ(p.capacity(), PackedPairs::CapacityFor(p.bytes()));
  }
  EXPECT_EQ(p.size(), 512u);
  EXPECT_EQ(*p.Get("field:0511"), "val:003dbf11");  // 511 * 7919 = 0x3dbf11
  EXPECT_LE(p.capacity(), 512u * 24 + 512u * 24 / 4);
}

TEST(PackedPairs, ViewsOfItsOwnBytesMayBeWrittenBack) {
  PackedPairs p;
  p.Set("a", "first");
  p.Set("b", std::string(100, 'b'));
  // Both writes reallocate or move the bytes the views point at.
  const std::string_view a_value = *p.Get("a");
  p.Set("c", a_value);
  const std::string_view b_value = *p.Get("b");
  p.Set("a", b_value);
  EXPECT_EQ(Contents(p),
            (Pairs{{"a", std::string(100, 'b')}, {"b", std::string(100, 'b')}, {"c", "first"}}));
}

TEST(PackedPairs, CopyAndMove) {
  PackedPairs p;
  p.Set("k", "v");
  PackedPairs copy = p;
  copy.Set("k2", "v2");
  EXPECT_EQ(Contents(p), (Pairs{{"k", "v"}}));
  PackedPairs moved = std::move(copy);
  EXPECT_EQ(Contents(moved), (Pairs{{"k", "v"}, {"k2", "v2"}}));
  p = moved;
  EXPECT_EQ(Contents(p), Contents(moved));
  p.Clear();
  EXPECT_EQ(p.size(), 0u);
  EXPECT_EQ(p.capacity(), 0u);
}

TEST(PackedPairs, ModelBased) {
  std::mt19937_64 rng(20261125);
  PackedPairs p;
  Pairs model;  // insertion order
  auto find = [&](const std::string& f) {
    for (size_t i = 0; i < model.size(); ++i) {
      if (model[i].first == f) return i;
    }
    return model.size();
  };
  for (int step = 0; step < 20000; ++step) {
    const std::string field = "f" + std::to_string(rng() % 40);
    const int op = static_cast<int>(rng() % 10);
    if (op < 5) {
      // Mostly short values, now and then one that needs a two-byte length.
      const std::string value(rng() % 10 == 0 ? 128 + rng() % 200 : rng() % 16,
                              static_cast<char>(rng() % 256));
      const size_t at = find(field);
      EXPECT_EQ(p.Set(field, value), at == model.size());
      if (at == model.size()) {
        model.emplace_back(field, value);
      } else {
        model[at].second = value;
      }
    } else if (op < 8) {
      const size_t at = find(field);
      EXPECT_EQ(p.Erase(field), at != model.size());
      if (at != model.size()) model.erase(model.begin() + static_cast<std::ptrdiff_t>(at));
    } else {
      const size_t at = find(field);
      const std::optional<std::string_view> v = p.Get(field);
      ASSERT_EQ(v.has_value(), at != model.size());
      if (v) {
        EXPECT_EQ(*v, model[at].second);
      }
    }
    ASSERT_EQ(p.size(), model.size());
    ASSERT_EQ(p.capacity(), PackedPairs::CapacityFor(p.bytes()));
    if (step % 97 == 0) {
      ASSERT_EQ(Contents(p), model);
    }
  }
  EXPECT_EQ(Contents(p), model);
}

}  // namespace
}  // namespace store
