// Startup configuration: a bad line or an unknown option stops the server with exit code 1 and
// an error naming the problem; a good file is applied.
#include <unistd.h>

#include <fstream>
#include <string>

#include "harness.h"

namespace e2e {
namespace {

// A config file in the test's temp dir, removed when the object goes.
class TempConfig {
 public:
  explicit TempConfig(const std::string& text) {
    path_ = std::string(::testing::TempDir()) + "fickle-e2e-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".conf";
    std::ofstream(path_) << text;
  }
  ~TempConfig() { unlink(path_.c_str()); }
  TempConfig(const TempConfig&) = delete;
  TempConfig& operator=(const TempConfig&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(ConfigTest, UnknownDirectiveNamesTheLine) {
  TempConfig conf("# a comment\nport 7777\nno-such-directive yes\n");
  ExitResult r = RunToExit({conf.path()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("line 3"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("no-such-directive yes"), std::string::npos) << r.output;
}

TEST(ConfigTest, BadValueNamesTheLine) {
  TempConfig conf("port notanumber\n");
  ExitResult r = RunToExit({conf.path()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("line 1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("port notanumber"), std::string::npos) << r.output;
}

TEST(ConfigTest, UnbalancedQuotesInFile) {
  TempConfig conf("dir \"/tmp\n");
  ExitResult r = RunToExit({conf.path()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("line 1"), std::string::npos) << r.output;
}

TEST(ConfigTest, UnknownCommandLineOption) {
  ExitResult r = RunToExit({"--no-such-option", "1"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("no-such-option"), std::string::npos) << r.output;
}

TEST(ConfigTest, BadCommandLineValue) {
  ExitResult r = RunToExit({"--databases", "zero"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("databases"), std::string::npos) << r.output;
}

TEST(ConfigTest, MissingConfigFile) {
  ExitResult r = RunToExit({"/nonexistent/fickle.conf"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
}

TEST(ConfigTest, VersionFlag) {
  ExitResult r = RunToExit({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output.rfind("Fickle server v=", 0), 0u) << r.output;
}

TEST(ConfigTest, FileIsAppliedAndOptionsOverrideIt) {
  TempConfig conf("databases 4\ntimeout 0\n");
  ServerProcess server;
  ASSERT_TRUE(server.Start({conf.path(), "--databases", "3"}));
  ContextPtr c = Connect(server.port());
  ASSERT_TRUE(c);
  EXPECT_EQ(Show(Command(c.get(), {"SELECT", "2"}).get()), "+OK");
  EXPECT_EQ(Show(Command(c.get(), {"SELECT", "3"}).get()), "-ERR DB index is out of range");
  c.reset();
  EXPECT_EQ(server.Stop(), 0) << server.Output();
}

}  // namespace
}  // namespace e2e
