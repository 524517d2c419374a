// Lua scripting (server/scripting/, server/commands/scripting_family.cc): the script cache,
// conversions, errors, and what a script's commands do to propagation, WATCH and blocked
// clients. Reply texts are also compared with redis-server in redis-compat/cases/scripting.txt.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/propagation.h"
#include "server/scripting/sha1.h"
#include "test_harness.h"

namespace server::testing {
namespace {

TEST(Sha1, KnownVectors) {
  using scripting::Sha1Hex;
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  // 56 bytes: the padding needs a second block.
  EXPECT_EQ(Sha1Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(Sha1Hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  EXPECT_EQ(Sha1Hex("return 1"), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
}

// INFO memory's scripting fields count what SCRIPT LOAD caches and SCRIPT FLUSH drops.
TEST(Scripting, InfoCountsCachedScripts) {
  Harness h;
  auto field = [&](const std::string& name) {
    const std::string info = h.Run({"INFO", "memory"});
    const size_t at = info.find("\r\n" + name + ":");
    if (at == std::string::npos) return int64_t{-1};
    return static_cast<int64_t>(std::stoll(info.substr(at + name.size() + 3)));
  };
  EXPECT_EQ(field("number_of_cached_scripts"), 0);
  EXPECT_GT(field("used_memory_lua"), 1024);  // the state and its libraries
  h.Run({"SCRIPT", "LOAD", "return 1"});
  h.Run({"SCRIPT", "LOAD", "return 2"});
  h.Run({"SCRIPT", "LOAD", "return 1"});  // already cached
  EXPECT_EQ(field("number_of_cached_scripts"), 2);
  EXPECT_EQ(field("used_memory_scripts_eval"), 2 * (8 + 40));
  h.Run({"SCRIPT", "FLUSH"});
  EXPECT_EQ(field("number_of_cached_scripts"), 0);
  EXPECT_EQ(field("used_memory_scripts"), 0);
}

TEST(Scripting, EvalKeysArgvAndConversions) {
  Harness h;
  EXPECT_EQ(h.Run({"eval", "return {KEYS[1], ARGV[1], ARGV[2], #KEYS}", "1", "k", "a", "b"}),
            "*4\r\n$1\r\nk\r\n$1\r\na\r\n$1\r\nb\r\n:1\r\n");
  EXPECT_EQ(h.Run({"eval", "return 3.99", "0"}), ":3\r\n");
  EXPECT_EQ(h.Run({"eval", "return {1, nil, 2}", "0"}), "*1\r\n:1\r\n");
  EXPECT_EQ(h.Run({"eval", "return {true, false}", "0"}), "*2\r\n:1\r\n$-1\r\n");
  EXPECT_EQ(h.Run({"eval", "return redis.status_reply('FINE')", "0"}), "+FINE\r\n");
  EXPECT_EQ(h.Run({"eval", "return redis.error_reply('MY thing')", "0"}), "-MY thing\r\n");
  EXPECT_EQ(h.Run({"eval", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v"}),
            "+OK\r\n");
  EXPECT_EQ(h.Run({"get", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(h.Run({"eval", "return redis.call('get', 'missing')", "0"}), "$-1\r\n");
  EXPECT_EQ(h.Run({"eval", "return type(redis.call('get', 'missing'))", "0"}), "$7\r\nboolean\r\n");
  EXPECT_EQ(h.Run({"eval", "return 1", "2", "a"}),
            "-ERR Number of keys can't be greater than number of args\r\n");
  EXPECT_EQ(h.Run({"eval", "return 1", "-1"}), "-ERR Number of keys can't be negative\r\n");
}

TEST(Scripting, ErrorsCarryTheScriptAndLine) {
  Harness h;
  h.Run({"set", "s", "v"});
  const std::string sha = scripting::Sha1Hex("local a = 1\nreturn redis.call('lpush', 's', 'x')");
  EXPECT_EQ(h.Run({"eval", "local a = 1\nreturn redis.call('lpush', 's', 'x')", "0"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value script: " + sha +
                ", on @user_script:2.\r\n");
  EXPECT_EQ(h.Run({"eval", "return redis.pcall('lpush', 's', 'x')", "0"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  EXPECT_EQ(h.Run({"eval", "return +", "0"}),
            "-ERR Error compiling script (new function): user_script:1: unexpected symbol near "
            "'+'\r\n");
  const std::string boom = scripting::Sha1Hex("error('boom')");
  EXPECT_EQ(h.Run({"eval", "error('boom')", "0"}),
            "-ERR user_script:1: boom script: " + boom + ", on @user_script:1.\r\n");
  EXPECT_EQ(h.Run({"eval", "return redis.pcall('multi')", "0"}),
            "-ERR This Redis command is not allowed from script\r\n");
  EXPECT_EQ(h.Run({"eval_ro", "return redis.pcall('set', 'a', 'b')", "0"}),
            "-ERR Write commands are not allowed from read-only scripts.\r\n");
  // The engine is usable after every error.
  EXPECT_EQ(h.Run({"eval", "return 7", "0"}), ":7\r\n");
}

TEST(Scripting, ShebangFlags) {
  Harness h;
  EXPECT_EQ(h.Run({"eval", "#!lua\nreturn 1", "0"}), ":1\r\n");
  const std::string sha =
      scripting::Sha1Hex("#!lua flags=no-writes\nreturn redis.call('set','a','b')");
  EXPECT_EQ(h.Run({"eval", "#!lua flags=no-writes\nreturn redis.call('set','a','b')", "0"}),
            "-ERR Write commands are not allowed from read-only scripts. script: " + sha +
                ", on @user_script:2.\r\n");
  EXPECT_EQ(h.Run({"eval_ro", "#!lua\nreturn 1", "0"}),
            "-ERR Can not execute a script with write flag using *_ro command.\r\n");
  EXPECT_EQ(h.Run({"eval_ro", "#!lua flags=no-writes\nreturn 1", "0"}), ":1\r\n");
  EXPECT_EQ(h.Run({"eval", "#!lua flags=bogus\nreturn 1", "0"}),
            "-ERR Unexpected flag in script shebang: bogus\r\n");
  EXPECT_EQ(h.Run({"eval", "#!python\nreturn 1", "0"}),
            "-ERR Unexpected engine in script shebang: #!python\r\n");
  EXPECT_EQ(h.Run({"eval", "#!lua", "0"}), "-ERR Invalid script shebang\r\n");
}

TEST(Scripting, SandboxRefusesGlobals) {
  Harness h;
  const std::string x = h.Run({"eval", "x = 1", "0"});
  EXPECT_NE(x.find("Attempt to modify a readonly table"), std::string::npos) << x;
  const std::string y = h.Run({"eval", "return y", "0"});
  EXPECT_NE(y.find("Script attempted to access nonexistent global variable 'y'"), std::string::npos)
      << y;
  EXPECT_NE(h.Run({"eval", "return os.time()", "0"}).find("'os'"), std::string::npos);
  EXPECT_NE(h.Run({"eval", "return loadstring('z = 1')()", "0"}).find("readonly"),
            std::string::npos);
  EXPECT_EQ(h.Run({"eval", "return _G", "0"}), "*0\r\n");
}

TEST(Scripting, MathRandomIsRand48FromItsDefaultState) {
  // The values a fresh redis-server 7.0.15 draws, and after math.randomseed(1).
  Harness h;
  EXPECT_EQ(h.Run({"eval", "return {math.random(1000), math.random(1000)}", "0"}),
            "*2\r\n:397\r\n:841\r\n");
  EXPECT_EQ(h.Run({"eval", "return tostring(math.random())", "0"}), "$16\r\n0.35333609737146\r\n");
  EXPECT_EQ(
      h.Run({"eval", "math.randomseed(1) return {math.random(1000), math.random(1000)}", "0"}),
      "*2\r\n:42\r\n:455\r\n");
}

TEST(Scripting, CacheLoadExistsFlush) {
  Harness h;
  const std::string sha = scripting::Sha1Hex("return ARGV[1]");
  EXPECT_EQ(h.Run({"evalsha", sha, "0", "a"}),
            "-NOSCRIPT No matching script. Please use EVAL.\r\n");
  EXPECT_EQ(h.Run({"script", "load", "return ARGV[1]"}), "$40\r\n" + sha + "\r\n");
  EXPECT_EQ(h.Run({"evalsha", sha, "0", "a"}), "$1\r\na\r\n");
  EXPECT_EQ(h.Run({"script", "exists", sha, "nope"}), "*2\r\n:1\r\n:0\r\n");
  EXPECT_EQ(h.Run({"script", "flush"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"script", "exists", sha}), "*1\r\n:0\r\n");
  EXPECT_EQ(h.Run({"eval", "return ARGV[1]", "0", "b"}), "$1\r\nb\r\n");  // EVAL caches too
  EXPECT_EQ(h.Run({"script", "exists", sha}), "*1\r\n:1\r\n");
  EXPECT_EQ(h.Run({"script", "kill"}), "-NOTBUSY No scripts in execution right now.\r\n");
}

TEST(Scripting, SelectInsideAScriptStaysInside) {
  Harness h;
  EXPECT_EQ(h.Run({"eval", "redis.call('select', '3'); return redis.call('set', 'k', 'v')", "0"}),
            "+OK\r\n");
  EXPECT_EQ(h.session().db, 0);
  EXPECT_FALSE(Exists(h, "k"));
  EXPECT_NE(h.server().db(3).Find("k"), nullptr);
  // The next script starts in the caller's db again.
  h.Run({"select", "2"});
  h.Run({"eval", "return redis.call('set', 'k2', 'v')", "0"});
  EXPECT_NE(h.server().db(2).Find("k2"), nullptr);
}

// Records each propagated group as lines "db:ARG ARG ...".
class Recorder : public PropagationSink {
 public:
  void Feed(std::span<const PropagatedCommand> group) override {
    std::vector<std::string> g;
    for (const PropagatedCommand& c : group) {
      std::string line = std::to_string(c.db) + ":";
      for (size_t i = 0; i < c.argv.size(); ++i) line += (i ? " " : "") + c.argv[i];
      g.push_back(line);
    }
    groups.push_back(g);
  }
  std::vector<std::vector<std::string>> groups;
};

TEST(Scripting, WritesPropagateAsCommandsInOneTransaction) {
  Harness h;
  h.SetTime(1'000'000);
  Recorder rec;
  h.server().AddPropagationSink(&rec);
  h.Run({"eval",
         "redis.call('set', 'a', '1'); redis.call('get', 'a'); redis.call('expire', 'a', 10); "
         "redis.call('select', '4'); redis.call('incr', 'n'); return 1",
         "0"});
  using Lines = std::vector<std::string>;
  ASSERT_EQ(rec.groups.size(), 1u);
  // One group (a sink such as the AOF writes it inside MULTI/EXEC; tests/e2e checks the file).
  EXPECT_EQ(rec.groups[0], (Lines{"0:set a 1", "0:PEXPIREAT a 1010000", "4:incr n"}));
  rec.groups.clear();
  h.Run({"eval", "return redis.call('get', 'a')", "0"});  // reads propagate nothing
  h.Run({"eval", "return redis.call('del', 'a')", "0"});  // one write: a group of one
  EXPECT_EQ(rec.groups, (std::vector<Lines>{{"0:del a"}}));
  h.server().RemovePropagationSink(&rec);
}

class ScriptingClients : public TwoClients {};

TEST_F(ScriptingClients, ScriptWritesTouchWatchedKeys) {
  EXPECT_EQ(Run(a_, {"watch", "w"}), "+OK\r\n");
  EXPECT_EQ(Run(b_, {"eval", "return redis.call('set', 'w', '1')", "0"}), "+OK\r\n");
  Run(a_, {"multi"});
  Run(a_, {"set", "w", "2"});
  EXPECT_EQ(Run(a_, {"exec"}), "*-1\r\n");
}

TEST_F(ScriptingClients, ScriptPushWakesABlockedClientAfterTheScript) {
  EXPECT_EQ(Run(a_, {"blpop", "q", "0"}), "");
  EXPECT_TRUE(a_.blocked);
  // Pushed and popped again inside the script: the waiter only sees the state after it.
  EXPECT_EQ(Run(b_, {"eval",
                     "redis.call('rpush', 'q', 'x', 'y'); redis.call('lpop', 'q'); "
                     "return redis.call('llen', 'q')",
                     "0"}),
            ":1\r\n");
  EXPECT_FALSE(a_.blocked);
  EXPECT_EQ(Run(a_, {}), "*2\r\n$1\r\nq\r\n$1\r\ny\r\n");
}

TEST_F(ScriptingClients, MonitorShowsTheEvalBeforeItsCommands) {
  EXPECT_EQ(Run(a_, {"monitor"}), "+OK\r\n");
  Run(b_, {"eval", "return redis.call('set', 'm', '1')", "0"});
  const std::string seen = Run(a_, {});
  const size_t eval = seen.find("\"eval\" \"return redis.call('set', 'm', '1')\" \"0\"");
  const size_t set = seen.find("[0 lua] \"set\" \"m\" \"1\"");
  ASSERT_NE(eval, std::string::npos) << seen;
  ASSERT_NE(set, std::string::npos) << seen;
  EXPECT_LT(eval, set);
  EXPECT_EQ(seen.find("\"eval\"", eval + 1), std::string::npos) << seen;  // shown once
}

TEST_F(ScriptingClients, BlockingCommandsInsideScriptsDoNotBlock) {
  EXPECT_EQ(Run(a_, {"eval", "return redis.call('blmpop', '0', '1', 'nolist', 'LEFT')", "0"}),
            "$-1\r\n");
  EXPECT_FALSE(a_.blocked);
  EXPECT_EQ(Run(a_, {"eval", "return redis.pcall('blpop', 'nolist', '0')", "0"}),
            "-ERR This Redis command is not allowed from script\r\n");
}

}  // namespace
}  // namespace server::testing

namespace server::testing {
namespace {

TEST(ScriptingLibraries, CjsonBitAndCmsgpack) {
  Harness h;
  EXPECT_EQ(h.Run({"eval", "return cjson.encode({1, 'a', {b = true}})", "0"}),
            "$18\r\n[1,\"a\",{\"b\":true}]\r\n");
  EXPECT_EQ(h.Run({"eval", "return cjson.decode('[5, {\"x\": 7}]')[2].x", "0"}), ":7\r\n");
  EXPECT_EQ(h.Run({"eval", "return bit.band(0xff, 0x0f)", "0"}), ":15\r\n");
  EXPECT_EQ(h.Run({"eval", "return cmsgpack.pack(1, -1, 'ab', {1, 2}, {k = false})", "0"}),
            std::string("$12\r\n\x01\xff\xa2"
                        "ab\x92\x01\x02\x81\xa1k\xc2\r\n",
                        19));
  EXPECT_EQ(h.Run({"eval",
                   "local a, b, c = cmsgpack.unpack(cmsgpack.pack(70000, 1.5, {x = {'y'}})) "
                   "return {a, tostring(b), c.x[1]}",
                   "0"}),
            "*3\r\n:70000\r\n$3\r\n1.5\r\n$1\r\ny\r\n");
  EXPECT_EQ(h.Run({"eval", "return {cmsgpack.unpack_one(cmsgpack.pack(1, 2), 0)}", "0"}),
            "*2\r\n:1\r\n:1\r\n");
  EXPECT_EQ(h.Run({"eval", "return struct.pack('>I2 <h s', 258, -2, 'ab')", "0"}),
            std::string("$7\r\n\x01\x02\xfe\xff"
                        "ab\0\r\n",
                        13));
  EXPECT_EQ(h.Run({"eval", "return {struct.unpack('>I2 <h s', '\\001\\002\\254\\255ab\\0')}", "0"}),
            "*4\r\n:258\r\n:-2\r\n$2\r\nab\r\n:8\r\n");
  EXPECT_EQ(h.Run({"eval", "return struct.size('!4 b d')", "0"}), ":12\r\n");
  const std::string bad = h.Run({"eval", "return cmsgpack.unpack('\\205\\001')", "0"});
  EXPECT_NE(bad.find("Missing bytes in input."), std::string::npos) << bad;
}

}  // namespace
}  // namespace server::testing
