#include "store/bitops.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/clock.h"
#include "store/db.h"

namespace store {
namespace {

// The model: a string as a vector of bits, MSB first, as Redis numbers them.
std::vector<int> Bits(std::string_view s) {
  std::vector<int> bits;
  for (unsigned char c : s) {
    for (int i = 7; i >= 0; --i) bits.push_back((c >> i) & 1);
  }
  return bits;
}

// A small deterministic generator (the tests must not depend on the platform's rand()).
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 33;
  }
  std::string Bytes(size_t max_len) {
    std::string s(Next() % (max_len + 1), '\0');
    // Mostly 0x00 and 0xFF, so that runs of skipped bytes are exercised.
    for (char& c : s) {
      const uint64_t r = Next() % 4;
      c = static_cast<char>(r == 0 ? 0x00 : r == 1 ? 0xFF : Next() & 0xFF);
    }
    return s;
  }

 private:
  uint64_t state_;
};

// Redis's clamping of a [start, end] range over len units; false iff empty.
bool Clamp(int64_t len, int64_t* start, int64_t* end) {
  if (*start < 0) *start += len;
  if (*end < 0) *end += len;
  if (*start < 0) *start = 0;
  if (*end < 0) *end = 0;
  if (*end >= len) *end = len - 1;
  return *start <= *end;
}

TEST(Bitops, GetBitPastTheEndIsZero) {
  EXPECT_EQ(GetBit("\x80", 0), 1);
  EXPECT_EQ(GetBit("\x80", 1), 0);
  EXPECT_EQ(GetBit("\x80", 8), 0);
  EXPECT_EQ(GetBit("", 1000), 0);
}

TEST(Bitops, BitCountAgreesWithModel) {
  Lcg rng(1);
  for (int round = 0; round < 500; ++round) {
    const std::string s = rng.Bytes(40);
    const std::vector<int> bits = Bits(s);
    int64_t total = 0;
    for (int b : bits) total += b;
    EXPECT_EQ(BitCount(s), total);
    const bool bit_unit = rng.Next() % 2 == 0;
    const int64_t len = static_cast<int64_t>(bit_unit ? bits.size() : s.size());
    int64_t start = static_cast<int64_t>(rng.Next() % 100) - 50;
    int64_t end = static_cast<int64_t>(rng.Next() % 100) - 50;
    int64_t want = 0;
    int64_t first = start, last = end;
    if (!(start < 0 && end < 0 && start > end) && Clamp(len, &first, &last)) {
      if (!bit_unit) {
        first *= 8;
        last = last * 8 + 7;
      }
      for (int64_t i = first; i <= last; ++i) want += bits[static_cast<size_t>(i)];
    }
    EXPECT_EQ(BitCount(s, start, end, bit_unit), want) << start << " " << end << " " << bit_unit;
  }
}

TEST(Bitops, BitPosAgreesWithModel) {
  Lcg rng(2);
  for (int round = 0; round < 1000; ++round) {
    const std::string s = rng.Bytes(24);
    const std::vector<int> bits = Bits(s);
    const int bit = static_cast<int>(rng.Next() % 2);
    const int form = static_cast<int>(rng.Next() % 3);  // none, start only, start and end
    const bool bit_unit = form == 2 && rng.Next() % 2 == 0;
    std::optional<int64_t> start, end;
    if (form >= 1) start = static_cast<int64_t>(rng.Next() % 60) - 30;
    if (form == 2) end = static_cast<int64_t>(rng.Next() % 60) - 30;
    const int64_t len = static_cast<int64_t>(bit_unit ? bits.size() : s.size());
    int64_t first = start.value_or(0), last = end.value_or(len - 1);
    int64_t want = -1;
    if (Clamp(len, &first, &last)) {
      if (!bit_unit) {
        first *= 8;
        last = last * 8 + 7;
      }
      for (int64_t i = first; i <= last && want == -1; ++i) {
        if (bits[static_cast<size_t>(i)] == bit) want = i;
      }
      if (want == -1 && bit == 0 && !end.has_value()) want = last + 1;
    }
    EXPECT_EQ(BitPos(s, bit, start, end, bit_unit), want);
  }
}

class BitopsDbTest : public ::testing::Test {
 protected:
  BitopsDbTest() : db_(0, &clock_) {}
  std::string Get(std::string_view key) {
    std::string scratch;
    return std::string(db_.Find(key)->value().Str(&scratch));
  }
  Clock clock_;
  Db db_;
};

TEST_F(BitopsDbTest, SetBitGrowsAndReturnsOld) {
  EXPECT_EQ(SetBit(db_, "k", nullptr, 9, 1).value(), 0);
  EXPECT_EQ(Get("k"), std::string("\x00\x40", 2));
  EXPECT_EQ(SetBit(db_, "k", db_.Find("k"), 9, 1).value(), 1);
  EXPECT_EQ(SetBit(db_, "k", db_.Find("k"), 9, 0).value(), 1);
  EXPECT_EQ(Get("k"), std::string("\x00\x00", 2));
  EXPECT_EQ(db_.Find("k")->value().Encoding(), "raw");
}

TEST_F(BitopsDbTest, BitOpPadsShortSourcesWithZeros) {
  const std::vector<std::string_view> src = {"\xff\xff", "\x0f"};
  EXPECT_EQ(BitOp(db_, "d", BitOpKind::kAnd, src), 2);
  EXPECT_EQ(Get("d"), std::string("\x0f\x00", 2));
  EXPECT_EQ(BitOp(db_, "d", BitOpKind::kOr, src), 2);
  EXPECT_EQ(Get("d"), "\xff\xff");
  EXPECT_EQ(BitOp(db_, "d", BitOpKind::kXor, src), 2);
  EXPECT_EQ(Get("d"), "\xf0\xff");
  const std::vector<std::string_view> one = {"\x0f"};
  EXPECT_EQ(BitOp(db_, "d", BitOpKind::kNot, one), 1);
  EXPECT_EQ(Get("d"), "\xf0");
  const std::vector<std::string_view> empty = {"", ""};
  EXPECT_EQ(BitOp(db_, "d", BitOpKind::kOr, empty), 0);
  EXPECT_EQ(db_.Find("d"), nullptr);
}

// The two model tests use __int128 as the exact oracle, which 32-bit targets lack; the edge
// cases below run everywhere.
#ifdef __SIZEOF_INT128__
// Field reads agree with the bit model, for every width and sign.
TEST(Bitops, GetFieldAgreesWithModel) {
  Lcg rng(3);
  for (int round = 0; round < 2000; ++round) {
    const std::string s = rng.Bytes(12);
    const std::vector<int> bits = Bits(s);
    const bool is_signed = rng.Next() % 2 == 0;
    const int width = 1 + static_cast<int>(rng.Next() % (is_signed ? 64 : 63));
    const uint64_t offset = rng.Next() % 100;
    unsigned __int128 raw = 0;
    for (int i = 0; i < width; ++i) {
      const uint64_t pos = offset + static_cast<uint64_t>(i);
      raw = (raw << 1) | static_cast<unsigned>(pos < bits.size() ? bits[pos] : 0);
    }
    __int128 want = static_cast<__int128>(raw);
    if (is_signed && (raw >> (width - 1)) != 0) want -= static_cast<__int128>(1) << width;
    EXPECT_EQ(GetField(s, offset, width, is_signed), static_cast<int64_t>(want));
  }
}

// INCRBY under each overflow policy agrees with exact arithmetic clamped or wrapped.
TEST_F(BitopsDbTest, BitfieldIncrByAgreesWithModel) {
  Lcg rng(4);
  for (int round = 0; round < 2000; ++round) {
    BitfieldOp op;
    op.kind = BitfieldOp::Kind::kIncrBy;
    op.is_signed = rng.Next() % 2 == 0;
    op.bits = 1 + static_cast<int>(rng.Next() % (op.is_signed ? 64 : 63));
    op.offset = rng.Next() % 16;
    op.value = static_cast<int64_t>((rng.Next() << 33) ^ rng.Next()) >> (rng.Next() % 64);
    op.overflow = static_cast<BitfieldOverflow>(rng.Next() % 3);
    const std::string before = rng.Bytes(10);
    db_.Set("k", Value::RawString(before));
    const int64_t old = GetField(before, op.offset, op.bits, op.is_signed);
    const __int128 exact = static_cast<__int128>(old) + op.value;
    const __int128 max = op.is_signed ? (static_cast<__int128>(1) << (op.bits - 1)) - 1
                                      : (static_cast<__int128>(1) << op.bits) - 1;
    const __int128 min = op.is_signed ? -max - 1 : 0;
    std::optional<int64_t> want;
    if (exact >= min && exact <= max) {
      want = static_cast<int64_t>(exact);
    } else if (op.overflow == BitfieldOverflow::kSat) {
      want = static_cast<int64_t>(exact > max ? max : min);
    } else if (op.overflow == BitfieldOverflow::kWrap) {
      const __int128 span = static_cast<__int128>(1) << op.bits;
      __int128 w = ((exact - min) % span + span) % span + min;
      want = static_cast<int64_t>(w);
    }
    Result<std::vector<std::optional<int64_t>>> r =
        Bitfield(db_, "k", db_.Find("k"), std::span<const BitfieldOp>(&op, 1));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value()[0], want);
    const std::string after = Get("k");
    EXPECT_EQ(GetField(after, op.offset, op.bits, op.is_signed), want.value_or(old));
  }
}
#endif  // __SIZEOF_INT128__

// Results that need 65 bits: i64 INCRBY past either end, u63 SET of a negative value.
TEST_F(BitopsDbTest, BitfieldSixtyFiveBitResults) {
  const auto run = [&](BitfieldOp op) {
    Result<std::vector<std::optional<int64_t>>> r =
        Bitfield(db_, "k", db_.Find("k"), std::span<const BitfieldOp>(&op, 1));
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value()[0] : std::nullopt;
  };
  constexpr int64_t kMax = INT64_MAX, kMin = INT64_MIN;
  BitfieldOp set;
  set.kind = BitfieldOp::Kind::kSet;
  set.is_signed = true;
  set.bits = 64;
  set.value = kMax;
  run(set);
  BitfieldOp incr = set;
  incr.kind = BitfieldOp::Kind::kIncrBy;
  incr.value = kMax;
  incr.overflow = BitfieldOverflow::kFail;
  EXPECT_EQ(run(incr), std::nullopt);
  incr.overflow = BitfieldOverflow::kSat;
  EXPECT_EQ(run(incr), kMax);
  incr.overflow = BitfieldOverflow::kWrap;
  EXPECT_EQ(run(incr), -2);  // 2^64 - 2 wraps to -2
  set.value = kMin;
  run(set);
  incr.value = kMin;
  incr.overflow = BitfieldOverflow::kSat;
  EXPECT_EQ(run(incr), kMin);
  incr.overflow = BitfieldOverflow::kWrap;
  EXPECT_EQ(run(incr), 0);  // -2^64 wraps to 0

  BitfieldOp u63;
  u63.kind = BitfieldOp::Kind::kSet;
  u63.is_signed = false;
  u63.bits = 63;
  u63.offset = 64;
  u63.value = -1;  // taken as 2^64 - 1
  u63.overflow = BitfieldOverflow::kFail;
  EXPECT_EQ(run(u63), std::nullopt);
  u63.overflow = BitfieldOverflow::kSat;
  EXPECT_EQ(run(u63), 0);  // SET answers the old value, and saturates to the type's maximum
  EXPECT_EQ(GetField(Get("k"), 64, 63, false), kMax);
  u63.overflow = BitfieldOverflow::kWrap;
  u63.value = kMin;  // 2^63: its low 63 bits are zero
  run(u63);
  EXPECT_EQ(GetField(Get("k"), 64, 63, false), 0);
}

TEST_F(BitopsDbTest, BitfieldGrowsForWritesEvenWhenTheyFail) {
  BitfieldOp op;
  op.kind = BitfieldOp::Kind::kIncrBy;
  op.bits = 8;
  op.offset = 100;
  op.value = 300;
  op.overflow = BitfieldOverflow::kFail;
  Result<std::vector<std::optional<int64_t>>> r =
      Bitfield(db_, "k", nullptr, std::span<const BitfieldOp>(&op, 1));
  EXPECT_EQ(r.value()[0], std::nullopt);
  EXPECT_EQ(Get("k"), std::string(14, '\0'));
}

TEST_F(BitopsDbTest, BitfieldReadOnlyCreatesNothing) {
  BitfieldOp op;
  op.bits = 8;
  Result<std::vector<std::optional<int64_t>>> r =
      Bitfield(db_, "k", nullptr, std::span<const BitfieldOp>(&op, 1));
  EXPECT_EQ(r.value()[0], 0);
  EXPECT_EQ(db_.Find("k"), nullptr);
}

}  // namespace
}  // namespace store
