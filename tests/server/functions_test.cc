// Redis 7.0 Functions (server/scripting/functions.h, server/commands/function_family.cc): loading
// and its errors, the load-time sandbox, FCALL / FCALL_RO and the flags, DUMP / RESTORE, the
// separate Lua state, propagation and INFO. Reply texts are also compared with redis-server in
// redis-compat/cases/functions.txt.
#include "server/scripting/functions.h"

#include <gtest/gtest.h>

#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "persistence/dump_payload.h"
#include "server/propagation.h"
#include "server/snapshot.h"
#include "test_harness.h"

namespace server::testing {
namespace {

constexpr const char* kLib =
    "#!lua name=mylib\n"
    "redis.register_function('setit', function(keys, args) "
    "return redis.call('set', keys[1], args[1]) end)\n"
    "redis.register_function{function_name='getit', callback=function(keys) "
    "return redis.call('get', keys[1]) end, flags={'no-writes'}, description='reads'}\n"
    "redis.register_function{function_name='sneaky', callback=function(keys) "
    "return redis.call('del', keys[1]) end, flags={'no-writes'}}\n";

int64_t InfoField(Harness& h, const std::string& name) {
  const std::string info = h.Run({"INFO", "memory"});
  const size_t at = info.find("\r\n" + name + ":");
  if (at == std::string::npos) return -1;
  return static_cast<int64_t>(std::stoll(info.substr(at + name.size() + 3)));
}

TEST(Functions, LoadCallAndReadOnly) {
  Harness h;
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", kLib}), "$5\r\nmylib\r\n");
  EXPECT_EQ(h.Run({"FCALL", "setit", "1", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"FCALL_RO", "getit", "1", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(h.Run({"FCALL", "GETIT", "1", "k"}), "$1\r\nv\r\n");  // names ignore case
  EXPECT_EQ(h.Run({"FCALL_RO", "setit", "1", "k", "w"}),
            "-ERR Can not execute a script with write flag using *_ro command.\r\n");
  // no-writes holds under FCALL too.
  EXPECT_EQ(h.Run({"FCALL", "sneaky", "1", "k"}),
            "-ERR Write commands are not allowed from read-only scripts. script: sneaky, on "
            "@user_function:4.\r\n");
  EXPECT_EQ(h.Run({"GET", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(h.Run({"FCALL", "nosuch", "0"}), "-ERR Function not found\r\n");
  EXPECT_EQ(h.Run({"FCALL", "setit", "x"}), "-ERR Bad number of keys provided\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", kLib}), "-ERR Library 'mylib' already exists\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "REPLACE", kLib}), "$5\r\nmylib\r\n");
}

TEST(Functions, MetadataAndRegistrationErrors) {
  Harness h;
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "return 1"}), "-ERR Missing library metadata\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "#!lua name=x"}), "-ERR Invalid library metadata\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "#!js name=x\n"}), "-ERR Engine 'js' not found\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "#!lua\nreturn 1"}), "-ERR Library name was not given\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "#!lua name=x\nreturn 1"}),
            "-ERR No functions registered\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD",
                   "#!lua name=x\nredis.register_function('a b', "
                   "function() end)"}),
            "-ERR Error registering functions: ERR Library names can only contain letters, "
            "numbers, or underscores(_) and must be at least one character long\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD",
                   "#!lua name=x\nredis.register_function{function_name='a', callback=function() "
                   "end, flags={'fast'}}"}),
            "-ERR Error registering functions: ERR unknown flag given\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "#!lua name=x\nredis.register_function('f'"}),
            "-ERR Error compiling function: user_function:2: ')' expected near '<eof>'\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LIST"}), "*0\r\n");  // nothing half-loaded stays
}

// At load time the only global is a reduced `redis`; at call time functions see the full
// environment, but never KEYS / ARGV.
TEST(Functions, LoadTimeSandbox) {
  Harness h;
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "#!lua name=x\nredis.call('set', 'a', 'b')"}),
            "-ERR Error registering functions: ERR user_function:2: Script attempted to access "
            "nonexistent global variable 'call'\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "#!lua name=x\nlocal s = string.rep('a', 2)"}),
            "-ERR Error registering functions: ERR user_function:2: Script attempted to access "
            "nonexistent global variable 'string'\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "#!lua name=x\ny = 1"}),
            "-ERR Error registering functions: ERR user_function:2: Attempt to modify a readonly "
            "table\r\n");
  EXPECT_EQ(h.Run({"EXISTS", "a"}), ":0\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD",
                   "#!lua name=x\nredis.log(redis.LOG_NOTICE, redis.REDIS_VERSION)\n"
                   "redis.register_function('env', function(keys, args) "
                   "return {type(string.rep), type(redis.call), type(redis.register_function), "
                   "#keys, #args} end)\n"
                   "redis.register_function('k', function() return KEYS end)"}),
            "$1\r\nx\r\n");
  EXPECT_EQ(h.Run({"FCALL", "env", "1", "a", "b", "c"}),
            "*5\r\n$8\r\nfunction\r\n$8\r\nfunction\r\n$3\r\nnil\r\n:1\r\n:2\r\n");
  EXPECT_EQ(h.Run({"FCALL", "k", "0"}),
            "-ERR user_function:4: Script attempted to access nonexistent global variable 'KEYS' "
            "script: k, on @user_function:4.\r\n");
}

// Functions live in a Lua state of their own: SCRIPT FLUSH keeps them, FUNCTION FLUSH keeps the
// script cache.
TEST(Functions, SeparateFromEval) {
  Harness h;
  h.Run({"FUNCTION", "LOAD",
         "#!lua name=c\nlocal n = 0\nredis.register_function('count', function() n = n + 1 "
         "return n end)"});
  h.Run({"SCRIPT", "LOAD", "return 1"});
  EXPECT_EQ(h.Run({"FCALL", "count", "0"}), ":1\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "FLUSH"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"FCALL", "count", "0"}), ":2\r\n");
  h.Run({"SCRIPT", "LOAD", "return 1"});
  EXPECT_EQ(h.Run({"FUNCTION", "FLUSH"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"}),
            "*1\r\n:1\r\n");
  EXPECT_EQ(h.Run({"FCALL", "count", "0"}), "-ERR Function not found\r\n");
}

TEST(Functions, ReplaceKeepsTheOldLibraryOnFailure) {
  Harness h;
  h.Run(
      {"FUNCTION", "LOAD", "#!lua name=a\nredis.register_function('fa', function() return 1 end)"});
  h.Run(
      {"FUNCTION", "LOAD", "#!lua name=b\nredis.register_function('fb', function() return 2 end)"});
  // The new `a` would take fb from library b.
  EXPECT_EQ(h.Run({"FUNCTION", "LOAD", "REPLACE",
                   "#!lua name=a\nredis.register_function('fb', function() return 3 end)"}),
            "-ERR Function fb already exists\r\n");
  EXPECT_EQ(h.Run({"FCALL", "fa", "0"}), ":1\r\n");
  EXPECT_EQ(h.Run({"FCALL", "fb", "0"}), ":2\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "DELETE", "a"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"FCALL", "fa", "0"}), "-ERR Function not found\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "DELETE", "a"}), "-ERR Library not found\r\n");
}

TEST(Functions, DumpAndRestorePolicies) {
  Harness h;
  h.Run(
      {"FUNCTION", "LOAD", "#!lua name=a\nredis.register_function('fa', function() return 1 end)"});
  const std::string reply = h.Run({"FUNCTION", "DUMP"});
  const size_t body = reply.find("\r\n") + 2;
  const std::string payload = reply.substr(body, reply.size() - body - 2);
  std::vector<std::string> codes;
  const char* what = nullptr;
  ASSERT_EQ(persistence::ParseFunctionsPayload(payload, &codes, &what),
            persistence::FunctionPayloadError::kNone);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0], "#!lua name=a\nredis.register_function('fa', function() return 1 end)");
  EXPECT_EQ(h.Run({"FUNCTION", "RESTORE", payload}), "-ERR Library a already exists\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "RESTORE", payload, "REPLACE"}), "+OK\r\n");
  h.Run(
      {"FUNCTION", "LOAD", "#!lua name=b\nredis.register_function('fb', function() return 2 end)"});
  EXPECT_EQ(h.Run({"FUNCTION", "RESTORE", payload, "FLUSH"}), "+OK\r\n");
  EXPECT_EQ(h.Run({"FCALL", "fb", "0"}), "-ERR Function not found\r\n");
  EXPECT_EQ(h.Run({"FCALL", "fa", "0"}), ":1\r\n");
  std::string flipped = payload;
  flipped[5] ^= 1;
  EXPECT_EQ(h.Run({"FUNCTION", "RESTORE", flipped}),
            "-ERR DUMP payload version or checksum are wrong\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "RESTORE", payload.substr(0, 8)}),
            "-ERR DUMP payload version or checksum are wrong\r\n");
}

// Records each propagated group as lines "ARG ARG ...".
class Recorder : public PropagationSink {
 public:
  void Feed(std::span<const PropagatedCommand> group) override {
    std::vector<std::string> g;
    for (const PropagatedCommand& c : group) {
      std::string line;
      for (size_t i = 0; i < c.argv.size(); ++i) line += (i ? " " : "") + c.argv[i];
      g.push_back(line);
    }
    groups.push_back(g);
  }
  std::vector<std::vector<std::string>> groups;
};

// FUNCTION commands that change libraries propagate as sent; FCALL propagates the commands its
// function ran, as one group (MULTI/EXEC in the AOF), never itself.
TEST(Functions, Propagation) {
  Harness h;
  Recorder rec;
  h.server().AddPropagationSink(&rec);
  const char* lib =
      "#!lua name=p\nredis.register_function('two', function(keys) "
      "redis.call('set', keys[1], '1') redis.call('incr', keys[1]) return 1 end)";
  h.Run({"FUNCTION", "LOAD", lib});
  h.Run({"FCALL", "two", "1", "k"});
  h.Run({"FUNCTION", "LOAD", lib});  // fails: nothing propagates
  h.Run({"FUNCTION", "DELETE", "p"});
  h.Run({"FUNCTION", "FLUSH", "ASYNC"});
  using Lines = std::vector<std::string>;
  EXPECT_EQ(rec.groups, (std::vector<Lines>{{std::string("FUNCTION LOAD ") + lib},
                                            {"set k 1", "incr k"},
                                            {"FUNCTION DELETE p"},
                                            {"FUNCTION FLUSH ASYNC"}}));
  h.server().RemovePropagationSink(&rec);
}

TEST(Functions, InfoAndStats) {
  Harness h;
  EXPECT_EQ(InfoField(h, "number_of_functions"), 0);
  EXPECT_EQ(InfoField(h, "used_memory_functions"), 0);
  const int64_t vm_before = InfoField(h, "used_memory_vm_functions");
  EXPECT_GT(vm_before, 1024);  // the functions' own state and its libraries
  h.Run({"FUNCTION", "LOAD", kLib});
  EXPECT_EQ(InfoField(h, "number_of_functions"), 3);
  EXPECT_EQ(InfoField(h, "number_of_libraries"), 1);
  EXPECT_GT(InfoField(h, "used_memory_functions"), static_cast<int64_t>(std::strlen(kLib)));
  EXPECT_GT(InfoField(h, "used_memory_vm_functions"), vm_before);
  EXPECT_EQ(InfoField(h, "used_memory_vm_total"),
            InfoField(h, "used_memory_vm_eval") + InfoField(h, "used_memory_vm_functions"));
  EXPECT_EQ(h.Run({"FUNCTION", "STATS"}),
            "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n"
            "$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:3\r\n");
  EXPECT_EQ(h.Run({"FUNCTION", "KILL"}), "-NOTBUSY No scripts in execution right now.\r\n");
  h.Run({"FUNCTION", "FLUSH"});
  EXPECT_EQ(InfoField(h, "number_of_functions"), 0);
  EXPECT_EQ(InfoField(h, "used_memory_functions"), 0);
}

// A snapshot carries the libraries; loading it registers them again.
TEST(Functions, SnapshotRoundTrip) {
  Config c;
  Harness h(c);
  h.Run({"FUNCTION", "LOAD", kLib});
  h.Run({"SET", "k", "v"});
  EXPECT_EQ(h.Run({"SAVE"}), "+OK\r\n");
  Config c2;
  c2.dir = h.server().config().dir;
  Harness h2(c2);
  std::string error;
  ASSERT_TRUE(LoadRdbAtStartup(h2.server(), &error)) << error;
  EXPECT_EQ(h2.Run({"FCALL_RO", "getit", "1", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(h2.Run({"FUNCTION", "LIST", "WITHCODE"}), h.Run({"FUNCTION", "LIST", "WITHCODE"}));
}

}  // namespace
}  // namespace server::testing
