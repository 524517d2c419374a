// EVAL over a real socket: replies, the script cache, and a script's writes in the AOF (as the
// commands it ran, inside MULTI/EXEC) surviving a restart.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

class ScriptingTest : public ServerTest {};

TEST_F(ScriptingTest, EvalEvalShaAndErrors) {
  EXPECT_EQ(Show(Run({"EVAL", "return {KEYS[1], ARGV[1], 3.5}", "1", "k", "a"}).get()),
            "*3[$1:k,$1:a,:3]");
  EXPECT_EQ(Show(Run({"SCRIPT", "LOAD", "return redis.call('incrby', KEYS[1], ARGV[1])"}).get()),
            "$40:65b45e1e1b8b36c8c3e885080b88ae484e64fde6");
  EXPECT_EQ(Show(Run({"EVALSHA", "65b45e1e1b8b36c8c3e885080b88ae484e64fde6", "1", "n", "5"}).get()),
            ":5");
  EXPECT_EQ(Show(Run({"EVALSHA", "0000000000000000000000000000000000000000", "0"}).get()),
            "-NOSCRIPT No matching script. Please use EVAL.");
  EXPECT_EQ(Show(Run({"EVAL", "return redis.call('nosuch')", "0"}).get()),
            "-ERR Unknown Redis command called from script script: "
            "206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1.");
  // Raw bytes: a nested error and a status inside an array.
  RawClient raw(port());
  ASSERT_TRUE(
      raw.Send("*3\r\n$4\r\nEVAL\r\n$31\r\nreturn {1,{err='E x'},{ok='y'}}\r\n$1\r\n0\r\n"));
  EXPECT_EQ(raw.ReadReply(), "*3\r\n:1\r\n-E x\r\n+y\r\n");
}

TEST(ScriptingAofTest, ScriptWritesAreLoggedAsATransactionAndReplayed) {
  ServerProcess s;
  ASSERT_TRUE(s.Start({"--appendonly", "yes", "--appendfsync", "always"}));
  {
    ContextPtr c = Connect(s.port());
    EXPECT_EQ(Show(Command(c.get(), {"EVAL",
                                     "redis.call('set', KEYS[1], ARGV[1]); "
                                     "redis.call('rpush', KEYS[2], 'a', 'b'); "
                                     "return redis.call('llen', KEYS[2])",
                                     "2", "s", "l", "v"})
                       .get()),
              ":2");
  }
  EXPECT_EQ(s.Stop(), 0);
  std::ifstream in(s.data_dir() + "/appendonlydir/appendonly.aof.1.incr.aof", std::ios::binary);
  std::stringstream aof;
  aof << in.rdbuf();
  const std::string text = aof.str();
  const size_t multi = text.find("MULTI");
  const size_t set = text.find("$3\r\nset\r\n$1\r\ns\r\n$1\r\nv\r\n");
  const size_t rpush = text.find("$5\r\nrpush\r\n$1\r\nl\r\n$1\r\na\r\n$1\r\nb\r\n");
  const size_t exec = text.find("EXEC");
  ASSERT_NE(multi, std::string::npos) << text;
  EXPECT_LT(multi, set);
  EXPECT_LT(set, rpush);
  EXPECT_LT(rpush, exec);
  EXPECT_NE(exec, std::string::npos) << text;
  EXPECT_EQ(text.find("EVAL"), std::string::npos) << text;

  ASSERT_TRUE(s.Start({"--appendonly", "yes"}));
  ContextPtr c = Connect(s.port());
  EXPECT_EQ(Show(Command(c.get(), {"GET", "s"}).get()), "$1:v");
  EXPECT_EQ(Show(Command(c.get(), {"LRANGE", "l", "0", "-1"}).get()), "*2[$1:a,$1:b]");
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

}  // namespace
}  // namespace e2e
