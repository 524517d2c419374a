#include "persistence/aof_loader.h"

#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "persistence/aof_record.h"

namespace persistence {

namespace {

constexpr size_t kReadChunk = 1 << 20;
constexpr std::string_view kRdbMagic = "REDIS";

bool Exists(const std::string& path, bool* is_dir = nullptr) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  if (is_dir) *is_dir = S_ISDIR(st.st_mode);
  return true;
}

bool IsCommand(const std::vector<std::string_view>& argv, const char* name) {
  return argv[0].size() == std::strlen(name) &&
         strncasecmp(argv[0].data(), name, argv[0].size()) == 0;
}

std::string At(const std::string& path, uint64_t offset) {
  return path + " at byte " + std::to_string(offset);
}

// Reads one file of the log. Owns the fd for the duration of Load().
class FileLoader {
 public:
  FileLoader(const std::string& path, bool is_last, const AofLoadOptions& options,
             const RdbLoadFn& rdb, const ApplyFn& apply, AofLoadResult* result)
      : path_(path),
        is_last_(is_last),
        options_(options),
        rdb_(rdb),
        apply_(apply),
        result_(result) {}
  ~FileLoader() {
    if (fd_ >= 0) close(fd_);
  }
  FileLoader(const FileLoader&) = delete;
  FileLoader& operator=(const FileLoader&) = delete;

  IoStatus Load();

 private:
  // Reads more bytes into buf_. Returns 0 or errno; sets eof_ at end of file.
  int ReadMore();
  IoStatus ApplyRecord(const std::vector<std::string_view>& argv, uint64_t offset);
  IoStatus CutShort(uint64_t valid_end);

  const std::string& path_;
  const bool is_last_;
  const AofLoadOptions& options_;
  const RdbLoadFn& rdb_;
  const ApplyFn& apply_;
  AofLoadResult* result_;
  int fd_ = -1;
  uint64_t size_ = 0;
  std::string buf_;
  uint64_t buf_offset_ = 0;  // file offset of buf_[0]
  bool eof_ = false;
  // An open MULTI: its file offset and copies of the records read since, MULTI included.
  bool in_multi_ = false;
  uint64_t multi_offset_ = 0;
  std::vector<std::vector<std::string>> multi_;
};

int FileLoader::ReadMore() {
  size_t old = buf_.size();
  buf_.resize(old + kReadChunk);
  while (true) {
    ssize_t n = read(fd_, buf_.data() + old, kReadChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      buf_.resize(old);
      return errno;
    }
    buf_.resize(old + static_cast<size_t>(n));
    if (n == 0) eof_ = true;
    return 0;
  }
}

IoStatus FileLoader::ApplyRecord(const std::vector<std::string_view>& argv, uint64_t offset) {
  auto apply = [&](const std::vector<std::string_view>& a) -> IoStatus {
    IoStatus s = apply_(a);
    if (!s.ok()) {
      s.message = "applying the record of " + At(path_, offset) + ": " + s.message;
      return s;
    }
    result_->records++;
    return s;
  };
  if (!in_multi_ && IsCommand(argv, "multi")) {
    in_multi_ = true;
    multi_offset_ = offset;
  }
  if (!in_multi_) return apply(argv);
  multi_.emplace_back(argv.begin(), argv.end());
  if (!IsCommand(argv, "exec")) return IoStatus::Ok();
  std::vector<std::string_view> views;
  for (const std::vector<std::string>& rec : multi_) {
    views.assign(rec.begin(), rec.end());
    if (IoStatus s = apply(views); !s.ok()) return s;
  }
  multi_.clear();
  in_multi_ = false;
  return IoStatus::Ok();
}

// The file ends inside a record (or transaction) that starts at valid_end.
IoStatus FileLoader::CutShort(uint64_t valid_end) {
  std::string where = At(path_, valid_end) + " (file size " + std::to_string(size_) + ")";
  std::string what =
      in_multi_ ? "MULTI without EXEC at the end of " : "truncated record at the end of ";
  if (!is_last_) {
    return IoStatus::Format(what + where + ", and it is not the last file of the AOF");
  }
  if (!options_.load_truncated) {
    return IoStatus::Format(what + where +
                            "; set aof-load-truncated yes to load it anyway, or repair it with "
                            "redis-check-aof --fix");
  }
  if (truncate(path_.c_str(), static_cast<off_t>(valid_end)) != 0) {
    return IoStatus::Errno(errno, "truncating " + where);
  }
  result_->warnings.push_back(what + where +
                              ": cut off and loaded anyway because aof-load-truncated is enabled");
  size_ = valid_end;
  return IoStatus::Ok();
}

IoStatus FileLoader::Load() {
  fd_ = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return IoStatus::Errno(errno, "open " + path_);
  struct stat st;
  if (fstat(fd_, &st) != 0) return IoStatus::Errno(errno, "stat " + path_);
  size_ = static_cast<uint64_t>(st.st_size);
  result_->files++;

  // Fill enough to see the RDB magic.
  while (!eof_ && buf_.size() < kRdbMagic.size()) {
    if (int e = ReadMore(); e != 0) return IoStatus::Errno(e, "read " + path_);
  }
  if (std::string_view(buf_).starts_with(kRdbMagic)) {
    if (!rdb_) return IoStatus::Format(path_ + " starts with an RDB but no RDB loader was given");
    RdbLoadResult r = rdb_(path_);
    if (!r.status.ok()) {
      r.status.message = "loading the RDB part of " + path_ + ": " + r.status.message;
      return r.status;
    }
    if (r.bytes < kRdbMagic.size() || r.bytes > size_) {
      return IoStatus::Format("the RDB loader says the RDB in " + path_ + " takes " +
                              std::to_string(r.bytes) + " bytes, but the file has " +
                              std::to_string(size_));
    }
    if (lseek(fd_, static_cast<off_t>(r.bytes), SEEK_SET) < 0) {
      return IoStatus::Errno(errno, "seek " + path_);
    }
    buf_.clear();
    buf_offset_ = r.bytes;
    eof_ = false;
  }

  std::vector<std::string_view> argv;
  std::string error;
  size_t pos = 0;  // into buf_
  while (true) {
    while (pos < buf_.size()) {
      std::string_view rest = std::string_view(buf_).substr(pos);
      uint64_t offset = buf_offset_ + pos;
      if (rest[0] == '#') {
        size_t len = detail::AnnotationLength(rest);
        if (len == 0) break;
        pos += len;
        continue;
      }
      long n = detail::ParseOneRecord(rest, &argv, &error);
      if (n == 0) break;
      if (n < 0) {
        return IoStatus::Format("bad record in " + At(path_, offset) + ": " + error +
                                "; repair it with redis-check-aof --fix");
      }
      pos += static_cast<size_t>(n);
      if (IoStatus s = ApplyRecord(argv, offset); !s.ok()) return s;
    }
    if (eof_) break;
    // Keep only the unparsed tail, then read more.
    buf_.erase(0, pos);
    buf_offset_ += pos;
    pos = 0;
    if (int e = ReadMore(); e != 0) return IoStatus::Errno(e, "read " + path_);
  }
  if (pos < buf_.size() || in_multi_) {
    if (IoStatus s = CutShort(in_multi_ ? multi_offset_ : buf_offset_ + pos); !s.ok()) return s;
  }
  result_->bytes += size_;
  return IoStatus::Ok();
}

// Redis 7 reads the legacy file iff it exists and the AOF directory offers nothing in its place:
// no directory, no manifest (or an empty one), or the manifest an interrupted upgrade wrote (one
// base named like the legacy file, which is not yet inside the directory).
bool UseLegacy(const AofLoadOptions& o, const std::string& aof_dir, bool manifest_found,
               const AofManifest& m) {
  bool is_dir = false;
  if (!Exists(JoinPath(o.dir, o.appendfilename), &is_dir) || is_dir) return false;
  if (!Exists(aof_dir)) return true;
  if (!manifest_found || (!m.base && m.incrs.empty())) return true;
  return m.base && m.incrs.empty() && m.base->name == o.appendfilename &&
         !Exists(JoinPath(aof_dir, o.appendfilename));
}

}  // namespace

IoStatus LoadAof(const AofLoadOptions& options, const RdbLoadFn& rdb, const ApplyFn& apply,
                 AofLoadResult* result) {
  *result = AofLoadResult{};
  std::string aof_dir = JoinPath(options.dir, options.appenddirname);
  bool manifest_found = false;
  AofManifest manifest;
  IoStatus s = ReadAofManifest(aof_dir, options.appendfilename, &manifest, &manifest_found);
  if (!s.ok()) return s;

  std::vector<std::string> paths;
  if (UseLegacy(options, aof_dir, manifest_found, manifest)) {
    result->legacy = true;
    paths.push_back(JoinPath(options.dir, options.appendfilename));
  } else {
    if (manifest.base) paths.push_back(JoinPath(aof_dir, manifest.base->name));
    for (const AofFileInfo& f : manifest.incrs) paths.push_back(JoinPath(aof_dir, f.name));
    result->manifest = std::move(manifest);
  }
  if (paths.empty()) return IoStatus::Ok();
  result->found = true;
  // Like Redis, refuse to load part of the data: every listed file must exist before we start.
  for (const std::string& p : paths) {
    if (!Exists(p)) return IoStatus::Format(p + ": listed in the AOF manifest but missing");
  }
  for (size_t i = 0; i < paths.size(); i++) {
    FileLoader loader(paths[i], i + 1 == paths.size(), options, rdb, apply, result);
    if (s = loader.Load(); !s.ok()) return s;
  }
  return IoStatus::Ok();
}

IoStatus UpgradeLegacyAof(const AofLoadOptions& options, AofManifest* out) {
  std::string aof_dir = JoinPath(options.dir, options.appenddirname);
  if (mkdir(aof_dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return IoStatus::Errno(errno, "create directory " + aof_dir);
  }
  AofManifest m;
  m.base = AofFileInfo{options.appendfilename, 1, AofFileType::kBase};
  if (IoStatus s = WriteAofManifest(aof_dir, options.appendfilename, m); !s.ok()) return s;
  std::string from = JoinPath(options.dir, options.appendfilename);
  std::string to = JoinPath(aof_dir, options.appendfilename);
  if (rename(from.c_str(), to.c_str()) != 0) {
    return IoStatus::Errno(errno, "rename " + from + " to " + to);
  }
  // Both directories changed: the file left one and entered the other.
  if (IoStatus s = FsyncDirectory(aof_dir); !s.ok()) return s;
  if (IoStatus s = FsyncDirectory(options.dir); !s.ok()) return s;
  *out = std::move(m);
  return IoStatus::Ok();
}

}  // namespace persistence
