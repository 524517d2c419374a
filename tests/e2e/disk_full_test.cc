// A full disk under the real binary: the server's --dir is a small tmpfs (this needs root, as CI
// has; elsewhere the tests skip) that a filler file fills up. Redis's behaviour is the contract:
// under appendfsync everysec a failed AOF write refuses further writes with -MISCONF until the
// disk has room again; under always the server exits rather than answer writes it cannot make
// durable; a BGSAVE that cannot write its file reports an error and leaves the old dump.rdb alone.
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

namespace fs = std::filesystem;

// A tmpfs of `mb` megabytes mounted over dir, unmounted (and its files gone) at the end.
class SmallDisk {
 public:
  SmallDisk(const std::string& dir, int mb) : dir_(dir) {
    const std::string opts = "size=" + std::to_string(mb) + "m";
    mounted_ = mount("tmpfs", dir.c_str(), "tmpfs", 0, opts.c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  // Fills what is left with <dir>/filler.
  void Fill() {
    const int fd = open((dir_ + "/filler").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::string chunk(4096, 'f');
    while (write(fd, chunk.data(), chunk.size()) > 0) {
    }
    close(fd);
  }
  void Free() { fs::remove(dir_ + "/filler"); }

 private:
  std::string dir_;
  bool mounted_ = false;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

#define REQUIRE_SMALL_DISK(disk)                                                    \
  if (!(disk).mounted()) {                                                          \
    GTEST_SKIP() << "mounting a tmpfs needs root (CAP_SYS_ADMIN); not tested here"; \
  }

TEST(DiskFullTest, AofEverysecRefusesWritesUntilTheDiskHasRoomAgain) {
  ServerProcess s;
  SmallDisk disk(s.data_dir(), 2);
  REQUIRE_SMALL_DISK(disk);
  ASSERT_TRUE(s.Start({"--appendonly", "yes", "--appendfsync", "everysec"}));
  ContextPtr c = Connect(s.port());
  ASSERT_EQ(Show(Command(c.get(), {"SET", "before", "1"}).get()), "+OK");
  disk.Fill();
  const std::string big(64 * 1024, 'x');
  std::string reply;
  int acked = 0;
  for (int i = 0; i < 200 && reply.rfind("-MISCONF", 0) != 0; ++i) {
    reply = Show(Command(c.get(), {"SET", "big" + std::to_string(i), big}).get());
    if (reply == "+OK") ++acked;
  }
  EXPECT_EQ(reply, "-MISCONF Errors writing to the AOF file: No space left on device");
  EXPECT_EQ(Show(Command(c.get(), {"GET", "before"}).get()), "$1:1");  // reads go on
  EXPECT_EQ(InfoField(c.get(), "persistence", "aof_last_write_status"), "err");
  disk.Free();
  for (int i = 0; i < 500 && reply != "+OK"; ++i) {
    usleep(10000);
    reply = Show(Command(c.get(), {"SET", "after", "2"}).get());
  }
  EXPECT_EQ(reply, "+OK");
  EXPECT_EQ(InfoField(c.get(), "persistence", "aof_last_write_status"), "ok");
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
  EXPECT_NE(s.Output().find("AOF write error looks solved"), std::string::npos);
  // Everything acknowledged is in the log, and the log loads.
  ASSERT_TRUE(s.Start({"--appendonly", "yes"}));
  c = Connect(s.port());
  EXPECT_EQ(Show(Command(c.get(), {"GET", "after"}).get()), "$1:2");
  EXPECT_EQ(Command(c.get(), {"EXISTS", "before"})->integer, 1);
  for (int i = 0; i < acked; ++i) {
    EXPECT_EQ(Command(c.get(), {"STRLEN", "big" + std::to_string(i)})->integer,
              static_cast<long long>(big.size()));
  }
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

TEST(DiskFullTest, AofAlwaysExitsRatherThanAnswerAWriteItCannotLog) {
  ServerProcess s;
  SmallDisk disk(s.data_dir(), 2);
  REQUIRE_SMALL_DISK(disk);
  ASSERT_TRUE(s.Start({"--appendonly", "yes", "--appendfsync", "always"}));
  ContextPtr c = Connect(s.port());
  disk.Fill();
  const std::string big(64 * 1024, 'x');
  int acked = 0;
  for (int i = 0; i < 200; ++i) {
    ReplyPtr r = Command(c.get(), {"SET", "k" + std::to_string(i), big});
    if (r == nullptr) break;  // the server is gone
    ASSERT_EQ(Show(r.get()), "+OK");
    ++acked;
  }
  EXPECT_EQ(s.Wait(), 1);
  EXPECT_NE(s.Output().find("Can't recover from AOF write error"), std::string::npos);
  disk.Free();
  ASSERT_TRUE(s.Start({"--appendonly", "yes"}));
  c = Connect(s.port());
  EXPECT_EQ(Command(c.get(), {"DBSIZE"})->integer, acked);  // every acknowledged write, no more
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

TEST(DiskFullTest, FailedBgsaveKeepsTheOldDumpAndLeavesNoTempFile) {
  ServerProcess s;
  SmallDisk disk(s.data_dir(), 2);
  REQUIRE_SMALL_DISK(disk);
  ASSERT_TRUE(s.Start({"--save", "3600 1"}));
  ContextPtr c = Connect(s.port());
  Command(c.get(), {"SET", "small", "v"});
  ASSERT_EQ(Show(Command(c.get(), {"SAVE"}).get()), "+OK");
  const std::string good = ReadAll(s.data_dir() + "/dump.rdb");
  ASSERT_FALSE(good.empty());
  disk.Fill();
  Command(c.get(), {"DEBUG", "POPULATE", "2000", "key", "1000"});  // ~2 MB: more than fits
  ASSERT_EQ(Show(Command(c.get(), {"BGSAVE"}).get()), "+Background saving started");
  for (int i = 0; i < 1000 && InfoField(c.get(), "persistence", "rdb_bgsave_in_progress") != "0";
       ++i) {
    usleep(5000);
  }
  EXPECT_EQ(InfoField(c.get(), "persistence", "rdb_last_bgsave_status"), "err");
  const std::string denied = Show(Command(c.get(), {"SET", "k", "v"}).get());
  EXPECT_EQ(denied.rfind("-MISCONF", 0), 0u) << denied;
  EXPECT_EQ(ReadAll(s.data_dir() + "/dump.rdb"), good);
  for (const auto& e : fs::directory_iterator(s.data_dir())) {
    EXPECT_NE(e.path().filename().string().rfind("temp-", 0), 0u) << e.path();
  }
  disk.Free();
  ASSERT_EQ(Show(Command(c.get(), {"BGSAVE"}).get()), "+Background saving started");
  for (int i = 0; i < 1000 && InfoField(c.get(), "persistence", "rdb_bgsave_in_progress") != "0";
       ++i) {
    usleep(5000);
  }
  EXPECT_EQ(InfoField(c.get(), "persistence", "rdb_last_bgsave_status"), "ok");
  EXPECT_EQ(Show(Command(c.get(), {"SET", "k", "v"}).get()), "+OK");
  EXPECT_NE(s.Output().find("No space left on device"), std::string::npos);
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

}  // namespace
}  // namespace e2e
