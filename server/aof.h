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

class Aof : public PropagationSink {
 public:
  explicit Aof(Server* server) : server_(server) {}
  ~Aof() override;

  // Loads the AOF found in the configured directory (if any) into the server's dbs, then opens
  // the incr file for appending, creating the directory and manifest when there were none.
  // False (with *error set) if the AOF is damaged beyond aof-load-truncated or unwritable.
  bool Start(std::string* error);
  // Writes and fsyncs what remains and closes the file (clean shutdown).
  void Stop();

  void Feed(std::span<const PropagatedCommand> group) override;
  // Writes the records fed so far (fsync under always). See the file comment for errors.
  void Flush();
  // CONFIG SET appendfsync.
  void SetPolicy(const std::string& appendfsync);

  bool write_ok() const { return write_ok_; }
  const std::string& last_write_error() const { return last_write_error_; }
  uint64_t current_size() const { return writer_ ? writer_->file_size() : 0; }
  uint64_t base_size() const { return base_size_; }
  uint64_t buffer_length() const { return writer_ ? writer_->pending_bytes() : 0; }
  uint64_t loaded_records() const { return loaded_records_; }

 private:
  bool Load(std::string* error);
  bool OpenForAppend(std::string* error);

  Server* server_;
  std::unique_ptr<persistence::AofWriter> writer_;
  persistence::AofManifest manifest_;
  int selected_db_ = -1;  // the db the file's last SELECT chose
  bool write_ok_ = true;
  std::string last_write_error_;
  uint64_t base_size_ = 0;
  uint64_t loaded_records_ = 0;
};

// The appendfsync name as the writer's policy ("always", "everysec", "no").
persistence::FsyncPolicy FsyncPolicyFromName(const std::string& name);

}  // namespace server
