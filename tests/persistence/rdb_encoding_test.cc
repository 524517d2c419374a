// The primitive codecs of RDB: <len>, <str> and score encodings.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"

namespace persistence {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

std::string Len(uint64_t n) {
  std::string s;
  rdb::AppendLength(n, &s);
  return s;
}

TEST(RdbLength, EncodingsAtTheirBoundaries) {
  EXPECT_EQ(Len(0), Bytes({0x00}));
  EXPECT_EQ(Len(63), Bytes({0x3f}));
  EXPECT_EQ(Len(64), Bytes({0x40, 0x40}));
  EXPECT_EQ(Len(16383), Bytes({0x7f, 0xff}));
  EXPECT_EQ(Len(16384), Bytes({0x80, 0x00, 0x00, 0x40, 0x00}));
  EXPECT_EQ(Len(0xffffffffull), Bytes({0x80, 0xff, 0xff, 0xff, 0xff}));
  EXPECT_EQ(Len(0x100000000ull), Bytes({0x81, 0, 0, 0, 1, 0, 0, 0, 0}));
}

TEST(RdbLength, RoundTrips) {
  for (uint64_t n : {0ull, 1ull, 63ull, 64ull, 300ull, 16383ull, 16384ull, 70000ull, 0xffffffffull,
                     0x100000000ull, ~0ull}) {
    const std::string s = Len(n);
    rdb::Cursor in(s);
    uint64_t back = 0;
    ASSERT_TRUE(in.ReadLength(&back)) << n;
    EXPECT_EQ(back, n);
    EXPECT_EQ(in.remaining(), 0u);
  }
}

TEST(RdbLength, TruncatedAndEncodedLengthsFail) {
  for (const std::string& s :
       {Bytes({0x40}), Bytes({0x80, 0, 0}), Bytes({0x81, 0, 0, 0, 0, 0, 0, 0}), Bytes({0xc0})}) {
    rdb::Cursor in(s);
    uint64_t n;
    EXPECT_FALSE(in.ReadLength(&n));
    EXPECT_FALSE(in.status().ok());
  }
  const std::string bad_len = Bytes({0x82, 0, 0, 0, 0});
  rdb::Cursor bad(bad_len);
  uint64_t n;
  EXPECT_FALSE(bad.ReadLength(&n));
  EXPECT_EQ(bad.status().offset(), 0u);
}

std::string Str(std::string_view v, bool compress = true) {
  std::string s;
  rdb::AppendString(v, compress, &s);
  return s;
}

std::string ReadBack(const std::string& enc) {
  rdb::Cursor in(enc);
  std::string out;
  EXPECT_TRUE(in.ReadString(&out)) << in.status().ToString();
  EXPECT_EQ(in.remaining(), 0u);
  return out;
}

TEST(RdbString, IntegerEncodings) {
  EXPECT_EQ(Str("0"), Bytes({0xc0, 0x00}));
  EXPECT_EQ(Str("-128"), Bytes({0xc0, 0x80}));
  EXPECT_EQ(Str("127"), Bytes({0xc0, 0x7f}));
  EXPECT_EQ(Str("128"), Bytes({0xc1, 0x80, 0x00}));
  EXPECT_EQ(Str("-32768"), Bytes({0xc1, 0x00, 0x80}));
  EXPECT_EQ(Str("32768"), Bytes({0xc2, 0x00, 0x80, 0x00, 0x00}));
  EXPECT_EQ(Str("-2147483648"), Bytes({0xc2, 0x00, 0x00, 0x00, 0x80}));
  // Not canonical, or out of int32 range: plain strings.
  EXPECT_EQ(Str("2147483648"), Len(10) + "2147483648");
  EXPECT_EQ(Str("007"), Len(3) + "007");
  EXPECT_EQ(Str("+1"), Len(2) + "+1");
  EXPECT_EQ(Str("-0"), Len(2) + "-0");
  for (const char* s : {"0", "-128", "127", "128", "-32768", "32768", "-2147483648", "2147483647",
                        "2147483648", "007"}) {
    EXPECT_EQ(ReadBack(Str(s)), s);
  }
}

TEST(RdbString, IntStringValues) {
  std::string s;
  rdb::AppendIntString(5, &s);
  EXPECT_EQ(s, Bytes({0xc0, 5}));
  s.clear();
  rdb::AppendIntString(INT64_MIN, &s);
  EXPECT_EQ(s, Len(20) + "-9223372036854775808");
}

TEST(RdbString, LzfWhenLongAndItPays) {
  const std::string twenty(20, 'a');
  EXPECT_EQ(Str(twenty), Len(20) + twenty);  // 20 bytes: never compressed
  const std::string longer(100, 'a');
  const std::string enc = Str(longer);
  ASSERT_EQ(static_cast<uint8_t>(enc[0]), 0xc3);
  EXPECT_LT(enc.size(), 20u);
  EXPECT_EQ(ReadBack(enc), longer);
  EXPECT_EQ(Str(longer, false), Len(100) + longer);
  // Incompressible data is stored plain.
  std::string random(64, '\0');
  std::mt19937_64 rng(3);
  for (char& c : random) c = static_cast<char>(rng());
  EXPECT_EQ(Str(random), Len(64) + random);
}

TEST(RdbString, CorruptLzfFailsWithOffset) {
  std::string enc = Str(std::string(100, 'a'));
  enc[enc.size() - 1] = 0x7f;  // break the last back-reference's distance
  const std::string prefixed = "xyz" + enc;
  rdb::Cursor in(prefixed);
  std::string_view skip;
  ASSERT_TRUE(in.ReadBytes(3, &skip));
  std::string out;
  EXPECT_FALSE(in.ReadString(&out));
  EXPECT_EQ(in.status().offset(), 3u);
  // An absurd uncompressed length is refused before allocating.
  const std::string huge = Bytes({0xc3, 0x01, 0x81, 0, 0, 0, 0x10, 0, 0, 0, 0, 0x00});
  rdb::Cursor in2(huge);
  EXPECT_FALSE(in2.ReadString(&out));
}

TEST(RdbDouble, TextAndBinaryScores) {
  std::string s = Bytes({3}) + "1.5" + Bytes({253, 254, 255});
  rdb::Cursor in(s);
  double d;
  ASSERT_TRUE(in.ReadTextDouble(&d));
  EXPECT_EQ(d, 1.5);
  ASSERT_TRUE(in.ReadTextDouble(&d));
  EXPECT_TRUE(std::isnan(d));
  ASSERT_TRUE(in.ReadTextDouble(&d));
  EXPECT_EQ(d, HUGE_VAL);
  ASSERT_TRUE(in.ReadTextDouble(&d));
  EXPECT_EQ(d, -HUGE_VAL);
  std::string b;
  rdb::AppendBinaryDouble(-2.25, &b);
  rdb::Cursor in2(b);
  ASSERT_TRUE(in2.ReadBinaryDouble(&d));
  EXPECT_EQ(d, -2.25);
  EXPECT_EQ(rdb::FormatScore(0.1), "0.10000000000000001");
  EXPECT_EQ(rdb::FormatScore(3), "3");
  EXPECT_EQ(rdb::FormatScore(1e20), "1e+20");
  EXPECT_EQ(rdb::FormatScore(-HUGE_VAL), "-inf");
}

}  // namespace
}  // namespace persistence
