// Configuration: redis.conf parsing, command-line overrides, and CONFIG GET/SET/REWRITE/RESETSTAT.
// Error texts were checked against Debian's redis-server 7.0.15.
#include "server/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_harness.h"

namespace server::testing {
namespace {

// A file under the test's temp dir, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char tmpl[] = "/tmp/fickle_config_test_XXXXXX";
    int fd = mkstemp(tmpl);
    path_ = tmpl;
    close(fd);
    std::ofstream(path_) << contents;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }
  std::string Read() const {
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  std::string path_;
};

bool LoadArgs(Config* c, std::vector<std::string> args, std::string* error) {
  args.insert(args.begin(), "fickle-server");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return LoadConfigFromArgs(c, static_cast<int>(argv.size()), argv.data(), error);
}

TEST(ConfigFile, ParsesDirectives) {
  Config c;
  std::string error;
  ASSERT_TRUE(LoadConfigText(&c,
                             "# a comment\n"
                             "  port 7000  \n"
                             "\n"
                             "maxmemory 1mb\n"
                             "MAXMEMORY-POLICY allkeys-lru\n"
                             "requirepass \"with space\"\n"
                             "bind 0.0.0.0 ::\n"
                             "hash-max-ziplist-entries 64\n",
                             &error))
      << error;
  EXPECT_EQ(c.port, 7000);
  EXPECT_EQ(c.maxmemory, 1024 * 1024);
  EXPECT_EQ(c.maxmemory_policy, "allkeys-lru");
  EXPECT_EQ(c.requirepass, "with space");
  EXPECT_EQ(c.bind, (std::vector<std::string>{"0.0.0.0", "::"}));
  EXPECT_EQ(c.hash_max_listpack_entries, 64);
}

TEST(ConfigFile, SaveLinesAccumulate) {
  Config c;
  std::string error;
  ASSERT_TRUE(LoadConfigText(&c, "save 900 1\nsave 300 10\n", &error)) << error;
  EXPECT_EQ(c.save, "900 1 300 10");
  ASSERT_TRUE(LoadConfigText(&c, "save \"\"\n", &error)) << error;
  EXPECT_EQ(c.save, "");
}

TEST(ConfigFile, UnknownDirectiveNamesTheLine) {
  Config c;
  std::string error;
  EXPECT_FALSE(LoadConfigText(&c, "port 1234\nbogus 1\n", &error));
  EXPECT_EQ(error,
            "\n*** FATAL CONFIG FILE ERROR (Fickle, Redis 7.0.15 compatible) ***\n"
            "Reading the configuration file, at line 2\n"
            ">>> 'bogus 1'\n"
            "Bad directive or wrong number of arguments");
}

TEST(ConfigFile, BadValues) {
  struct Case {
    const char* line;
    const char* message;
  } cases[] = {
      {"port abc", "argument couldn't be parsed into an integer"},
      {"port 70000", "argument must be between 0 and 65535 inclusive"},
      {"maxmemory lots", "argument must be a memory value"},
      {"appendonly maybe", "argument must be 'yes' or 'no'"},
      {"appendfsync sometimes", "argument(s) must be one of the following: always, everysec, no"},
      {"save 100", "Invalid save parameters"},
      {"port", "Bad directive or wrong number of arguments"},
      {"requirepass \"open", "Unbalanced quotes in configuration line"},
  };
  for (const Case& k : cases) {
    Config c;
    std::string error;
    EXPECT_FALSE(LoadConfigText(&c, std::string(k.line) + "\n", &error)) << k.line;
    std::string tail = std::string(">>> '") + k.line + "'\n" + k.message;
    EXPECT_EQ(error.substr(error.size() - std::min(error.size(), tail.size())), tail);
  }
}

TEST(ConfigArgs, OptionsOverrideTheFile) {
  TempFile f("port 1234\nhz 20\n");
  Config c;
  std::string error;
  ASSERT_TRUE(LoadArgs(&c, {f.path(), "--port", "7001", "--save", ""}, &error)) << error;
  EXPECT_EQ(c.port, 7001);
  EXPECT_EQ(c.hz, 20);
  EXPECT_EQ(c.save, "");
  EXPECT_NE(c.config_file.find("fickle_config_test_"), std::string::npos);
}

TEST(ConfigArgs, ErrorLineNumbersAsRedis) {
  // redis-server joins "<file>\n<options>", so the options start one line after the file.
  Config c;
  std::string error;
  EXPECT_FALSE(LoadArgs(&c, {"--hz", "5", "--port", "abc"}, &error));
  EXPECT_NE(error.find("at line 3\n>>> 'port \"abc\"'\n"), std::string::npos) << error;
  TempFile f("port 1234\n");
  EXPECT_FALSE(LoadArgs(&c, {f.path(), "--port", "abc"}, &error));
  EXPECT_NE(error.find("at line 3\n"), std::string::npos) << error;
}

TEST(ConfigArgs, MissingFile) {
  Config c;
  std::string error;
  EXPECT_FALSE(LoadArgs(&c, {"/nonexistent/fickle.conf"}, &error));
  EXPECT_EQ(error, "Fatal error, can't open config file '/nonexistent/fickle.conf'");
}

TEST(ConfigCommand, GetReturnsPairs) {
  Harness h;
  EXPECT_EQ(h.Run({"config", "get", "maxmemory"}), "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
  EXPECT_EQ(h.Run({"config", "get", "port", "port"}), "*2\r\n$4\r\nport\r\n$4\r\n6379\r\n");
  EXPECT_EQ(h.Run({"config", "get", "nosuch"}), "*0\r\n");
  EXPECT_EQ(h.Run({"config", "get"}),
            "-ERR wrong number of arguments for 'config|get' command\r\n");
  // Without wildcards the name comes back as asked, alias or not.
  EXPECT_EQ(h.Run({"config", "get", "HASH-MAX-ZIPLIST-ENTRIES"}),
            "*2\r\n$24\r\nHASH-MAX-ZIPLIST-ENTRIES\r\n$3\r\n512\r\n");
  EXPECT_EQ(h.Run({"config", "get", "hash-max-*-entries"}),
            "*4\r\n$25\r\nhash-max-listpack-entries\r\n$3\r\n512\r\n"
            "$24\r\nhash-max-ziplist-entries\r\n$3\r\n512\r\n");
}

TEST(ConfigCommand, GetIsAMapInResp3) {
  Harness h;
  h.Run({"hello", "3"});
  EXPECT_EQ(h.Run({"config", "get", "databases", "hz"}),
            "%2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n$2\r\nhz\r\n$2\r\n10\r\n");
}

// Redis bounds proto-max-bulk-len and client-query-buffer-limit by LONG_MAX: 2 GB - 1 on a 32-bit
// server (armhf), which cannot address a bulk of 4 GB; 64-bit servers accept it.
TEST(ConfigCommand, BulkLimitsStopAtLongMax) {
  Harness h;
  if (sizeof(long) == 4) {
    EXPECT_EQ(h.Run({"config", "set", "proto-max-bulk-len", "4gb"}),
              "-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - "
              "argument must be between 1048576 and 2147483647 inclusive\r\n");
    EXPECT_EQ(h.Run({"config", "set", "client-query-buffer-limit", "4294967296"}),
              "-ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit') "
              "- argument must be between 1048576 and 2147483647 inclusive\r\n");
    EXPECT_EQ(h.Run({"config", "set", "proto-max-bulk-len", "2147483647"}), "+OK\r\n");
  } else {
    EXPECT_EQ(h.Run({"config", "set", "proto-max-bulk-len", "4gb"}), "+OK\r\n");
    EXPECT_EQ(h.Run({"config", "get", "proto-max-bulk-len"}),
              "*2\r\n$18\r\nproto-max-bulk-len\r\n$10\r\n4294967296\r\n");
  }
}

TEST(ConfigCommand, SetErrors) {
  Harness h;
  EXPECT_EQ(h.Run({"config", "set", "port"}),
            "-ERR wrong number of arguments for 'config|set' command\r\n");
  EXPECT_EQ(h.Run({"config", "set", "maxmemory", "10mb", "hz"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"config", "set", "nosuch", "1"}),
            "-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n");
  EXPECT_EQ(h.Run({"config", "set", "hz", "abc"}),
            "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be "
            "parsed into an integer\r\n");
  EXPECT_EQ(h.Run({"config", "set", "hz", "5", "hz", "6"}),
            "-ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter\r\n");
  EXPECT_EQ(h.Run({"config", "set", "daemonize", "yes"}),
            "-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
            "immutable config\r\n");
  EXPECT_EQ(h.Run({"config", "set", "enable-debug-command", "yes"}),
            "-ERR CONFIG SET failed (possibly related to argument 'enable-debug-command') - can't "
            "set immutable config\r\n");
  EXPECT_EQ(h.Run({"config", "set", "maxmemory-policy", "foo"}),
            "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - "
            "argument(s) must be one of the following: volatile-lru, volatile-lfu, "
            "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, "
            "noeviction\r\n");
  EXPECT_EQ(h.Run({"config", "set", "save", "100"}),
            "-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save "
            "parameters\r\n");
}

TEST(ConfigCommand, SetIsAtomic) {
  Harness h;
  EXPECT_EQ(h.Run({"config", "set", "hz", "5", "maxmemory", "x"}),
            "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be "
            "a memory value\r\n");
  EXPECT_EQ(h.Run({"config", "get", "hz"}), "*2\r\n$2\r\nhz\r\n$2\r\n10\r\n");
  EXPECT_EQ(h.Run({"config", "set", "hz", "11", "MAXMEMORY", "1kb"}), "+OK\r\n");
  EXPECT_EQ(h.server().config().hz, 11);
  EXPECT_EQ(h.server().config().maxmemory, 1024);
}

TEST(ConfigCommand, SetSaveAndBindTakeSeveralWords) {
  Harness h;
  EXPECT_EQ(h.Run({"config", "set", "save", "100 10"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"config", "get", "save"}), "*2\r\n$4\r\nsave\r\n$6\r\n100 10\r\n");
  EXPECT_EQ(h.Run({"config", "set", "save", ""}), "+OK\r\n");
  EXPECT_EQ(h.Run({"config", "get", "save"}), "*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
}

TEST(ConfigCommand, HzIsClampedAsRedis) {
  Harness h;
  EXPECT_EQ(h.Run({"config", "set", "hz", "600"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"config", "get", "hz"}), "*2\r\n$2\r\nhz\r\n$3\r\n500\r\n");
  EXPECT_EQ(h.Run({"config", "set", "hz", "0"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"config", "get", "hz"}), "*2\r\n$2\r\nhz\r\n$1\r\n1\r\n");
}

TEST(ConfigCommand, RewriteWithoutFile) {
  Harness h;
  EXPECT_EQ(h.Run({"config", "rewrite"}), "-ERR The server is running without a config file\r\n");
  EXPECT_EQ(h.Run({"config", "rewrite", "x"}),
            "-ERR wrong number of arguments for 'config|rewrite' command\r\n");
}

TEST(ConfigCommand, RewriteUpdatesTheFile) {
  TempFile f("# keep me\nport 7000\nhz 20\nbogus-free-line-free\n");
  // The last line is not a directive Fickle knows; load only the first three.
  Config c;
  std::string error;
  ASSERT_TRUE(LoadConfigText(&c, "port 7000\nhz 20\n", &error)) << error;
  c.config_file = f.path();
  c.dir = "/tmp";  // not the default, so the rewrite adds it
  Harness h(std::move(c));
  EXPECT_EQ(h.Run({"config", "set", "hz", "30", "maxmemory", "2mb"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"config", "rewrite"}), "+OK\r\n");
  EXPECT_EQ(f.Read(),
            "# keep me\nport 7000\nhz 30\nbogus-free-line-free\nmaxmemory 2097152\ndir /tmp\n");
}

TEST(ConfigCommand, ResetStat) {
  Harness h;
  h.Run({"get", "k"});
  h.Run({"foo"});
  EXPECT_EQ(h.Run({"config", "resetstat"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"info", "errorstats"}), "$14\r\n# Errorstats\r\n\r\n");
  std::string stats = h.Run({"info", "commandstats"});
  // Only the RESETSTAT itself (counted after it ran) and the INFO in progress are left.
  EXPECT_EQ(stats.find("cmdstat_get"), std::string::npos) << stats;
  EXPECT_NE(stats.find("cmdstat_config|resetstat:calls=1,"), std::string::npos) << stats;
  EXPECT_EQ(h.Run({"config", "resetstat", "x"}),
            "-ERR wrong number of arguments for 'config|resetstat' command\r\n");
}

TEST(ConfigCommand, Help) {
  Harness h;
  EXPECT_EQ(
      h.Run({"config", "help"}),
      "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
      "+GET <pattern>\r\n"
      "+    Return parameters matching the glob-like <pattern> and their values.\r\n"
      "+SET <directive> <value>\r\n+    Set the configuration <directive> to <value>.\r\n"
      "+RESETSTAT\r\n+    Reset statistics reported by the INFO command.\r\n"
      "+REWRITE\r\n+    Rewrite the configuration file.\r\n+HELP\r\n+    Prints this help.\r\n");
  EXPECT_EQ(h.Run({"config", "foo"}), "-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n");
  EXPECT_EQ(h.Run({"config"}), "-ERR wrong number of arguments for 'config' command\r\n");
}

}  // namespace
}  // namespace server::testing
