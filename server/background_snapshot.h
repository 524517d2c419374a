// An RDB file written in the background without fork(), for BGSAVE, save points and AOF
// rewrites.
//
// A persistence::SnapshotWalk serializes the keyspace in slices on the loop thread; the server
// steps it between batches of commands and calls BeforeWrite() before every write, which keeps
// the file point in time (copy-before-write, see persistence/snapshot_walk.h). The bytes go to a
// temp file in chunks on the thread pool, one write in flight at a time so they land in order;
// when the walk is done the file is fsynced and renamed over its final name, and `done` runs on
// the loop. Serializing pauses while too many bytes wait for the disk, so a slow disk bounds the
// memory a snapshot takes instead of growing it.
//
// Memory: the chunks waiting for the disk (at most kMaxQueuedBytes), plus the encoded old value
// of each key written ahead of the walk, plus the names of keys created ahead of it. No copy of
// the dataset, and nothing like fork's copy-on-write of every page a write touches.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/durable_file.h"
#include "persistence/rdb_writer.h"
#include "persistence/snapshot_walk.h"

namespace server {

class Server;

class BackgroundSnapshot : public std::enable_shared_from_this<BackgroundSnapshot> {
 public:
  struct Outcome {
    std::string error;       // empty iff the file was written and renamed
    uint64_t bytes = 0;      // its size
    uint64_t cow_bytes = 0;  // encoded old values kept for writes ahead of the walk
  };
  using Done = std::function<void(const Outcome&)>;

  // A slice stops after about this many bytes (or its key budget).
  static constexpr size_t kSliceBytes = 1 << 20;
  // Bytes handed to the disk per write, and the most that may wait before the walk pauses.
  static constexpr size_t kChunkBytes = 1 << 20;
  static constexpr size_t kMaxQueuedBytes = 32 << 20;

  // Starts the walk at this instant; the file (a temp file renamed to `path` at the end) is
  // created by the first background write, so errors, even that one, arrive through `done`.
  // Without incremental stepping (Server::incremental_snapshots false, as in unit tests) the
  // whole walk runs now.
  static std::shared_ptr<BackgroundSnapshot> Start(Server& s, const std::string& path,
                                                   persistence::RdbWriteOptions opts, Done done);

  // REQUIRES: called before db/key changes (Server::Call does it for every write command).
  void BeforeWrite(int db, std::string_view key) {
    walk_->BeforeWrite(static_cast<size_t>(db), key);
  }
  // Serializes all that remains now: before a change that names no keys (FLUSHALL, SWAPDB ...).
  void FinishWalk();
  // One slice of the walk (up to max_keys keys), then hands full chunks to the disk.
  void Step(size_t max_keys);
  // Stops without calling `done` (shutdown); the temp file goes when the last reference does.
  void Cancel();

  // The walk has keys left (BeforeWrite matters).
  bool walking() const { return !walk_->done() && !failed_; }
  // Step() would make progress now: keys left and the disk keeping up.
  bool wants_step() const { return walking() && queued_.size() < kMaxQueuedBytes; }
  // `done` has run.
  bool finished() const { return finished_; }
  uint64_t cow_bytes() const { return walk_->preimage_bytes(); }
  size_t keys_written() const { return walk_->keys_written(); }
  size_t keys_total() const { return walk_->keys_total(); }

  // Use Start(). Public for make_shared.
  BackgroundSnapshot(Server& s, std::string path, persistence::RdbWriteOptions opts, Done done);

 private:
  // Keeps the disk busy: the next chunk, or the commit once the walk is done.
  void Pump();
  void Fail(const std::string& error);

  Server& server_;
  const std::string path_;
  // Touched only by the one background job in flight.
  std::unique_ptr<persistence::DurableFile> file_;
  std::string queued_;  // serialized, not yet handed to the disk
  class QueueSink : public persistence::RdbSink {
   public:
    explicit QueueSink(std::string* out) : out_(out) {}
    bool Write(std::string_view bytes) override {
      out_->append(bytes);
      return true;
    }

   private:
    std::string* out_;
  };
  QueueSink sink_{&queued_};
  persistence::RdbWriter writer_;
  std::unique_ptr<persistence::SnapshotWalk> walk_;
  Done done_;
  bool io_in_flight_ = false;
  bool committed_ = false;
  bool failed_ = false;
  bool finished_ = false;
  uint64_t bytes_ = 0;
};

}  // namespace server
