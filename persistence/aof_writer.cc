#include "persistence/aof_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "persistence/aof_record.h"

namespace persistence {

ssize_t FileOps::Write(int fd, const char* data, size_t n) { return write(fd, data, n); }
int FileOps::Fsync(int fd) { return fdatasync(fd); }
int FileOps::Ftruncate(int fd, off_t size) { return ftruncate(fd, size); }

namespace {

FileOps* DefaultOps() {
  static FileOps ops;
  return &ops;
}

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Redis fsyncs everysec files at most once a second.
constexpr auto kEverySecInterval = std::chrono::seconds(1);

}  // namespace

IoStatus AofWriter::Open(const std::string& path, FsyncPolicy policy,
                         std::unique_ptr<AofWriter>* out, FileOps* ops) {
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IoStatus::Errno(errno, "open " + path);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return IoStatus::Errno(e, "stat " + path);
  }
  *out = std::make_unique<AofWriter>(Key(), path, fd, static_cast<uint64_t>(st.st_size), policy,
                                     ops ? ops : DefaultOps());
  return IoStatus::Ok();
}

AofWriter::AofWriter(Key, std::string path, int fd, uint64_t size, FsyncPolicy policy, FileOps* ops)
    : path_(std::move(path)),
      fd_(fd),
      ops_(ops),
      policy_(policy),
      file_size_(size),
      thread_([this] { FsyncLoop(); }) {}

AofWriter::~AofWriter() {
  StopThread();
  if (fd_ >= 0) close(fd_);
}

void AofWriter::StopThread() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void AofWriter::Append(std::string_view records) { buffer_.append(records); }

void AofWriter::AppendCommand(const std::vector<std::string_view>& argv) {
  AppendRecord(argv, &buffer_);
}

void AofWriter::AppendCommand(std::span<const std::string_view> argv) {
  AppendRecord(argv, &buffer_);
}

void AofWriter::set_policy(FsyncPolicy p) { policy_ = p; }

IoStatus AofWriter::WriteBuffer() {
  size_t done = 0;
  int err = 0;
  while (done < buffer_.size()) {
    ssize_t n = ops_->Write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      break;
    }
    // A regular file takes 0 bytes of a non-empty write only when it cannot grow.
    if (n == 0) {
      err = ENOSPC;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (err == 0) {
    file_size_ += done;
    buffer_.clear();
    return IoStatus::Ok();
  }
  IoStatus status = IoStatus::Errno(err, "write " + path_);
  if (done > 0) {
    // Undo the partial write so the file ends on a record boundary and the retry rewrites it all.
    if (ops_->Ftruncate(fd_, static_cast<off_t>(file_size_)) != 0) {
      file_size_ += done;
      buffer_.erase(0, done);
      status.message += " (and could not truncate the partial write: " +
                        IoStatus::Errno(errno, "ftruncate").message + ")";
    }
  }
  return status;
}

IoStatus AofWriter::Flush() {
  if (!buffer_.empty()) {
    last_write_status_ = WriteBuffer();
    if (!last_write_status_.ok()) return last_write_status_;
    unsynced_ = true;
  }
  // The server flushes before every loop sleep; with nothing new written there is nothing to sync.
  if (!unsynced_) return IoStatus::Ok();
  switch (policy_) {
    case FsyncPolicy::kAlways:
      if (int e = SyncNow(); e != 0) return IoStatus::Errno(e, "fsync " + path_);
      unsynced_ = false;
      break;
    case FsyncPolicy::kEverySec: {
      std::lock_guard<std::mutex> lk(mu_);
      dirty_ = true;
      unsynced_ = false;  // the fsync thread owns it now
      cv_.notify_one();
      break;
    }
    case FsyncPolicy::kNo:
      break;  // stays unsynced: a switch to always or everysec syncs it at the next Flush
  }
  return IoStatus::Ok();
}

int AofWriter::SyncNow() {
  fsync_in_progress_.store(true);
  int e = ops_->Fsync(fd_) == 0 ? 0 : errno;
  last_fsync_errno_.store(e);
  last_fsync_unix_ms_.store(NowUnixMs());
  fsync_count_.fetch_add(1);
  fsync_in_progress_.store(false);
  return e;
}

// Waits for written data, fsyncs it, then rests for kEverySecInterval (waking early only to stop)
// so that a busy log costs one fsync a second. Only reads fd_, which outlives the thread.
void AofWriter::FsyncLoop() {
  std::unique_lock<std::mutex> lk(mu_);
  while (true) {
    cv_.wait(lk, [this] { return stop_ || dirty_; });
    if (stop_) return;
    dirty_ = false;
    lk.unlock();
    SyncNow();
    lk.lock();
    cv_.wait_for(lk, kEverySecInterval, [this] { return stop_; });
  }
}

IoStatus AofWriter::Close() {
  IoStatus status = Flush();
  StopThread();
  if (fd_ < 0) return status;
  if (int e = SyncNow(); e != 0 && status.ok()) status = IoStatus::Errno(e, "fsync " + path_);
  if (close(fd_) != 0 && status.ok()) status = IoStatus::Errno(errno, "close " + path_);
  fd_ = -1;
  return status;
}

}  // namespace persistence
