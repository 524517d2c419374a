// SORT and SORT_RO through the in-process Harness. The expected replies of the tests that mirror
// redis-compat/cases/sort.txt (one TEST per "# SortFamily.X" section there) were taken from
// Debian's redis-server 7.0.15 by replaying that file; the differential run replays the same file
// against both servers. The tests after them cover what a case file cannot see: blocked clients,
// WATCH and the sorted set's encoding.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "test_harness.h"

namespace server::testing {
namespace {

using namespace std::string_view_literals;

// The end of the RESP value starting at pos (bulk strings, nils and integers suffice here).
size_t SkipValue(std::string_view r, size_t pos) {
  const size_t eol = r.find("\r\n", pos);
  if (r[pos] == '$') {
    const long len = std::stol(std::string(r.substr(pos + 1, eol - pos - 1)));
    return len < 0 ? eol + 2 : eol + 2 + static_cast<size_t>(len) + 2;
  }
  return eol + 2;
}

// An array reply whose elements come in unspecified order (a hashtable set read unsorted), with
// its elements sorted.
std::string SortedReply(std::string_view r) {
  if (r.empty() || r[0] != '*') return std::string(r);
  const size_t eol = r.find("\r\n");
  const long n = std::stol(std::string(r.substr(1, eol - 1)));
  std::vector<std::string> items;
  size_t pos = eol + 2;
  for (long i = 0; i < n; ++i) {
    const size_t next = SkipValue(r, pos);
    items.emplace_back(r.substr(pos, next - pos));
    pos = next;
  }
  std::sort(items.begin(), items.end());
  std::string out(r.substr(0, eol + 2));
  for (const std::string& s : items) out += s;
  return out;
}

TEST(SortFamily, Numeric) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "3", "1", "2", "10", "1.5", "-4"}), ":6\r\n");
  EXPECT_EQ(h.Run({"SORT", "l"}),
            "*6\r\n$2\r\n-4\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "DESC"}),
            "*6\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$3\r\n1.5\r\n$1\r\n1\r\n$2\r\n-4\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "ASC"}),
            "*6\r\n$2\r\n-4\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "desc", "asc"}),
            "*6\r\n$2\r\n-4\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n");
  EXPECT_EQ(h.Run({"SORT_RO", "l"}),
            "*6\r\n$2\r\n-4\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n");
  EXPECT_EQ(h.Run({"SORT_RO", "l", "DESC"}),
            "*6\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$3\r\n1.5\r\n$1\r\n1\r\n$2\r\n-4\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "odd", "", " 1", "0x10", "inf", "-inf", "+2", "1e3", "3\x00junk"sv}),
            ":8\r\n");
  EXPECT_EQ(
      h.Run({"SORT", "odd"}),
      "*8\r\n$4\r\n-inf\r\n$0\r\n\r\n$2\r\n 1\r\n$2\r\n+2\r\n$6\r\n3\x00junk\r\n$4\r\n0x10\r\n$3\r\n1e3\r\n$3\r\ninf\r\n"sv);
  EXPECT_EQ(
      h.Run({"SORT", "odd", "DESC"}),
      "*8\r\n$3\r\ninf\r\n$3\r\n1e3\r\n$4\r\n0x10\r\n$6\r\n3\x00junk\r\n$2\r\n+2\r\n$2\r\n 1\r\n$0\r\n\r\n$4\r\n-inf\r\n"sv);
}

TEST(SortFamily, NotADouble) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "bad", "1", "x", "2"}), ":3\r\n");
  EXPECT_EQ(h.Run({"SORT", "bad"}), "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(h.Run({"SORT", "bad", "LIMIT", "0", "1"}),
            "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(h.Run({"SORT", "bad", "DESC"}),
            "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(h.Run({"SORT", "bad", "STORE", "dst"}),
            "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "dst"}), ":0\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "nan", "nan"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SORT", "nan"}), "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "trail", "1 "}), ":1\r\n");
  EXPECT_EQ(h.Run({"SORT", "trail"}), "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(h.Run({"SORT", "bad", "ALPHA"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\nx\r\n");
}

TEST(SortFamily, Alpha) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "b", "B", "a", "A", "10", "9", "", "_", "\xc3\xa9", "\xff"}),
            ":10\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "ALPHA"}),
            "*10\r\n$0\r\n\r\n$2\r\n10\r\n$1\r\n9\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\n_\r\n$1\r\na\r\n$"
            "1\r\nb\r\n$2\r\n\xc3\xa9\r\n$1\r\n\xff\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "ALPHA", "DESC"}),
            "*10\r\n$1\r\n\xff\r\n$2\r\n\xc3\xa9\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\n_\r\n$1\r\nB\r\n$"
            "1\r\nA\r\n$1\r\n9\r\n$2\r\n10\r\n$0\r\n\r\n");
  EXPECT_EQ(h.Run({"SORT_RO", "l", "alpha", "limit", "2", "3"}),
            "*3\r\n$1\r\n9\r\n$1\r\nA\r\n$1\r\nB\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "nul", "a\x00z"sv, "a",
                   "a\x00"
                   "b"sv,
                   "b"}),
            ":4\r\n");
  EXPECT_EQ(h.Run({"SORT", "nul", "ALPHA"}),
            "*4\r\n$3\r\na\x00z\r\n$1\r\na\r\n$3\r\na\x00"
            "b\r\n$1\r\nb\r\n"sv);
  EXPECT_EQ(h.Run({"SORT", "nul", "ALPHA", "DESC"}),
            "*4\r\n$1\r\nb\r\n$3\r\na\x00z\r\n$1\r\na\r\n$3\r\na\x00"
            "b\r\n"sv);
  EXPECT_EQ(h.Run({"SORT", "nul", "ALPHA", "STORE", "dst"}), ":4\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}),
            "*4\r\n$1\r\na\r\n$3\r\na\x00"
            "b\r\n$3\r\na\x00z\r\n$1\r\nb\r\n"sv);
}

TEST(SortFamily, Limit) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "5", "3", "1", "4", "2"}), ":5\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "0", "2"}), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "1", "3"}), "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "-1", "2"}), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "-10", "-10"}),
            "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "2", "-1"}), "*3\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "3", "-2"}), "*2\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "4", "10"}), "*1\r\n$1\r\n5\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "5", "1"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "10", "2"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "0", "0"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "2", "0"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "2", "9223372036854775807"}),
            "*3\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "9223372036854775807", "9223372036854775807"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "-9223372036854775808", "-9223372036854775808"}),
            "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "0", "1", "LIMIT", "3", "1"}), "*1\r\n$1\r\n4\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "DESC", "LIMIT", "0", "2"}), "*2\r\n$1\r\n5\r\n$1\r\n4\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "x", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "1", "y"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "1.5", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "1"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SORT", "nokey", "LIMIT", "0", "1"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "nokey", "LIMIT", "-1", "-1"}), "*0\r\n");
}

TEST(SortFamily, ByPattern) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "c", "a", "b", "d"}), ":4\r\n");
  EXPECT_EQ(h.Run({"MSET", "w_a", "3", "w_b", "1", "w_c", "2", "o_a", "A", "o_b", "B", "o_c", "C"}),
            "+OK\r\n");
  EXPECT_EQ(h.Run({"HSET", "h_a", "f", "30", "g", "x"}), ":2\r\n");
  EXPECT_EQ(h.Run({"HSET", "h_b", "f", "10"}), ":1\r\n");
  EXPECT_EQ(h.Run({"HSET", "h_c", "f", "20"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*"}),
            "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "DESC"}),
            "*4\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "ALPHA"}),
            "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "h_*->f"}),
            "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "h_*->f", "DESC"}),
            "*4\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "h_*->f", "ALPHA"}),
            "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "h_*->nofield"}),
            "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "missing_*"}),
            "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "missing_*", "DESC"}),
            "*4\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*"}),
            "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*", "ALPHA"}),
            "*4\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*", "ALPHA", "DESC"}),
            "*4\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*->f"}),
            "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "h_*"}),
            "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "*"}), "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*->"}),
            "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "LIMIT", "1", "2"}), "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "DESC", "LIMIT", "0", "3"}),
            "*3\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"SORT_RO", "l", "BY", "w_*", "DESC"}),
            "*4\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\nd\r\n");
}

TEST(SortFamily, NoSort) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "c", "a", "b", "d"}), ":4\r\n");
  EXPECT_EQ(h.Run({"MSET", "w_a", "3", "w_b", "1", "w_c", "2"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort"}),
            "*4\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "DESC"}),
            "*4\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "LIMIT", "1", "2"}),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"}),
            "*2\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "LIMIT", "3", "5"}), "*1\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "LIMIT", "4", "1"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "#"}), "*4\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", ""}), "*4\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "BY", "w_*"}),
            "*4\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*", "BY", "nosort"}),
            "*4\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "ALPHA"}),
            "*4\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "nosort", "STORE", "dst"}), ":4\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}),
            "*4\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "bad", "x", "1"}), ":2\r\n");
  EXPECT_EQ(h.Run({"SORT", "bad", "BY", "nosort"}), "*2\r\n$1\r\nx\r\n$1\r\n1\r\n");
}

TEST(SortFamily, GetPattern) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "3", "1", "2"}), ":3\r\n");
  EXPECT_EQ(h.Run({"MSET", "o_1", "one", "o_2", "two"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"HSET", "h_1", "f", "f1", "g", "g1"}), ":2\r\n");
  EXPECT_EQ(h.Run({"HSET", "h_3", "f", "f3"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "o_*"}), "*3\r\n$3\r\none\r\n$3\r\ntwo\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "#", "GET", "o_*"}),
            "*6\r\n$1\r\n1\r\n$3\r\none\r\n$1\r\n2\r\n$3\r\ntwo\r\n$1\r\n3\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "o_*", "GET", "#", "GET", "h_*->f", "GET", "h_*->g"}),
            "*12\r\n$3\r\none\r\n$1\r\n1\r\n$2\r\nf1\r\n$2\r\ng1\r\n$3\r\ntwo\r\n$1\r\n2\r\n$-"
            "1\r\n$-1\r\n$-1\r\n$1\r\n3\r\n$2\r\nf3\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "nostar"}), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "*"}), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "h_*"}), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "o_*->f"}), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "h_*->"}), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "#x"}), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "##"}), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "o_*", "ALPHA", "GET", "#", "GET", "o_*"}),
            "*6\r\n$1\r\n3\r\n$-1\r\n$1\r\n1\r\n$3\r\none\r\n$1\r\n2\r\n$3\r\ntwo\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "DESC", "LIMIT", "0", "2", "GET", "o_*", "GET", "#"}),
            "*4\r\n$-1\r\n$1\r\n3\r\n$3\r\ntwo\r\n$1\r\n2\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SORT_RO", "l", "GET", "o_*", "GET", "#"}),
            "*6\r\n$3\r\none\r\n$1\r\n1\r\n$3\r\ntwo\r\n$1\r\n2\r\n$-1\r\n$1\r\n3\r\n");
}

TEST(SortFamily, PatternEdges) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "3", "1", "2"}), ":3\r\n");
  EXPECT_EQ(h.Run({"HSET", "1", "f1", "q"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SET", "2->f1", "z"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "*->f1"}), "*3\r\n$1\r\nq\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "*->f1"}),
            "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "*->*"}), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SET", "w\x00*1"sv, "5"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w\x00*"sv}), "*3\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "w\x00*"sv}), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "#\x00x"sv}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(h.Run({"SET", "w_1\x00z"sv, "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "w_*\x00z"sv}), "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "w_*\x00z"sv}), "*3\r\n$1\r\n1\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"HSET", "h_1", "f\x00g"sv, "7"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "h_*->f\x00g"sv}), "*3\r\n$1\r\n7\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "h_*->\x00g"sv}), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
}

TEST(SortFamily, Ties) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "b", "c", "a", "2", "10", "1"}), ":6\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "missing_*"}),
            "*6\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "missing_*", "DESC"}),
            "*6\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\n2\r\n$2\r\n10\r\n$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "missing_*", "ALPHA"}),
            "*6\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\n2\r\n$2\r\n10\r\n$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "missing_*", "ALPHA", "DESC"}),
            "*6\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\n2\r\n$2\r\n10\r\n$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY", "missing_*", "ALPHA", "LIMIT", "0", "3"}),
            "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "p", "294y", "172x", "905x", "931x", "165x", "505y", "320y"}),
            ":7\r\n");
  EXPECT_EQ(h.Run({"MSET", "w_505y", "b", "w_905x", "b", "w_165x", "b", "w_294y", "c", "w_172x",
                   "2", "w_931x", "1"}),
            "+OK\r\n");
  EXPECT_EQ(h.Run({"SORT", "p", "BY", "w_*", "ALPHA"}),
            "*7\r\n$4\r\n320y\r\n$4\r\n931x\r\n$4\r\n172x\r\n$4\r\n905x\r\n$4\r\n165x\r\n$"
            "4\r\n505y\r\n$4\r\n294y\r\n");
  EXPECT_EQ(h.Run({"SORT", "p", "BY", "w_*", "ALPHA", "DESC"}),
            "*7\r\n$4\r\n294y\r\n$4\r\n905x\r\n$4\r\n165x\r\n$4\r\n505y\r\n$4\r\n172x\r\n$"
            "4\r\n931x\r\n$4\r\n320y\r\n");
  EXPECT_EQ(
      h.Run({"SORT", "p", "BY", "w_*", "ALPHA", "DESC", "LIMIT", "0", "6"}),
      "*6\r\n$4\r\n294y\r\n$4\r\n505y\r\n$4\r\n905x\r\n$4\r\n165x\r\n$4\r\n172x\r\n$4\r\n931x\r\n");
  EXPECT_EQ(h.Run({"SORT", "p", "BY", "w_*", "ALPHA", "DESC", "LIMIT", "3", "2"}),
            "*2\r\n$4\r\n165x\r\n$4\r\n172x\r\n");
  EXPECT_EQ(h.Run({"SORT", "p", "BY", "w_*", "ALPHA", "DESC", "LIMIT", "0", "7"}),
            "*7\r\n$4\r\n294y\r\n$4\r\n905x\r\n$4\r\n165x\r\n$4\r\n505y\r\n$4\r\n172x\r\n$"
            "4\r\n931x\r\n$4\r\n320y\r\n");
  EXPECT_EQ(h.Run({"SORT", "p", "BY", "w_*", "ALPHA", "LIMIT", "1", "5"}),
            "*5\r\n$4\r\n931x\r\n$4\r\n172x\r\n$4\r\n905x\r\n$4\r\n165x\r\n$4\r\n505y\r\n");
  EXPECT_EQ(h.Run({"SORT", "p", "BY", "w_*", "ALPHA", "DESC", "LIMIT", "1", "5", "STORE", "dst"}),
            ":5\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}),
            "*5\r\n$4\r\n505y\r\n$4\r\n905x\r\n$4\r\n165x\r\n$4\r\n172x\r\n$4\r\n931x\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "q", "j", "c", "e", "a", "h", "b", "i", "d", "g",
                   "f",     "k", "m", "l", "n", "o", "p", "q", "r", "s", "t"}),
            ":20\r\n");
  EXPECT_EQ(h.Run({"SORT", "q", "BY", "missing_*", "ALPHA", "LIMIT", "0", "10"}),
            "*10\r\n$1\r\nt\r\n$1\r\nc\r\n$1\r\ne\r\n$1\r\na\r\n$1\r\nh\r\n$1\r\nb\r\n$1\r\ni\r\n$"
            "1\r\nd\r\n$1\r\ng\r\n$1\r\nf\r\n");
  EXPECT_EQ(h.Run({"SORT", "q", "BY", "missing_*", "ALPHA", "LIMIT", "5", "10"}),
            "*10\r\n$1\r\nb\r\n$1\r\ni\r\n$1\r\nd\r\n$1\r\ng\r\n$1\r\nf\r\n$1\r\nk\r\n$1\r\nm\r\n$"
            "1\r\nl\r\n$1\r\nn\r\n$1\r\no\r\n");
  EXPECT_EQ(h.Run({"SORT", "q", "BY", "missing_*", "ALPHA", "LIMIT", "0", "20"}),
            "*20\r\n$1\r\nj\r\n$1\r\nc\r\n$1\r\ne\r\n$1\r\na\r\n$1\r\nh\r\n$1\r\nb\r\n$1\r\ni\r\n$"
            "1\r\nd\r\n$1\r\ng\r\n$1\r\nf\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\nl\r\n$1\r\nn\r\n$"
            "1\r\no\r\n$1\r\np\r\n$1\r\nq\r\n$1\r\nr\r\n$1\r\ns\r\n$1\r\nt\r\n");
  EXPECT_EQ(h.Run({"SORT", "q", "BY", "missing_*", "ALPHA", "LIMIT", "1", "100"}),
            "*19\r\n$1\r\nc\r\n$1\r\ne\r\n$1\r\na\r\n$1\r\nh\r\n$1\r\nb\r\n$1\r\ni\r\n$1\r\nd\r\n$"
            "1\r\ng\r\n$1\r\nf\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\nl\r\n$1\r\nn\r\n$1\r\no\r\n$"
            "1\r\np\r\n$1\r\nq\r\n$1\r\nr\r\n$1\r\ns\r\n$1\r\nj\r\n");
  EXPECT_EQ(h.Run({"MSET", "w_a", "x", "w_b", "x", "w_c", "y", "w_d", "y", "w_e", "x", "w_f", "y"}),
            "+OK\r\n");
  EXPECT_EQ(h.Run({"SORT", "q", "BY", "w_*", "ALPHA"}),
            "*20\r\n$1\r\nj\r\n$1\r\nh\r\n$1\r\ni\r\n$1\r\ng\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\nl\r\n$"
            "1\r\nn\r\n$1\r\no\r\n$1\r\np\r\n$1\r\nq\r\n$1\r\nr\r\n$1\r\ns\r\n$1\r\nt\r\n$"
            "1\r\ne\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\nf\r\n");
  EXPECT_EQ(h.Run({"SORT", "q", "BY", "w_*", "ALPHA", "LIMIT", "0", "5"}),
            "*5\r\n$1\r\nt\r\n$1\r\no\r\n$1\r\np\r\n$1\r\nq\r\n$1\r\nr\r\n");
  EXPECT_EQ(h.Run({"SORT", "q", "BY", "w_*", "ALPHA", "DESC", "LIMIT", "2", "9"}),
            "*9\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\ne\r\n$1\r\nl\r\n$1\r\nn\r\n$1\r\no\r\n$"
            "1\r\np\r\n$1\r\nq\r\n");
}

TEST(SortFamily, Sets) {
  Harness h;
  EXPECT_EQ(h.Run({"SADD", "si", "5", "3", "9", "1", "-2", "10"}), ":6\r\n");
  EXPECT_EQ(h.Run({"SORT", "si"}),
            "*6\r\n$2\r\n-2\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n$2\r\n10\r\n");
  EXPECT_EQ(h.Run({"SORT", "si", "DESC"}),
            "*6\r\n$2\r\n10\r\n$1\r\n9\r\n$1\r\n5\r\n$1\r\n3\r\n$1\r\n1\r\n$2\r\n-2\r\n");
  EXPECT_EQ(h.Run({"SORT", "si", "ALPHA"}),
            "*6\r\n$2\r\n-2\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n");
  EXPECT_EQ(h.Run({"SORT", "si", "BY", "nosort"}),
            "*6\r\n$2\r\n-2\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n$2\r\n10\r\n");
  EXPECT_EQ(h.Run({"SORT", "si", "BY", "nosort", "DESC"}),
            "*6\r\n$2\r\n-2\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n$2\r\n10\r\n");
  EXPECT_EQ(h.Run({"SORT", "si", "BY", "nosort", "LIMIT", "1", "2"}),
            "*2\r\n$1\r\n1\r\n$1\r\n3\r\n");
  EXPECT_EQ(h.Run({"SORT", "si", "BY", "nosort", "STORE", "dst"}), ":6\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}),
            "*6\r\n$2\r\n-2\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n");
  EXPECT_EQ(h.Run({"SADD", "sh", "b", "a", "c", "10", "2"}), ":5\r\n");
  EXPECT_EQ(h.Run({"SORT", "sh", "ALPHA"}),
            "*5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"SORT", "sh", "ALPHA", "DESC", "LIMIT", "1", "3"}),
            "*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\n2\r\n");
  EXPECT_EQ(SortedReply(h.Run({"SORT", "sh", "BY", "nosort"})),
            SortedReply("*5\r\n$2\r\n10\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\n2\r\n"));
  EXPECT_EQ(SortedReply(h.Run({"SORT", "sh", "BY", "nosort", "DESC"})),
            SortedReply("*5\r\n$2\r\n10\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\n2\r\n"));
  EXPECT_EQ(SortedReply(h.Run({"SORT_RO", "sh", "BY", "nosort", "ALPHA"})),
            SortedReply("*5\r\n$2\r\n10\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\n2\r\n"));
  EXPECT_EQ(h.Run({"SORT", "sh", "BY", "nosort", "STORE", "dst"}), ":5\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}),
            "*5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"SORT", "sh", "BY", "nosort", "DESC", "STORE", "dst"}), ":5\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}),
            "*5\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\n2\r\n$2\r\n10\r\n");
  EXPECT_EQ(h.Run({"SORT", "sh", "BY", "nosort", "LIMIT", "1", "2", "STORE", "dst"}), ":2\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}), "*2\r\n$1\r\n2\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT", "sh", "BY", "nosort", "GET", "#", "STORE", "dst"}), ":5\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}),
            "*5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"MSET", "w_a", "1", "w_b", "1", "w_c", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SORT", "sh", "BY", "w_*"}),
            "*5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"SORT", "sh", "BY", "w_*", "STORE", "dst"}), ":5\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}),
            "*5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"SORT", "sh"}), "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(h.Run({"SADD", "sn", "3", "1", "2"}), ":3\r\n");
  EXPECT_EQ(h.Run({"SORT", "sn", "BY", "w_*", "DESC"}), "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n");
}

TEST(SortFamily, SortedSets) {
  Harness h;
  EXPECT_EQ(h.Run({"ZADD", "z", "3", "a", "1", "b", "2", "c", "2", "d"}), ":4\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "ALPHA"}), "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "ALPHA", "DESC"}),
            "*4\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort"}),
            "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort", "DESC"}),
            "*4\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort", "LIMIT", "1", "2"}),
            "*2\r\n$1\r\nc\r\n$1\r\nd\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "2"}),
            "*2\r\n$1\r\nd\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort", "LIMIT", "10", "2"}), "*0\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort", "LIMIT", "-1", "1"}), "*1\r\n$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "nosort", "STORE", "dst"}), ":4\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}),
            "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT", "z"}), "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(h.Run({"MSET", "w_a", "1", "w_b", "5", "w_c", "0.5"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "w_*"}),
            "*4\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(h.Run({"SORT", "z", "BY", "w_*", "DESC", "LIMIT", "0", "2"}),
            "*2\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"SORT_RO", "z", "BY", "nosort", "GET", "#"}),
            "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\na\r\n");
  EXPECT_EQ(h.Run({"ZADD", "zn", "1", "10", "2", "9", "3", "8"}), ":3\r\n");
  EXPECT_EQ(h.Run({"SORT", "zn"}), "*3\r\n$1\r\n8\r\n$1\r\n9\r\n$2\r\n10\r\n");
  EXPECT_EQ(h.Run({"SORT", "zn", "BY", "nosort"}), "*3\r\n$2\r\n10\r\n$1\r\n9\r\n$1\r\n8\r\n");
  EXPECT_EQ(h.Run({"SORT", "zn", "LIMIT", "1", "1"}), "*1\r\n$1\r\n9\r\n");
}

TEST(SortFamily, Store) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "3", "1", "2"}), ":3\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "STORE", "dst"}), ":3\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(h.Run({"TYPE", "dst"}), "+list\r\n");
  EXPECT_EQ(h.Run({"SET", "str", "x"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"EXPIRE", "str", "100"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "DESC", "STORE", "str"}), ":3\r\n");
  EXPECT_EQ(h.Run({"TYPE", "str"}), "+list\r\n");
  EXPECT_EQ(h.Run({"TTL", "str"}), ":-1\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "str", "0", "-1"}), "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"HSET", "h", "f", "v"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "STORE", "h"}), ":3\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "h", "0", "-1"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "#", "GET", "nokey_*", "STORE", "dst"}), ":6\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}),
            "*6\r\n$1\r\n1\r\n$0\r\n\r\n$1\r\n2\r\n$0\r\n\r\n$1\r\n3\r\n$0\r\n\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "5", "5", "STORE", "dst"}), ":0\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "dst"}), ":0\r\n");
  EXPECT_EQ(h.Run({"SORT", "nokey", "STORE", "l"}), ":0\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "l"}), ":0\r\n");
  EXPECT_EQ(h.Run({"SORT", "nokey", "STORE", "nokey2"}), ":0\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "nokey2"}), ":0\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "l", "5", "4", "3", "2", "1"}), ":5\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "1", "2", "STORE", "l"}), ":2\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "l", "0", "-1"}), "*2\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "STORE"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "STORE", "a", "STORE", "b"}), ":2\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "b", "0", "-1"}), "*2\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(h.Run({"SORT_RO", "l", "STORE", "dst"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SORT_RO", "l", "store"}), "-ERR syntax error\r\n");
}

TEST(SortFamily, Errors) {
  Harness h;
  EXPECT_EQ(h.Run({"SET", "s", "str"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"HSET", "h", "f", "v"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SORT", "s"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"SORT", "h"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"SORT_RO", "s"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"SORT", "s", "STORE", "dst"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"SORT", "s", "LIMIT", "x", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"SORT", "s", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"RPUSH", "l", "1"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "BY"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "ASC", "BY"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "GET", "#", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "ALPHA", "STORE"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SORT"}), "-ERR wrong number of arguments for 'sort' command\r\n");
  EXPECT_EQ(h.Run({"SORT_RO"}), "-ERR wrong number of arguments for 'sort_ro' command\r\n");
  EXPECT_EQ(h.Run({"SORT", "L"}), "*0\r\n");
  EXPECT_EQ(h.Run({"sort", "l", "alpha", "Desc", "Limit", "0", "1", "get", "#"}),
            "*1\r\n$1\r\n1\r\n");
}

TEST(SortFamily, Multi) {
  Harness h;
  EXPECT_EQ(h.Run({"RPUSH", "l", "3", "1", "2"}), ":3\r\n");
  EXPECT_EQ(h.Run({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SORT", "l"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "STORE", "dst"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"SORT_RO", "l", "DESC"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "STORE"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "LIMIT", "x", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"EXEC"}),
            "*5\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n:3\r\n*3\r\n$1\r\n3\r\n$1\r\n2\r\n$"
            "1\r\n1\r\n-ERR syntax error\r\n-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"LRANGE", "dst", "0", "-1"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(h.Run({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SORT", "l", "limit"}), "+QUEUED\r\n");
  EXPECT_EQ(h.Run({"EXEC"}), "*1\r\n-ERR syntax error\r\n");
}

// A zset is read through its skiplist, as Redis converts it before sorting (SORT_RO too).
TEST(SortFamily, SortedSetBecomesSkiplist) {
  Harness h;
  EXPECT_EQ(h.Run({"ZADD", "z", "2", "a", "1", "b"}), ":2\r\n");
  EXPECT_EQ(Encoding(h, "z"), "listpack");
  EXPECT_EQ(h.Run({"SORT_RO", "z", "BY", "nosort"}), "*2\r\n$1\r\nb\r\n$1\r\na\r\n");
  EXPECT_EQ(Encoding(h, "z"), "skiplist");
  EXPECT_EQ(h.Run({"ZADD", "z2", "1", "x"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SORT", "z2", "ALPHA", "STORE", "d"}), ":1\r\n");
  EXPECT_EQ(Encoding(h, "z2"), "skiplist");
  EXPECT_EQ(Encoding(h, "d"), "quicklist");
}

using SortClients = TwoClients;

// STORE writes a list, so a client blocked on the destination is served at once.
TEST_F(SortClients, StoreWakesBlockedPop) {
  EXPECT_EQ(Run(a_, {"blpop", "dst", "0"}), "");
  EXPECT_EQ(h_.Run({"rpush", "l", "2", "1"}), ":2\r\n");
  EXPECT_EQ(h_.Run({"sort", "l", "store", "dst"}), ":2\r\n");
  EXPECT_EQ(a_.out, "*2\r\n$3\r\ndst\r\n$1\r\n1\r\n");
  EXPECT_EQ(h_.Run({"lrange", "dst", "0", "-1"}), "*1\r\n$1\r\n2\r\n");
}

TEST_F(SortClients, StoreTouchesWatchedDestination) {
  EXPECT_EQ(h_.Run({"rpush", "l", "1"}), ":1\r\n");
  EXPECT_EQ(Run(a_, {"watch", "dst"}), "+OK\r\n");
  EXPECT_EQ(Run(b_, {"sort", "l", "store", "dst"}), ":1\r\n");
  EXPECT_EQ(Run(a_, {"multi"}), "+OK\r\n");
  EXPECT_EQ(Run(a_, {"ping"}), "+QUEUED\r\n");
  EXPECT_EQ(Run(a_, {"exec"}), "*-1\r\n");
  // An empty result deletes the destination, which is a change too.
  EXPECT_EQ(Run(a_, {"watch", "dst"}), "+OK\r\n");
  EXPECT_EQ(Run(b_, {"sort", "nokey", "store", "dst"}), ":0\r\n");
  EXPECT_EQ(Run(a_, {"multi"}), "+OK\r\n");
  EXPECT_EQ(Run(a_, {"ping"}), "+QUEUED\r\n");
  EXPECT_EQ(Run(a_, {"exec"}), "*-1\r\n");
  // Deleting a destination that does not exist changes nothing.
  EXPECT_EQ(Run(a_, {"watch", "dst"}), "+OK\r\n");
  EXPECT_EQ(Run(b_, {"sort", "nokey", "store", "dst"}), ":0\r\n");
  EXPECT_EQ(Run(a_, {"multi"}), "+OK\r\n");
  EXPECT_EQ(Run(a_, {"ping"}), "+QUEUED\r\n");
  EXPECT_EQ(Run(a_, {"exec"}), "*1\r\n+PONG\r\n");
  // A plain SORT (and a failed SORT ... STORE) writes nothing.
  EXPECT_EQ(h_.Run({"rpush", "bad", "x"}), ":1\r\n");
  EXPECT_EQ(Run(a_, {"watch", "l", "dst"}), "+OK\r\n");
  EXPECT_EQ(Run(b_, {"sort", "l"}), "*1\r\n$1\r\n1\r\n");
  EXPECT_EQ(Run(b_, {"sort", "bad", "store", "dst"}),
            "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(Run(a_, {"multi"}), "+OK\r\n");
  EXPECT_EQ(Run(a_, {"ping"}), "+QUEUED\r\n");
  EXPECT_EQ(Run(a_, {"exec"}), "*1\r\n+PONG\r\n");
}

}  // namespace
}  // namespace server::testing
