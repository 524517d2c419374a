#include "persistence/durable_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace persistence {
namespace {

namespace fs = std::filesystem;

class DurableFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "fickle-durable-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string dir_;
};

TEST(PathTest, JoinAndDirName) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(JoinPath("", "b"), "b");
  EXPECT_EQ(DirName("a/b/c"), "a/b");
  EXPECT_EQ(DirName("c"), ".");
  EXPECT_EQ(DirName("/c"), "/");
}

TEST_F(DurableFileTest, WriteCreatesThenReplacesWithoutLeavingTemp) {
  std::string path = JoinPath(dir_, "f.manifest");
  ASSERT_TRUE(WriteFileDurably(path, "one\n").ok());
  EXPECT_EQ(Slurp(path), "one\n");
  ASSERT_TRUE(WriteFileDurably(path, std::string("two\0\n", 5)).ok());
  EXPECT_EQ(Slurp(path), std::string("two\0\n", 5));
  EXPECT_EQ(Entries(), std::vector<std::string>{"f.manifest"});
}

TEST_F(DurableFileTest, UncommittedFileIsRemovedAndTargetUntouched) {
  std::string path = JoinPath(dir_, "dump.rdb");
  ASSERT_TRUE(WriteFileDurably(path, "old").ok());
  {
    DurableFile f(path);
    ASSERT_TRUE(f.status().ok());
    EXPECT_EQ(f.temp_path(), JoinPath(dir_, "temp-dump.rdb"));
    ASSERT_TRUE(f.Append("new, half written").ok());
    EXPECT_EQ(Entries(), (std::vector<std::string>{"dump.rdb", "temp-dump.rdb"}));
  }
  EXPECT_EQ(Entries(), std::vector<std::string>{"dump.rdb"});
  EXPECT_EQ(Slurp(path), "old");
}

TEST_F(DurableFileTest, AppendsInPiecesThenCommits) {
  std::string path = JoinPath(dir_, "big");
  DurableFile f(path);
  std::string expect;
  for (int i = 0; i < 100; i++) {
    std::string piece(1000 + i, static_cast<char>('a' + i % 26));
    ASSERT_TRUE(f.Append(piece).ok());
    expect += piece;
  }
  ASSERT_TRUE(f.Commit().ok());
  EXPECT_EQ(Slurp(path), expect);
  EXPECT_EQ(Entries(), std::vector<std::string>{"big"});
}

TEST_F(DurableFileTest, ErrorsNameTheFileAndKeepErrno) {
  std::string path = JoinPath(dir_, "no-such-dir/f");
  IoStatus s = WriteFileDurably(path, "x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.err, ENOENT);
  EXPECT_NE(s.message.find(JoinPath(dir_, "no-such-dir/temp-f")), std::string::npos) << s.message;
  DurableFile f(path);
  EXPECT_FALSE(f.Append("x").ok());
  EXPECT_FALSE(f.Commit().ok());
}

TEST_F(DurableFileTest, FsyncDirectory) {
  EXPECT_TRUE(FsyncDirectory(dir_).ok());
  IoStatus s = FsyncDirectory(JoinPath(dir_, "missing"));
  EXPECT_EQ(s.err, ENOENT);
}

TEST(IoStatusTest, OkIffNoErrnoAndNoMessage) {
  EXPECT_TRUE(IoStatus::Ok().ok());
  EXPECT_FALSE(IoStatus::Format("bad").ok());
  IoStatus e = IoStatus::Errno(ENOSPC, "write f");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.message, "write f: No space left on device");
}

}  // namespace
}  // namespace persistence
