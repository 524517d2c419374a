// COMMAND and its subcommands. Expected replies were taken from Debian's redis-server 7.0.15;
// where Fickle's tables lack Redis's data (tips, argument docs) the test says so.
#include <gtest/gtest.h>

#include <string>

#include "test_harness.h"

namespace server::testing {
namespace {

// COMMAND INFO get, byte for byte as Redis 7.0.15 sends it (RESP2).
constexpr char kGetInfo[] =
    "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
    "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n"
    "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
    "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:"
    "1\r\n"
    "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
    "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";

TEST(CommandFamily, InfoGet) {
  Harness h;
  EXPECT_EQ(h.Run({"command", "info", "get"}), std::string("*1\r\n") + kGetInfo);
  EXPECT_EQ(h.Run({"command", "info", "nosuch", "GET"}), std::string("*2\r\n$-1\r\n") + kGetInfo);
}

TEST(CommandFamily, InfoGetResp3) {
  Harness h;
  h.Run({"hello", "3"});
  EXPECT_EQ(h.Run({"command", "info", "get"}),
            "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
            "~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n"
            "~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n"
            "$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n"
            "$5\r\nindex\r\n:1\r\n"
            "$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
            "%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n");
  EXPECT_EQ(h.Run({"command", "info", "nosuch"}), "*1\r\n_\r\n");
}

TEST(CommandFamily, InfoSubcommandByFullName) {
  Harness h;
  const std::string config_get =
      "*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n"
      "+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n";
  EXPECT_EQ(h.Run({"command", "info", "config|get"}), config_get);
  EXPECT_EQ(h.Run({"command", "info", "CONFIG|Get"}), config_get);
  EXPECT_EQ(h.Run({"command", "info", "config|nosuch"}), "*1\r\n$-1\r\n");
}

TEST(CommandFamily, InfoContainerListsSubcommands) {
  Harness h;
  std::string r = h.Run({"command", "info", "slowlog"});
  // Same header as Redis; the subcommands follow in table order (Redis's order is its hash's).
  EXPECT_EQ(
      r.substr(0, 67),
      "*1\r\n*10\r\n$7\r\nslowlog\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n"
      "*4\r\n");
}

TEST(CommandFamily, CountAndBareCommand) {
  Harness h;
  const std::string count = std::to_string(h.server().registry().size());
  EXPECT_EQ(h.Run({"command", "count"}), ":" + count + "\r\n");
  std::string all = h.Run({"command"});
  EXPECT_EQ(all.substr(0, all.find("\r\n")), "*" + count);
  EXPECT_NE(all.find(kGetInfo), std::string::npos);
  EXPECT_EQ(h.Run({"command", "info"}), all);
}

TEST(CommandFamily, DocsForServerCommands) {
  Harness h;
  EXPECT_EQ(h.Run({"command", "docs", "dbsize", "nosuch"}),
            "*2\r\n$6\r\ndbsize\r\n*6\r\n$7\r\nsummary\r\n"
            "$50\r\nReturn the number of keys in the selected database\r\n"
            "$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n");
  EXPECT_EQ(h.Run({"command", "docs", "nosuch"}), "*0\r\n");
  h.Run({"hello", "3"});
  EXPECT_EQ(h.Run({"command", "docs", "slowlog|len"}),
            "%1\r\n$11\r\nslowlog|len\r\n%3\r\n$7\r\nsummary\r\n$25\r\nGet the slow log's "
            "length\r\n$5\r\nsince\r\n$6\r\n2.2.12\r\n$5\r\ngroup\r\n$6\r\nserver\r\n");
}

TEST(CommandFamily, DocsContainerHasSubcommandsMap) {
  Harness h;
  h.Run({"hello", "3"});
  std::string r = h.Run({"command", "docs", "slowlog"});
  EXPECT_EQ(r.substr(0, 34), "%1\r\n$7\r\nslowlog\r\n%4\r\n$7\r\nsummary\r\n");
  EXPECT_NE(r.find("$11\r\nsubcommands\r\n%4\r\n$11\r\nslowlog|get\r\n%3\r\n"), std::string::npos)
      << r;
}

TEST(CommandFamily, GetKeysErrors) {
  Harness h;
  EXPECT_EQ(h.Run({"command", "getkeys"}),
            "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
  EXPECT_EQ(h.Run({"command", "getkeys", "get"}),
            "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
  EXPECT_EQ(h.Run({"command", "getkeys", "nosuch", "a"}), "-ERR Invalid command specified\r\n");
  EXPECT_EQ(h.Run({"command", "getkeys", "get", "a", "b"}),
            "-ERR Invalid number of arguments specified for command\r\n");
  EXPECT_EQ(h.Run({"command", "getkeys", "config", "set"}),
            "-ERR The command has no key arguments\r\n");
  EXPECT_EQ(h.Run({"command", "getkeys", "config", "foo", "bar"}),
            "-ERR Invalid command specified\r\n");
}

TEST(CommandFamily, GetKeys) {
  Harness h;
  EXPECT_EQ(h.Run({"command", "getkeys", "mset", "a", "b", "c", "d"}),
            "*2\r\n$1\r\na\r\n$1\r\nc\r\n");
  EXPECT_EQ(h.Run({"command", "getkeys", "GET", "k"}), "*1\r\n$1\r\nk\r\n");
  EXPECT_EQ(h.Run({"command", "getkeys", "memory", "usage", "k"}), "*1\r\n$1\r\nk\r\n");
}

// Commands whose keys move with their arguments (numkeys, SORT ... STORE); replies as Redis 7.0.
TEST(CommandFamily, GetKeysOfMovableKeyCommands) {
  Harness h;
  auto keys = [&](std::vector<std::string_view> argv) {
    argv.insert(argv.begin(), {"command", "getkeys"});
    return h.Run(argv);
  };
  const std::string ab = "*2\r\n$1\r\na\r\n$1\r\nb\r\n";
  EXPECT_EQ(keys({"zunion", "2", "a", "b", "withscores"}), ab);
  EXPECT_EQ(keys({"sintercard", "2", "a", "b", "limit", "1"}), ab);
  EXPECT_EQ(keys({"blmpop", "0", "2", "a", "b", "left"}), ab);
  EXPECT_EQ(keys({"zunionstore", "d", "1", "a", "weights", "2"}), "*2\r\n$1\r\nd\r\n$1\r\na\r\n");
  EXPECT_EQ(keys({"zunion", "3", "a", "b"}), "-ERR Invalid arguments specified for command\r\n");
  EXPECT_EQ(keys({"zunion", "0", "a"}), "-ERR Invalid arguments specified for command\r\n");
  EXPECT_EQ(keys({"zunion", "x", "a"}), "-ERR Invalid arguments specified for command\r\n");
  // SORT: the source and the last STORE, stepping over option arguments named "store".
  EXPECT_EQ(keys({"sort", "a", "store", "b", "limit", "0", "1", "store", "c", "by", "store"}),
            "*2\r\n$1\r\na\r\n$1\r\nc\r\n");
  EXPECT_EQ(keys({"sort", "a", "store"}), "*1\r\n$1\r\na\r\n");
  EXPECT_EQ(keys({"sort_ro", "a", "by", "x"}), "*1\r\n$1\r\na\r\n");
  // COMMAND INFO says so.
  EXPECT_NE(h.Run({"command", "info", "zunion"}).find("+movablekeys"), std::string::npos);
  EXPECT_EQ(h.Run({"command", "info", "get"}).find("+movablekeys"), std::string::npos);
}

TEST(CommandFamily, GetKeysAndFlags) {
  Harness h;
  EXPECT_EQ(h.Run({"command", "getkeysandflags", "get", "a"}),
            "*1\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n");
  h.Run({"hello", "3"});
  EXPECT_EQ(h.Run({"command", "getkeysandflags", "get", "a"}),
            "*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n");
}

TEST(CommandFamily, ListFilters) {
  Harness h;
  EXPECT_EQ(h.Run({"command", "list", "filterby", "pattern", "CONFIG*"}),
            "*6\r\n$6\r\nconfig\r\n$10\r\nconfig|get\r\n$11\r\nconfig|help\r\n"
            "$16\r\nconfig|resetstat\r\n$14\r\nconfig|rewrite\r\n$10\r\nconfig|set\r\n");
  EXPECT_EQ(h.Run({"command", "list", "filterby", "module", "foo"}), "*0\r\n");
  EXPECT_EQ(h.Run({"command", "list", "filterby", "aclcat", "nosuch"}), "*0\r\n");
  EXPECT_EQ(h.Run({"command", "list", "filterby", "aclcat", "@read"}), "*0\r\n");
  std::string read = h.Run({"command", "list", "filterby", "aclcat", "READ"});
  EXPECT_NE(read.find("$3\r\nget\r\n"), std::string::npos);
  EXPECT_NE(read.find("$12\r\nmemory|usage\r\n"), std::string::npos);
  EXPECT_EQ(read.find("$3\r\nset\r\n"), std::string::npos);
}

TEST(CommandFamily, ListSyntax) {
  Harness h;
  EXPECT_EQ(h.Run({"command", "list", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"command", "list", "filterby"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"command", "list", "filterby", "pattern"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"command", "list", "filterby", "foo", "bar"}), "-ERR syntax error\r\n");
}

TEST(CommandFamily, ListHasEveryCommandAndSubcommand) {
  Harness h;
  size_t n = 0;
  for (const auto& [name, c] : h.server().registry().all()) n += 1 + c->subcommands.size();
  std::string all = h.Run({"command", "list"});
  EXPECT_EQ(all.substr(0, all.find("\r\n")), "*" + std::to_string(n));
}

TEST(CommandFamily, Help) {
  Harness h;
  std::string r = h.Run({"command", "help"});
  EXPECT_EQ(r.substr(0, 72),
            "*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
  EXPECT_EQ(h.Run({"command", "foo"}), "-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n");
}

}  // namespace
}  // namespace server::testing
