// Functions through the real binary: libraries survive a restart from dump.rdb and from the AOF
// (FUNCTION LOAD / DELETE logged as sent, an FCALL's writes as the commands it ran inside
// MULTI/EXEC, the libraries in the RDB preamble after BGREWRITEAOF).
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "harness.h"

namespace e2e {
namespace {

constexpr const char* kLib =
    "#!lua name=lib\n"
    "redis.register_function('pair', function(keys, args) "
    "redis.call('set', keys[1], args[1]) return redis.call('rpush', keys[2], args[1]) end)\n"
    "redis.register_function{function_name='peek', callback=function(keys) "
    "return redis.call('get', keys[1]) end, flags={'no-writes'}}";
constexpr const char* kOther =
    "#!lua name=other\nredis.register_function('gone', function() return 1 end)";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(FunctionsPersistenceTest, LibrariesSurviveARestartFromDumpRdb) {
  ServerProcess s;
  ASSERT_TRUE(s.Start());
  {
    ContextPtr c = Connect(s.port());
    EXPECT_EQ(Show(Command(c.get(), {"FUNCTION", "LOAD", kLib}).get()), "$3:lib");
    EXPECT_EQ(Show(Command(c.get(), {"FCALL", "pair", "2", "k", "l", "v"}).get()), ":1");
    EXPECT_EQ(Show(Command(c.get(), {"SAVE"}).get()), "+OK");
  }
  EXPECT_EQ(s.Stop(), 0);
  ASSERT_TRUE(s.Start());
  ContextPtr c = Connect(s.port());
  EXPECT_EQ(Show(Command(c.get(), {"FCALL_RO", "peek", "1", "k"}).get()), "$1:v");
  EXPECT_EQ(Show(Command(c.get(), {"FCALL", "pair", "2", "k", "l", "w"}).get()), ":2");
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

TEST(FunctionsPersistenceTest, LoadsDeletesAndCallsAreReplayedFromTheAof) {
  ServerProcess s;
  ASSERT_TRUE(s.Start({"--appendonly", "yes", "--appendfsync", "always"}));
  {
    ContextPtr c = Connect(s.port());
    EXPECT_EQ(Show(Command(c.get(), {"FUNCTION", "LOAD", kLib}).get()), "$3:lib");
    EXPECT_EQ(Show(Command(c.get(), {"FUNCTION", "LOAD", kOther}).get()), "$5:other");
    EXPECT_EQ(Show(Command(c.get(), {"FUNCTION", "DELETE", "other"}).get()), "+OK");
    EXPECT_EQ(Show(Command(c.get(), {"FCALL", "pair", "2", "k", "l", "v"}).get()), ":1");
  }
  EXPECT_EQ(s.Stop(), 0);
  const std::string aof = ReadAll(s.data_dir() + "/appendonlydir/appendonly.aof.1.incr.aof");
  const size_t load = aof.find("$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n");
  const size_t del = aof.find("$8\r\nFUNCTION\r\n$6\r\nDELETE\r\n$5\r\nother\r\n");
  const size_t multi = aof.find("MULTI", del);
  const size_t set = aof.find("$3\r\nset\r\n$1\r\nk\r\n$1\r\nv\r\n", del);
  const size_t exec = aof.find("EXEC", del);
  ASSERT_NE(load, std::string::npos) << aof;
  EXPECT_LT(load, del);
  EXPECT_LT(del, multi);
  EXPECT_LT(multi, set);
  EXPECT_LT(set, exec);
  EXPECT_NE(exec, std::string::npos) << aof;
  EXPECT_EQ(aof.find("FCALL"), std::string::npos) << aof;

  ASSERT_TRUE(s.Start({"--appendonly", "yes"}));
  ContextPtr c = Connect(s.port());
  EXPECT_EQ(Show(Command(c.get(), {"FCALL_RO", "peek", "1", "k"}).get()), "$1:v");
  EXPECT_EQ(Show(Command(c.get(), {"FCALL", "gone", "0"}).get()), "-ERR Function not found");
  // After a rewrite the libraries are in the base's RDB preamble.
  EXPECT_EQ(Show(Command(c.get(), {"BGREWRITEAOF"}).get()),
            "+Background append only file rewriting started");
  for (int i = 0; i < 500 && InfoField(c.get(), "persistence", "aof_rewrite_in_progress") != "0";
       ++i) {
    usleep(10000);
  }
  for (int i = 0; i < 500 && InfoField(c.get(), "persistence", "aof_rewrite_scheduled") != "0";
       ++i) {
    usleep(10000);
  }
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
  const std::string base = ReadAll(s.data_dir() + "/appendonlydir/appendonly.aof.2.base.rdb");
  EXPECT_NE(base.find("#!lua name=lib"), std::string::npos);
  ASSERT_TRUE(s.Start({"--appendonly", "yes"}));
  c = Connect(s.port());
  EXPECT_EQ(Show(Command(c.get(), {"FCALL_RO", "peek", "1", "k"}).get()), "$1:v");
  EXPECT_EQ(Show(Command(c.get(), {"FUNCTION", "LIST", "LIBRARYNAME", "lib"}).get()).substr(0, 2),
            "*1");
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

}  // namespace
}  // namespace e2e
