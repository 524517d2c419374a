#include "store/db.h"

#include <string>

namespace store {

Entry* Db::Find(std::string_view key) {
  Entry* e = index_map_.Find(key);
  if (e != nullptr && IsExpired(e)) {
    ExpireNow(e);
    return nullptr;
  }
  return e;
}

Entry* Db::Insert(std::string_view key, Value v) {
  Entry* e = list_.Insert(key, std::move(v));
  index_map_.Insert(e);
  Notify(key, KeyEvent::kModified);
  return e;
}

Entry* Db::Set(std::string_view key, Value v, bool keep_ttl) {
  Entry* e = index_map_.Find(key);
  if (e == nullptr) return Insert(key, std::move(v));
  if (IsExpired(e)) {
    ExpireNow(e);
    return Insert(key, std::move(v));
  }
  e->value_ = std::move(v);
  if (!keep_ttl && e->expire_at_ != 0) {
    expires_.erase({e->expire_at_, e});
    e->expire_at_ = 0;
  }
  Notify(e->key(), KeyEvent::kModified);
  return e;
}

bool Db::Erase(std::string_view key) {
  Entry* e = Find(key);
  if (e == nullptr) return false;
  // Report before freeing: the listener may read the key, which lives in the node.
  std::string copy(key);
  Remove(e);
  Notify(copy, KeyEvent::kDeleted);
  return true;
}

void Db::SetExpire(Entry* e, int64_t at_ms) {
  if (e->expire_at_ != 0) expires_.erase({e->expire_at_, e});
  e->expire_at_ = at_ms;
  if (at_ms != 0) expires_.insert({at_ms, e});
  Notify(e->key(), KeyEvent::kModified);
}

void Db::Remove(Entry* e) {
  if (e->expire_at_ != 0) expires_.erase({e->expire_at_, e});
  // The view points into e: the index does not free nodes, and the list reads the key only
  // before it frees the node.
  std::string_view key = e->key();
  index_map_.Erase(key);
  list_.Erase(key);
}

void Db::ExpireNow(Entry* e) {
  std::string key(e->key());
  Remove(e);
  ++expired_keys_;
  Notify(key, KeyEvent::kExpired);
}

Entry* Db::RandomEntry(uint64_t (*rand64)()) {
  // Like Redis, give up on skipping expired keys after a bounded number of tries.
  for (int tries = 0; tries < 100 && index_map_.size() > 0; ++tries) {
    Entry* e = index_map_.Random(rand64());
    if (!IsExpired(e)) return e;
    ExpireNow(e);
  }
  return index_map_.size() > 0 ? index_map_.Random(rand64()) : nullptr;
}

size_t Db::ActiveExpire(size_t max_keys) {
  size_t n = 0;
  while (n < max_keys && !expires_.empty()) {
    auto it = expires_.begin();
    if (it->first > clock_->now_ms) break;
    ExpireNow(it->second);
    ++n;
  }
  return n;
}

void Db::Clear() {
  expires_.clear();
  index_map_.Clear();
  list_.Clear();
}

void Db::SwapContents(Db& other) {
  list_.Swap(other.list_);
  index_map_.Swap(other.index_map_);
  expires_.swap(other.expires_);
  std::swap(expired_keys_, other.expired_keys_);
}

}  // namespace store
