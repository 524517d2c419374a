// appendfsync everysec with a slow disk: while the fsync thread is inside fsync(2), new records
// wait in the buffer (replies still go out), for at most 2 s; then they are written anyway and
// INFO counts a delayed fsync, as Redis does.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "persistence/aof_writer.h"
#include "server/aof.h"
#include "test_harness.h"

namespace server {
namespace {

using testing::Harness;

// Real syscalls, except that fsync blocks until Release().
class StuckFsync : public persistence::FileOps {
 public:
  int Fsync(int fd) override {
    std::unique_lock<std::mutex> lock(mu_);
    ++entered_;
    cv_.wait(lock, [&] { return released_; });
    return persistence::FileOps::Fsync(fd);
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  int entered() {
    std::lock_guard<std::mutex> lock(mu_);
    return entered_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  int entered_ = 0;
};

TEST(AofPostpone, EverysecWaitsForARunningFsyncAtMostTwoSeconds) {
  StuckFsync ops;
  Config c;
  c.appendonly = true;
  c.appendfsync = "everysec";
  Harness h(c);
  h.server().aof_file_ops = &ops;
  std::string error;
  ASSERT_TRUE(h.server().StartAof(&error)) << error;
  Aof& aof = *h.server().aof();

  EXPECT_EQ(h.Run({"SET", "a", "1"}), "+OK\r\n");
  h.server().BeforeReplies();  // written; the fsync thread starts and gets stuck
  EXPECT_EQ(aof.buffer_length(), 0u);
  for (int i = 0; i < 500 && ops.entered() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(ops.entered(), 1);

  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(h.Run({"SET", "b", "2"}), "+OK\r\n");  // the reply is not held back
  h.server().BeforeReplies();
  EXPECT_GT(aof.buffer_length(), 0u);  // postponed
  EXPECT_EQ(aof.delayed_fsyncs(), 0u);
  // Until 2 s have passed the records keep waiting.
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1800)) {
    h.server().BeforeReplies();
    ASSERT_GT(aof.buffer_length(), 0u);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  h.server().BeforeReplies();  // then they are written anyway
  EXPECT_EQ(aof.buffer_length(), 0u);
  EXPECT_EQ(aof.delayed_fsyncs(), 1u);
  EXPECT_NE(h.Run({"INFO", "persistence"}).find("aof_delayed_fsync:1\r\n"), std::string::npos);

  ops.Release();
  // With the disk quick again, writes go straight out.
  for (int i = 0; i < 500 && aof.buffer_length() == 0 && ops.entered() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(h.Run({"SET", "c", "3"}), "+OK\r\n");
  for (int i = 0; i < 500 && aof.buffer_length() > 0; ++i) {
    h.server().BeforeReplies();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(aof.buffer_length(), 0u);
  EXPECT_EQ(aof.delayed_fsyncs(), 1u);
  h.server().StopAof();
}

}  // namespace
}  // namespace server
