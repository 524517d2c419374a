// Durability through the real binary: data survives a restart from dump.rdb and from the AOF,
// and bad files or a failing disk get Redis's behaviour (refuse to start, load and truncate a
// torn AOF tail, -MISCONF after a failed BGSAVE) with a log line, never a crash.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

// A fresh data directory for servers run to exit, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = std::string(::testing::TempDir()) + "fickle-persist-XXXXXX";
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// INFO persistence's value of `field`.
std::string InfoField(redisContext* c, const std::string& field) {
  return e2e::InfoField(c, "persistence", field);
}

bool WaitInfo(redisContext* c, const std::string& field, const std::string& value) {
  for (int i = 0; i < 5000; ++i) {
    if (InfoField(c, field) == value) return true;
    usleep(2000);
  }
  return false;
}

TEST(PersistenceTest, CorruptRdbStopsStartupNamingTheFile) {
  TempDir dir;
  WriteFile(dir.path() + "/dump.rdb", "REDIS0010\xfa\x09redis-ver\x06garbage-and-then-nothing");
  ExitResult r = RunToExit({"--port", std::to_string(FreePort()), "--dir", dir.path()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("dump.rdb"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("byte"), std::string::npos) << r.output;  // the offset
}

TEST(PersistenceTest, NewerRdbVersionIsRefused) {
  TempDir dir;
  WriteFile(dir.path() + "/dump.rdb", std::string("REDIS0012\xff", 10) + std::string(8, '\0'));
  ExitResult r = RunToExit({"--port", std::to_string(FreePort()), "--dir", dir.path()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("12"), std::string::npos) << r.output;
}

TEST(PersistenceTest, SaveThenRestartKeepsTheData) {
  ServerProcess s;
  ASSERT_TRUE(s.Start());
  {
    ContextPtr c = Connect(s.port());
    Command(c.get(), {"SET", "k", "v"});
    Command(c.get(), {"RPUSH", "l", "a", "b"});
    Command(c.get(), {"SET", "t", "x", "EX", "1000"});
    EXPECT_EQ(Show(Command(c.get(), {"SAVE"}).get()), "+OK");
    EXPECT_EQ(InfoField(c.get(), "rdb_changes_since_last_save"), "0");
  }
  EXPECT_EQ(s.Stop(), 0);
  ASSERT_TRUE(s.Start());
  ContextPtr c = Connect(s.port());
  EXPECT_EQ(Show(Command(c.get(), {"GET", "k"}).get()), "$1:v");
  EXPECT_EQ(Show(Command(c.get(), {"LRANGE", "l", "0", "-1"}).get()), "*2[$1:a,$1:b]");
  ReplyPtr ttl = Command(c.get(), {"TTL", "t"});
  EXPECT_GT(ttl->integer, 900);
  EXPECT_EQ(s.Stop(), 0);
}

// Writes sent right behind a BGSAVE, in the same pipeline, run while the snapshot walks the
// keyspace; none of them may reach the file, and the old values they replace are what the
// copy-before-write kept (rdb_last_cow_size).
TEST(PersistenceTest, BgsaveUnderWritesIsPointInTime) {
  constexpr int kKeys = 200000;
  ServerProcess s;
  ASSERT_TRUE(s.Start());
  {
    ContextPtr c = Connect(s.port());
    for (int i = 0; i < kKeys; ++i) Append(c.get(), {"SET", "k:" + std::to_string(i), "old"});
    for (int i = 0; i < kKeys; ++i) ASSERT_EQ(Show(GetReply(c.get()).get()), "+OK");
    Append(c.get(), {"BGSAVE"});
    for (int i = kKeys - 1; i >= 0; --i) {  // from the end, where the walk has not been
      Append(c.get(), {"SET", "k:" + std::to_string(i), "new"});
      if (i % 10 == 0) Append(c.get(), {"DEL", "k:" + std::to_string(i)});
      if (i % 100 == 0) Append(c.get(), {"SET", "z:" + std::to_string(i), "created"});
    }
    EXPECT_EQ(Show(GetReply(c.get()).get()), "+Background saving started");
    const int replies = kKeys + kKeys / 10 + kKeys / 100;
    for (int i = 0; i < replies; ++i) ASSERT_NE(GetReply(c.get()), nullptr);
    ASSERT_TRUE(WaitInfo(c.get(), "rdb_bgsave_in_progress", "0"));
    EXPECT_EQ(InfoField(c.get(), "rdb_last_bgsave_status"), "ok");
    EXPECT_GT(std::stoull(InfoField(c.get(), "rdb_last_cow_size")), 0u);
  }
  EXPECT_EQ(s.Stop(), 0);
  ASSERT_TRUE(s.Start());
  ContextPtr c = Connect(s.port());
  EXPECT_EQ(Command(c.get(), {"DBSIZE"})->integer, kKeys);
  for (int i = 0; i < kKeys; i += 997) {
    EXPECT_EQ(Show(Command(c.get(), {"GET", "k:" + std::to_string(i)}).get()), "$3:old") << i;
  }
  EXPECT_EQ(Command(c.get(), {"EXISTS", "z:0", "z:100", "z:199900"})->integer, 0);
  EXPECT_EQ(s.Stop(), 0);
}

TEST(PersistenceTest, FailedBgsaveRefusesWritesUntilASaveWorks) {
  ServerProcess s;
  ASSERT_TRUE(s.Start({"--save", "3600 1"}));
  ContextPtr c = Connect(s.port());
  Command(c.get(), {"SET", "k", "v"});
  // The directory goes away under the server: the background write cannot create its file.
  const std::string dir = s.data_dir();
  fs::remove_all(dir);
  EXPECT_EQ(Show(Command(c.get(), {"BGSAVE"}).get()), "+Background saving started");
  ASSERT_TRUE(WaitInfo(c.get(), "rdb_bgsave_in_progress", "0"));
  EXPECT_EQ(InfoField(c.get(), "rdb_last_bgsave_status"), "err");
  std::string denied = Show(Command(c.get(), {"SET", "k", "w"}).get());
  EXPECT_EQ(denied.rfind("-MISCONF", 0), 0u) << denied;
  EXPECT_EQ(Show(Command(c.get(), {"GET", "k"}).get()), "$1:v");  // reads still work
  fs::create_directories(dir);
  EXPECT_EQ(Show(Command(c.get(), {"BGSAVE"}).get()), "+Background saving started");
  ASSERT_TRUE(WaitInfo(c.get(), "rdb_bgsave_in_progress", "0"));
  EXPECT_EQ(InfoField(c.get(), "rdb_last_bgsave_status"), "ok");
  EXPECT_EQ(Show(Command(c.get(), {"SET", "k", "w"}).get()), "+OK");
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

// The incr file of a fresh AOF in dir.
std::string IncrFile(const std::string& dir) {
  return dir + "/appendonlydir/appendonly.aof.1.incr.aof";
}

TEST(PersistenceTest, TornAofTailIsTruncatedOrRefusedPerConfig) {
  ServerProcess s;
  ASSERT_TRUE(s.Start({"--appendonly", "yes", "--appendfsync", "always"}));
  {
    ContextPtr c = Connect(s.port());
    Command(c.get(), {"SET", "a", "1"});
    Command(c.get(), {"SET", "b", "2"});
  }
  EXPECT_EQ(s.Stop(), 0);
  const std::string incr = IncrFile(s.data_dir());
  ASSERT_TRUE(fs::exists(incr));
  fs::resize_file(incr, fs::file_size(incr) - 3);  // cut into the last record

  // aof-load-truncated no: refuse to start, naming the file.
  ExitResult refused = RunToExit({"--port", std::to_string(FreePort()), "--dir", s.data_dir(),
                                  "--appendonly", "yes", "--aof-load-truncated", "no"});
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("appendonly.aof.1.incr.aof"), std::string::npos) << refused.output;

  // The default: load what is whole, cut the tail, warn.
  ASSERT_TRUE(s.Start({"--appendonly", "yes"}));
  ContextPtr c = Connect(s.port());
  EXPECT_EQ(Show(Command(c.get(), {"GET", "a"}).get()), "$1:1");
  EXPECT_EQ(Show(Command(c.get(), {"EXISTS", "b"}).get()), ":0");
  EXPECT_EQ(Show(Command(c.get(), {"SET", "c", "3"}).get()), "+OK");
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
  EXPECT_NE(s.Output().find("truncat"), std::string::npos) << s.Output();
  // What was appended after the cut is read back on the next start.
  ASSERT_TRUE(s.Start({"--appendonly", "yes"}));
  c = Connect(s.port());
  EXPECT_EQ(Show(Command(c.get(), {"MGET", "a", "b", "c"}).get()), "*3[$1:1,(nil),$1:3]");
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

}  // namespace
}  // namespace e2e
