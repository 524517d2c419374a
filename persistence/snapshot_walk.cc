#include "persistence/snapshot_walk.h"

#include <cstdint>
#include <utility>

namespace persistence {

SnapshotWalk::SnapshotWalk(const store::SnapshotView& view, RdbWriter* writer, EncodeOptions encode)
    : view_(view),
      writer_(writer),
      encode_(encode),
      handled_(view.db_count()),
      pending_records_(view.db_count()) {
  for (size_t i = 0; i < view_.db_count(); ++i) {
    keys_at_start_.push_back(view_.key_count(i));
    expires_at_start_.push_back(view_.expires_count(i));
    keys_total_ += keys_at_start_.back();
  }
  writer_->Begin();
}

bool SnapshotWalk::Passed(size_t db, std::string_view key) const {
  return db < db_ || (db == db_ && has_last_ && key <= last_key_);
}

void SnapshotWalk::BeginCurrentDb() {
  writer_->BeginDb(static_cast<int>(db_), keys_at_start_[db_], expires_at_start_[db_]);
  std::string records = std::move(pending_records_[db_]);
  writer_->WriteEncodedKeys(records);
  db_begun_ = true;
}

bool SnapshotWalk::Step(size_t max_keys, size_t max_bytes) {
  if (done_) return true;
  const uint64_t start_bytes = writer_->bytes_written();
  size_t visited = 0;
  while (db_ < view_.db_count() && writer_->ok()) {
    // A db that was empty at T0 holds nothing of the snapshot, whatever is written to it since.
    if (keys_at_start_[db_] == 0) {
      ++db_;
      continue;
    }
    if (!db_begun_) BeginCurrentDb();
    bool out_of_budget = false;
    std::unordered_set<std::string>& handled = handled_[db_];
    const bool db_done = view_.ForEachFrom(
        db_, last_key_, has_last_,
        [&](std::string_view key, const store::Value& v, int64_t expire_at) {
          if (visited > 0 &&
              (visited >= max_keys || writer_->bytes_written() - start_bytes >= max_bytes)) {
            out_of_budget = true;
            return false;
          }
          has_last_ = true;
          last_key_.assign(key);
          if (!handled.empty()) {
            auto it = handled.find(last_key_);
            if (it != handled.end()) {  // written as a pre-image, or created after T0
              handled.erase(it);
              return true;
            }
          }
          writer_->WriteKey(key, v, expire_at);
          ++keys_written_;
          ++visited;
          return writer_->ok();
        });
    if (out_of_budget) return false;
    if (!db_done) break;  // the writer failed
    handled.clear();
    ++db_;
    db_begun_ = false;
    has_last_ = false;
    last_key_.clear();
  }
  if (writer_->ok()) (void)writer_->Finish();
  done_ = true;
  handled_.clear();
  pending_records_.clear();
  return true;
}

bool SnapshotWalk::Finish() {
  while (!Step(SIZE_MAX, SIZE_MAX)) {
  }
  return writer_->ok();
}

void SnapshotWalk::BeforeWrite(size_t db, std::string_view key) {
  if (done_ || db >= keys_at_start_.size() || keys_at_start_[db] == 0 || Passed(db, key)) return;
  if (!handled_[db].emplace(key).second) return;  // already preserved, or new since T0
  view_.Lookup(db, key, [&](std::string_view k, const store::Value& v, int64_t expire_at) {
    if (db == db_ && db_begun_) {
      const uint64_t before = writer_->bytes_written();
      writer_->WriteKey(k, v, expire_at);
      preimage_bytes_ += writer_->bytes_written() - before;
    } else {
      const size_t before = pending_records_[db].size();
      RdbWriter::EncodeKey(k, v, expire_at, encode_, &pending_records_[db]);
      preimage_bytes_ += pending_records_[db].size() - before;
    }
    ++keys_written_;
    ++preimages_;
    return true;
  });
}

}  // namespace persistence
