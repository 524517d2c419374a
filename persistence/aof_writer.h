// AofWriter appends records to the current incr file of the AOF and fsyncs it per appendfsync.
//
// Write path (loop thread): commands are encoded into an in-memory buffer with Append, and the
// server calls Flush before replies to those commands leave (DESIGN.md "The path of one request",
// step 7), so a client never sees a reply to a write that is not at least in the kernel.
//
// Policies, as Redis's appendfsync:
//   kAlways   Flush writes and then fsyncs before returning; a reply may be released iff Flush
//             returned ok.
//   kEverySec Flush only writes; a background std::thread fsyncs soon after data was written and
//             then at most once a second, so the loop thread never waits for the disk. A crash
//             loses about the last second or two. fsync_in_progress() lets the server postpone
//             writes while the disk is slow, as Redis does for up to 2 s.
//   kNo       never fsync; the kernel writes back when it likes. Close() still fsyncs.
//
// Errors (ENOSPC, EIO, RLIMIT_FSIZE...): Flush keeps every unwritten byte and reports the error in
// its result and in last_write_status(); the next Flush retries. If a write got only part of the
// buffer out, the file is truncated back to its size before that Flush, so it never ends in a
// torn record of ours (if that ftruncate fails too, the written part is dropped from the buffer
// so the retry completes the torn record instead of duplicating it).
//
// Threads: everything but the fsync accessors belongs to one thread at a time: the loop thread,
// or a worker it hands the writer to (e.g. Close() in uv_queue_work when a rewrite rotates to a
// new incr file, so the loop does not wait for the final fsync). The writer owns its fd and its
// fsync thread; neither outlives it. persistence/ owns no libuv handle.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "persistence/durable_file.h"

namespace persistence {

enum class FsyncPolicy { kAlways, kEverySec, kNo };

// The system calls AofWriter makes on its fd, replaceable so tests can inject ENOSPC, short
// writes, or count fsyncs and see which thread made them. Same contracts as the POSIX calls:
// -1 with errno set on failure. Fsync is called from the fsync thread under kEverySec, so an
// override must be thread-safe.
class FileOps {
 public:
  virtual ~FileOps() = default;
  virtual ssize_t Write(int fd, const char* data, size_t n);
  virtual int Fsync(int fd);
  virtual int Ftruncate(int fd, off_t size);
};

class AofWriter {
 public:
  // Opens `path` for appending, creating it if needed. `ops` (default: the real syscalls) must
  // outlive the writer. Creating the file is made durable by the manifest write that names it
  // (same directory, and WriteAofManifest fsyncs the directory).
  static IoStatus Open(const std::string& path, FsyncPolicy policy, std::unique_ptr<AofWriter>* out,
                       FileOps* ops = nullptr);

  // Stops the fsync thread and closes the fd without flushing; call Close() to keep the buffer.
  ~AofWriter();
  // Use Open(); the key keeps the constructor private in effect while make_unique can call it.
  struct Key {
    explicit Key() = default;
  };
  AofWriter(Key, std::string path, int fd, uint64_t size, FsyncPolicy policy, FileOps* ops);
  AofWriter(const AofWriter&) = delete;
  AofWriter& operator=(const AofWriter&) = delete;

  // Buffers `records`. REQUIRES: it is one or more whole records (AppendRecord's output).
  void Append(std::string_view records);
  // Buffers the record of argv.
  void AppendCommand(const std::vector<std::string_view>& argv);
  void AppendCommand(std::span<const std::string_view> argv);

  // Writes the buffer, then fsyncs (kAlways) or wakes the fsync thread (kEverySec), in both cases
  // only if something was written that is not synced yet. Returns ok iff the whole buffer reached
  // the file (and, for kAlways, the disk).
  IoStatus Flush();

  // Flush, stop the fsync thread, fsync (every policy), close; returns the first error. The writer
  // is unusable afterwards; unwritten bytes are lost if the Flush failed.
  IoStatus Close();

  // For CONFIG SET appendfsync.
  void set_policy(FsyncPolicy p);
  FsyncPolicy policy() const { return policy_; }

  const std::string& path() const { return path_; }
  // Bytes buffered but not yet written.
  size_t pending_bytes() const { return buffer_.size(); }
  // Size of the file: what was there at Open plus what Flush wrote (for auto-rewrite).
  uint64_t file_size() const { return file_size_; }
  // The result of the last Flush's write (INFO aof_last_write_status).
  const IoStatus& last_write_status() const { return last_write_status_; }

  // Thread-safe: an fsync is running on the fsync thread right now.
  bool fsync_in_progress() const { return fsync_in_progress_.load(); }
  // Thread-safe: errno of the last fsync (0 if it succeeded or none ran yet), its wall-clock time
  // in ms (0 if none yet), and how many fsyncs have completed on either thread.
  int last_fsync_errno() const { return last_fsync_errno_.load(); }
  int64_t last_fsync_unix_ms() const { return last_fsync_unix_ms_.load(); }
  uint64_t fsync_count() const { return fsync_count_.load(); }

 private:
  IoStatus WriteBuffer();
  int SyncNow();  // fsyncs on the calling thread and records the outcome; returns 0 or errno
  void FsyncLoop();
  void StopThread();

  const std::string path_;
  int fd_;
  FileOps* const ops_;
  FsyncPolicy policy_;
  std::string buffer_;
  uint64_t file_size_;
  IoStatus last_write_status_;
  bool unsynced_ = false;  // written bytes no fsync (nor the fsync thread) has taken on yet

  std::mutex mu_;
  std::condition_variable cv_;
  bool dirty_ = false;  // guarded by mu_: written bytes the fsync thread has not synced yet
  bool stop_ = false;   // guarded by mu_
  std::atomic<bool> fsync_in_progress_{false};
  std::atomic<int> last_fsync_errno_{0};
  std::atomic<int64_t> last_fsync_unix_ms_{0};
  std::atomic<uint64_t> fsync_count_{0};
  std::thread thread_;  // last: started after every field above is initialised
};

}  // namespace persistence
