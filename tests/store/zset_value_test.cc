// ZSetValue against a model (std::set of (score, member)) with a fixed seed: random adds,
// score changes, removals and range removals, checking order, ranks, scores and bounds after
// each step, in both encodings and across the listpack -> skiplist conversion.
#include "store/zset_value.h"

#include <gtest/gtest.h>

#include <iterator>
#include <map>
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

}  // namespace
}  // namespace store
