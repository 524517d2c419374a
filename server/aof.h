// The append-only file as the server uses it: at startup it replays an existing AOF through the
// normal command path, then it is a propagation sink (server/propagation.h) whose records are
// written before the replies to those writes leave (Server::BeforeReplies), and fsynced per
// appendfsync by persistence::AofWriter.
//
// Layout: Redis 7's multi-part AOF in <dir>/<appenddirname> (persistence/aof_manifest.h). A fresh
// AOF starts with an empty AOF-format base (seq 1) and incr file 1, so Redis 7 loads our
// directory as it loads its own. After a restart the newest incr file is appended to.
//
// Write errors: under appendfsync always a failed write or fsync ends the process (a reply for
// that write must never be sent, and Redis exits too); under everysec and no the error is kept,
// write commands are refused with -MISCONF, and the cron retries until a write succeeds.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "persistence/aof_manifest.h"
#include "persistence/aof_writer.h"
#include "server/propagation.h"

namespace server {

class Server;

// BGREWRITEAOF while appendonly is off. Redis 7 still writes a base (the dataset as of now, with
// an RDB preamble) and a manifest that names only it, dropping older files, so a later
// `appendonly yes` restart finds the data. False with *error if one is already running.
bool StartRewriteWithoutAof(Server& s, std::string* error);

class Aof : public PropagationSink {
 public:
  explicit Aof(Server* server) : server_(server) {}
  ~Aof() override;

  // Loads the AOF found in the configured directory (if any) into the server's dbs, then opens
  // the incr file for appending, creating the directory and manifest when there were none.
  // False (with *error set) if the AOF is damaged beyond aof-load-truncated or unwritable.
  bool Start(std::string* error);
  // CONFIG SET appendonly yes on a running server: the dataset in memory is what counts, so any
  // AOF files left in the directory are dropped, a fresh AOF is opened, and a rewrite writes the
  // current dataset as its base.
  bool StartFromMemory(std::string* error);

  // BGREWRITEAOF: new writes go to a new incr file from now on; the dataset as of now is
  // serialized (an RDB base, as aof-use-rdb-preamble yes) and written off the loop; when that is
  // durable the manifest switches to the new base and the older files are deleted. A crash at any
  // point leaves a manifest that names only complete files.
  bool StartRewrite(std::string* error);
  bool rewrite_in_progress() const { return rewrite_in_progress_; }
  // auto-aof-rewrite-percentage / -min-size: whether the incr file has grown enough.
  bool RewriteDue() const;
  // Writes and fsyncs what remains and closes the file (clean shutdown).
  void Stop();

  void Feed(std::span<const PropagatedCommand> group) override;
  // Writes the records fed so far (fsync under always). See the file comment for errors.
  void Flush();
  // CONFIG SET appendfsync.
  void SetPolicy(const std::string& appendfsync);

  bool write_ok() const { return write_ok_; }
  const std::string& last_write_error() const { return last_write_error_; }
  // INFO aof_current_size: the base plus the incr file being appended to.
  uint64_t current_size() const { return base_size_ + (writer_ ? writer_->file_size() : 0); }
  uint64_t base_size() const { return base_size_; }
  uint64_t buffer_length() const { return writer_ ? writer_->pending_bytes() : 0; }
  // aof_delayed_fsync: times a write went ahead after waiting kMaxPostponeMs for an fsync.
  uint64_t delayed_fsyncs() const { return delayed_fsyncs_; }
  static constexpr int64_t kMaxPostponeMs = 2000;

  uint64_t loaded_records() const { return loaded_records_; }
  uint64_t rewrites() const { return rewrites_; }
  bool last_rewrite_ok() const { return last_rewrite_ok_; }
  uint64_t rewrite_failures() const { return rewrite_failures_; }
  int64_t last_rewrite_ms() const { return last_rewrite_ms_; }
  // aof_last_cow_size: old values the last rewrite kept by copy-before-write.
  uint64_t last_cow_bytes() const { return last_cow_bytes_; }
  int64_t rewrite_started_ms() const { return rewrite_started_ms_; }

 private:
  bool Load(std::string* error);
  bool OpenForAppend(std::string* error);
  void FinishRewrite(const std::string& base_name, uint64_t base_bytes, const std::string& failure);
  std::string Dir() const;

  Server* server_;
  std::unique_ptr<persistence::AofWriter> writer_;
  persistence::AofManifest manifest_;
  int selected_db_ = -1;  // the db the file's last SELECT chose
  bool write_ok_ = true;
  std::string last_write_error_;
  uint64_t base_size_ = 0;
  uint64_t loaded_records_ = 0;
  bool rewrite_in_progress_ = false;
  bool last_rewrite_ok_ = true;
  uint64_t rewrites_ = 0;
  uint64_t rewrite_failures_ = 0;  // consecutive
  int64_t rewrite_started_ms_ = 0;
  int64_t last_rewrite_ms_ = -1;
  uint64_t last_cow_bytes_ = 0;
  std::vector<std::string_view> argv_;  // Feed's scratch
  int64_t postponed_since_ms_ = 0;      // a Flush found an fsync running at this time (0: none)
  uint64_t delayed_fsyncs_ = 0;
  uint64_t rewrite_base_size_ = 0;  // current_size() after the last rewrite (or at start): growth
                                    // past it by auto-aof-rewrite-percentage triggers a rewrite
};

// The appendfsync name as the writer's policy ("always", "everysec", "no").
persistence::FsyncPolicy FsyncPolicyFromName(const std::string& name);

}  // namespace server
