// One logical database (SELECT n): the ordered keyspace, its hash index and expiry.
//
// Every key is in the skip list (order) and in the hash index (point lookups). Keys with a TTL are
// also in `expires_`, a heap by expiry time, so active expiry takes the soonest first instead of
// sampling. Lookups apply lazy expiry: a key past its time is deleted before anyone sees it.
//
// Mutations report to an optional KeyListener (the server uses it for WATCH and, later, keyspace
// notifications and blocked clients). Store operations call Touched() after in-place edits.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "store/clock.h"
#include "store/entry.h"
#include "store/expiry_heap.h"
#include "store/hash_index.h"
#include "store/scan.h"
#include "store/skiplist.h"
#include "store/status.h"
#include "store/value.h"

namespace store {

enum class KeyEvent {
  kModified,  // created, overwritten or edited in place (including its TTL)
  kDeleted,   // removed by a command (reported just before the removal)
  kExpired,   // removed because its time passed (reported just before the removal)
};

class KeyListener {
 public:
  virtual ~KeyListener() = default;
  virtual void OnKeyEvent(int db, std::string_view key, KeyEvent event) = 0;
  // A key was added where none was (a kModified for it follows). Keyspace notifications' `new`
  // event needs to tell creation apart; listeners that do not care need not override it.
  virtual void OnKeyCreated(int db, std::string_view key) {
    (void)db;
    (void)key;
  }
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
  // A hint before a pipelined batch touches these keys (see HashIndex::Prefetch).
  void Prefetch(const std::string_view* keys, size_t n) const { index_map_.Prefetch(keys, n); }
  bool IsExpired(const Entry* e) const {
    const int64_t at = e->expire_at();
    return at != 0 && at <= clock_->now_ms;
  }

  // Adds a key (with room for a TTL if expire_slot, when one is about to be set). REQUIRES: key
  // absent (Find returned nullptr). Reports kModified.
  Entry* Insert(std::string_view key, Value v, bool expire_slot = false);
  // Sets key to v, creating it if needed. Clears the TTL unless keep_ttl. Reports kModified.
  Entry* Set(std::string_view key, Value v, bool keep_ttl = false);
  // Deletes the key if present. Returns whether it was. Reports kDeleted.
  bool Erase(std::string_view key);
  // Sets (at_ms > 0) or removes (at_ms == 0) the absolute expiry. Reports kModified. Returns
  // the key's entry, which is a new one (e is freed) when a key gets its first TTL: use it, not
  // e, afterwards.
  [[nodiscard]] Entry* SetExpire(Entry* e, int64_t at_ms);
  // Reports kModified for an edit made in place through Entry::value().
  void Touched(std::string_view key) { Notify(key, KeyEvent::kModified); }

  size_t size() const { return list_.size(); }
  size_t expires_size() const { return expires_.size(); }
  // Ordered iteration over all entries, expired ones included (callers check IsExpired).
  Entry* LowerBound(std::string_view key, bool exclusive = false) const {
    return list_.LowerBound(key, exclusive);
  }
  Entry* First() const { return list_.First(); }
  // The first entry at or after e (e included) that is not logically expired, or nullptr.
  // Deletes nothing, so it is safe while iterating.
  Entry* SkipExpired(Entry* e) const {
    while (e != nullptr && IsExpired(e)) e = e->next(0);
    return e;
  }
  // A random live key, or nullptr if none. May delete expired keys it meets.
  Entry* RandomEntry(uint64_t (*rand64)());
  // As RandomEntry, drawing its random numbers from a sequence seeded by `seed` (so callers
  // with a member RNG can pass one draw).
  Entry* RandomEntry(uint64_t seed);

  // Keyspace operations that move whole keys. Each reports every key it changes: the source as
  // kDeleted and the destination as kModified. They apply lazy expiry to the keys they touch.
  //
  // Renames src to dst, keeping the value, TTL and access time; an existing dst is replaced
  // unless nx. kNotFound iff src is absent; kExists iff nx and dst exists. REQUIRES: src != dst.
  Status Rename(std::string_view src, std::string_view dst, bool nx);
  // Moves key, with its TTL and access time, to `to`. kNotFound iff absent here; kExists iff
  // present in `to`. REQUIRES: &to != this.
  Status MoveTo(std::string_view key, Db& to);
  // Copies src (a clone of the value, and its TTL) to dst_key in `to` (which may be this db).
  // kNotFound iff src is absent; kExists iff dst exists and !replace. The copy's access time
  // is 0: the caller stamps it, as the store has no LRU clock.
  // REQUIRES: &to != this or src != dst_key.
  Status CopyTo(std::string_view src, Db& to, std::string_view dst_key, bool replace);

  // Resume positions of this db's SCAN cursors (store/scan.h).
  ScanCursorTable& scan_cursors() { return scan_cursors_; }

  // For eviction: an entry picked from the hash index by r (any key, expired or not; nullptr iff
  // the db is empty), and the entry whose expiry is soonest (nullptr iff no key has a TTL).
  // Neither deletes anything.
  Entry* Sample(uint64_t r) const { return index_map_.Sample(r); }
  Entry* SoonestExpiring() const { return expires_.empty() ? nullptr : expires_.top(); }

  // Deletes up to max_keys keys whose time has passed, soonest first. Returns how many.
  size_t ActiveExpire(size_t max_keys);
  // Soonest expiry time, or 0 if no key has a TTL.
  int64_t NextExpiry() const { return expires_.empty() ? 0 : expires_.top_time(); }

  // Bulk loading (a snapshot file). LoadInsert only allocates the node and notes its expiry;
  // FinishLoad sorts the keys (unless they came in order, as our own files have them), inserts
  // them into the hash index in one prefetching pass and appends them to the skip list. A skip
  // list insert in random order costs a cache miss per level, and a hash insert one miss that
  // nothing overlaps; files Redis writes are in hash order. Reports no events.
  // Duplicates (a corrupt file): LoadInsert returns kExists for a key already in the db or equal
  // to the one before; others are found by FinishLoad, which drops them and returns kExists with
  // one such key in *duplicate.
  // REQUIRES between the first LoadInsert and FinishLoad: no other use of the db.
  void ReserveForLoad(size_t keys) { index_map_.Reserve(keys); }
  Status LoadInsert(std::string_view key, Value v, int64_t expire_at);
  Status FinishLoad(std::string* duplicate = nullptr);

  // Deletes every key without reporting each one.
  void Clear();
  // Exchanges contents (keys, TTLs, counters) with other; index and listener stay.
  void SwapContents(Db& other);

  uint64_t expired_keys() const { return expired_keys_; }
  // Advances an in-progress resize of the hash index by up to `slots` slots.
  void RehashStep(size_t slots) { index_map_.Rehash(slots); }
  size_t IndexMemoryBytes() const { return index_map_.MemoryBytes(); }

 private:
  void Notify(std::string_view key, KeyEvent ev) {
    if (listener_ != nullptr) listener_->OnKeyEvent(index_, key, ev);
  }
  void NotifyCreated(std::string_view key) {
    if (listener_ != nullptr) listener_->OnKeyCreated(index_, key);
  }
  // Removes e from every structure and frees it. `key` must not point into e.
  void Remove(Entry* e);
  void ExpireNow(Entry* e);
  // Adds a key with its TTL and access time, without reporting. REQUIRES: key absent.
  Entry* Link(std::string_view key, Value v, int64_t expire_at, uint32_t lru);

  int index_;
  const Clock* clock_;
  KeyListener* listener_ = nullptr;
  SkipList list_;
  HashIndex index_map_;
  ExpiryHeap expires_;
  std::vector<Entry*> loading_;     // LoadInsert's nodes, in neither list_ nor index_map_ yet
  bool loading_sorted_ = true;      // loading_ is in strictly increasing key order
  bool loading_into_empty_ = true;  // the db was empty when loading_ started
  uint64_t expired_keys_ = 0;
  // Not swapped by SwapContents nor emptied by Clear: a cursor names a position in key order,
  // which stays meaningful whatever the keys are.
  ScanCursorTable scan_cursors_;
};

}  // namespace store
