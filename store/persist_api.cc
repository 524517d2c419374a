#include "store/persist_api.h"

#include <utility>

namespace store {

bool SnapshotView::ForEach(size_t i, const KeyFn& fn) const {
  const Db* db = dbs_[i];
  if (db == nullptr) return true;
  for (const Entry* e = db->First(); e != nullptr; e = e->next(0)) {
    if (!fn(e->key(), e->value(), e->expire_at())) return false;
  }
  return true;
}

bool SnapshotView::ForEachFrom(size_t i, std::string_view from, bool exclusive,
                               const KeyFn& fn) const {
  const Db* db = dbs_[i];
  if (db == nullptr) return true;
  for (const Entry* e = db->LowerBound(from, exclusive); e != nullptr; e = e->next(0)) {
    if (!fn(e->key(), e->value(), e->expire_at())) return false;
  }
  return true;
}

bool SnapshotView::Lookup(size_t i, std::string_view key, const KeyFn& fn) const {
  const Db* db = dbs_[i];
  const Entry* e = db == nullptr ? nullptr : db->Peek(key);
  if (e == nullptr) return false;
  fn(e->key(), e->value(), e->expire_at());
  return true;
}

Status DbSink::Put(int db, std::string_view key, Value value, int64_t expire_at) {
  if (db < 0 || static_cast<size_t>(db) >= dbs_.size() || dbs_[db] == nullptr) {
    return Status::kOutOfRange;
  }
  Db& d = *dbs_[db];
  if (drop_expired_ && expire_at != 0 && expire_at <= d.clock().now_ms) {
    ++skipped_expired_;
    return Status::kOk;
  }
  const Status st = d.LoadInsert(key, std::move(value), expire_at);
  if (st == Status::kOk) ++loaded_;
  return st;
}

void DbSink::Reserve(int db, size_t keys, size_t /*expires*/) {
  if (db >= 0 && static_cast<size_t>(db) < dbs_.size() && dbs_[db] != nullptr) {
    dbs_[db]->ReserveForLoad(keys);
  }
}

Status DbSink::Finish(std::string* duplicate) {
  Status st = Status::kOk;
  for (Db* d : dbs_) {
    if (d != nullptr && d->FinishLoad(duplicate) != Status::kOk) {
      st = Status::kExists;
      duplicate = nullptr;  // name the first one
    }
  }
  return st;
}

}  // namespace store
