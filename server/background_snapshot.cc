#include "server/background_snapshot.h"

#include <unistd.h>

#include <utility>

#include "server/server.h"
#include "store/persist_api.h"

namespace server {
namespace {

// Redis names a background save's temp file after the child's pid; two of ours may overlap (a
// BGSAVE and an AOF rewrite, or a SAVE while a BGSAVE writes), so a sequence number is added.
std::string TempName() {
  static uint64_t seq = 0;
  return "temp-bg-" + std::to_string(getpid()) + "-" + std::to_string(++seq) + ".rdb";
}

store::SnapshotView ViewOf(Server& s) {
  std::vector<const store::Db*> dbs;
  for (int i = 0; i < s.db_count(); ++i) dbs.push_back(&s.db(i));
  return store::SnapshotView(dbs);
}

}  // namespace

BackgroundSnapshot::BackgroundSnapshot(Server& s, std::string path,
                                       persistence::RdbWriteOptions opts, Done done)
    : server_(s),
      path_(std::move(path)),
      writer_(&sink_, opts),
      walk_(std::make_unique<persistence::SnapshotWalk>(ViewOf(s), &writer_, opts.encode)),
      done_(std::move(done)) {}

std::shared_ptr<BackgroundSnapshot> BackgroundSnapshot::Start(Server& s, const std::string& path,
                                                              persistence::RdbWriteOptions opts,
                                                              Done done) {
  auto job = std::make_shared<BackgroundSnapshot>(s, path, std::move(opts), std::move(done));
  if (!s.incremental_snapshots) job->FinishWalk();
  return job;
}

void BackgroundSnapshot::FinishWalk() {
  if (!walking()) return;
  walk_->Finish();
  Pump();
}

void BackgroundSnapshot::Step(size_t max_keys) {
  if (!wants_step()) return;
  walk_->Step(max_keys, kSliceBytes);
  Pump();
}

void BackgroundSnapshot::Cancel() {
  if (finished_) return;
  failed_ = true;
  finished_ = true;
  queued_.clear();
  done_ = nullptr;
}

void BackgroundSnapshot::Pump() {
  if (io_in_flight_ || failed_ || committed_) return;
  auto self = shared_from_this();
  auto status = std::make_shared<persistence::IoStatus>();
  if (queued_.size() >= kChunkBytes || (walk_->done() && !queued_.empty())) {
    auto chunk = std::make_shared<std::string>();
    chunk->swap(queued_);
    bytes_ += chunk->size();
    io_in_flight_ = true;
    server_.RunInBackground(
        [self, chunk, status] {
          // Created by the first write, off the loop; a failure shows as the job's error.
          if (self->file_ == nullptr) {
            self->file_ = std::make_unique<persistence::DurableFile>(self->path_, TempName());
          }
          *status = self->file_->Append(*chunk);
        },
        [self, status] {
          self->io_in_flight_ = false;
          if (!status->ok()) return self->Fail(status->message);
          self->Pump();
        });
    return;
  }
  if (!walk_->done()) return;
  committed_ = true;
  io_in_flight_ = true;
  server_.RunInBackground([self, status] { *status = self->file_->Commit(); },
                          [self, status] {
                            self->io_in_flight_ = false;
                            if (!status->ok()) return self->Fail(status->message);
                            self->finished_ = true;
                            Done done = std::move(self->done_);
                            if (done) done({"", self->bytes_, self->cow_bytes()});
                          });
}

void BackgroundSnapshot::Fail(const std::string& error) {
  if (finished_) return;
  failed_ = true;
  finished_ = true;
  queued_.clear();
  file_.reset();  // closes and unlinks the temp file: a failed save leaves nothing behind
  Done done = std::move(done_);
  if (done) done({error, bytes_, cow_bytes()});
}

}  // namespace server
