#include "persistence/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace persistence {

IoStatus IoStatus::Errno(int e, std::string_view what) {
  IoStatus s;
  s.err = e;
  s.message = std::string(what) + ": " + std::strerror(e);
  return s;
}

IoStatus IoStatus::Format(std::string message) {
  IoStatus s;
  s.message = std::move(message);
  return s;
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string p(dir);
  if (p.back() != '/') p.push_back('/');
  p.append(name);
  return p;
}

std::string DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

namespace {
std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}
}  // namespace

IoStatus FsyncDirectory(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoStatus::Errno(errno, "open directory " + dir);
  IoStatus s;
  if (fsync(fd) != 0) s = IoStatus::Errno(errno, "fsync directory " + dir);
  close(fd);
  return s;
}

IoStatus WriteFileDurably(const std::string& path, std::string_view bytes) {
  DurableFile f(path);
  if (!f.status().ok()) return f.status();
  if (IoStatus s = f.Append(bytes); !s.ok()) return s;
  return f.Commit();
}

namespace {
// Writes all of `bytes` to fd, retrying short writes and EINTR. Returns 0 or the errno; the number
// of bytes written before an error goes to *written.
int WriteAll(int fd, std::string_view bytes, size_t* written) {
  *written = 0;
  while (*written < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + *written, bytes.size() - *written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    // write() returning 0 for a non-empty regular-file write means no space is left.
    if (n == 0) return ENOSPC;
    *written += static_cast<size_t>(n);
  }
  return 0;
}
}  // namespace

DurableFile::DurableFile(std::string path, std::string_view temp_name)
    : path_(std::move(path)),
      temp_path_(JoinPath(DirName(path_),
                          temp_name.empty() ? "temp-" + BaseName(path_) : std::string(temp_name))) {
  fd_ = open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) status_ = IoStatus::Errno(errno, "create " + temp_path_);
}

DurableFile::~DurableFile() {
  if (fd_ >= 0) {
    close(fd_);
    unlink(temp_path_.c_str());
  }
}

IoStatus DurableFile::Append(std::string_view bytes) {
  if (!status_.ok()) return status_;
  size_t written;
  if (int e = WriteAll(fd_, bytes, &written); e != 0) {
    status_ = IoStatus::Errno(e, "write " + temp_path_);
  }
  return status_;
}

IoStatus DurableFile::Commit() {
  if (!status_.ok()) return status_;
  if (fsync(fd_) != 0) return status_ = IoStatus::Errno(errno, "fsync " + temp_path_);
  int fd = std::exchange(fd_, -1);
  if (close(fd) != 0) {
    status_ = IoStatus::Errno(errno, "close " + temp_path_);
    unlink(temp_path_.c_str());
    return status_;
  }
  if (rename(temp_path_.c_str(), path_.c_str()) != 0) {
    status_ = IoStatus::Errno(errno, "rename " + temp_path_ + " to " + path_);
    unlink(temp_path_.c_str());
    return status_;
  }
  return status_ = FsyncDirectory(DirName(path_));
}

}  // namespace persistence
