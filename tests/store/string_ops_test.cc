#include "store/string_ops.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "store/clock.h"
#include "store/db.h"

namespace store {
namespace {

// Records the listener's events, to check that every modification is reported (WATCH relies on it).
class EventLog : public KeyListener {
 public:
  void OnKeyEvent(int, std::string_view key, KeyEvent ev) override {
    events.push_back(std::string(key) + (ev == KeyEvent::kDeleted ? ":del" : ":mod"));
  }
  std::vector<std::string> events;
};

class StringOpsTest : public ::testing::Test {
 protected:
  StringOpsTest() : db_(0, &clock_) {
    clock_.now_ms = 1'000'000;
    db_.set_listener(&log_);
  }
  Entry* Find(std::string_view key) { return db_.Find(key); }
  std::string Get(std::string_view key) {
    std::string scratch;
    return std::string(Find(key)->value().Str(&scratch));
  }

  Clock clock_;
  Db db_;
  EventLog log_;
};

TEST_F(StringOpsTest, SetConditions) {
  SetParams nx;
  nx.condition = SetCondition::kIfAbsent;
  SetParams xx;
  xx.condition = SetCondition::kIfExists;
  EXPECT_FALSE(SetString(db_, "k", Find("k"), "a", xx));
  EXPECT_TRUE(SetString(db_, "k", Find("k"), "b", nx));
  EXPECT_FALSE(SetString(db_, "k", Find("k"), "c", nx));
  EXPECT_TRUE(SetString(db_, "k", Find("k"), "d", xx));
  EXPECT_EQ(Get("k"), "d");
  EXPECT_EQ(log_.events, (std::vector<std::string>{"k:mod", "k:mod"}));
}

TEST_F(StringOpsTest, SetStoresCanonicalIntegersAsIntegers) {
  EXPECT_TRUE(SetString(db_, "k", nullptr, "42", SetParams()));
  EXPECT_TRUE(Find("k")->value().is_int());
  EXPECT_TRUE(SetString(db_, "k", Find("k"), "042", SetParams()));
  EXPECT_FALSE(Find("k")->value().is_int());
  EXPECT_EQ(Find("k")->value().Encoding(), "embstr");
}

TEST_F(StringOpsTest, SetTtlHandling) {
  SetParams ex;
  ex.expire_at_ms = 2'000'000;
  EXPECT_TRUE(SetString(db_, "k", nullptr, "v", ex));
  EXPECT_EQ(Find("k")->expire_at(), 2'000'000);
  SetParams keep;
  keep.keep_ttl = true;
  EXPECT_TRUE(SetString(db_, "k", Find("k"), "w", keep));
  EXPECT_EQ(Find("k")->expire_at(), 2'000'000);
  EXPECT_TRUE(SetString(db_, "k", Find("k"), "x", SetParams()));
  EXPECT_FALSE(Find("k")->has_expire());
}

TEST_F(StringOpsTest, IncrBy) {
  EXPECT_EQ(IncrBy(db_, "n", nullptr, 5).value(), 5);
  EXPECT_EQ(IncrBy(db_, "n", Find("n"), -7).value(), -2);
  EXPECT_TRUE(Find("n")->value().is_int());
  EXPECT_TRUE(SetString(db_, "n", Find("n"), "9223372036854775807", SetParams()));
  EXPECT_EQ(IncrBy(db_, "n", Find("n"), 1).status(), Status::kOverflow);
  EXPECT_EQ(IncrBy(db_, "n", Find("n"), INT64_MIN).value(), -1);
  EXPECT_TRUE(SetString(db_, "s", nullptr, "1.5", SetParams()));
  EXPECT_EQ(IncrBy(db_, "s", Find("s"), 1).status(), Status::kNotInteger);
}

TEST_F(StringOpsTest, IncrByKeepsTtl) {
  SetParams ex;
  ex.expire_at_ms = 3'000'000;
  EXPECT_TRUE(SetString(db_, "n", nullptr, "1", ex));
  EXPECT_EQ(IncrBy(db_, "n", Find("n"), 1).value(), 2);
  EXPECT_EQ(Find("n")->expire_at(), 3'000'000);
  EXPECT_EQ(IncrByFloat(db_, "n", Find("n"), 0.5L).value(), "2.5");
  EXPECT_EQ(Find("n")->expire_at(), 3'000'000);
}

TEST_F(StringOpsTest, IncrByFloatResultIsNeverAnInteger) {
  EXPECT_EQ(IncrByFloat(db_, "f", nullptr, 10.5L).value(), "10.5");
  EXPECT_EQ(IncrByFloat(db_, "f", Find("f"), -0.5L).value(), "10");
  EXPECT_FALSE(Find("f")->value().is_int());
  EXPECT_EQ(Find("f")->value().Encoding(), "embstr");
  EXPECT_EQ(IncrByFloat(db_, "f", Find("f"), HUGE_VALL).status(), Status::kNanOrInf);
}

TEST(LongDouble, Format) {
  // The expected texts are Redis's on x86-64, whose long double is x87's 64-bit mantissa; ARM's
  // (double on armhf, binary128 on arm64) rounds differently, as Redis there does.
  if (LDBL_MANT_DIG != 64) GTEST_SKIP() << "long double is not x87 extended precision here";

  EXPECT_EQ(FormatLongDouble(0.0L), "0");
  EXPECT_EQ(FormatLongDouble(-0.0L), "0");
  EXPECT_EQ(FormatLongDouble(-1e-20L), "0");
  EXPECT_EQ(FormatLongDouble(1.5L), "1.5");
  EXPECT_EQ(FormatLongDouble(5000.0L), "5000");
  EXPECT_EQ(FormatLongDouble(-1.25L), "-1.25");
  // 17 decimals of the long double nearest 3001.6, as Redis prints it.
  EXPECT_EQ(FormatLongDouble(3001.5L + 0.1L), "3001.60000000000000009");
  EXPECT_EQ(FormatLongDouble(1e20L), "100000000000000000000");
}

TEST(LongDouble, Parse) {
  // The expected texts are Redis's on x86-64, whose long double is x87's 64-bit mantissa; ARM's
  // (double on armhf, binary128 on arm64) rounds differently, as Redis there does.
  if (LDBL_MANT_DIG != 64) GTEST_SKIP() << "long double is not x87 extended precision here";

  long double v;
  EXPECT_TRUE(ParseLongDouble("1.5", &v));
  EXPECT_EQ(v, 1.5L);
  EXPECT_TRUE(ParseLongDouble("0x10", &v));
  EXPECT_EQ(v, 16.0L);
  EXPECT_TRUE(ParseLongDouble("inf", &v));
  EXPECT_TRUE(ParseLongDouble("1e4000", &v));
  EXPECT_FALSE(ParseLongDouble("1e5000", &v));
  EXPECT_FALSE(ParseLongDouble("nan", &v));
  EXPECT_FALSE(ParseLongDouble(" 1", &v));
  EXPECT_FALSE(ParseLongDouble("1 ", &v));
  EXPECT_FALSE(ParseLongDouble("", &v));
  EXPECT_FALSE(ParseLongDouble(std::string_view("1\0a", 3), &v));
  EXPECT_FALSE(ParseLongDouble(std::string(6000, '1'), &v));
}

TEST_F(StringOpsTest, AppendMakesRaw) {
  EXPECT_EQ(Append(db_, "k", nullptr, "12", 100).value(), 2);
  EXPECT_TRUE(Find("k")->value().is_int());
  EXPECT_EQ(Append(db_, "k", Find("k"), "3", 100).value(), 3);
  EXPECT_EQ(Find("k")->value().Encoding(), "raw");
  EXPECT_EQ(Get("k"), "123");
  EXPECT_EQ(Append(db_, "k", Find("k"), "x", 3).status(), Status::kTooBig);
  EXPECT_EQ(Get("k"), "123");
}

TEST_F(StringOpsTest, SetRange) {
  EXPECT_EQ(SetRange(db_, "k", nullptr, 3, "", 100).value(), 0);
  EXPECT_EQ(Find("k"), nullptr);
  EXPECT_TRUE(log_.events.empty());
  EXPECT_EQ(SetRange(db_, "k", nullptr, 2, "ab", 100).value(), 4);
  EXPECT_EQ(Get("k"), std::string("\0\0ab", 4));
  EXPECT_EQ(SetRange(db_, "k", Find("k"), 1, "X", 100).value(), 4);
  EXPECT_EQ(Get("k"), std::string("\0Xab", 4));
  EXPECT_EQ(SetRange(db_, "k", Find("k"), 99, "yz", 100).status(), Status::kTooBig);
  EXPECT_EQ(SetRange(db_, "k", Find("k"), 98, "yz", 100).value(), 100);
}

TEST(GetRange, MatchesRedisClamping) {
  const std::string_view s = "Hello";
  EXPECT_EQ(GetRange(s, 0, -1), "Hello");
  EXPECT_EQ(GetRange(s, 1, 3), "ell");
  EXPECT_EQ(GetRange(s, -3, -1), "llo");
  EXPECT_EQ(GetRange(s, -1, -3), "");
  EXPECT_EQ(GetRange(s, -100, 1), "He");
  EXPECT_EQ(GetRange(s, 3, 100), "lo");
  EXPECT_EQ(GetRange(s, 5, 10), "");
  EXPECT_EQ(GetRange(s, 3, 2), "");
  EXPECT_EQ(GetRange("", 0, 0), "");
}

TEST_F(StringOpsTest, GetExChangesTtl) {
  EXPECT_TRUE(SetString(db_, "k", nullptr, "v", SetParams()));
  EXPECT_EQ(GetEx(db_, "k", Find("k"), ExpiryChange::kSetAt, 1'500'000).value(), "v");
  EXPECT_EQ(Find("k")->expire_at(), 1'500'000);
  EXPECT_EQ(GetEx(db_, "k", Find("k"), ExpiryChange::kPersist, 0).value(), "v");
  EXPECT_FALSE(Find("k")->has_expire());
  EXPECT_EQ(GetEx(db_, "k", Find("k"), ExpiryChange::kSetAt, clock_.now_ms).value(), "v");
  EXPECT_EQ(Find("k"), nullptr);
  EXPECT_EQ(GetEx(db_, "k", nullptr, ExpiryChange::kKeep, 0).status(), Status::kNotFound);
}

TEST_F(StringOpsTest, GetDel) {
  EXPECT_EQ(GetDel(db_, "k", nullptr).status(), Status::kNotFound);
  EXPECT_TRUE(SetString(db_, "k", nullptr, "77", SetParams()));
  EXPECT_EQ(GetDel(db_, "k", Find("k")).value(), "77");
  EXPECT_EQ(Find("k"), nullptr);
}

// A plain O(n*m) LCS length, to check the table-based answers against.
size_t ModelLcsLen(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t[a.size()][b.size()];
}

bool IsSubsequence(std::string_view sub, std::string_view s) {
  size_t i = 0;
  for (char c : s) {
    if (i < sub.size() && sub[i] == c) ++i;
  }
  return i == sub.size();
}

TEST(Lcs, AgreesWithModelOnRandomStrings) {
  uint64_t seed = 12345;
  auto next = [&seed]() {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return seed >> 33;
  };
  for (int round = 0; round < 200; ++round) {
    std::string a(next() % 20, 'a'), b(next() % 20, 'a');
    for (char& c : a) c = static_cast<char>('a' + next() % 3);
    for (char& c : b) c = static_cast<char>('a' + next() % 3);
    Result<LcsResult> full = Lcs(a, b, true, true, 0, 1 << 20);
    Result<LcsResult> len_only = Lcs(a, b, false, false, 0, 1 << 20);
    ASSERT_TRUE(full.ok());
    const size_t want = ModelLcsLen(a, b);
    EXPECT_EQ(static_cast<size_t>(full.value().len), want) << a << " " << b;
    EXPECT_EQ(static_cast<size_t>(len_only.value().len), want);
    EXPECT_EQ(full.value().text.size(), want);
    EXPECT_TRUE(IsSubsequence(full.value().text, a));
    EXPECT_TRUE(IsSubsequence(full.value().text, b));
    int64_t covered = 0;
    for (const LcsMatch& m : full.value().matches) {
      EXPECT_EQ(a.substr(static_cast<size_t>(m.a_start), static_cast<size_t>(m.len)),
                b.substr(static_cast<size_t>(m.b_start), static_cast<size_t>(m.len)));
      covered += m.len;
    }
    EXPECT_EQ(covered, full.value().len);
  }
}

TEST(Lcs, RefusesHugeTables) {
  EXPECT_EQ(Lcs("abcd", "abcd", true, false, 0, 99).status(), Status::kTooBig);
  EXPECT_EQ(Lcs("abcd", "abcd", true, false, 0, 100).value().text, "abcd");
  EXPECT_EQ(Lcs("abcd", "abcd", false, false, 0, 1).value().len, 4);
}

}  // namespace
}  // namespace store
