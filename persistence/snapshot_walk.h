// A point-in-time RDB snapshot made in slices, without fork() and without copying the dataset.
//
// The walk visits the dbs in order and each db in key order, a bounded slice per Step(), while
// the owner keeps running commands between slices. What it writes is the keyspace as it was when
// the walk was constructed (time T0), because the owner calls BeforeWrite(db, key) before every
// change to a key:
//   - a key the walk has already passed: nothing to do, its T0 value is written;
//   - a key ahead of the walk that existed at T0: its value is serialized now, before the change
//     (copy-before-write), and the walk skips it when it gets there;
//   - a key ahead of the walk that did not exist at T0: the walk skips it when it gets there.
// Either way the key goes into a per-db "handled" set; its size is the number of distinct keys
// written ahead of the walk, which is the whole extra memory besides the encoded pre-images.
//
// Pre-images of a db the walk has not begun are kept encoded until it begins that db, so every
// db's keys stay under one SELECTDB as Redis writes them. RESIZEDB carries T0's counts.
//
// Not covered by BeforeWrite, and so the owner's business: a change that does not name its keys
// (FLUSHDB, FLUSHALL, SWAPDB, MOVE/COPY into another db, a range delete) must call Finish()
// first, which writes the rest of the walk at once. Keys removed because their time passed need
// no call: they were already expired at the moment the snapshot could be loaded.
// Not thread-safe: the thread that owns the dbs runs it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "persistence/rdb_writer.h"
#include "store/persist_api.h"

namespace persistence {

class SnapshotWalk {
 public:
  // Takes T0's key counts and writes the header. REQUIRES: view's dbs and writer outlive the walk.
  SnapshotWalk(const store::SnapshotView& view, RdbWriter* writer, EncodeOptions encode);
  SnapshotWalk(const SnapshotWalk&) = delete;
  SnapshotWalk& operator=(const SnapshotWalk&) = delete;

  // Writes up to max_keys more keys (at least one if any remain), stopping early once the writer
  // has taken max_bytes more. When nothing remains, writes EOF and the checksum. Returns done().
  bool Step(size_t max_keys, size_t max_bytes);
  // Writes everything that remains. Returns the writer's ok().
  bool Finish();
  // REQUIRES: called before db/key is changed (created, edited, deleted, TTL changed) while the
  // walk is not done.
  void BeforeWrite(size_t db, std::string_view key);

  bool done() const { return done_; }
  // Keys written so far, pre-images included.
  size_t keys_written() const { return keys_written_; }
  // Keys in the keyspace at T0 (expired ones included), the most keys_written() reaches.
  size_t keys_total() const { return keys_total_; }
  // Keys written ahead of the walk (pre-images) and their encoded bytes: what copy-before-write
  // cost, reported where Redis reports fork's copy-on-write (rdb_last_cow_size).
  size_t preimages() const { return preimages_; }
  uint64_t preimage_bytes() const { return preimage_bytes_; }

 private:
  // True iff the walk has passed key in db (it has been visited or written, or never will be).
  bool Passed(size_t db, std::string_view key) const;
  void BeginCurrentDb();

  store::SnapshotView view_;
  RdbWriter* writer_;
  EncodeOptions encode_;
  std::vector<size_t> keys_at_start_;
  std::vector<size_t> expires_at_start_;
  std::vector<std::unordered_set<std::string>> handled_;  // per db: keys the walk must skip
  std::vector<std::string> pending_records_;  // per db not yet begun: encoded pre-images
  size_t db_ = 0;                             // the db being walked
  bool db_begun_ = false;                     // SELECTDB of db_ written
  bool has_last_ = false;  // last_key_ is meaningful (some key of db_ was visited)
  std::string last_key_;   // the last key of db_ the walk visited
  bool done_ = false;
  size_t keys_written_ = 0;
  size_t keys_total_ = 0;
  size_t preimages_ = 0;
  uint64_t preimage_bytes_ = 0;
};

}  // namespace persistence
