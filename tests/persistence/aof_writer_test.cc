#include "persistence/aof_writer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <thread>

#include "persistence/aof_record.h"

namespace persistence {
namespace {

namespace fs = std::filesystem;

std::string Record(std::vector<std::string_view> argv) {
  std::string out;
  AppendRecord(argv, &out);
  return out;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Real syscalls, plus the knobs the tests need: count fsyncs and the threads they ran on, fail
// writes after a byte budget (a full disk), cap each write (short writes), fail once with EINTR,
// fail ftruncate, and hold an fsync until released.
class TestOps : public FileOps {
 public:
  ssize_t Write(int fd, const char* data, size_t n) override {
    if (eintr_once) {
      eintr_once = false;
      errno = EINTR;
      return -1;
    }
    if (budget == 0) {
      errno = ENOSPC;
      return -1;
    }
    n = std::min({n, budget, max_write});
    ssize_t w = FileOps::Write(fd, data, n);
    if (w > 0 && budget != SIZE_MAX) budget -= static_cast<size_t>(w);
    return w;
  }
  int Ftruncate(int fd, off_t size) override {
    if (fail_truncate) {
      errno = EIO;
      return -1;
    }
    return FileOps::Ftruncate(fd, size);
  }
  int Fsync(int fd) override {
    std::unique_lock<std::mutex> lk(mu);
    fsync_threads.push_back(std::this_thread::get_id());
    in_fsync = true;
    cv.notify_all();
    cv.wait(lk, [&] { return !hold_fsync; });
    in_fsync = false;
    int r = FileOps::Fsync(fd);
    fsyncs_done++;
    cv.notify_all();
    return r;
  }
  void WaitForFsyncs(size_t n) {
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [&] { return fsyncs_done >= n; });
  }
  void WaitUntilInFsync() {
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [&] { return in_fsync; });
  }
  void Release() {
    std::lock_guard<std::mutex> lk(mu);
    hold_fsync = false;
    cv.notify_all();
  }
  size_t FsyncCalls() {
    std::lock_guard<std::mutex> lk(mu);
    return fsync_threads.size();
  }

  size_t budget = SIZE_MAX;
  size_t max_write = SIZE_MAX;
  bool eintr_once = false;
  bool fail_truncate = false;

  std::mutex mu;
  std::condition_variable cv;
  bool hold_fsync = false;                     // guarded by mu
  bool in_fsync = false;                       // guarded by mu
  size_t fsyncs_done = 0;                      // guarded by mu
  std::vector<std::thread::id> fsync_threads;  // guarded by mu
};

class AofWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "fickle-aofw-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = JoinPath(dir_, "appendonly.aof.1.incr.aof");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<AofWriter> Open(FsyncPolicy policy, FileOps* ops = nullptr) {
    std::unique_ptr<AofWriter> w;
    IoStatus s = AofWriter::Open(path_, policy, &w, ops);
    EXPECT_TRUE(s.ok()) << s.message;
    return w;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(AofWriterTest, AppendBuffersFlushWrites) {
  auto w = Open(FsyncPolicy::kNo);
  w->AppendCommand({"set", "k", "v"});
  w->Append(Record({"del", "k"}));
  EXPECT_EQ(Slurp(path_), "");
  EXPECT_EQ(w->pending_bytes(), Record({"set", "k", "v"}).size() + Record({"del", "k"}).size());
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(Slurp(path_), Record({"set", "k", "v"}) + Record({"del", "k"}));
  EXPECT_EQ(w->pending_bytes(), 0u);
  EXPECT_EQ(w->file_size(), Slurp(path_).size());
  EXPECT_TRUE(w->last_write_status().ok());
}

TEST_F(AofWriterTest, ReopenAppendsAndCountsExistingBytes) {
  auto w = Open(FsyncPolicy::kNo);
  w->AppendCommand({"set", "a", "1"});
  ASSERT_TRUE(w->Close().ok());
  w = Open(FsyncPolicy::kNo);
  EXPECT_EQ(w->file_size(), Record({"set", "a", "1"}).size());
  w->AppendCommand({"set", "b", "2"});
  ASSERT_TRUE(w->Close().ok());
  EXPECT_EQ(Slurp(path_), Record({"set", "a", "1"}) + Record({"set", "b", "2"}));
}

TEST_F(AofWriterTest, OpenFailsWithErrnoInAMissingDirectory) {
  std::unique_ptr<AofWriter> w;
  IoStatus s = AofWriter::Open(JoinPath(dir_, "nope/x.aof"), FsyncPolicy::kNo, &w);
  EXPECT_EQ(s.err, ENOENT);
  EXPECT_EQ(w, nullptr);
}

TEST_F(AofWriterTest, AlwaysFsyncsInFlushOnTheCallingThread) {
  TestOps ops;
  auto w = Open(FsyncPolicy::kAlways, &ops);
  w->AppendCommand({"incr", "n"});
  ASSERT_TRUE(w->Flush().ok());
  ASSERT_EQ(ops.FsyncCalls(), 1u);
  EXPECT_EQ(ops.fsync_threads[0], std::this_thread::get_id());
  EXPECT_EQ(w->fsync_count(), 1u);
  EXPECT_EQ(w->last_fsync_errno(), 0);
  EXPECT_GT(w->last_fsync_unix_ms(), 0);
  w->AppendCommand({"incr", "n"});
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(ops.FsyncCalls(), 2u);
  // The server flushes before every loop sleep: no new bytes, no fsync.
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(ops.FsyncCalls(), 2u);
}

TEST_F(AofWriterTest, AlwaysRetriesAFailedFsyncAtTheNextFlush) {
  struct FailOnce : FileOps {
    int Fsync(int fd) override {
      if (calls++ == 0) {
        errno = EIO;
        return -1;
      }
      return FileOps::Fsync(fd);
    }
    int calls = 0;
  } ops;
  auto w = Open(FsyncPolicy::kAlways, &ops);
  w->AppendCommand({"set", "k", "v"});
  EXPECT_EQ(w->Flush().err, EIO);
  EXPECT_EQ(w->last_fsync_errno(), EIO);
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(ops.calls, 2);
  EXPECT_EQ(w->last_fsync_errno(), 0);
}

TEST_F(AofWriterTest, NoNeverFsyncsUntilClose) {
  TestOps ops;
  auto w = Open(FsyncPolicy::kNo, &ops);
  for (int i = 0; i < 10; i++) {
    w->AppendCommand({"incr", "n"});
    ASSERT_TRUE(w->Flush().ok());
  }
  EXPECT_EQ(ops.FsyncCalls(), 0u);
  EXPECT_EQ(w->fsync_count(), 0u);
  ASSERT_TRUE(w->Close().ok());
  EXPECT_EQ(ops.FsyncCalls(), 1u);
}

TEST_F(AofWriterTest, EverySecFsyncsOnItsThreadAndFlushNeverWaits) {
  TestOps ops;
  ops.hold_fsync = true;
  auto w = Open(FsyncPolicy::kEverySec, &ops);
  w->AppendCommand({"set", "k", "1"});
  ASSERT_TRUE(w->Flush().ok());
  // The fsync thread is now stuck inside fsync; the loop thread keeps writing regardless.
  ops.WaitUntilInFsync();
  EXPECT_TRUE(w->fsync_in_progress());
  w->AppendCommand({"set", "k", "2"});
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(Slurp(path_), Record({"set", "k", "1"}) + Record({"set", "k", "2"}));
  ops.Release();
  // The second write was made while the first fsync ran, so it gets an fsync of its own.
  ops.WaitForFsyncs(2);
  ASSERT_GE(ops.FsyncCalls(), 2u);
  EXPECT_NE(ops.fsync_threads[0], std::this_thread::get_id());
  EXPECT_NE(ops.fsync_threads[1], std::this_thread::get_id());
  ASSERT_TRUE(w->Close().ok());
}

TEST_F(AofWriterTest, DestroyingStopsTheFsyncThreadWithoutAnotherFsync) {
  TestOps ops;
  auto w = Open(FsyncPolicy::kEverySec, &ops);
  w->AppendCommand({"set", "k", "1"});
  ASSERT_TRUE(w->Flush().ok());
  ops.WaitForFsyncs(1);
  w.reset();  // no Close: the destructor stops the thread without another fsync
  EXPECT_EQ(ops.FsyncCalls(), 1u);
}

TEST_F(AofWriterTest, PolicyCanChange) {
  TestOps ops;
  auto w = Open(FsyncPolicy::kNo, &ops);
  w->AppendCommand({"set", "k", "1"});
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(ops.FsyncCalls(), 0u);
  w->set_policy(FsyncPolicy::kAlways);
  EXPECT_EQ(w->policy(), FsyncPolicy::kAlways);
  // What was written under kNo is synced at the first Flush under kAlways.
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(ops.FsyncCalls(), 1u);
  w->AppendCommand({"set", "k", "2"});
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(ops.FsyncCalls(), 2u);
}

TEST_F(AofWriterTest, ShortWritesAndEintrAreRetried) {
  TestOps ops;
  ops.max_write = 3;
  ops.eintr_once = true;
  auto w = Open(FsyncPolicy::kNo, &ops);
  std::string value(1000, 'x');
  w->AppendCommand({"set", "k", value});
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(Slurp(path_), Record({"set", "k", value}));
}

TEST_F(AofWriterTest, FullDiskKeepsBytesAndTruncatesThePartialWrite) {
  TestOps ops;
  auto w = Open(FsyncPolicy::kNo, &ops);
  w->AppendCommand({"set", "a", "1"});
  ASSERT_TRUE(w->Flush().ok());
  std::string good = Slurp(path_);

  ops.budget = 10;  // the disk fills up in the middle of the next record
  w->AppendCommand({"set", "b", "2"});
  w->AppendCommand({"set", "c", "3"});
  IoStatus s = w->Flush();
  EXPECT_EQ(s.err, ENOSPC);
  EXPECT_NE(s.message.find(path_), std::string::npos) << s.message;
  EXPECT_EQ(w->last_write_status().err, ENOSPC);
  EXPECT_EQ(Slurp(path_), good);  // no torn record left behind
  EXPECT_EQ(w->file_size(), good.size());
  EXPECT_EQ(w->pending_bytes(), 2 * Record({"set", "b", "2"}).size());

  ops.budget = SIZE_MAX;  // space was freed
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_TRUE(w->last_write_status().ok());
  EXPECT_EQ(Slurp(path_), good + Record({"set", "b", "2"}) + Record({"set", "c", "3"}));
  EXPECT_EQ(w->file_size(), Slurp(path_).size());
}

TEST_F(AofWriterTest, FailedTruncateDropsWrittenPartSoRetryCompletesTheRecord) {
  TestOps ops;
  auto w = Open(FsyncPolicy::kNo, &ops);
  ops.budget = 7;
  ops.fail_truncate = true;
  w->AppendCommand({"set", "b", "2"});
  IoStatus s = w->Flush();
  EXPECT_EQ(s.err, ENOSPC);
  EXPECT_NE(s.message.find("could not truncate"), std::string::npos) << s.message;
  EXPECT_EQ(Slurp(path_).size(), 7u);
  EXPECT_EQ(w->file_size(), 7u);
  ops.budget = SIZE_MAX;
  ASSERT_TRUE(w->Flush().ok());
  EXPECT_EQ(Slurp(path_), Record({"set", "b", "2"}));
}

TEST_F(AofWriterTest, AlwaysReportsFsyncFailure) {
  struct FailingSync : FileOps {
    int Fsync(int) override {
      errno = EIO;
      return -1;
    }
  } ops;
  auto w = Open(FsyncPolicy::kAlways, &ops);
  w->AppendCommand({"set", "k", "v"});
  IoStatus s = w->Flush();
  EXPECT_EQ(s.err, EIO);
  EXPECT_EQ(w->last_fsync_errno(), EIO);
  EXPECT_TRUE(w->last_write_status().ok());  // the write itself succeeded
}

// A real write error from the kernel: RLIMIT_FSIZE makes write() past the limit fail with EFBIG
// (SIGXFSZ ignored) after writing what fits, as a full disk would. Runs in a child process (a
// death test) so the limit does not leak into other tests; returns the child's exit code.
int FileSizeLimitScenario(const std::string& path) {
  signal(SIGXFSZ, SIG_IGN);
  std::unique_ptr<AofWriter> w;
  if (!AofWriter::Open(path, FsyncPolicy::kAlways, &w).ok()) return 1;
  w->AppendCommand({"set", "a", "1"});
  if (!w->Flush().ok()) return 2;
  // rlim_t is 32 bits on armhf; the file holds one short record, so the limit always fits.
  const uint64_t limit = w->file_size() + 10;
  if (limit > std::numeric_limits<rlim_t>::max()) return 3;
  struct rlimit rl = {static_cast<rlim_t>(limit), static_cast<rlim_t>(limit)};
  if (setrlimit(RLIMIT_FSIZE, &rl) != 0) return 3;
  w->AppendCommand({"set", "b", "2"});
  if (w->Flush().err != EFBIG) return 4;
  if (Slurp(path) != Record({"set", "a", "1"})) return 5;
  if (w->pending_bytes() != Record({"set", "b", "2"}).size()) return 6;
  return 0;
}

TEST_F(AofWriterTest, FileSizeLimitFromTheKernel) {
  // Cross builds run tests under qemu-user, where the child cannot re-exec this binary.
  const char* style = std::getenv("GTEST_DEATH_TEST_STYLE");
  if (style != nullptr && std::string(style) == "fast") GTEST_SKIP() << "needs threadsafe style";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // The child re-runs SetUp (threadsafe style), so it removes its own temp dir before exiting.
  EXPECT_EXIT(
      {
        int code = FileSizeLimitScenario(path_);
        fs::remove_all(dir_);
        _exit(code);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace persistence
