// IntSet: ascending order, width upgrades (never downgrades), and a model check with a fixed
// seed over values of every width.
#include "store/intset.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <vector>

namespace store {
namespace {

std::vector<int64_t> Values(const IntSet& s) {
  std::vector<int64_t> out;
  for (size_t i = 0; i < s.size(); ++i) out.push_back(s.At(i));
  return out;
}

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(IntSet, StartsNarrowAndUpgradesByMagnitude) {
  IntSet s;
  EXPECT_EQ(s.width(), 2u);
  EXPECT_TRUE(s.Insert(5));
  EXPECT_TRUE(s.Insert(-32768));
  EXPECT_TRUE(s.Insert(32767));
  EXPECT_EQ(s.width(), 2u);
  EXPECT_TRUE(s.Insert(32768));  // one past int16
  EXPECT_EQ(s.width(), 4u);
  EXPECT_TRUE(s.Insert(-2147483648LL));
  EXPECT_EQ(s.width(), 4u);
  EXPECT_TRUE(s.Insert(-2147483649LL));  // one below int32, goes first
  EXPECT_EQ(s.width(), 8u);
  EXPECT_EQ(Values(s),
            (std::vector<int64_t>{-2147483649LL, -2147483648LL, -32768, 5, 32767, 32768}));
}

TEST(IntSet, Int64ExtremesAtEitherEnd) {
  IntSet s;
  s.Insert(0);
  EXPECT_TRUE(s.Insert(kMax));  // upgrade straight from 16 to 64 bits, appended
  EXPECT_TRUE(s.Insert(kMin));  // prepended
  EXPECT_FALSE(s.Insert(kMax));
  EXPECT_FALSE(s.Insert(kMin));
  EXPECT_EQ(s.width(), 8u);
  EXPECT_EQ(Values(s), (std::vector<int64_t>{kMin, 0, kMax}));
  EXPECT_TRUE(s.Contains(kMin));
  EXPECT_TRUE(s.Contains(kMax));
  EXPECT_FALSE(s.Contains(kMin + 1));
  EXPECT_TRUE(s.Remove(kMin));
  EXPECT_EQ(Values(s), (std::vector<int64_t>{0, kMax}));
}

TEST(IntSet, NegativeUpgradeGoesFirst) {
  IntSet s;
  for (int64_t v : {-3, -1, 7}) s.Insert(v);
  EXPECT_TRUE(s.Insert(-70000));
  EXPECT_EQ(s.width(), 4u);
  EXPECT_EQ(Values(s), (std::vector<int64_t>{-70000, -3, -1, 7}));
}

TEST(IntSet, WideProbesMissNarrowSet) {
  IntSet s;
  s.Insert(1);
  EXPECT_FALSE(s.Contains(1LL << 40));
  EXPECT_FALSE(s.Remove(1LL << 40));
  EXPECT_FALSE(s.Remove(kMin));
  EXPECT_EQ(s.width(), 2u);
}

TEST(IntSet, RemovalsNeverNarrow) {
  IntSet s;
  s.Insert(1);
  s.Insert(1LL << 40);
  EXPECT_TRUE(s.Remove(1LL << 40));
  EXPECT_EQ(s.width(), 8u);
  EXPECT_EQ(Values(s), (std::vector<int64_t>{1}));
  s.EraseAt(0);
  EXPECT_EQ(s.size(), 0u);
  EXPECT_TRUE(s.Insert(-1));
  EXPECT_EQ(Values(s), (std::vector<int64_t>{-1}));
  s.Clear();
  EXPECT_EQ(s.width(), 2u);
  EXPECT_EQ(s.size(), 0u);
}

TEST(IntSet, CopyIsIndependent) {
  IntSet s;
  for (int64_t v : {3, 1, 2}) s.Insert(v);
  IntSet c(s);
  c.Insert(100000);
  IntSet d;
  d = c;
  d.Remove(1);
  EXPECT_EQ(Values(s), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(Values(c), (std::vector<int64_t>{1, 2, 3, 100000}));
  EXPECT_EQ(Values(d), (std::vector<int64_t>{2, 3, 100000}));
  EXPECT_EQ(d.width(), 4u);
}

TEST(IntSet, ModelRandomOps) {
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    std::mt19937_64 rng(seed);
    IntSet s;
    std::set<int64_t> model;
    // Mostly small values, so the set lives at each width for a while before it upgrades.
    auto draw = [&]() -> int64_t {
      switch (rng() % 8) {
        case 0:
          return static_cast<int64_t>(rng());  // any 64-bit value
        case 1:
          return static_cast<int32_t>(rng());
        case 2:
          return (rng() % 2 == 0) ? kMin : kMax;
        default:
          return static_cast<int64_t>(rng() % 200) - 100;
      }
    };
    for (int step = 0; step < 3000; ++step) {
      const int64_t v = draw();
      if (rng() % 3 != 0) {
        EXPECT_EQ(s.Insert(v), model.insert(v).second);
      } else if (rng() % 2 == 0 || model.empty()) {
        EXPECT_EQ(s.Remove(v), model.erase(v) == 1);
      } else {
        const size_t i = rng() % model.size();
        const int64_t at = s.At(i);
        s.EraseAt(i);
        EXPECT_EQ(model.erase(at), 1u);
      }
      EXPECT_EQ(s.Contains(v), model.count(v) == 1);
      ASSERT_EQ(Values(s), std::vector<int64_t>(model.begin(), model.end())) << "step " << step;
    }
  }
}

}  // namespace
}  // namespace store
