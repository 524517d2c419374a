#include "server/aof.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "persistence/aof_loader.h"
#include "persistence/aof_record.h"
#include "persistence/durable_file.h"
#include "server/background_snapshot.h"
#include "server/log.h"
#include "server/server.h"
#include "server/session.h"
#include "server/snapshot.h"

namespace server {

persistence::FsyncPolicy FsyncPolicyFromName(const std::string& name) {
  if (name == "always") return persistence::FsyncPolicy::kAlways;
  if (name == "no") return persistence::FsyncPolicy::kNo;
  return persistence::FsyncPolicy::kEverySec;
}

Aof::~Aof() { Stop(); }

bool Aof::Start(std::string* error) {
  server_->UpdateClock();
  if (!Load(error)) return false;
  return OpenForAppend(error);
}

bool Aof::Load(std::string* error) {
  const Config& c = server_->config();
  persistence::AofLoadOptions options;
  options.dir = c.dir;
  options.appenddirname = c.appenddirname;
  options.appendfilename = c.appendfilename;
  options.load_truncated = c.aof_load_truncated;
  // Replay runs each record as an internal client would: no auth, no blocking, replies dropped.
  Session loader(0, server_->clock().now_ms);
  loader.is_internal = true;
  auto apply = [&](const std::vector<std::string_view>& argv) -> persistence::IoStatus {
    if (server_->registry().Resolve(argv) == nullptr) {
      return persistence::IoStatus::Format("Unknown command '" + std::string(argv[0]) +
                                           "' reading the append only file");
    }
    server_->Execute(loader, argv);
    loader.out.clear();
    return persistence::IoStatus::Ok();
  };
  // A base written with aof-use-rdb-preamble (Redis's default) starts with an RDB.
  auto rdb = [&](const std::string& path) -> persistence::RdbLoadResult {
    persistence::RdbLoadResult r;
    persistence::RdbStatus st = LoadRdbInto(*server_, path, &r.bytes);
    if (!st.ok()) r.status = persistence::IoStatus::Format(st.ToString());
    return r;
  };
  persistence::AofLoadResult result;
  persistence::IoStatus st = persistence::LoadAof(options, rdb, apply, &result);
  if (loader.in_multi) server_->DiscardTransaction(loader);
  for (const std::string& w : result.warnings) LogWarning(w);
  if (!st.ok()) {
    *error = "Bad file format reading the append only file: " + st.message;
    return false;
  }
  if (result.legacy) {
    st = persistence::UpgradeLegacyAof(options, &result.manifest);
    if (!st.ok()) {
      *error = st.message;
      return false;
    }
    LogNotice("Successfully migrated an old-style AOF into the AOF directory");
  }
  manifest_ = result.manifest;
  loaded_records_ = result.records;
  if (result.found) {
    LogNotice("DB loaded from append only file: " + std::to_string(result.records) +
              " records in " + std::to_string(result.files) + " files");
  }
  return true;
}

std::string Aof::Dir() const {
  return persistence::JoinPath(server_->config().dir, server_->config().appenddirname);
}

bool Aof::StartFromMemory(std::string* error) {
  const Config& c = server_->config();
  bool found = false;
  persistence::IoStatus st =
      persistence::ReadAofManifest(Dir(), c.appendfilename, &manifest_, &found);
  if (st.ok() && found) {
    // Forget the old files durably: the manifest first, then the files.
    if (manifest_.base) manifest_.history.push_back(*manifest_.base);
    manifest_.history.insert(manifest_.history.end(), manifest_.incrs.begin(),
                             manifest_.incrs.end());
    manifest_.base.reset();
    manifest_.incrs.clear();
    st = persistence::DropAofHistory(Dir(), c.appendfilename, &manifest_);
  }
  if (!st.ok()) {
    *error = st.message;
    return false;
  }
  manifest_ = {};
  return OpenForAppend(error) && StartRewrite(error);
}

bool Aof::RewriteDue() const {
  const Config& c = server_->config();
  if (writer_ == nullptr || rewrite_in_progress_ || c.auto_aof_rewrite_percentage <= 0) {
    return false;
  }
  const uint64_t size = current_size();
  if (size <= static_cast<uint64_t>(c.auto_aof_rewrite_min_size)) return false;
  const uint64_t base = rewrite_base_size_ > 0 ? rewrite_base_size_ : 1;
  return (size * 100 / base) >= 100 + static_cast<uint64_t>(c.auto_aof_rewrite_percentage);
}

bool Aof::StartRewrite(std::string* error) {
  if (rewrite_in_progress_) {
    *error = "Background append only file rewriting already in progress";
    return false;
  }
  if (writer_ == nullptr) {
    *error = "Background append only file rewriting needs appendonly yes";
    return false;
  }
  const Config& c = server_->config();
  // 1. From now on writes go to a new incr file, which the new base will not contain.
  server_->EmitPropagated();
  Flush();
  persistence::AofManifest next = manifest_;
  const persistence::AofFileInfo incr = persistence::AddNextIncr(&next, c.appendfilename);
  std::unique_ptr<persistence::AofWriter> w;
  persistence::IoStatus st = persistence::AofWriter::Open(
      persistence::JoinPath(Dir(), incr.name), writer_->policy(), &w, server_->aof_file_ops);
  if (st.ok()) st = persistence::WriteAofManifest(Dir(), c.appendfilename, next);
  if (!st.ok()) {
    *error = st.message;
    return false;
  }
  st = writer_->Close();  // the old incr file is complete and durable
  if (!st.ok()) LogWarning("Error closing the previous AOF incr file: " + st.message);
  writer_ = std::move(w);
  manifest_ = std::move(next);
  selected_db_ = -1;
  // 2. The dataset as of now (point in time), walked in slices on the loop, written off it.
  persistence::RdbWriteOptions opts = WriteOptionsFrom(*server_);
  opts.aof_base = true;
  const std::string name =
      persistence::AofBaseName(c.appendfilename, manifest_.base_seq() + 1, /*rdb=*/true);
  rewrite_in_progress_ = true;
  rewrite_started_ms_ = NowMs();
  LogNotice("Background append only file rewriting started");
  auto job =
      BackgroundSnapshot::Start(*server_, persistence::JoinPath(Dir(), name), std::move(opts),
                                [this, name](const BackgroundSnapshot::Outcome& out) {
                                  last_cow_bytes_ = out.cow_bytes;
                                  FinishRewrite(name, out.bytes, out.error);
                                });
  server_->AddSnapshotJob(std::move(job));
  return true;
}

void Aof::FinishRewrite(const std::string& base_name, uint64_t base_bytes,
                        const std::string& failure) {
  rewrite_in_progress_ = false;
  last_rewrite_ms_ = NowMs() - rewrite_started_ms_;
  if (writer_ == nullptr) return;  // the AOF was turned off meanwhile: nothing to install
  std::string error = failure;
  const Config& c = server_->config();
  if (error.empty()) {
    persistence::AofManifest next = manifest_;
    const persistence::AofFileInfo base =
        persistence::FinishRewrite(&next, c.appendfilename, /*rdb=*/true);
    persistence::IoStatus st =
        base.name == base_name ? persistence::WriteAofManifest(Dir(), c.appendfilename, next)
                               : persistence::IoStatus::Format("unexpected base name " + base.name);
    if (st.ok()) {
      manifest_ = std::move(next);
      st = persistence::DropAofHistory(Dir(), c.appendfilename, &manifest_);
      if (!st.ok()) LogWarning("Error deleting old AOF files: " + st.message);
    } else {
      error = st.message;
    }
  }
  last_rewrite_ok_ = error.empty();
  if (!error.empty()) {
    ++rewrite_failures_;
    LogWarning("Background AOF rewrite failed: " + error);
    return;
  }
  rewrite_failures_ = 0;
  ++rewrites_;
  base_size_ = base_bytes;
  rewrite_base_size_ = current_size();
  LogNotice("Background AOF rewrite finished successfully");
}

bool Aof::OpenForAppend(std::string* error) {
  const Config& c = server_->config();
  const std::string dir = Dir();
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    *error = "Can't create the AOF directory " + dir + ": " + std::strerror(errno);
    return false;
  }
  persistence::IoStatus st;
  bool changed = false;
  if (!manifest_.base && manifest_.incrs.empty()) {
    // A fresh AOF: an empty AOF-format base, so the directory is complete for Redis 7 too.
    manifest_.base = {persistence::AofBaseName(c.appendfilename, 1, /*rdb=*/false), 1,
                      persistence::AofFileType::kBase};
    st = persistence::WriteFileDurably(persistence::JoinPath(dir, manifest_.base->name), "");
    if (!st.ok()) {
      *error = st.message;
      return false;
    }
    changed = true;
  }
  if (manifest_.incrs.empty()) {
    persistence::AddNextIncr(&manifest_, c.appendfilename);
    changed = true;
  }
  const std::string path = persistence::JoinPath(dir, manifest_.incrs.back().name);
  st = persistence::AofWriter::Open(path, FsyncPolicyFromName(c.appendfsync), &writer_,
                                    server_->aof_file_ops);
  if (!st.ok()) {
    *error = st.message;
    return false;
  }
  // The manifest is written after the incr file exists, so it never names a missing file.
  if (changed) st = persistence::WriteAofManifest(dir, c.appendfilename, manifest_);
  if (!st.ok()) {
    *error = st.message;
    return false;
  }
  if (manifest_.base) {
    struct stat sb;
    if (stat(persistence::JoinPath(dir, manifest_.base->name).c_str(), &sb) == 0) {
      base_size_ = static_cast<uint64_t>(sb.st_size);
    }
  }
  selected_db_ = -1;  // the next record names its db
  rewrite_base_size_ = current_size();
  return true;
}

void Aof::Stop() {
  if (writer_ == nullptr) return;
  persistence::IoStatus st = writer_->Close();
  if (!st.ok()) LogWarning("Error closing the append only file: " + st.message);
  writer_.reset();
}

void Aof::Feed(std::span<const PropagatedCommand> group) {
  if (writer_ == nullptr || group.empty()) return;
  // Records go straight into the writer's buffer; argv_ keeps its capacity between calls, so a
  // write costs no allocation here.
  auto append = [&](int db, std::span<const std::string_view> argv) {
    if (db != selected_db_) {
      const std::string n = std::to_string(db);
      const std::string_view select[] = {"SELECT", n};
      writer_->AppendCommand(select);
      selected_db_ = db;
    }
    writer_->AppendCommand(argv);
  };
  static constexpr std::string_view kMulti[] = {"MULTI"};
  static constexpr std::string_view kExec[] = {"EXEC"};
  if (group.size() > 1) append(group.front().db, kMulti);
  for (const PropagatedCommand& c : group) {
    argv_.assign(c.argv.begin(), c.argv.end());
    append(c.db, argv_);
  }
  if (group.size() > 1) append(group.back().db, kExec);
}

void Aof::Flush() {
  if (writer_ == nullptr || (writer_->pending_bytes() == 0 && write_ok_)) return;
  // everysec: a write(2) to a file being fsynced can block on some filesystems, so while the
  // fsync thread is busy the records wait in the buffer (replies still leave), for up to 2 s,
  // as Redis does; the prepare hook and the cron retry.
  if (writer_->policy() == persistence::FsyncPolicy::kEverySec && writer_->fsync_in_progress()) {
    const int64_t now = NowMs();
    if (postponed_since_ms_ == 0) postponed_since_ms_ = now;
    if (now - postponed_since_ms_ < kMaxPostponeMs) return;
    ++delayed_fsyncs_;
    LogNotice(
        "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer "
        "without waiting for fsync to complete, this may slow down Fickle.");
  }
  postponed_since_ms_ = 0;
  persistence::IoStatus st = writer_->Flush();
  if (st.ok()) {
    if (!write_ok_) LogWarning("AOF write error looks solved. Fickle can write again.");
    write_ok_ = true;
    last_write_error_.clear();
    return;
  }
  if (writer_->policy() == persistence::FsyncPolicy::kAlways) {
    // The replies to these writes must not leave, and they cannot be made durable: stop here.
    LogWarning("Can't recover from AOF write error when the AOF fsync policy is 'always'. " +
               st.message + ". Exiting...");
    std::_Exit(1);
  }
  if (write_ok_) LogWarning("Error writing to the AOF file: " + st.message);
  write_ok_ = false;
  last_write_error_ = st.err != 0 ? std::strerror(st.err) : st.message;
}

void Aof::SetPolicy(const std::string& appendfsync) {
  if (writer_ != nullptr) writer_->set_policy(FsyncPolicyFromName(appendfsync));
}

bool StartRewriteWithoutAof(Server& s, std::string* error) {
  bool& running = s.snapshots().aof_rewrite_without_aof;
  if (running) {
    *error = "Background append only file rewriting already in progress";
    return false;
  }
  const Config& c = s.config();
  const std::string dir = persistence::JoinPath(c.dir, c.appenddirname);
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    *error = "Can't create the AOF directory " + dir + ": " + std::strerror(errno);
    return false;
  }
  persistence::AofManifest old;
  bool found = false;
  persistence::IoStatus st = persistence::ReadAofManifest(dir, c.appendfilename, &old, &found);
  if (!st.ok()) {
    *error = st.message;
    return false;
  }
  const int64_t seq = old.base_seq() + 1;
  const std::string name = persistence::AofBaseName(c.appendfilename, seq, /*rdb=*/true);
  persistence::RdbWriteOptions opts = WriteOptionsFrom(s);
  opts.aof_base = true;
  running = true;
  LogNotice("Background append only file rewriting started");
  auto job = BackgroundSnapshot::Start(
      s, persistence::JoinPath(dir, name), std::move(opts),
      [&s, dir, name, seq, old](const BackgroundSnapshot::Outcome& out) {
        s.snapshots().aof_rewrite_without_aof = false;
        const std::string fname = s.config().appendfilename;
        if (!out.error.empty()) {
          LogWarning("Background AOF rewrite failed: " + out.error);
          return;
        }
        if (s.aof() != nullptr) {
          // The AOF was turned on meanwhile and made its own base and manifest: keep those.
          unlink(persistence::JoinPath(dir, name).c_str());
          return;
        }
        persistence::AofManifest next;
        next.history = old.history;
        auto retire = [&](persistence::AofFileInfo f) {
          if (f.name == name) return;  // the same name as the new base: it was replaced
          f.type = persistence::AofFileType::kHistory;
          next.history.push_back(std::move(f));
        };
        if (old.base) retire(*old.base);
        for (const persistence::AofFileInfo& f : old.incrs) retire(f);
        next.base = persistence::AofFileInfo{name, seq, persistence::AofFileType::kBase};
        persistence::IoStatus w = persistence::WriteAofManifest(dir, fname, next);
        if (w.ok()) w = persistence::DropAofHistory(dir, fname, &next);
        if (!w.ok()) {
          LogWarning("Background AOF rewrite failed: " + w.message);
          return;
        }
        LogNotice("Background AOF rewrite finished successfully");
      });
  s.AddSnapshotJob(std::move(job));
  return true;
}

}  // namespace server
