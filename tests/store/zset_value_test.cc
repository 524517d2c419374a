// ZSetValue against a model (std::set of (score, member)) with a fixed seed: random adds,
// score changes, removals and range removals, checking order, ranks, scores and bounds after
// each step, in both encodings and across the listpack -> skiplist conversion.
#include "store/zset_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace store {
namespace {

using Model = std::set<std::pair<double, std::string>>;

void ExpectSame(const ZSetValue& z, const Model& m) {
  ASSERT_EQ(z.size(), m.size());
  size_t rank = 0;
  for (const auto& [score, member] : m) {
    ZEntry e = z.At(rank);
    EXPECT_EQ(e.member, member);
    EXPECT_EQ(e.score, score);
    EXPECT_EQ(z.Rank(member), rank);
    EXPECT_EQ(z.Score(member), score);
    ++rank;
  }
  if (m.empty()) return;
  std::vector<std::string> fwd, rev;
  z.ForRange(0, z.size() - 1, false, [&](double, std::string_view s) { fwd.emplace_back(s); });
  z.ForRange(0, z.size() - 1, true, [&](double, std::string_view s) { rev.emplace_back(s); });
  ASSERT_EQ(fwd.size(), m.size());
  EXPECT_TRUE(std::equal(fwd.begin(), fwd.end(), rev.rbegin()));
}

size_t ModelLower(const Model& m, double v, bool excl) {
  size_t n = 0;
  for (const auto& e : m) n += (excl ? e.first <= v : e.first < v) ? 1 : 0;
  return n;
}
size_t ModelUpper(const Model& m, double v, bool excl) {
  size_t n = 0;
  for (const auto& e : m) n += (excl ? e.first < v : e.first <= v) ? 1 : 0;
  return n;
}

void RunModel(int64_t max_entries, uint32_t seed, int steps) {
  std::mt19937 rng(seed);
  ZSetValue z(/*listpack=*/max_entries > 0);
  Model m;
  std::map<std::string, double> scores;
  bool converted = false;
  for (int step = 0; step < steps; ++step) {
    const int op = static_cast<int>(rng() % 10);
    const std::string member = "m" + std::to_string(rng() % 200);
    const double score = static_cast<double>(static_cast<int>(rng() % 50) - 25) / 2;
    if (op < 6) {
      auto it = scores.find(member);
      const bool fresh = it == scores.end();
      if (!fresh) m.erase({it->second, member});
      EXPECT_EQ(z.Set(member, score, max_entries, 64), fresh);
      scores[member] = score;
      m.insert({score, member});
    } else if (op < 9) {
      auto it = scores.find(member);
      EXPECT_EQ(z.Remove(member), it != scores.end());
      if (it != scores.end()) {
        m.erase({it->second, member});
        scores.erase(it);
      }
    } else if (!m.empty()) {
      size_t a = rng() % m.size();
      size_t b = a + rng() % 3;
      if (b >= m.size()) b = m.size() - 1;
      auto first = std::next(m.begin(), static_cast<ptrdiff_t>(a));
      auto last = std::next(m.begin(), static_cast<ptrdiff_t>(b) + 1);
      for (auto it = first; it != last; ++it) scores.erase(it->second);
      m.erase(first, last);
      z.RemoveRange(a, b);
    }
    if (!z.is_listpack()) converted = true;
    // Once converted, never back.
    EXPECT_EQ(z.is_listpack(), !converted);
    ASSERT_NO_FATAL_FAILURE(ExpectSame(z, m));
    const double v = static_cast<double>(static_cast<int>(rng() % 50) - 25) / 2;
    for (bool excl : {false, true}) {
      EXPECT_EQ(z.ScoreLowerRank({v, excl}), ModelLower(m, v, excl));
      EXPECT_EQ(z.ScoreUpperRank({v, excl}), ModelUpper(m, v, excl));
    }
  }
  if (max_entries > 0 && max_entries < 200) {
    EXPECT_TRUE(converted);
  }
}

TEST(ZSetValue, ModelListpackAndConversion) { RunModel(16, 20240607, 3000); }
TEST(ZSetValue, ModelSkipListOnly) { RunModel(0, 7, 5000); }
TEST(ZSetValue, ModelNeverConverts) { RunModel(1 << 20, 11, 2000); }

TEST(ZSetValue, LexBounds) {
  for (bool lp : {true, false}) {
    ZSetValue z(lp);
    for (const char* m : {"a", "b", "c", "d"}) z.Set(m, 0, 128, 64);
    ZLexBound min_b{ZLexBound::kValue, "b", false}, min_b_ex{ZLexBound::kValue, "b", true};
    ZLexBound max_c{ZLexBound::kValue, "c", false}, max_c_ex{ZLexBound::kValue, "c", true};
    using P = std::pair<size_t, size_t>;
    const ZLexBound lo{ZLexBound::kMin, "", false}, hi{ZLexBound::kMax, "", false};
    EXPECT_EQ(z.LexRange(min_b, max_c), P(1, 3));
    EXPECT_EQ(z.LexRange(min_b_ex, max_c), P(2, 3));
    EXPECT_EQ(z.LexRange(min_b, max_c_ex), P(1, 2));
    EXPECT_EQ(z.LexRange(lo, hi), P(0, 4));
    EXPECT_EQ(z.LexRange(hi, hi), P(0, 0));  // empty ranges are (0, 0)
    EXPECT_EQ(z.LexRange(lo, lo), P(0, 0));
  }
}

TEST(ZSetValue, EncodingAndClone) {
  ZSetValue z(true);
  EXPECT_EQ(z.encoding(), "listpack");
  z.Set("a", 1, 2, 64);
  z.Set("b", 2, 2, 64);
  EXPECT_EQ(z.encoding(), "listpack");
  z.Set("c", 3, 2, 64);
  EXPECT_EQ(z.encoding(), "skiplist");
  auto c = z.Clone();
  auto* zc = static_cast<ZSetValue*>(c.get());
  EXPECT_EQ(zc->encoding(), "skiplist");
  EXPECT_EQ(zc->size(), 3u);
  EXPECT_EQ(zc->Rank("c"), 2u);
  ZSetValue w(true);
  w.Set("short", 1, 128, 8);
  w.Set("much longer than eight", 1, 128, 8);
  EXPECT_EQ(w.encoding(), "skiplist");
}

// Both encodings' members in rank order, with scores.
std::vector<std::pair<double, std::string>> Dump(const ZSetValue& z) {
  std::vector<std::pair<double, std::string>> out;
  if (z.size() == 0) return out;
  z.ForRange(0, z.size() - 1, false,
             [&](double s, std::string_view m) { out.emplace_back(s, std::string(m)); });
  return out;
}

TEST(ZSetValue, BinaryMembersRoundTrip) {
  const std::string nul("a\0b", 3), high("\xff\xfe", 2), empty;
  const std::string long_member(300, 'x');  // a two-byte length in the packed listpack
  for (bool lp : {true, false}) {
    ZSetValue z(lp);
    for (const std::string& m : {nul, high, empty, long_member}) z.Set(m, 1, 128, 1000);
    EXPECT_EQ(z.is_listpack(), lp);
    using V = std::vector<std::pair<double, std::string>>;
    EXPECT_EQ(Dump(z), (V{{1, empty}, {1, nul}, {1, long_member}, {1, high}}));
    EXPECT_EQ(z.Score(nul), 1.0);
    EXPECT_EQ(z.Score(std::string("a\0c", 3)), std::nullopt);
    EXPECT_EQ(z.Rank(high), 3u);
    EXPECT_TRUE(z.Remove(long_member));
    EXPECT_EQ(z.At(2).member, high);
  }
}

TEST(ZSetValue, EqualScoresOrderByMemberBytes) {
  for (bool lp : {true, false}) {
    ZSetValue z(lp);
    for (const char* m : {"b", "ab", "a", "B", "ba"}) z.Set(m, 7, 128, 64);
    using V = std::vector<std::pair<double, std::string>>;
    EXPECT_EQ(Dump(z), (V{{7, "B"}, {7, "a"}, {7, "ab"}, {7, "b"}, {7, "ba"}}));
  }
}

TEST(ZSetValue, InfiniteScoresSortAtTheEnds) {
  const double inf = std::numeric_limits<double>::infinity();
  for (bool lp : {true, false}) {
    ZSetValue z(lp);
    z.Set("mid", 0, 128, 64);
    z.Set("hi", inf, 128, 64);
    z.Set("lo", -inf, 128, 64);
    z.Set("max", std::numeric_limits<double>::max(), 128, 64);
    z.Set("min", std::numeric_limits<double>::lowest(), 128, 64);
    using V = std::vector<std::pair<double, std::string>>;
    EXPECT_EQ(Dump(z), (V{{-inf, "lo"},
                          {std::numeric_limits<double>::lowest(), "min"},
                          {0, "mid"},
                          {std::numeric_limits<double>::max(), "max"},
                          {inf, "hi"}}));
    EXPECT_EQ(z.ScoreLowerRank({-inf, false}), 0u);
    EXPECT_EQ(z.ScoreLowerRank({-inf, true}), 1u);
    EXPECT_EQ(z.ScoreUpperRank({inf, true}), 4u);
    EXPECT_EQ(z.ScoreUpperRank({inf, false}), 5u);
  }
}

TEST(ZSetValue, ListpackStoresMinusZeroAsZero) {
  ZSetValue z(true);
  z.Set("a", -0.0, 128, 64);
  EXPECT_FALSE(std::signbit(*z.Score("a")));
  z.Set("a", 5, 128, 64);
  z.Set("a", -0.0, 128, 64);
  EXPECT_FALSE(std::signbit(*z.Score("a")));
}

// A score change moves the entry inside the packed buffer: forwards, backwards, to either end,
// or not at all.
TEST(ZSetValue, RescoreMovesWithinTheListpack) {
  ZSetValue z(true);
  for (int i = 0; i < 6; ++i) z.Set("m" + std::to_string(i), i, 128, 64);
  using V = std::vector<std::pair<double, std::string>>;
  EXPECT_FALSE(z.Set("m1", 3.5, 128, 64));  // forwards, into the middle
  EXPECT_EQ(Dump(z), (V{{0, "m0"}, {2, "m2"}, {3, "m3"}, {3.5, "m1"}, {4, "m4"}, {5, "m5"}}));
  z.Set("m4", -1, 128, 64);  // backwards, to the front
  EXPECT_EQ(Dump(z), (V{{-1, "m4"}, {0, "m0"}, {2, "m2"}, {3, "m3"}, {3.5, "m1"}, {5, "m5"}}));
  z.Set("m0", 9, 128, 64);  // to the end
  EXPECT_EQ(Dump(z), (V{{-1, "m4"}, {2, "m2"}, {3, "m3"}, {3.5, "m1"}, {5, "m5"}, {9, "m0"}}));
  z.Set("m3", 3.25, 128, 64);  // stays
  EXPECT_EQ(Dump(z), (V{{-1, "m4"}, {2, "m2"}, {3.25, "m3"}, {3.5, "m1"}, {5, "m5"}, {9, "m0"}}));
  z.Set("m1", 3.25, 128, 64);  // equal score: before m3, by member
  EXPECT_EQ(Dump(z), (V{{-1, "m4"}, {2, "m2"}, {3.25, "m1"}, {3.25, "m3"}, {5, "m5"}, {9, "m0"}}));
  EXPECT_TRUE(z.is_listpack());
}

TEST(ZSetValue, RemoveInTheMiddle) {
  for (bool lp : {true, false}) {
    ZSetValue z(lp);
    for (int i = 0; i < 10; ++i) z.Set("m" + std::to_string(i), i, 128, 64);
    EXPECT_TRUE(z.Remove("m5"));
    EXPECT_FALSE(z.Remove("m5"));
    z.RemoveRange(2, 4);  // m2, m3, m4
    using V = std::vector<std::pair<double, std::string>>;
    EXPECT_EQ(Dump(z), (V{{0, "m0"}, {1, "m1"}, {6, "m6"}, {7, "m7"}, {8, "m8"}, {9, "m9"}}));
    EXPECT_EQ(z.Rank("m6"), 2u);
    z.RemoveRange(0, z.size() - 1);
    EXPECT_EQ(z.size(), 0u);
    z.Set("again", 1, 128, 64);
    EXPECT_EQ(Dump(z), (V{{1, "again"}}));
  }
}

TEST(ZSetValue, ConvertsExactlyPastTheThresholds) {
  ZSetValue by_count(true);
  for (int i = 0; i < 128; ++i) by_count.Set("m" + std::to_string(i), i, 128, 64);
  EXPECT_TRUE(by_count.is_listpack());  // 128 entries fit
  by_count.Set("m0", -5, 128, 64);      // a score change adds nothing
  EXPECT_TRUE(by_count.is_listpack());
  by_count.Set("one more", 0, 128, 64);
  EXPECT_FALSE(by_count.is_listpack());
  EXPECT_EQ(by_count.size(), 129u);
  EXPECT_EQ(by_count.At(0).member, "m0");
  EXPECT_EQ(by_count.Rank("m127"), 128u);

  ZSetValue by_length(true);
  by_length.Set(std::string(64, 'a'), 1, 128, 64);
  EXPECT_TRUE(by_length.is_listpack());  // 64 bytes fit
  by_length.Set(std::string(65, 'b'), 2, 128, 64);
  EXPECT_FALSE(by_length.is_listpack());
  EXPECT_EQ(by_length.Score(std::string(64, 'a')), 1.0);
  EXPECT_EQ(by_length.Score(std::string(65, 'b')), 2.0);
}

TEST(ZSetValue, CloneIsIndependent) {
  for (bool lp : {true, false}) {
    ZSetValue z(lp);
    for (int i = 0; i < 20; ++i) z.Set("m" + std::to_string(i), i % 3, 128, 64);
    auto c = z.Clone();
    auto* zc = static_cast<ZSetValue*>(c.get());
    EXPECT_EQ(zc->is_listpack(), lp);
    EXPECT_EQ(Dump(*zc), Dump(z));
    zc->Remove("m4");
    zc->Set("m5", 100, 128, 64);
    EXPECT_EQ(z.size(), 20u);
    EXPECT_EQ(z.Score("m5"), 2.0);
    EXPECT_EQ(zc->size(), 19u);
  }
}

TEST(ZSetValue, SkipListRanksAfterManyChanges) {
  ZSetValue z(false);
  for (int i = 0; i < 5000; ++i) z.Set("m" + std::to_string(i), i % 100, 128, 64);
  for (int i = 0; i < 5000; i += 3) z.Remove("m" + std::to_string(i));
  Model m;
  for (int i = 0; i < 5000; ++i) {
    if (i % 3 != 0) m.insert({i % 100, "m" + std::to_string(i)});
  }
  ASSERT_NO_FATAL_FAILURE(ExpectSame(z, m));
}

// The packed listpack holds exactly its entries: 8 score bytes, a varint length, the member.
TEST(ZListpack, EntriesArePackedBackToBack) {
  EXPECT_EQ(ZListpack::EntryBytes(""), 9u);
  EXPECT_EQ(ZListpack::EntryBytes(std::string(127, 'a')), 8u + 1 + 127);
  EXPECT_EQ(ZListpack::EntryBytes(std::string(128, 'a')), 8u + 2 + 128);
  ZListpack lp;
  size_t expect = 0;
  for (int i = 0; i < 10; ++i) {
    const std::string m = "member:" + std::to_string(1000000 + i);
    lp.Insert(10.0 - i, m);
    expect += ZListpack::EntryBytes(m);
    EXPECT_EQ(lp.bytes(), expect);
  }
  EXPECT_EQ(lp.size(), 10u);
  ZListpack::Item first = lp.Read(0);
  EXPECT_EQ(first.score, 1.0);
  EXPECT_EQ(first.member, "member:1000009");
  lp.EraseRanks(0, 9);
  EXPECT_EQ(lp.bytes(), 0u);
  EXPECT_EQ(lp.size(), 0u);
}

// Both objects fit a 32-byte allocator block (vtable pointer plus one encoding's state), which
// is per key in datasets of many small sets (docs/memory.md).
TEST(ZSetValue, ObjectFitsThirtyTwoBytes) { EXPECT_LE(sizeof(ZSetValue), 32u); }

}  // namespace
}  // namespace store
