// The narrow view of the keyspace that persistence uses, so snapshot code never sees skip-list
// nodes, the hash index or the expiry index.
//
//   Saving:  SnapshotView walks every db, key by key, as (key, value, expire_at) — const.
//   Loading: a SnapshotSink receives Put(db, key, value, expire_at) for every key of a file;
//            DbSink is the one that fills the server's Dbs.
// Not thread-safe: both run on the thread that owns the Dbs (a background save needs its own
// copy or a fork; that is the server's decision, not this file's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"
#include "store/status.h"
#include "store/value.h"

namespace store {

// A read-only walk over a set of Dbs for a snapshot. REQUIRES: the Dbs outlive the view and are
// not modified during a call. Between calls they may change: ForEachFrom resumes by key, never
// by node, which is what lets a snapshot walk the keyspace in slices (persistence/snapshot_walk.h).
class SnapshotView {
 public:
  // dbs[i] is logical database i; a null entry is an empty database.
  explicit SnapshotView(std::span<const Db* const> dbs) : dbs_(dbs.begin(), dbs.end()) {}

  size_t db_count() const { return dbs_.size(); }
  // Keys in db i, logically expired ones included (they are saved, as Redis saves them, and the
  // loader decides whether to drop them).
  size_t key_count(size_t i) const { return dbs_[i] == nullptr ? 0 : dbs_[i]->size(); }
  size_t expires_count(size_t i) const { return dbs_[i] == nullptr ? 0 : dbs_[i]->expires_size(); }

  using KeyFn = std::function<bool(std::string_view key, const Value& value, int64_t expire_at)>;
  // Calls fn for every key of db i in key order; expire_at is absolute Unix ms, 0 for none.
  // Stops as soon as fn returns false. Returns false iff fn stopped the walk.
  bool ForEach(size_t i, const KeyFn& fn) const;
  // As ForEach, starting at the first key >= from (> from if exclusive).
  bool ForEachFrom(size_t i, std::string_view from, bool exclusive, const KeyFn& fn) const;
  // Calls fn once with key's value and expiry iff key is in db i (logically expired or not).
  // Returns whether it was there.
  bool Lookup(size_t i, std::string_view key, const KeyFn& fn) const;

 private:
  std::vector<const Db*> dbs_;
};

// Receives the keys of a snapshot being loaded.
class SnapshotSink {
 public:
  virtual ~SnapshotSink() = default;
  // Size hints for db (from the file's RESIZEDB); may be ignored.
  virtual void Reserve(int /*db*/, size_t /*keys*/, size_t /*expires*/) {}
  // Adds key with value and absolute expiry (ms; 0 = none) to db. kOk, or kOutOfRange iff db is
  // not a database of this server, or kExists iff the key was already loaded.
  [[nodiscard]] virtual Status Put(int db, std::string_view key, Value value,
                                   int64_t expire_at) = 0;
  // After the last Put of a file (whether it loaded or not). kExists iff the file held a key
  // twice that Put did not report (then *duplicate names it).
  virtual Status Finish(std::string* /*duplicate*/) { return Status::kOk; }
};

// The sink that fills Dbs. If drop_expired, keys whose expiry is at or before the Dbs' clock are
// dropped (counted in skipped_expired()), as a Redis master drops them when it loads a file; a
// replica keeps them and lets its master expire them. REQUIRES: the Dbs outlive the sink; they
// should be empty when loading starts.
class DbSink : public SnapshotSink {
 public:
  explicit DbSink(std::span<Db* const> dbs, bool drop_expired = true)
      : dbs_(dbs.begin(), dbs.end()), drop_expired_(drop_expired) {}
  // Links what was loaded into the ordered keyspace (Db::FinishLoad); the destructor does it too.
  ~DbSink() override { (void)Finish(nullptr); }
  Status Finish(std::string* duplicate) override;
  void Reserve(int db, size_t keys, size_t expires) override;
  Status Put(int db, std::string_view key, Value value, int64_t expire_at) override;
  size_t loaded() const { return loaded_; }
  size_t skipped_expired() const { return skipped_expired_; }

 private:
  std::vector<Db*> dbs_;
  bool drop_expired_;
  size_t loaded_ = 0;
  size_t skipped_expired_ = 0;
};

}  // namespace store
