#include "store/scan.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "store/db.h"

namespace store {
namespace {

std::string RandomKey(std::mt19937& rng) {
  std::uniform_int_distribution<int> len(0, 7), ch('a', 'd');
  std::string k(static_cast<size_t>(len(rng)), 'a');
  for (char& c : k) c = static_cast<char>(ch(rng));
  return k;
}

class ScanTest : public ::testing::Test {
 protected:
  ScanTest() : db_(0, &clock_) { clock_.now_ms = 1'000'000; }

  // Runs a whole scan (no mutation between calls) and returns every key in reply order.
  std::vector<std::string> ScanAll(ScanOptions opts, int* calls = nullptr) {
    std::vector<std::string> all;
    uint64_t cursor = 0;
    int n = 0;
    do {
      ScanPage page = Scan(db_, cursor, opts);
      all.insert(all.end(), page.keys.begin(), page.keys.end());
      cursor = page.cursor;
      ++n;
    } while (cursor != 0);
    if (calls != nullptr) *calls = n;
    return all;
  }

  Clock clock_;
  Db db_;
};

// The contract, checked against a model: random inserts and deletes between SCAN calls; every
// key present for the whole scan comes back, nothing comes back twice, and order is strict.
TEST_F(ScanTest, ModelRandomMutationsBetweenCalls) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 30; ++round) {
    db_.Clear();
    std::set<std::string> model;
    for (int i = 0; i < 300; ++i) {
      std::string k = RandomKey(rng);
      if (model.insert(k).second) db_.Insert(k, Value::Int(i));
    }
    std::set<std::string> stable = model;  // present from start to end
    ScanOptions opts;
    opts.count = 1 + rng() % 40;
    if (round % 3 == 1) {
      opts.has_pattern = true;
      opts.pattern = "b*";
    }
    std::vector<std::string> seen;
    uint64_t cursor = 0;
    do {
      ScanPage page = Scan(db_, cursor, opts);
      ASSERT_LT(page.cursor, uint64_t{1} << 63);
      seen.insert(seen.end(), page.keys.begin(), page.keys.end());
      cursor = page.cursor;
      for (int m = 0; m < 8; ++m) {
        std::string k = RandomKey(rng);
        if (rng() % 2 == 0) {
          if (model.insert(k).second) db_.Insert(k, Value::Int(m));
        } else if (model.erase(k) == 1) {
          ASSERT_TRUE(db_.Erase(k));
          stable.erase(k);
        }
      }
    } while (cursor != 0);
    for (size_t i = 1; i < seen.size(); ++i) ASSERT_LT(seen[i - 1], seen[i]) << "round " << round;
    std::set<std::string> got(seen.begin(), seen.end());
    for (const std::string& k : stable) {
      if (opts.has_pattern && k.rfind("b", 0) != 0) continue;
      EXPECT_EQ(got.count(k), 1u) << "missed '" << k << "' in round " << round;
    }
  }
}

TEST_F(ScanTest, EmptyDbFinishesAtOnce) {
  ScanPage page = Scan(db_, 0, ScanOptions());
  EXPECT_EQ(page.cursor, 0u);
  EXPECT_TRUE(page.keys.empty());
}

TEST_F(ScanTest, CountBoundsTheWorkPerCall) {
  for (int i = 0; i < 25; ++i) db_.Insert("k" + std::to_string(100 + i), Value::Int(i));
  ScanOptions opts;
  opts.count = 10;
  int calls;
  std::vector<std::string> all = ScanAll(opts, &calls);
  EXPECT_EQ(all.size(), 25u);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(all.front(), "k100");
  EXPECT_EQ(all.back(), "k124");
}

// A pattern with a literal prefix seeks to it and stops once past it, so a scan over a few
// matching keys among many finishes in one call with the default COUNT.
TEST_F(ScanTest, LiteralPrefixSeeksAndStops) {
  for (int i = 0; i < 1000; ++i) db_.Insert("a" + std::to_string(i), Value::Int(i));
  for (int i = 0; i < 5; ++i) db_.Insert("user:" + std::to_string(i), Value::Int(i));
  for (int i = 0; i < 1000; ++i) db_.Insert("z" + std::to_string(i), Value::Int(i));
  ScanOptions opts;
  opts.has_pattern = true;
  opts.pattern = "user:*";
  int calls;
  std::vector<std::string> all = ScanAll(opts, &calls);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(all, (std::vector<std::string>{"user:0", "user:1", "user:2", "user:3", "user:4"}));
  // Without a literal prefix every key is examined, so the same scan takes many calls.
  opts.pattern = "*user:*";
  EXPECT_EQ(ScanAll(opts, &calls).size(), 5u);
  EXPECT_GT(calls, 200);
}

TEST_F(ScanTest, PatternAndTypeFilters) {
  db_.Insert("h1", Value::String("x"));
  db_.Insert("h2", Value::Int(2));
  db_.Insert("x", Value::Int(3));
  ScanOptions opts;
  opts.has_pattern = true;
  opts.pattern = "h?";
  EXPECT_EQ(ScanAll(opts), (std::vector<std::string>{"h1", "h2"}));
  opts.has_pattern = false;
  opts.has_type = true;
  opts.type = "STRING";
  EXPECT_EQ(ScanAll(opts).size(), 3u);
  opts.type = "list";
  EXPECT_TRUE(ScanAll(opts).empty());
}

TEST_F(ScanTest, SkipsExpiredKeysWithoutDeleting) {
  db_.Insert("a", Value::Int(1));
  (void)db_.SetExpire(db_.Insert("b", Value::Int(2)), clock_.now_ms);
  db_.Insert("c", Value::Int(3));
  EXPECT_EQ(ScanAll(ScanOptions()), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(db_.size(), 3u);
}

// A cursor whose table slot was reused resumes from the prefix it carries: it may repeat keys
// that share that prefix, but never misses one.
TEST_F(ScanTest, EvictedCursorFallsBackToPrefix) {
  for (int i = 0; i < 100; ++i) db_.Insert("user:" + std::to_string(1000 + i), Value::Int(i));
  ScanOptions opts;
  opts.count = 30;
  ScanPage first = Scan(db_, 0, opts);
  ASSERT_EQ(first.keys.back(), "user:1029");
  // Other scans reuse every slot of the ring.
  for (size_t i = 0; i < ScanCursorTable::kTableSlots; ++i) (void)Scan(db_, 0, opts);
  std::vector<std::string> rest;
  uint64_t cursor = first.cursor;
  while (cursor != 0) {
    ScanPage page = Scan(db_, cursor, opts);
    rest.insert(rest.end(), page.keys.begin(), page.keys.end());
    cursor = page.cursor;
  }
  // The prefix "user:" is shared by all keys, so the fallback restarts at the first of them.
  ASSERT_EQ(rest.size(), 100u);
  EXPECT_EQ(rest.front(), "user:1000");
  EXPECT_EQ(rest.back(), "user:1099");
}

TEST_F(ScanTest, FallbackPrefixIsShortWhenKeyIs) {
  // Keys shorter than the prefix width resume exactly even without the table.
  for (const char* k : {"a", "ab", "abc", "b", "bc"}) db_.Insert(k, Value::Int(0));
  ScanOptions opts;
  opts.count = 3;
  ScanPage first = Scan(db_, 0, opts);
  ASSERT_EQ(first.keys, (std::vector<std::string>{"a", "ab", "abc"}));
  for (size_t i = 0; i < ScanCursorTable::kTableSlots; ++i) (void)Scan(db_, 0, opts);
  ScanPage second = Scan(db_, first.cursor, opts);
  EXPECT_EQ(second.keys, (std::vector<std::string>{"b", "bc"}));
  EXPECT_EQ(second.cursor, 0u);
}

// Resume keys too long for the table are stepped over, so every cursor stays exact.
TEST_F(ScanTest, LongKeysExtendThePage) {
  std::string base(ScanCursorTable::kMaxStoredKey + 10, 'k');
  for (char c : std::string("abc")) db_.Insert(base + c, Value::Int(0));
  db_.Insert("z", Value::Int(0));
  ScanOptions opts;
  opts.count = 1;
  int calls;
  std::vector<std::string> all = ScanAll(opts, &calls);
  EXPECT_EQ(all, (std::vector<std::string>{base + "a", base + "b", base + "c", "z"}));
  EXPECT_EQ(calls, 2);
}

TEST_F(ScanTest, CursorNeverZeroMidScanEvenForEmptyKey) {
  db_.Insert("", Value::Int(0));
  db_.Insert("a", Value::Int(1));
  ScanOptions opts;
  opts.count = 1;
  ScanPage first = Scan(db_, 0, opts);
  EXPECT_EQ(first.keys, (std::vector<std::string>{""}));
  ASSERT_NE(first.cursor, 0u);
  ScanPage second = Scan(db_, first.cursor, opts);
  EXPECT_EQ(second.keys, (std::vector<std::string>{"a"}));
  EXPECT_EQ(second.cursor, 0u);
}

TEST_F(ScanTest, ReissuedCursorRepeatsTheSamePage) {
  for (int i = 0; i < 10; ++i) db_.Insert("k" + std::to_string(i), Value::Int(i));
  ScanOptions opts;
  opts.count = 3;
  ScanPage first = Scan(db_, 0, opts);
  ScanPage a = Scan(db_, first.cursor, opts);
  ScanPage b = Scan(db_, first.cursor, opts);
  EXPECT_EQ(a.keys, b.keys);
  EXPECT_EQ(a.keys.front(), "k3");
}

TEST_F(ScanTest, ForeignCursorsAreHarmless) {
  db_.Insert("a", Value::Int(0));
  // Bit 63 is never issued: treated as finished, as Redis answers for "-1".
  ScanPage page = Scan(db_, ~uint64_t{0}, ScanOptions());
  EXPECT_EQ(page.cursor, 0u);
  EXPECT_TRUE(page.keys.empty());
  // Any other number decodes to some position and the scan still terminates.
  page = Scan(db_, 12345, ScanOptions());
  EXPECT_EQ(page.cursor, 0u);
}

TEST(ScanCursor, ParsesAsStrtoul) {
  uint64_t c;
  EXPECT_TRUE(ParseScanCursor("0", &c));
  EXPECT_EQ(c, 0u);
  EXPECT_TRUE(ParseScanCursor("", &c));
  EXPECT_EQ(c, 0u);
  EXPECT_TRUE(ParseScanCursor("+7", &c));
  EXPECT_EQ(c, 7u);
  EXPECT_TRUE(ParseScanCursor("-1", &c));
  EXPECT_EQ(c, ~uint64_t{0});
  EXPECT_TRUE(ParseScanCursor("18446744073709551615", &c));
  EXPECT_EQ(c, ~uint64_t{0});
  EXPECT_FALSE(ParseScanCursor("18446744073709551616", &c));
  EXPECT_FALSE(ParseScanCursor(" 1", &c));
  EXPECT_FALSE(ParseScanCursor("1 ", &c));
  EXPECT_FALSE(ParseScanCursor("abc", &c));
  EXPECT_FALSE(ParseScanCursor("+", &c));
  EXPECT_FALSE(ParseScanCursor("1x", &c));
}

TEST_F(ScanTest, MatchingKeysSeeksAndSkipsExpired) {
  for (const char* k : {"a:1", "a:2", "a:3", "ab", "b"}) db_.Insert(k, Value::Int(0));
  (void)db_.SetExpire(db_.Peek("a:2"), clock_.now_ms);
  auto keys = MatchingKeys(db_, "a:*");
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.end()),
            (std::vector<std::string>{"a:1", "a:3"}));
  keys = MatchingKeys(db_, "*");
  EXPECT_EQ(keys.size(), 4u);
  keys = MatchingKeys(db_, "?b");
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.end()), (std::vector<std::string>{"ab"}));
}

}  // namespace
}  // namespace store
