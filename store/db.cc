#include "store/db.h"

#include <algorithm>
#include <cassert>
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

Entry* Db::Insert(std::string_view key, Value v, bool expire_slot) {
  Entry* e = list_.Insert(key, std::move(v), expire_slot);
  index_map_.Insert(e);
  e->lru_ = static_cast<uint32_t>(clock_->now_ms / 1000);
  NotifyCreated(key);
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
  e->value() = std::move(v);
  if (!keep_ttl && e->has_expire()) {
    expires_.Remove(e);
    e->set_expire_at(0);
  }
  Notify(e->key(), KeyEvent::kModified);
  return e;
}

bool Db::Erase(std::string_view key) {
  Entry* e = Find(key);
  if (e == nullptr) return false;
  // Reported while the node (which holds the key) still exists, so no copy is needed.
  Notify(e->key(), KeyEvent::kDeleted);
  Remove(e);
  return true;
}

Entry* Db::SetExpire(Entry* e, int64_t at_ms) {
  if (e->has_expire()) expires_.Remove(e);
  if (at_ms != 0 && !e->has_expire_slot()) {
    // The key's first TTL: it moves into a node with room for one.
    Entry* old = e;
    e = list_.WithExpireSlot(old);
    index_map_.Replace(old, e);
  }
  if (e->has_expire_slot()) e->set_expire_at(at_ms);
  if (at_ms != 0) expires_.Push(e);
  Notify(e->key(), KeyEvent::kModified);
  return e;
}

void Db::Remove(Entry* e) {
  if (e->has_expire()) expires_.Remove(e);
  // The view points into e: the index does not free nodes, and the list reads the key only
  // before it frees the node.
  std::string_view key = e->key();
  index_map_.Erase(key);
  list_.Erase(key);
}

void Db::ExpireNow(Entry* e) {
  ++expired_keys_;
  Notify(e->key(), KeyEvent::kExpired);
  Remove(e);
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

Entry* Db::RandomEntry(uint64_t seed) {
  // splitmix64: a cheap, well-mixed sequence from one seed.
  uint64_t state = seed;
  for (int tries = 0; tries < 100 && index_map_.size() > 0; ++tries) {
    state += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    Entry* e = index_map_.Random(z ^ (z >> 31));
    if (!IsExpired(e)) return e;
    ExpireNow(e);
  }
  return index_map_.size() > 0 ? index_map_.Random(state) : nullptr;
}

Entry* Db::Link(std::string_view key, Value v, int64_t expire_at, uint32_t lru) {
  Entry* e = list_.Insert(key, std::move(v), /*expire_slot=*/expire_at != 0);
  index_map_.Insert(e);
  e->lru_ = lru;
  if (expire_at != 0) {
    e->set_expire_at(expire_at);
    expires_.Push(e);
  }
  return e;
}

Status Db::LoadInsert(std::string_view key, Value v, int64_t expire_at) {
  if (loading_.empty()) loading_into_empty_ = size() == 0;
  if (!loading_into_empty_ && Peek(key) != nullptr) return Status::kExists;
  if (!loading_.empty() && loading_sorted_) {
    const int c = loading_.back()->key().compare(key);
    if (c == 0) return Status::kExists;
    if (c > 0) loading_sorted_ = false;
  }
  Entry* e = list_.NewUnlinked(key, std::move(v), /*expire_slot=*/expire_at != 0);
  e->lru_ = static_cast<uint32_t>(clock_->now_ms / 1000);  // as Insert stamps a new key
  loading_.push_back(e);
  if (expire_at != 0) {
    e->set_expire_at(expire_at);
    expires_.Push(e);
  }
  return Status::kOk;
}

namespace {

// The first 16 bytes of a key as two big-endian words (zero-padded), so most comparisons of a
// sort never touch the nodes.
struct SortItem {
  uint64_t hi, lo;
  Entry* e;
  size_t pos;  // load order, so the first of two equal keys stays first
};

uint64_t BigEndianWord(std::string_view k, size_t at) {
  uint64_t w = 0;
  for (size_t i = 0; i < 8; ++i) {
    w = (w << 8) | (at + i < k.size() ? static_cast<unsigned char>(k[at + i]) : 0u);
  }
  return w;
}

}  // namespace

Status Db::FinishLoad(std::string* duplicate) {
  Status st = Status::kOk;
  if (!loading_.empty() && !loading_sorted_) {
    std::vector<SortItem> items;
    items.reserve(loading_.size());
    for (size_t i = 0; i < loading_.size(); ++i) {
      Entry* e = loading_[i];
      items.push_back({BigEndianWord(e->key(), 0), BigEndianWord(e->key(), 8), e, i});
    }
    std::sort(items.begin(), items.end(), [](const SortItem& a, const SortItem& b) {
      if (a.hi != b.hi) return a.hi < b.hi;
      if (a.lo != b.lo) return a.lo < b.lo;
      const int c = a.e->key().compare(b.e->key());  // equal first 16 bytes, or zero padding
      return c != 0 ? c < 0 : a.pos < b.pos;
    });
    // Sorted, duplicates are neighbours: keep the first of each.
    size_t n = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      Entry* e = items[i].e;
      if (n > 0 && loading_[n - 1]->key() == e->key()) {
        if (st == Status::kOk && duplicate != nullptr) duplicate->assign(e->key());
        st = Status::kExists;
        if (e->has_expire()) expires_.Remove(e);
        SkipList::FreeUnlinked(e);
        continue;
      }
      loading_[n++] = e;
    }
    loading_.resize(n);
  }
  index_map_.InsertMany(loading_);
  list_.LinkSorted(loading_);
  std::vector<Entry*>().swap(loading_);  // frees it (shrink_to_fit is a no-op here)
  loading_sorted_ = true;
  index_map_.Reserve(0);
  return st;
}

Status Db::Rename(std::string_view src, std::string_view dst, bool nx) {
  assert(src != dst);
  Entry* s = Find(src);
  if (s == nullptr) return Status::kNotFound;
  Entry* d = Find(dst);
  if (d != nullptr && nx) return Status::kExists;
  // Copies first: both views may point into nodes this function frees.
  std::string src_key(src), dst_key(dst);
  Value v = std::move(s->value());
  int64_t expire_at = s->expire_at();
  uint32_t lru = s->lru_;
  Remove(s);
  // The replaced destination gets no event of its own: its kModified below covers it.
  if (d != nullptr) Remove(d);
  Link(dst_key, std::move(v), expire_at, lru);
  NotifyCreated(dst_key);
  Notify(src_key, KeyEvent::kDeleted);
  Notify(dst_key, KeyEvent::kModified);
  return Status::kOk;
}

Status Db::MoveTo(std::string_view key, Db& to) {
  assert(&to != this);
  Entry* s = Find(key);
  if (s == nullptr) return Status::kNotFound;
  if (to.Find(key) != nullptr) return Status::kExists;
  std::string k(key);
  Value v = std::move(s->value());
  int64_t expire_at = s->expire_at();
  uint32_t lru = s->lru_;
  Remove(s);
  to.Link(k, std::move(v), expire_at, lru);
  to.NotifyCreated(k);
  Notify(k, KeyEvent::kDeleted);
  to.Notify(k, KeyEvent::kModified);
  return Status::kOk;
}

Status Db::CopyTo(std::string_view src, Db& to, std::string_view dst_key, bool replace) {
  assert(&to != this || src != dst_key);
  Entry* s = Find(src);
  if (s == nullptr) return Status::kNotFound;
  Entry* d = to.Find(dst_key);
  if (d != nullptr && !replace) return Status::kExists;
  Value v = s->value().Clone();
  int64_t expire_at = s->expire_at();
  std::string k(dst_key);
  if (d != nullptr) to.Remove(d);
  // A copy is a new object whose access time the caller stamps (the store has no LRU clock).
  to.Link(k, std::move(v), expire_at, 0);
  to.NotifyCreated(k);
  to.Notify(k, KeyEvent::kModified);
  return Status::kOk;
}

size_t Db::ActiveExpire(size_t max_keys) {
  size_t n = 0;
  while (n < max_keys && !expires_.empty()) {
    if (expires_.top_time() > clock_->now_ms) break;
    ExpireNow(expires_.top());
    ++n;
  }
  return n;
}

void Db::Clear() {
  expires_.Clear();
  index_map_.Clear();
  list_.Clear();
}

void Db::SwapContents(Db& other) {
  list_.Swap(other.list_);
  index_map_.Swap(other.index_map_);
  expires_.Swap(other.expires_);
  std::swap(expired_keys_, other.expired_keys_);
}

}  // namespace store
