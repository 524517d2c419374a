// HSCAN / SSCAN / ZSCAN: compact encodings answer in one page, big ones page by bucket, and the
// options parse as Redis's (shared with SCAN, server/commands/scan_args.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "test_harness.h"

namespace server::testing {
namespace {

// Decodes a scan reply "*2 $cursor *N $item..." into the cursor and the items.
struct Page {
  std::string cursor;
  std::vector<std::string> items;
};

Page ParsePage(const std::string& r) {
  Page p;
  size_t pos = 0;
  auto line = [&] {
    size_t end = r.find("\r\n", pos);
    std::string l = r.substr(pos, end - pos);
    pos = end + 2;
    return l;
  };
  auto bulk = [&] {
    std::string head = line();
    EXPECT_EQ(head[0], '$') << r;
    size_t n = std::stoul(head.substr(1));
    std::string b = r.substr(pos, n);
    pos += n + 2;
    return b;
  };
  EXPECT_EQ(line(), "*2") << r;
  p.cursor = bulk();
  std::string head = line();
  EXPECT_EQ(head[0], '*') << r;
  for (size_t n = std::stoul(head.substr(1)); n > 0; --n) p.items.push_back(bulk());
  EXPECT_EQ(pos, r.size()) << r;
  return p;
}

// Walks cmd key cursor [extra...] to the end; returns the pages taken and the items, in order.
int Walk(Harness& h, std::string_view cmd, std::string_view key,
         std::vector<std::string_view> extra, std::vector<std::string>* items) {
  std::string cursor = "0";
  int pages = 0;
  do {
    std::vector<std::string_view> argv{cmd, key, cursor};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Page p = ParsePage(h.Run(argv));
    items->insert(items->end(), p.items.begin(), p.items.end());
    cursor = p.cursor;
    ++pages;
  } while (cursor != "0" && pages < 100000);
  return pages;
}

// Pairs (field, value) of a flat HSCAN/ZSCAN item list; each field must appear once.
std::map<std::string, std::string> Pairs(const std::vector<std::string>& items) {
  std::map<std::string, std::string> m;
  EXPECT_EQ(items.size() % 2, 0u);
  for (size_t i = 0; i + 1 < items.size(); i += 2) {
    EXPECT_TRUE(m.emplace(items[i], items[i + 1]).second) << "twice: " << items[i];
  }
  return m;
}

TEST(CollectionScan, SmallCollectionsAreOnePage) {
  Harness h;
  h.Run({"HSET", "h", "f1", "v1", "f2", "v2"});
  h.Run({"SADD", "s", "1", "2", "3"});
  h.Run({"ZADD", "z", "2", "b", "1", "a"});
  std::vector<std::string> items;
  EXPECT_EQ(Walk(h, "HSCAN", "h", {"COUNT", "1"}, &items), 1);
  EXPECT_EQ(items, (std::vector<std::string>{"f1", "v1", "f2", "v2"}));
  items.clear();
  EXPECT_EQ(Walk(h, "SSCAN", "s", {"COUNT", "1"}, &items), 1);
  EXPECT_EQ(items, (std::vector<std::string>{"1", "2", "3"}));
  items.clear();
  EXPECT_EQ(Walk(h, "ZSCAN", "z", {"COUNT", "1"}, &items), 1);
  EXPECT_EQ(items, (std::vector<std::string>{"a", "1", "b", "2"}));
}

TEST(CollectionScan, BigCollectionsPageAndReturnEverything) {
  Harness h;
  for (int i = 0; i < 2000; ++i) {
    std::string n = std::to_string(i);
    h.Run({"HSET", "h", "f" + n, "v" + n});
    h.Run({"SADD", "s", "m" + n});
    h.Run({"ZADD", "z", n, "m" + n});
  }
  std::vector<std::string> items;
  EXPECT_GT(Walk(h, "HSCAN", "h", {}, &items), 10);
  auto hash = Pairs(items);
  ASSERT_EQ(hash.size(), 2000u);
  EXPECT_EQ(hash["f1234"], "v1234");

  items.clear();
  EXPECT_GT(Walk(h, "SSCAN", "s", {"COUNT", "50"}, &items), 2);
  std::set<std::string> set(items.begin(), items.end());
  EXPECT_EQ(set.size(), items.size());
  EXPECT_EQ(set.size(), 2000u);

  items.clear();
  EXPECT_GT(Walk(h, "ZSCAN", "z", {"COUNT", "50"}, &items), 2);
  auto zset = Pairs(items);
  ASSERT_EQ(zset.size(), 2000u);
  EXPECT_EQ(zset["m1999"], "1999");

  // MATCH filters each page; the walk still ends and finds exactly the matches.
  items.clear();
  Walk(h, "SSCAN", "s", {"MATCH", "m19?", "COUNT", "100"}, &items);
  std::sort(items.begin(), items.end());
  std::vector<std::string> want;
  for (int i = 190; i < 200; ++i) want.push_back("m" + std::to_string(i));
  EXPECT_EQ(items, want);
}

TEST(CollectionScan, OptionsAndErrorsInRedisOrder) {
  Harness h;
  h.Run({"SADD", "s", "a"});
  h.Run({"SET", "str", "x"});
  EXPECT_EQ(h.Run({"SSCAN", "s", "x"}), "-ERR invalid cursor\r\n");
  // A missing key answers before the options are looked at.
  EXPECT_EQ(h.Run({"HSCAN", "nokey", "0", "BOGUS"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(h.Run({"ZSCAN", "str", "0"}).substr(0, 10), "-WRONGTYPE");
  EXPECT_EQ(h.Run({"SSCAN", "s", "0", "COUNT", "0"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SSCAN", "s", "0", "COUNT", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  // TYPE belongs to SCAN only.
  EXPECT_EQ(h.Run({"SSCAN", "s", "0", "TYPE", "set"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SSCAN", "s", "0", "MATCH"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"SCAN", "0", "TYPE", "set"}), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\ns\r\n");
}

}  // namespace
}  // namespace server::testing
