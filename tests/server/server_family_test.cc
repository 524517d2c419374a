// Server commands through the in-process harness. Expected replies were taken from Debian's
// redis-server 7.0.15 wherever the reply is deterministic.
#include <gtest/gtest.h>

#include <string>

#include "test_harness.h"

namespace server::testing {
namespace {

Config DebugEnabled() {
  Config c;
  c.enable_debug_command = "yes";
  return c;
}

// Splits a RESP bulk/verbatim INFO reply into its text.
std::string InfoText(const std::string& reply) {
  size_t nl = reply.find("\r\n");
  std::string body = reply.substr(nl + 2, reply.size() - nl - 4);
  if (reply[0] == '=') body = body.substr(4);  // "txt:"
  return body;
}

TEST(ServerFamily, DbSize) {
  Harness h;
  EXPECT_EQ(h.Run({"dbsize"}), ":0\r\n");
  h.Run({"set", "a", "1"});
  h.Run({"set", "b", "1"});
  EXPECT_EQ(h.Run({"dbsize"}), ":2\r\n");
  EXPECT_EQ(h.Run({"dbsize", "x"}), "-ERR wrong number of arguments for 'dbsize' command\r\n");
}

TEST(ServerFamily, FlushDbAndFlushAll) {
  Harness h;
  h.Run({"set", "a", "1"});
  h.Run({"select", "1"});
  h.Run({"set", "b", "1"});
  EXPECT_EQ(h.Run({"flushdb", "x"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"flushdb", "async", "sync"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"flushdb", "SYNC"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"dbsize"}), ":0\r\n");
  h.Run({"select", "0"});
  EXPECT_EQ(h.Run({"dbsize"}), ":1\r\n");
  EXPECT_EQ(h.Run({"flushall", "bla"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"flushall", "async"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"dbsize"}), ":0\r\n");
}

TEST(ServerFamily, FlushDbTouchesWatchedKeys) {
  Harness h;
  h.Run({"set", "k", "v"});
  h.Run({"watch", "k"});
  h.Run({"flushdb"});
  h.Run({"multi"});
  h.Run({"ping"});
  EXPECT_EQ(h.Run({"exec"}), "*-1\r\n");
}

TEST(ServerFamily, FlushAllLeavesUnrelatedWatchAlone) {
  Harness h;
  h.Run({"watch", "missing"});
  h.Run({"flushall"});
  h.Run({"multi"});
  h.Run({"ping"});
  EXPECT_EQ(h.Run({"exec"}), "*1\r\n+PONG\r\n");
}

TEST(ServerFamily, SwapDbErrors) {
  Harness h;
  EXPECT_EQ(h.Run({"swapdb", "0"}), "-ERR wrong number of arguments for 'swapdb' command\r\n");
  EXPECT_EQ(h.Run({"swapdb", "a", "1"}), "-ERR invalid first DB index\r\n");
  EXPECT_EQ(h.Run({"swapdb", "0", "b"}), "-ERR invalid second DB index\r\n");
  EXPECT_EQ(h.Run({"swapdb", "0", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(h.Run({"swapdb", "-1", "0"}), "-ERR DB index is out of range\r\n");
}

TEST(ServerFamily, SwapDbSwapsContents) {
  Harness h;
  h.Run({"set", "a", "0"});
  h.Run({"select", "1"});
  h.Run({"set", "b", "1"});
  EXPECT_EQ(h.Run({"swapdb", "0", "1"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"get", "a"}), "$1\r\n0\r\n");
  h.Run({"select", "0"});
  EXPECT_EQ(h.Run({"get", "b"}), "$1\r\n1\r\n");
  EXPECT_EQ(h.Run({"swapdb", "0", "0"}), "+OK\r\n");
}

TEST(ServerFamily, SwapDbTouchesKeysOnEitherSide) {
  Harness h;
  h.Run({"select", "1"});
  h.Run({"set", "k", "other"});
  h.Run({"select", "0"});
  // k does not exist in db 0, but after the swap it does: the watcher must see a change.
  h.Run({"watch", "k"});
  h.Run({"swapdb", "0", "1"});
  h.Run({"multi"});
  h.Run({"ping"});
  EXPECT_EQ(h.Run({"exec"}), "*-1\r\n");
}

TEST(ServerFamily, ShutdownArguments) {
  Harness h;
  EXPECT_EQ(h.Run({"shutdown", "foo"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"shutdown", "nosave", "save"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"shutdown", "abort", "now"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"shutdown", "abort"}), "-ERR No shutdown in progress.\r\n");
  EXPECT_FALSE(h.server().shutdown_requested());
}

TEST(ServerFamily, ShutdownSaveFailsHonestlyWhenTheSaveFails) {
  Config c;
  c.dir = "/nonexistent-fickle-dir";  // the save cannot create its temp file
  Harness h(c);
  EXPECT_EQ(h.Run({"shutdown", "save"}), "-ERR Errors trying to SHUTDOWN. Check logs.\r\n");
  EXPECT_FALSE(h.server().shutdown_requested());
  EXPECT_EQ(h.Run({"shutdown", "SAVE", "FORCE"}), "");
  EXPECT_TRUE(h.server().shutdown_requested());
  EXPECT_TRUE(h.session().close_after_reply);
}

TEST(ServerFamily, ShutdownNoSaveHasNoReply) {
  Harness h;
  EXPECT_EQ(h.Run({"shutdown", "NOSAVE", "now", "now"}), "");
  EXPECT_TRUE(h.server().shutdown_requested());
}

TEST(ServerFamily, ShutdownNotAllowedInMulti) {
  Harness h;
  h.Run({"multi"});
  EXPECT_EQ(h.Run({"shutdown"}), "-ERR Command not allowed inside a transaction\r\n");
  EXPECT_FALSE(h.server().shutdown_requested());
}

TEST(ServerFamily, TimeAndLastSave) {
  Harness h;
  std::string t = h.Run({"time"});
  ASSERT_EQ(t.substr(0, 4), "*2\r\n");
  EXPECT_EQ(h.Run({"time", "x"}), "-ERR wrong number of arguments for 'time' command\r\n");
  std::string expected = ":" + std::to_string(h.server().snapshots().last_save_s) + "\r\n";
  EXPECT_EQ(h.Run({"lastsave"}), expected);
}

TEST(ServerFamily, InfoUnknownSectionIsEmpty) {
  Harness h;
  EXPECT_EQ(h.Run({"info", "nosuch"}), "$0\r\n\r\n");
  EXPECT_EQ(h.Run({"info", "a", "b", "c"}), "$0\r\n\r\n");
}

TEST(ServerFamily, InfoClusterAndModules) {
  Harness h;
  EXPECT_EQ(h.Run({"info", "cluster"}), "$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n");
  EXPECT_EQ(h.Run({"info", "CLUSTER", "cluster"}), "$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n");
  EXPECT_EQ(h.Run({"info", "modules"}), "$11\r\n# Modules\r\n\r\n");
}

TEST(ServerFamily, InfoKeyspace) {
  Harness h;
  h.SetTime(1000000);
  EXPECT_EQ(h.Run({"info", "keyspace"}), "$12\r\n# Keyspace\r\n\r\n");
  h.Run({"set", "a", "1"});
  h.Run({"set", "b", "1"});
  h.Run({"pexpire", "b", "5000"});
  h.Run({"select", "3"});
  h.Run({"set", "c", "1"});
  EXPECT_EQ(h.Run({"info", "keyspace"}),
            "$79\r\n# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=5000\r\n"
            "db3:keys=1,expires=0,avg_ttl=0\r\n\r\n");
}

TEST(ServerFamily, InfoSectionsComeInRedisOrder) {
  Harness h;
  EXPECT_EQ(h.Run({"info", "keyspace", "cluster"}),
            "$44\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n\r\n");
}

TEST(ServerFamily, InfoIsVerbatimInResp3) {
  Harness h;
  h.Run({"hello", "3"});
  EXPECT_EQ(h.Run({"info", "cluster"}), "=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n");
}

TEST(ServerFamily, InfoDefaultSections) {
  Harness h;
  std::string text = InfoText(h.Run({"info"}));
  for (const char* s : {"# Server\r\n", "# Clients\r\n", "# Memory\r\n", "# Persistence\r\n",
                        "# Stats\r\n", "# Replication\r\n", "# CPU\r\n", "# Modules\r\n",
                        "# Errorstats\r\n", "# Cluster\r\n", "# Keyspace\r\n"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(text.find("# Commandstats"), std::string::npos);
  for (const char* f :
       {"\r\nredis_version:7.0.15\r\n",
        "\r\nfickle_version:", sizeof(void*) == 8 ? "\r\narch_bits:64\r\n" : "\r\narch_bits:32\r\n",
        "\r\nrole:master\r\n", "\r\nloading:0\r\n", "\r\nconnected_clients:1\r\n",
        "\r\nused_memory:", "\r\nuptime_in_seconds:", "\r\ntcp_port:6379\r\n", "\r\nprocess_id:",
        "\r\nrun_id:", "\r\nexecutable:", "\r\nconfig_file:\r\n", "\r\nkeyspace_hits:0\r\n",
        "\r\nexpired_keys:0\r\n", "\r\ninstantaneous_ops_per_sec:", "\r\nmem_allocator:"}) {
    EXPECT_NE(text.find(f), std::string::npos) << f;
  }
  EXPECT_EQ(text.substr(text.size() - 2), "\r\n");
  EXPECT_NE(text.substr(text.size() - 4), "\r\n\r\n");
  std::string all = InfoText(h.Run({"info", "all"}));
  EXPECT_NE(all.find("# Commandstats\r\ncmdstat_info:calls=1,"), std::string::npos);
  EXPECT_EQ(InfoText(h.Run({"info", "everything"})).find("# Server"), 0u);
}

TEST(ServerFamily, InfoStatsCountHitsMissesAndExpiry) {
  Harness h;
  h.SetTime(1000);
  h.Run({"set", "k", "v"});
  h.Run({"get", "k"});
  h.Run({"get", "nope"});
  h.Run({"pexpire", "k", "10"});
  h.AdvanceTime(20);
  h.Run({"get", "k"});
  std::string text = InfoText(h.Run({"info", "stats"}));
  EXPECT_NE(text.find("\r\nkeyspace_hits:1\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\r\nkeyspace_misses:2\r\n"), std::string::npos);
  EXPECT_NE(text.find("\r\nexpired_keys:1\r\n"), std::string::npos);
  EXPECT_NE(text.find("\r\ntotal_commands_processed:5\r\n"), std::string::npos);
}

TEST(ServerFamily, InfoCommandstatsAndErrorstats) {
  Harness h;
  h.Run({"set", "a", "b", "c"});  // failed: syntax error
  h.Run({"get"});                 // rejected: arity
  h.Run({"foo"});                 // unknown: counted in errorstats only
  EXPECT_EQ(h.Run({"info", "errorstats"}), "$37\r\n# Errorstats\r\nerrorstat_ERR:count=3\r\n\r\n");
  std::string text = InfoText(h.Run({"info", "commandstats"}));
  EXPECT_NE(text.find("\r\ncmdstat_get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,"
                      "failed_calls=0\r\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\r\ncmdstat_set:calls=1,"), std::string::npos);
  EXPECT_NE(text.find(",rejected_calls=0,failed_calls=1\r\n"), std::string::npos);
  EXPECT_NE(text.find("\r\ncmdstat_info:calls=1,"), std::string::npos);
}

TEST(ServerFamily, InfoCountsSubcommandsByFullName) {
  Harness h;
  h.Run({"config", "get", "hz"});
  std::string text = InfoText(h.Run({"info", "commandstats"}));
  EXPECT_NE(text.find("\r\ncmdstat_config|get:calls=1,"), std::string::npos) << text;
}

TEST(ServerFamily, SlowlogArguments) {
  Harness h;
  EXPECT_EQ(h.Run({"slowlog"}), "-ERR wrong number of arguments for 'slowlog' command\r\n");
  EXPECT_EQ(h.Run({"slowlog", "get", "x"}), "-ERR count should be greater than or equal to -1\r\n");
  EXPECT_EQ(h.Run({"slowlog", "get", "-2"}),
            "-ERR count should be greater than or equal to -1\r\n");
  EXPECT_EQ(
      h.Run({"slowlog", "get", "1", "2"}),
      "-ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.\r\n");
  EXPECT_EQ(h.Run({"slowlog", "len", "x"}),
            "-ERR wrong number of arguments for 'slowlog|len' command\r\n");
  EXPECT_EQ(h.Run({"slowlog", "foo"}), "-ERR unknown subcommand 'foo'. Try SLOWLOG HELP.\r\n");
  EXPECT_EQ(h.Run({"slowlog", "get"}), "*0\r\n");
  EXPECT_EQ(h.Run({"slowlog", "len"}), ":0\r\n");
}

TEST(ServerFamily, SlowlogRecordsEntries) {
  Harness h;
  h.Run({"config", "set", "slowlog-log-slower-than", "0"});
  h.Run({"client", "setname", "nm"});
  h.Run({"set", "a", "b"});
  EXPECT_EQ(h.Run({"slowlog", "len"}), ":3\r\n");
  EXPECT_EQ(h.Run({"slowlog", "get", "0"}), "*0\r\n");
  // The newest first: [id, time, duration, argv, peer, name].
  const SlowlogEntry& e = h.server().slowlog().front();
  std::string expected =
      "*1\r\n*6\r\n:" + std::to_string(e.id) + "\r\n:" + std::to_string(e.time_s) +
      "\r\n:" + std::to_string(e.duration_us) +
      "\r\n*3\r\n$7\r\nslowlog\r\n$3\r\nget\r\n$1\r\n0\r\n$3\r\n?:0\r\n$2\r\nnm\r\n";
  EXPECT_EQ(h.Run({"slowlog", "get", "1"}), expected);
  EXPECT_EQ(h.Run({"slowlog", "reset"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"slowlog", "len"}), ":1\r\n");  // the RESET itself was slow enough
}

TEST(ServerFamily, SlowlogHelp) {
  Harness h;
  std::string r = h.Run({"slowlog", "help"});
  EXPECT_EQ(r.substr(0, 72),
            "*12\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
}

TEST(ServerFamily, MonitorSeesOtherClientsCommands) {
  Harness h;
  Session mon(2, 0);
  h.server().AddSession(&mon);
  h.server().Execute(mon, std::vector<std::string_view>{"monitor"});
  EXPECT_EQ(mon.out, "+OK\r\n");
  mon.out.clear();
  h.server().Execute(mon, std::vector<std::string_view>{"monitor"});
  EXPECT_EQ(mon.out, "");  // already monitoring: no reply, as Redis
  h.Run({"set", "k", "a b\"c"});
  ASSERT_FALSE(mon.out.empty());
  EXPECT_EQ(mon.out[0], '+');
  EXPECT_NE(mon.out.find(" [0 ?:0] \"set\" \"k\" \"a b\\\"c\"\r\n"), std::string::npos) << mon.out;
  h.server().RemoveSession(&mon);
}

TEST(ServerFamily, MemoryUsage) {
  Harness h;
  EXPECT_EQ(h.Run({"memory", "usage"}),
            "-ERR wrong number of arguments for 'memory|usage' command\r\n");
  EXPECT_EQ(h.Run({"memory", "usage", "nosuch"}), "$-1\r\n");
  h.Run({"set", "foo", "bar"});
  EXPECT_EQ(h.Run({"memory", "usage", "foo", "samples"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"memory", "usage", "foo", "bar", "1"}), "-ERR syntax error\r\n");
  EXPECT_EQ(h.Run({"memory", "usage", "foo", "samples", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(h.Run({"memory", "usage", "foo", "samples", "-1"}), "-ERR syntax error\r\n");
  std::string small = h.Run({"memory", "usage", "foo", "SAMPLES", "0"});
  ASSERT_EQ(small[0], ':');
  h.Run({"set", "big", std::string(1000, 'x')});
  std::string big = h.Run({"memory", "usage", "big"});
  EXPECT_GE(std::stoll(big.substr(1)), std::stoll(small.substr(1)) + 1000);
}

TEST(ServerFamily, MemoryOtherSubcommands) {
  Harness h;
  EXPECT_EQ(h.Run({"memory", "foo"}), "-ERR unknown subcommand 'foo'. Try MEMORY HELP.\r\n");
  EXPECT_EQ(h.Run({"memory", "purge"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"memory", "doctor", "x"}),
            "-ERR wrong number of arguments for 'memory|doctor' command\r\n");
  EXPECT_EQ(h.Run({"memory", "doctor"})[0], '$');
  std::string stats = h.Run({"memory", "stats"});
  EXPECT_EQ(stats.substr(0, 27), "*34\r\n$14\r\npeak.allocated\r\n:");
  EXPECT_EQ(h.Run({"memory", "help"}).substr(0, 5), "*14\r\n");
}

TEST(ServerFamily, DebugIsDisabledByDefault) {
  Harness h;
  EXPECT_EQ(h.Run({"debug", "help"}),
            "-ERR DEBUG command not allowed. If the enable-debug-command option is set to "
            "\"local\", you can run it from a local connection, otherwise you need to set this "
            "option in the configuration file, and then restart the server.\r\n");
}

TEST(ServerFamily, DebugErrors) {
  Harness h(DebugEnabled());
  EXPECT_EQ(h.Run({"debug"}), "-ERR wrong number of arguments for 'debug' command\r\n");
  EXPECT_EQ(h.Run({"debug", "foo"}),
            "-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n");
  EXPECT_EQ(h.Run({"debug", "object"}),
            "-ERR unknown subcommand or wrong number of arguments for 'object'. Try DEBUG "
            "HELP.\r\n");
  EXPECT_EQ(h.Run({"debug", "object", "nosuch"}), "-ERR no such key\r\n");
  EXPECT_EQ(h.Run({"debug", "error", "FOO bar baz"}), "-FOO bar baz\r\n");
  EXPECT_EQ(h.Run({"debug", "error", "hello"}), "-hello\r\n");
  EXPECT_EQ(h.Run({"debug", "sleep", "0"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"debug", "log", "from a test"}), "+OK\r\n");
}

TEST(ServerFamily, DebugObject) {
  Harness h(DebugEnabled());
  h.SetTime(1000000);
  h.Run({"set", "n", "12"});
  h.Run({"set", "s", "bar"});
  h.Run({"get", "n"});  // a read stamps the access clock
  h.Run({"get", "s"});
  std::string r = h.Run({"debug", "object", "n"});
  // "+Value at:0x... refcount:2147483647 encoding:int serializedlength:2 lru:1000 ..."
  size_t tail = r.find(" refcount:");
  ASSERT_NE(tail, std::string::npos) << r;
  EXPECT_EQ(r.substr(0, 10), "+Value at:");
  EXPECT_EQ(r.substr(tail),
            " refcount:2147483647 encoding:int serializedlength:2 lru:1000 "
            "lru_seconds_idle:0\r\n");
  h.AdvanceTime(3000);
  r = h.Run({"debug", "object", "s"});
  tail = r.find(" refcount:");
  EXPECT_EQ(r.substr(tail),
            " refcount:1 encoding:embstr serializedlength:4 lru:1000 lru_seconds_idle:3\r\n");
}

TEST(ServerFamily, DebugPopulate) {
  Harness h(DebugEnabled());
  EXPECT_EQ(h.Run({"debug", "populate", "x"}), "-ERR value is out of range, must be positive\r\n");
  h.Run({"set", "key:1", "mine"});
  EXPECT_EQ(h.Run({"debug", "populate", "3"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"dbsize"}), ":3\r\n");
  EXPECT_EQ(h.Run({"get", "key:2"}), "$7\r\nvalue:2\r\n");
  EXPECT_EQ(h.Run({"get", "key:1"}), "$4\r\nmine\r\n");
  EXPECT_EQ(h.Run({"debug", "populate", "1", "p", "3"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"get", "p:0"}), "$3\r\nval\r\n");
  EXPECT_EQ(h.Run({"debug", "populate", "1", "z", "9"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"get", "z:0"}), std::string("$9\r\nvalue:0\0\0\r\n", 15));
}

TEST(ServerFamily, DebugProtocolResp2) {
  Harness h(DebugEnabled());
  EXPECT_EQ(h.Run({"debug", "protocol", "string"}), "$11\r\nHello World\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "integer"}), ":12345\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "double"}), "$5\r\n3.141\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "bignum"}),
            "$37\r\n1234567999999999999999999999999999999\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "null"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "array"}), "*3\r\n:0\r\n:1\r\n:2\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "set"}), "*3\r\n:0\r\n:1\r\n:2\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "map"}), "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "attrib"}),
            "$39\r\nSome real reply following the attribute\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "push"}),
            "-ERR RESP2 is not supported by this command\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "verbatim"}), "$25\r\nThis is a verbatim\nstring\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "true"}), ":1\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "false"}), ":0\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "foo"}),
            "-ERR Wrong protocol type name. Please use one of the following: "
            "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n");
}

TEST(ServerFamily, DebugProtocolResp3) {
  Harness h(DebugEnabled());
  h.Run({"hello", "3"});
  EXPECT_EQ(h.Run({"debug", "protocol", "double"}), ",3.141\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "bignum"}), "(1234567999999999999999999999999999999\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "null"}), "_\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "set"}), "~3\r\n:0\r\n:1\r\n:2\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "map"}), "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "attrib"}),
            "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
            "$39\r\nSome real reply following the attribute\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "push"}),
            ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push "
            "reply\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "verbatim"}), "=29\r\ntxt:This is a verbatim\nstring\r\n");
  EXPECT_EQ(h.Run({"debug", "protocol", "true"}), "#t\r\n");
}

TEST(ServerFamily, DebugSetActiveExpire) {
  Harness h(DebugEnabled());
  h.SetTime(1000);
  h.Run({"set", "k", "v"});
  h.Run({"pexpire", "k", "10"});
  EXPECT_EQ(h.Run({"debug", "set-active-expire", "0"}), "+OK\r\n");
  h.AdvanceTime(100);
  // Cron reads the system clock, which is far past the test clock's expiry time.
  h.server().Cron();
  EXPECT_EQ(h.server().db(0).size(), 1u);
  EXPECT_EQ(h.Run({"debug", "set-active-expire", "1"}), "+OK\r\n");
  h.server().Cron();
  EXPECT_EQ(h.server().db(0).size(), 0u);
}

}  // namespace
}  // namespace server::testing
