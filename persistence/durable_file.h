// Durable file helpers shared by the AOF and snapshot writers.
//
// The recipe for replacing a file so that a crash leaves either the old or the new contents, never
// a mix: write the new bytes under a temporary name in the same directory, fsync the file, rename
// it over the final name (atomic on POSIX), then fsync the directory so the rename itself survives
// a power loss. DurableFile does exactly that; the temp file is removed if Commit() never runs.
//
// Thread: none of these touch shared state; call them from whichever thread does the disk work
// (the server runs them off the loop thread, e.g. in uv_queue_work).
#pragma once

#include <string>
#include <string_view>

namespace persistence {

// The outcome of a file operation. ok() iff err == 0 and message is empty. `err` is the errno
// when a system call failed (0 for a format problem); `message` names the file and what failed.
struct [[nodiscard]] IoStatus {
  int err = 0;
  std::string message;

  bool ok() const { return err == 0 && message.empty(); }
  static IoStatus Ok() { return {}; }
  // "<what>: <strerror(e)>", e.g. Errno(ENOSPC, "write appendonly.aof.1.incr.aof").
  static IoStatus Errno(int e, std::string_view what);
  // A problem with the contents of a file, not with the system call that read it.
  static IoStatus Format(std::string message);
};

// Joins a directory and a file name ("dir/name"; just "name" if dir is empty).
std::string JoinPath(std::string_view dir, std::string_view name);

// The directory part of path ("." if it has none).
std::string DirName(std::string_view path);

// fsyncs the directory at `dir`, which makes creations, renames and unlinks inside it durable.
IoStatus FsyncDirectory(const std::string& dir);

// Writes `bytes` to a temporary file and renames it over `path`, durably (see the file comment).
IoStatus WriteFileDurably(const std::string& path, std::string_view bytes);

// A file written under a temporary name ("<dir>/temp-<name>", as Redis names its temp files) and
// published at `path` by Commit(). Use it for files too large to build in memory (snapshots).
// Not copyable; destroying it before Commit() closes and unlinks the temp file.
class DurableFile {
 public:
  // Creates (truncating) the temp file for `path`: "temp-<name>", or temp_name if given (a base
  // name in the same directory, for writers that may overlap). Check status() before writing.
  explicit DurableFile(std::string path, std::string_view temp_name = {});
  ~DurableFile();
  DurableFile(const DurableFile&) = delete;
  DurableFile& operator=(const DurableFile&) = delete;

  // The error from the constructor or the last failed Append, if any.
  const IoStatus& status() const { return status_; }
  const std::string& temp_path() const { return temp_path_; }

  // Writes all of `bytes` (retrying short writes and EINTR). After an error, does nothing.
  IoStatus Append(std::string_view bytes);

  // fsync, close, rename to the final path, fsync the directory. REQUIRES: called at most once.
  IoStatus Commit();

 private:
  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  IoStatus status_;
};

}  // namespace persistence
