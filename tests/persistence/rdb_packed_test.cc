// Listpack and intset writers against bytes Redis 7.0 produced, and the four blob readers
// (listpack, ziplist, intset, zipmap) on good and broken input.
#include "persistence/rdb_packed.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace persistence::rdb {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

TEST(Listpack, MatchesRedisBytesForIntegersOfEveryWidth) {
  // From `HSET h a 1 b -5000 c 70000 d 9000000 e 3000000000 f 12345678901234` then DUMP h on
  // redis-server 7.0.15 (the listpack inside the payload).
  ListpackBuilder lp;
  for (const char* s : {"a", "1", "b", "-5000", "c", "70000", "d", "9000000", "e", "3000000000",
                        "f", "12345678901234"}) {
    lp.Append(s);
  }
  const std::string want =
      Bytes({0x3e, 0,    0,    0,    0x0c, 0,    0x81, 'a',  0x02, 0x01, 0x01, 0x81, 'b',
             0x02, 0xf1, 0x78, 0xec, 0x03, 0x81, 'c',  0x02, 0xf2, 0x70, 0x11, 0x01, 0x04,
             0x81, 'd',  0x02, 0xf3, 0x40, 0x54, 0x89, 0x00, 0x05, 0x81, 'e',  0x02, 0xf4,
             0x00, 0x5e, 0xd0, 0xb2, 0,    0,    0,    0,    0x09, 0x81, 'f',  0x02, 0xf4,
             0xf2, 0x2f, 0xce, 0x73, 0x3a, 0x0b, 0,    0,    0x09, 0xff});
  EXPECT_EQ(lp.Finish(), want);
}

TEST(Listpack, RoundTripsEveryEncodingBoundary) {
  std::vector<std::string> items = {"0",
                                    "127",
                                    "128",
                                    "-1",
                                    "-4096",
                                    "4095",
                                    "4096",
                                    "-4097",
                                    "32767",
                                    "-32768",
                                    "32768",
                                    "8388607",
                                    "-8388608",
                                    "8388608",
                                    "2147483647",
                                    "-2147483648",
                                    "2147483648",
                                    "9223372036854775807",
                                    "-9223372036854775808",
                                    "",
                                    "x",
                                    "007",
                                    "-0",
                                    "+1",
                                    std::string(63, 'a'),
                                    std::string(64, 'b'),
                                    std::string(4095, 'c'),
                                    std::string(4096, 'd'),
                                    std::string(70000, 'e')};
  ListpackBuilder lp;
  for (const auto& s : items) lp.Append(s);
  const std::string blob = lp.Finish();
  std::vector<std::string> back;
  std::string err;
  ASSERT_TRUE(ParseListpack(blob, &back, &err)) << err;
  EXPECT_EQ(back, items);
}

TEST(Listpack, BacklenOfLongEntries) {
  // An entry of 200 bytes needs a two-byte back-length: 200 = 1*128 + 72 -> 0x01 0xC8.
  ListpackBuilder lp;
  lp.AppendString(std::string(198, 'z'));  // 2 bytes header + 198 = 200
  const std::string blob = lp.Finish();
  ASSERT_EQ(blob.size(), 6u + 200 + 2 + 1);
  EXPECT_EQ(static_cast<uint8_t>(blob[206]), 0x01);
  EXPECT_EQ(static_cast<uint8_t>(blob[207]), 0xC8);
}

TEST(Listpack, ManyEntriesCountSaturates) {
  ListpackBuilder lp;
  for (int i = 0; i < 70000; ++i) lp.AppendInt(i % 100);
  const std::string blob = lp.Finish();
  EXPECT_EQ(static_cast<uint8_t>(blob[4]), 0xff);
  EXPECT_EQ(static_cast<uint8_t>(blob[5]), 0xff);
  std::vector<std::string> back;
  std::string err;
  ASSERT_TRUE(ParseListpack(blob, &back, &err)) << err;
  EXPECT_EQ(back.size(), 70000u);
}

TEST(Listpack, RejectsBrokenBlobs) {
  ListpackBuilder lp;
  lp.Append("hello");
  lp.Append("12345");
  const std::string good = lp.Finish();
  std::vector<std::string> out;
  std::string err;
  ASSERT_TRUE(ParseListpack(good, &out, &err));
  for (size_t cut = 0; cut < good.size(); ++cut) {
    out.clear();
    EXPECT_FALSE(ParseListpack(good.substr(0, cut), &out, &err)) << cut;
  }
  std::string bad_count = good;
  bad_count[4] = 3;
  EXPECT_FALSE(ParseListpack(bad_count, &out, &err));
  std::string bad_backlen = good;
  bad_backlen[6 + 6] = 9;  // the back-length of "hello" is 6
  EXPECT_FALSE(ParseListpack(bad_backlen, &out, &err));
  EXPECT_NE(err.find("back-length"), std::string::npos) << err;
}

TEST(Listpack, GarbageNeverCrashes) {
  std::mt19937_64 rng(5);
  ListpackBuilder lp;
  for (int i = 0; i < 20; ++i) lp.Append(i % 3 ? std::to_string(i * 1000) : std::string(i, 'q'));
  const std::string good = lp.Finish();
  for (int i = 0; i < 3000; ++i) {
    std::string b = good;
    b[rng() % b.size()] = static_cast<char>(rng());
    std::vector<std::string> out;
    std::string err;
    (void)ParseListpack(b, &out, &err);
  }
}

TEST(Intset, MatchesRedisBytesAndPicksWidth) {
  // DUMP of SADD s 1 2 3 on redis-server 7.0.15.
  const std::vector<int64_t> small = {1, 2, 3};
  EXPECT_EQ(BuildIntset(small), Bytes({2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 3, 0}));
  const std::vector<int64_t> wide = {-70000, 5};
  EXPECT_EQ(BuildIntset(wide).substr(0, 4), Bytes({4, 0, 0, 0}));
  const std::vector<int64_t> widest = {INT64_MIN, 0, INT64_MAX};
  const std::string blob = BuildIntset(widest);
  EXPECT_EQ(blob.substr(0, 4), Bytes({8, 0, 0, 0}));
  std::vector<int64_t> back;
  std::string err;
  ASSERT_TRUE(ParseIntset(blob, &back, &err)) << err;
  EXPECT_EQ(back, widest);
}

TEST(Intset, RejectsBadWidthSizeAndOrder) {
  std::vector<int64_t> out;
  std::string err;
  EXPECT_FALSE(ParseIntset(Bytes({3, 0, 0, 0, 0, 0, 0, 0}), &out, &err));
  EXPECT_FALSE(ParseIntset(Bytes({2, 0, 0, 0, 2, 0, 0, 0, 1, 0}), &out, &err));
  EXPECT_FALSE(ParseIntset(Bytes({2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0}), &out, &err));
  EXPECT_FALSE(ParseIntset(Bytes({2, 0, 0}), &out, &err));
}

// A ziplist written by hand from the format description (rdb_packed.h), since we never write one.
std::string Ziplist(std::initializer_list<std::string> entries_raw) {
  std::string body;
  size_t prev = 0;
  for (const std::string& enc : entries_raw) {
    std::string e;
    if (prev < 254) {
      e.push_back(static_cast<char>(prev));
    } else {
      e.push_back(static_cast<char>(0xfe));
      for (int i = 0; i < 4; ++i) e.push_back(static_cast<char>((prev >> (8 * i)) & 0xff));
    }
    e += enc;
    prev = e.size();
    body += e;
  }
  std::string out;
  const size_t total = 10 + body.size() + 1;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((total >> (8 * i)) & 0xff));
  for (int i = 0; i < 4; ++i) out.push_back('\0');  // tail offset: not checked by readers
  const size_t n = entries_raw.size();
  out.push_back(static_cast<char>(n & 0xff));
  out.push_back(static_cast<char>(n >> 8));
  return out + body + Bytes({0xff});
}

TEST(Ziplist, DecodesEveryEncoding) {
  const std::string long_str(300, 'L');
  const std::string zl = Ziplist({
      Bytes({0x03}) + "abc",                                          // 6-bit string
      Bytes({0x41, 0x2c}) + long_str,                                 // 14-bit string (300)
      Bytes({0x80, 0, 0, 0, 2}) + "xy",                               // 32-bit string
      Bytes({0xc0, 0x18, 0xfc}),                                      // int16 -1000
      Bytes({0xd0, 0x00, 0x00, 0x01, 0x00}),                          // int32 65536
      Bytes({0xe0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}),  // int64 max
      Bytes({0xf0, 0xff, 0xff, 0x7f}),                                // int24 8388607
      Bytes({0xfe, 0x80}),                                            // int8 -128
      Bytes({0xf1}),                                                  // immediate 0
      Bytes({0xfd}),                                                  // immediate 12
  });
  std::vector<std::string> out;
  std::string err;
  ASSERT_TRUE(ParseZiplist(zl, &out, &err)) << err;
  const std::vector<std::string> want = {
      "abc", long_str, "xy", "-1000", "65536", "9223372036854775807", "8388607", "-128", "0", "12"};
  EXPECT_EQ(out, want);
  for (size_t cut = 0; cut < zl.size(); ++cut) {
    std::vector<std::string> o;
    EXPECT_FALSE(ParseZiplist(zl.substr(0, cut), &o, &err)) << cut;
  }
}

TEST(Ziplist, RejectsWrongPrevlen) {
  std::string zl = Ziplist({Bytes({0x01}) + "a", Bytes({0x01}) + "b"});
  zl[10 + 3] = 7;  // the second entry's prevlen should be 3
  std::vector<std::string> out;
  std::string err;
  EXPECT_FALSE(ParseZiplist(zl, &out, &err));
}

TEST(Zipmap, DecodesPairsSkippingFreeBytes) {
  // {"foo": "bar", "k": "hello"} with two free bytes after "bar".
  const std::string zm = Bytes({2, 3}) + "foo" + Bytes({3, 2}) + "bar" + Bytes({0, 0}) +
                         Bytes({1}) + "k" + Bytes({5, 0}) + "hello" + Bytes({0xff});
  std::vector<std::string> out;
  std::string err;
  ASSERT_TRUE(ParseZipmap(zm, &out, &err)) << err;
  EXPECT_EQ(out, (std::vector<std::string>{"foo", "bar", "k", "hello"}));
  for (size_t cut = 0; cut < zm.size(); ++cut) {
    std::vector<std::string> o;
    EXPECT_FALSE(ParseZipmap(zm.substr(0, cut), &o, &err)) << cut;
  }
}

}  // namespace
}  // namespace persistence::rdb
