#include "resp/parser.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace resp {
namespace {

// Feeds `input` to a fresh parser as one buffer that grows by `chunk` bytes at a time, as a socket
// would deliver it, and collects every command (joined with '|') or the protocol error.
std::string ParseAll(const std::string& input, size_t chunk) {
  Parser p;
  std::vector<std::string_view> argv;
  std::string out;
  size_t start = 0, avail = 0;
  while (true) {
    avail = std::min(input.size(), avail + chunk);
    while (start < avail) {
      auto r = p.Parse(std::string_view(input).substr(start, avail - start), &argv);
      if (r.status == Parser::Status::kNeedMore) break;
      if (r.status == Parser::Status::kProtocolError) return out + "ERROR:" + p.error();
      start += r.consumed;
      out += "[";
      for (size_t i = 0; i < argv.size(); ++i) out += (i ? "|" : "") + std::string(argv[i]);
      out += "]";
    }
    if (avail == input.size()) break;
  }
  if (start != input.size()) out += "PARTIAL";
  return out;
}

// Every input is checked whole, byte by byte and split at every offset.
void ExpectParse(const std::string& input, const std::string& expected) {
  EXPECT_EQ(ParseAll(input, input.size() + 1), expected) << "whole";
  EXPECT_EQ(ParseAll(input, 1), expected) << "byte by byte";
  for (size_t split = 1; split < input.size(); ++split) {
    Parser p;
    std::vector<std::string_view> argv;
    std::string out;
    std::string_view all(input);
    size_t start = 0;
    for (size_t avail : {split, input.size()}) {
      while (start < avail) {
        auto r = p.Parse(all.substr(start, avail - start), &argv);
        if (r.status == Parser::Status::kNeedMore) break;
        if (r.status == Parser::Status::kProtocolError) {
          out += "ERROR:" + p.error();
          start = input.size();
          break;
        }
        start += r.consumed;
        out += "[";
        for (size_t i = 0; i < argv.size(); ++i) out += (i ? "|" : "") + std::string(argv[i]);
        out += "]";
      }
    }
    if (start != input.size()) out += "PARTIAL";
    EXPECT_EQ(out, expected) << "split at " << split;
  }
}

TEST(Parser, Multibulk) { ExpectParse("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n", "[GET|key]"); }

TEST(Parser, BinarySafeBulk) {
  ExpectParse(std::string("*1\r\n$4\r\na\r\n\0\r\n", 14), std::string("[a\r\n\0]", 6));
}

TEST(Parser, Pipeline) {
  ExpectParse("*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\nPING\r\n", "[PING][ECHO|][PING]");
}

TEST(Parser, EmptyMultibulkIsIgnored) { ExpectParse("*0\r\n*-1\r\n*1\r\n$1\r\nx\r\n", "[][][x]"); }

TEST(Parser, Inline) {
  ExpectParse("SET k \"a b\\n\" 'it''s'\r\n", "ERROR:Protocol error: unbalanced quotes in request");
  ExpectParse("SET k \"a b\\x41\" 'c\\'d'\r\n", "[SET|k|a bA|c'd]");
  ExpectParse("PING\n", "[PING]");
  ExpectParse("\r\n", "[]");
}

TEST(Parser, IncompleteIsNeedMore) {
  EXPECT_EQ(ParseAll("*2\r\n$3\r\nGET\r\n$3\r\nke", 1000), "PARTIAL");
  EXPECT_EQ(ParseAll("PING", 1000), "PARTIAL");
}

TEST(Parser, ProtocolErrors) {
  ExpectParse("*x\r\n", "ERROR:Protocol error: invalid multibulk length");
  ExpectParse("*3000000000\r\n", "ERROR:Protocol error: invalid multibulk length");
  ExpectParse("*1\r\n$-1\r\n", "ERROR:Protocol error: invalid bulk length");
  ExpectParse("*1\r\n$600000000\r\n", "ERROR:Protocol error: invalid bulk length");
  ExpectParse("*1\r\nfoo\r\n", "ERROR:Protocol error: expected '$', got 'f'");
  ExpectParse("SET \"a\r\n", "ERROR:Protocol error: unbalanced quotes in request");
}

TEST(Parser, TooBigInline) {
  std::string big(70 * 1024, 'a');
  EXPECT_EQ(ParseAll(big, big.size()), "ERROR:Protocol error: too big inline request");
  EXPECT_EQ(ParseAll("*" + big, big.size()), "ERROR:Protocol error: too big mbulk count string");
  EXPECT_EQ(ParseAll("*1\r\n$" + big, big.size()),
            "ERROR:Protocol error: too big bulk count string");
}

TEST(Parser, MaxBulkLenIsConfigurable) {
  Parser p;
  p.set_max_bulk_len(3);
  std::vector<std::string_view> argv;
  EXPECT_EQ(p.Parse("*1\r\n$4\r\nabcd\r\n", &argv).status, Parser::Status::kProtocolError);
  EXPECT_EQ(p.error(), "Protocol error: invalid bulk length");
}

// A limit beyond what size_t can hold is capped (LONG_MAX, as Redis caps proto-max-bulk-len): a
// 32-bit parser refuses a 5 GB bulk up front; a 64-bit one waits for its bytes.
TEST(Parser, BulkLenNeverExceedsTheAddressSpace) {
  Parser p;
  p.set_max_bulk_len(INT64_MAX);
  std::vector<std::string_view> argv;
  const auto r = p.Parse("*1\r\n$5000000000\r\n", &argv);
  if (sizeof(long) == 4) {
    EXPECT_EQ(r.status, Parser::Status::kProtocolError);
    EXPECT_EQ(p.error(), "Protocol error: invalid bulk length");
  } else {
    EXPECT_EQ(r.status, Parser::Status::kNeedMore);
  }
}

TEST(Parser, ResumesAfterBufferMoves) {
  Parser p;
  std::vector<std::string_view> argv;
  std::string a = "*2\r\n$3\r\nGET\r\n$3";
  EXPECT_EQ(p.Parse(a, &argv).status, Parser::Status::kNeedMore);
  std::string b = a + "\r\nkey\r\n";  // a different allocation holding the same prefix
  auto r = p.Parse(b, &argv);
  ASSERT_EQ(r.status, Parser::Status::kOk);
  EXPECT_EQ(r.consumed, b.size());
  ASSERT_EQ(argv.size(), 2u);
  EXPECT_EQ(argv[1], "key");
  EXPECT_EQ(argv[1].data(), b.data() + b.size() - 5);
}

}  // namespace
}  // namespace resp
