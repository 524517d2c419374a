#include "resp/peek.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "resp/parser.h"

namespace resp {
namespace {

std::string Command(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

// The keys PeekKeys finds, joined with '|'.
std::string Peek(const std::string& buf, size_t max = 16) {
  std::vector<std::string_view> keys(max);
  size_t n = PeekKeys(buf, keys.data(), max);
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? "|" : "") + std::string(keys[i]);
  return std::to_string(n) + ":" + out;
}

TEST(PeekKeysTest, FindsTheSecondArgumentOfEachCompleteCommand) {
  std::string batch = Command({"SET", "k1", "v"}) + Command({"GET", "k2"}) + Command({"PING"}) +
                      Command({"MSET", "a", "1", "b", "2"}) + Command({"GET", ""});
  EXPECT_EQ(Peek(batch), "5:k1|k2||a|");
  // The keys are views into the batch itself.
  std::vector<std::string_view> keys(4);
  ASSERT_EQ(PeekKeys(batch, keys.data(), 4), 4u);
  EXPECT_EQ(keys[0].data(), batch.data() + batch.find("k1"));
}

TEST(PeekKeysTest, StopsAtMaxAndAtTheFirstIncompleteCommand) {
  std::string batch;
  for (int i = 0; i < 20; ++i) batch += Command({"GET", "key" + std::to_string(i)});
  EXPECT_EQ(Peek(batch, 3), "3:key0|key1|key2");
  std::string two = Command({"GET", "a"}) + Command({"GET", "b"});
  // Every proper prefix of the second command leaves only the first.
  for (size_t cut = Command({"GET", "a"}).size(); cut < two.size(); ++cut) {
    EXPECT_EQ(Peek(two.substr(0, cut)), "1:a") << cut;
  }
  EXPECT_EQ(Peek(two), "2:a|b");
}

TEST(PeekKeysTest, StopsAtWhatItDoesNotReadCheaply) {
  EXPECT_EQ(Peek("GET a\r\n" + Command({"GET", "b"})), "0:");  // inline
  EXPECT_EQ(Peek(Command({"GET", "a"}) + "*0\r\n" + Command({"GET", "b"})), "1:a");
  EXPECT_EQ(Peek(Command({"GET", "a"}) + "*-1\r\n"), "1:a");
  EXPECT_EQ(Peek("*2\r\n$3\r\nGET\r\n$-1\r\n"), "0:");
  EXPECT_EQ(Peek("*2\r\n$3\r\nGET\r\n$+1\r\na\r\n"), "0:");
  EXPECT_EQ(Peek("*2\r\n$3\r\nGET\r\n$1\ra\r\n"), "0:");
  EXPECT_EQ(Peek("*2\r\n$3\r\nGET\r\n$9999999999999\r\na\r\n"), "0:");  // 13 digits
  std::vector<std::string> wide(kPeekMaxArgs + 1, "x");
  EXPECT_EQ(Peek(Command({"GET", "a"}) + Command(wide)), "1:a");
  wide.pop_back();
  EXPECT_EQ(Peek(Command(wide)), "1:x");
}

// The look ahead is a hint: whatever it says, the parser must find the same commands. Checked on
// a seeded stream of commands cut at every byte.
TEST(PeekKeysTest, AgreesWithTheParserOnCompleteCommands) {
  std::string batch;
  for (int i = 0; i < 30; ++i) {
    std::vector<std::string> args{"CMD"};
    for (int a = 0; a < i % 5; ++a)
      args.push_back(std::string(static_cast<size_t>(i * a % 13), 'a' + a));
    batch += Command(args);
  }
  for (size_t cut = 0; cut <= batch.size(); ++cut) {
    std::string in = batch.substr(0, cut);
    std::vector<std::string_view> keys(64);
    size_t n = PeekKeys(in, keys.data(), keys.size());
    Parser p;
    std::vector<std::string_view> argv;
    size_t start = 0, parsed = 0;
    while (parsed < n) {
      auto r = p.Parse(std::string_view(in).substr(start), &argv);
      ASSERT_EQ(r.status, Parser::Status::kOk) << cut;
      EXPECT_EQ(argv.size() > 1 ? argv[1] : std::string_view(), keys[parsed]) << cut;
      start += r.consumed;
      ++parsed;
    }
    // And it saw every complete command.
    auto r = p.Parse(std::string_view(in).substr(start), &argv);
    EXPECT_NE(r.status, Parser::Status::kOk) << cut;
  }
}

}  // namespace
}  // namespace resp
