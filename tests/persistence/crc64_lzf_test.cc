// CRC-64/Jones and LZF.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

#include "persistence/crc64.h"
#include "persistence/lzf.h"

namespace persistence {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

TEST(Crc64, CheckValue) { EXPECT_EQ(Crc64(0, "123456789"), 0xe9c6d914c4b8d9caull); }

TEST(Crc64, EmptyIsIdentity) {
  EXPECT_EQ(Crc64(0, ""), 0u);
  EXPECT_EQ(Crc64(0x1234, ""), 0x1234u);
}

TEST(Crc64, IncrementalEqualsWholeAtEverySplit) {
  std::mt19937_64 rng(7);
  std::string data(1000, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  const uint64_t whole = Crc64(0, data);
  for (size_t cut = 0; cut <= data.size(); cut += 37) {
    EXPECT_EQ(Crc64(Crc64(0, data.substr(0, cut)), data.substr(cut)), whole) << cut;
  }
}

TEST(Crc64, MatchesBitwiseDefinition) {
  // The slicing-by-8 tables against the one-bit-at-a-time definition, lengths 0..40.
  auto slow = [](std::string_view s) {
    uint64_t crc = 0;
    for (unsigned char c : s) {
      crc ^= c;
      for (int i = 0; i < 8; ++i) crc = (crc & 1) ? (crc >> 1) ^ 0x95ac9329ac4bc9b5ull : crc >> 1;
    }
    return crc;
  };
  std::string s;
  for (int i = 0; i <= 40; ++i) {
    EXPECT_EQ(Crc64(0, s), slow(s)) << i;
    s.push_back(static_cast<char>(i * 31 + 7));
  }
}

std::string Compress(std::string_view in, size_t cap) {
  std::string out(cap, '\0');
  const size_t n = LzfCompress(in, out.data(), cap);
  out.resize(n);
  return out;
}

TEST(Lzf, RoundTripsRepetitiveAndRandomData) {
  std::mt19937_64 rng(42);
  for (size_t len : {1, 2, 3, 4, 31, 32, 33, 100, 264, 265, 1000, 9000, 70000}) {
    for (int kind = 0; kind < 3; ++kind) {
      std::string in(len, 'a');
      for (size_t i = 0; i < len; ++i) {
        if (kind == 1) in[i] = static_cast<char>('a' + rng() % 4);
        if (kind == 2) in[i] = static_cast<char>(rng());
      }
      const std::string c = Compress(in, len + len / 16 + 64);
      ASSERT_GT(c.size(), 0u) << len << " " << kind;
      std::string back(len, '\0');
      ASSERT_TRUE(LzfDecompress(c, back.data(), len)) << len << " " << kind;
      EXPECT_EQ(back, in);
      if (kind == 0 && len >= 100) {
        EXPECT_LT(c.size(), len / 10);
      }
    }
  }
}

TEST(Lzf, ReturnsZeroWhenOutputDoesNotFit) {
  std::string random(200, '\0');
  std::mt19937_64 rng(1);
  for (char& c : random) c = static_cast<char>(rng());
  char out[196];
  EXPECT_EQ(LzfCompress(random, out, sizeof(out)), 0u);
}

TEST(Lzf, DecodesHandWrittenStream) {
  // Literal "abc", then a back-reference of 6 bytes at distance 3 (len field 4, offset 2).
  const std::string in = Bytes({2, 'a', 'b', 'c', (4 << 5) | 0, 2});
  std::string out(9, '\0');
  ASSERT_TRUE(LzfDecompress(in, out.data(), out.size()));
  EXPECT_EQ(out, "abcabcabc");
  // A long back-reference: len field 7 + extra byte 10 → 19 bytes at distance 1.
  const std::string run = Bytes({0, 'x', (7 << 5) | 0, 10, 0});
  std::string out2(20, '\0');
  ASSERT_TRUE(LzfDecompress(run, out2.data(), out2.size()));
  EXPECT_EQ(out2, std::string(20, 'x'));
}

TEST(Lzf, RejectsMalformedStreams) {
  std::string out(16, '\0');
  // Back-reference before the start of the output.
  EXPECT_FALSE(LzfDecompress(Bytes({0, 'a', (1 << 5) | 0, 5}), out.data(), 4));
  // Literal run longer than the input.
  EXPECT_FALSE(LzfDecompress(Bytes({5, 'a', 'b'}), out.data(), 6));
  // Output larger than declared.
  EXPECT_FALSE(LzfDecompress(Bytes({3, 'a', 'b', 'c', 'd'}), out.data(), 3));
  // Output shorter than declared.
  EXPECT_FALSE(LzfDecompress(Bytes({1, 'a', 'b'}), out.data(), 3));
  // Back-reference missing its offset byte.
  EXPECT_FALSE(LzfDecompress(Bytes({0, 'a', (1 << 5)}), out.data(), 4));
  EXPECT_FALSE(LzfDecompress(Bytes({0, 'a', (7 << 5)}), out.data(), 12));
}

TEST(Lzf, DecompressNeverOverrunsOnGarbage) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 2000; ++i) {
    std::string in(rng() % 40, '\0');
    for (char& c : in) c = static_cast<char>(rng());
    const size_t want = rng() % 64;
    std::string out(want, '\0');
    (void)LzfDecompress(in, out.data(), want);  // must not crash or overrun (ASan checks)
  }
}

}  // namespace
}  // namespace persistence
