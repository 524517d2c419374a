// One logical database (SELECT n): the ordered keyspace, its hash index and expiry.
//
// Every key is in the skip list (order) and in the hash index (point lookups). Keys with a TTL are
// also in `expires_`, ordered by expiry time, so active expiry takes the soonest first instead of
// sampling. Lookups apply lazy expiry: a key past its time is deleted before anyone sees it.
//
// Mutations report to an optional KeyListener (the server uses it for WATCH and, later, keyspace
// notifications and blocked clients). Store operations call Touched() after in-place edits.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>
#include <utility>

#include "store/clock.h"
#include "store/entry.h"
#include "store/hash_index.h"
#include "store/skiplist.h"
#include "store/value.h"

namespace store {

enum class KeyEvent {
  kModified,  // created, overwritten or edited in place (including its TTL)
  kDeleted,   // removed by a command
  kExpired,   // removed because its time passed
};

class KeyListener {
 public:
  virtual ~KeyListener() = default;
  virtual void OnKeyEvent(int db, std::string_view key, KeyEvent event) = 0;
};

class Db {
 public:
  // REQUIRES: clock outlives the Db.
  Db(int index, const Clock* clock) : index_(index), clock_(clock) {}
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  int index() const { return index_; }
  void set_listener(KeyListener* l) { listener_ = l; }
  const Clock& clock() const { return *clock_; }

  // The live entry for key, or nullptr. Deletes it first if it has expired (lazy expiry).
  Entry* Find(std::string_view key);
  // The entry for key even if logically expired; deletes nothing.
  Entry* Peek(std::string_view key) const { return index_map_.Find(key); }
  bool IsExpired(const Entry* e) const {
    return e->expire_at_ != 0 && e->expire_at_ <= clock_->now_ms;
  }

  // Adds a key. REQUIRES: key absent (Find returned nullptr). Reports kModified.
  Entry* Insert(std::string_view key, Value v);
  // Sets key to v, creating it if needed. Clears the TTL unless keep_ttl. Reports kModified.
  Entry* Set(std::string_view key, Value v, bool keep_ttl = false);
  // Deletes the key if present. Returns whether it was. Reports kDeleted.
  bool Erase(std::string_view key);
  // Sets (at_ms > 0) or removes (at_ms == 0) the absolute expiry. Reports kModified.
  void SetExpire(Entry* e, int64_t at_ms);
  // Reports kModified for an edit made in place through Entry::value().
  void Touched(std::string_view key) { Notify(key, KeyEvent::kModified); }

  size_t size() const { return list_.size(); }
  size_t expires_size() const { return expires_.size(); }
  // Ordered iteration over all entries, expired ones included (callers check IsExpired).
  Entry* LowerBound(std::string_view key, bool exclusive = false) const {
    return list_.LowerBound(key, exclusive);
  }
  Entry* First() const { return list_.First(); }
  // A random live key, or nullptr if none. May delete expired keys it meets.
  Entry* RandomEntry(uint64_t (*rand64)());

  // Deletes up to max_keys keys whose time has passed, soonest first. Returns how many.
  size_t ActiveExpire(size_t max_keys);
  // Soonest expiry time, or 0 if no key has a TTL.
  int64_t NextExpiry() const { return expires_.empty() ? 0 : expires_.begin()->first; }

  // Deletes every key without reporting each one.
  void Clear();
  // Exchanges contents (keys, TTLs, counters) with other; index and listener stay.
  void SwapContents(Db& other);

  uint64_t expired_keys() const { return expired_keys_; }
  size_t IndexMemoryBytes() const { return index_map_.MemoryBytes(); }

 private:
  void Notify(std::string_view key, KeyEvent ev) {
    if (listener_ != nullptr) listener_->OnKeyEvent(index_, key, ev);
  }
  // Removes e from every structure and frees it. `key` must not point into e.
  void Remove(Entry* e);
  void ExpireNow(Entry* e);

  int index_;
  const Clock* clock_;
  KeyListener* listener_ = nullptr;
  SkipList list_;
  HashIndex index_map_;
  std::set<std::pair<int64_t, Entry*>> expires_;
  uint64_t expired_keys_ = 0;
};

}  // namespace store
