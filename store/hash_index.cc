#include "store/hash_index.h"

#include <cstring>
#include <random>
#include <utility>
#include <vector>

namespace store {
namespace {

constexpr size_t kMinCapacity = 16;
// Old-table slots moved per Insert/Erase while resizing. At 3/4 load the old table is fully moved
// long before the new one (at 3/8 load when the resize started) can fill up.
constexpr size_t kMigrateStep = 16;

// Slots hold node pointers with, on 64-bit targets, the top 16 bits of the key's hash in the
// pointer's unused top bits (user-space addresses fit in 48 bits). A probe compares that tag before
// dereferencing a node, so walking past other keys' slots costs no cache miss on their nodes.
constexpr int kTagShift = 48;
constexpr bool kTagged = sizeof(uintptr_t) == 8;
constexpr uintptr_t kPtrMask = kTagged ? (uintptr_t{1} << kTagShift) - 1 : ~uintptr_t{0};

inline uintptr_t Tag(uint64_t hash) {
  return kTagged ? static_cast<uintptr_t>(hash >> kTagShift) << kTagShift : 0;
}
inline uintptr_t Pack(Entry* e, uint64_t hash) {
  return reinterpret_cast<uintptr_t>(e) | Tag(hash);
}
inline Entry* Unpack(uintptr_t slot) { return reinterpret_cast<Entry*>(slot & kPtrMask); }
// Whether a slot may hold the key whose hash has this tag (always true without tags).
inline bool TagMatches(uintptr_t slot, uintptr_t tag) { return (slot & ~kPtrMask) == tag; }

// Marks a slot of the old table that is empty but must not end a probe sequence. Never
// dereferenced; its address only has to differ from every real node's (it carries no tag).
alignas(Entry*) char tombstone_storage;
const uintptr_t kTombstone = reinterpret_cast<uintptr_t>(&tombstone_storage);

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// The 128-bit product a * b folded to 64 bits (high half xor low half).
inline uint64_t Mix(uint64_t a, uint64_t b) {
#ifdef __SIZEOF_INT128__
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
#else
  // 32-bit targets have no 128-bit type: the same product from four 32x32 -> 64 products.
  const uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
  const uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
  const uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
  const uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
  const uint64_t hi = hi_hi + (hi_lo >> 32) + (cross >> 32);
  const uint64_t lo = (cross << 32) | (lo_lo & 0xffffffffu);
  return lo ^ hi;
#endif
}

uint64_t ProcessSeed() {
  static const uint64_t seed = [] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }();
  return seed;
}

}  // namespace

// A multiply-fold hash (in the style of wyhash): 8 bytes per step, good avalanche, fast for the
// short keys that dominate a keyspace.
uint64_t HashBytes(std::string_view s, uint64_t seed) {
  constexpr uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = seed ^ (n * k0);
  while (n >= 8) {
    h = Mix(h ^ Load64(p), k1);
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  if (n > 0) std::memcpy(&tail, p, n);
  h = Mix(h ^ tail, k1 ^ n);
  return Mix(h, k0);
}

HashIndex::HashIndex() : seed_(ProcessSeed()), min_capacity_(kMinCapacity) {
  cur_.slots = std::make_unique<uintptr_t[]>(kMinCapacity);
  cur_.mask = kMinCapacity - 1;
}

size_t HashIndex::MemoryBytes() const {
  return (cur_.capacity() + old_.capacity()) * sizeof(uintptr_t);
}

Entry* HashIndex::Find(std::string_view key) const {
  const uint64_t h = HashBytes(key, seed_);
  const uintptr_t tag = Tag(h);
  for (size_t i = h & cur_.mask;; i = (i + 1) & cur_.mask) {
    uintptr_t slot = cur_.slots[i];
    if (slot == 0) break;
    if (TagMatches(slot, tag) && Unpack(slot)->key() == key) return Unpack(slot);
  }
  if (!old_.slots) return nullptr;
  for (size_t i = h & old_.mask;; i = (i + 1) & old_.mask) {
    uintptr_t slot = old_.slots[i];
    if (slot == 0) return nullptr;
    if (slot != kTombstone && TagMatches(slot, tag) && Unpack(slot)->key() == key) {
      return Unpack(slot);
    }
  }
}

void HashIndex::Prefetch(const std::string_view* keys, size_t n) const {
  constexpr size_t kBatch = 16;
  uint64_t hashes[kBatch];
  for (size_t done = 0; done < n; done += kBatch) {
    const size_t m = n - done < kBatch ? n - done : kBatch;
    for (size_t i = 0; i < m; ++i) {
      // A pipeline on one key (a queue, a counter) names it again and again: hash it once.
      if (i > 0 && keys[done + i] == keys[done + i - 1]) {
        hashes[i] = hashes[i - 1];
        continue;
      }
      hashes[i] = HashBytes(keys[done + i], seed_);
      __builtin_prefetch(&cur_.slots[hashes[i] & cur_.mask]);
    }
    // By now the first slots have arrived or are on their way; each read below waits at most for
    // its own line, and the node misses it starts overlap the next keys' waits.
    for (size_t i = 0; i < m; ++i) {
      if (i > 0 && hashes[i] == hashes[i - 1]) continue;
      const uintptr_t tag = Tag(hashes[i]);
      for (size_t j = hashes[i] & cur_.mask, probes = 0; probes < 4;
           j = (j + 1) & cur_.mask, ++probes) {
        const uintptr_t slot = cur_.slots[j];
        if (slot == 0) break;
        if (TagMatches(slot, tag)) {
          // A node is not line-aligned (48-byte size class): its header, links and key can span
          // two lines, so fetch both.
          const char* node = reinterpret_cast<const char*>(Unpack(slot));
          __builtin_prefetch(node);
          __builtin_prefetch(node + 56);
          break;
        }
      }
    }
  }
}

void HashIndex::Replace(const Entry* old, Entry* repl) {
  const uint64_t h = HashBytes(repl->key(), seed_);
  for (Table* t : {&cur_, &old_}) {
    if (!t->slots) continue;
    for (size_t i = h & t->mask; t->slots[i] != 0; i = (i + 1) & t->mask) {
      if (t->slots[i] != kTombstone && Unpack(t->slots[i]) == old) {
        t->slots[i] = Pack(repl, h);
        return;
      }
    }
  }
}

void HashIndex::Place(Entry* e, uint64_t hash) {
  size_t i = hash & cur_.mask;
  while (cur_.slots[i] != 0) i = (i + 1) & cur_.mask;
  cur_.slots[i] = Pack(e, hash);
  ++cur_size_;
}

void HashIndex::Insert(Entry* e) {
  Rehash(kMigrateStep);
  ++size_;
  MaybeResize();
  Place(e, HashBytes(e->key(), seed_));
}

void HashIndex::InsertMany(std::span<Entry* const> nodes) {
  if (nodes.empty()) return;
  Rehash(SIZE_MAX);  // one table, so Place below is the whole insert
  const size_t floor = min_capacity_;
  Reserve(size_ + nodes.size());
  if (cur_.capacity() < min_capacity_) {  // a non-empty table too small: grow it in one go
    StartResize(min_capacity_);
    Rehash(SIZE_MAX);
  }
  min_capacity_ = floor;
  constexpr size_t kAhead = 16;
  std::vector<uint64_t> hashes(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) hashes[i] = HashBytes(nodes[i]->key(), seed_);
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (i + kAhead < nodes.size()) {
      __builtin_prefetch(&cur_.slots[hashes[i + kAhead] & cur_.mask], 1);
    }
    Place(nodes[i], hashes[i]);
  }
  size_ += nodes.size();
}

bool HashIndex::Erase(std::string_view key) {
  Rehash(kMigrateStep);
  const uint64_t h = HashBytes(key, seed_);
  const uintptr_t tag = Tag(h);
  size_t i = h & cur_.mask;
  for (;; i = (i + 1) & cur_.mask) {
    if (cur_.slots[i] == 0) break;
    if (TagMatches(cur_.slots[i], tag) && Unpack(cur_.slots[i])->key() == key) {
      // Backward-shift deletion: move later members of the cluster into the hole when their
      // home slot is not cyclically between the hole and their position.
      size_t hole = i;
      for (size_t j = (i + 1) & cur_.mask; cur_.slots[j] != 0; j = (j + 1) & cur_.mask) {
        size_t home = HashBytes(Unpack(cur_.slots[j])->key(), seed_) & cur_.mask;
        bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
        if (movable) {
          cur_.slots[hole] = cur_.slots[j];
          hole = j;
        }
      }
      cur_.slots[hole] = 0;
      --cur_size_;
      --size_;
      MaybeResize();
      return true;
    }
  }
  if (!old_.slots) return false;
  for (i = h & old_.mask;; i = (i + 1) & old_.mask) {
    uintptr_t slot = old_.slots[i];
    if (slot == 0) return false;
    if (slot != kTombstone && TagMatches(slot, tag) && Unpack(slot)->key() == key) {
      old_.slots[i] = kTombstone;
      --size_;
      return true;
    }
  }
}

void HashIndex::MaybeResize() {
  if (old_.slots) {
    // A resize is under way. Finish it at once only if the new table is about to overflow.
    if ((cur_size_ + 1) * 8 > cur_.capacity() * 7) Rehash(SIZE_MAX);
    if (old_.slots) return;
  }
  const size_t cap = capacity();
  if (size_ * 4 > cap * 3) {
    StartResize(cap * 2);
  } else if (cap > min_capacity_ && size_ * 8 < cap) {
    StartResize(cap / 2);
  }
}

void HashIndex::StartResize(size_t new_capacity) {
  old_ = std::move(cur_);
  cur_.slots = std::make_unique<uintptr_t[]>(new_capacity);
  cur_.mask = new_capacity - 1;
  cur_size_ = 0;
  migrate_pos_ = 0;
}

bool HashIndex::Rehash(size_t slots) {
  if (!old_.slots) return false;
  const size_t cap = old_.capacity();
  for (; slots > 0 && migrate_pos_ < cap; --slots, ++migrate_pos_) {
    uintptr_t slot = old_.slots[migrate_pos_];
    if (slot == 0 || slot == kTombstone) continue;
    old_.slots[migrate_pos_] = kTombstone;
    Entry* e = Unpack(slot);
    Place(e, HashBytes(e->key(), seed_));
  }
  if (migrate_pos_ < cap) return true;
  old_.slots.reset();
  old_.mask = 0;
  return false;
}

Entry* HashIndex::Random(uint64_t r) const {
  if (size_ == 0) return nullptr;
  // Pick a table in proportion to how many nodes it holds, then probe forward from a random slot.
  const Table& t = (old_.slots && (r >> 32) % size_ >= cur_size_) ? old_ : cur_;
  for (size_t i = r & t.mask;; i = (i + 1) & t.mask) {
    uintptr_t slot = t.slots[i];
    if (slot != 0 && slot != kTombstone) return Unpack(slot);
  }
}

Entry* HashIndex::Sample(uint64_t r) const {
  if (size_ == 0) return nullptr;
  uint64_t state = r;
  for (int tries = 0; tries < 32 && cur_size_ > 0; ++tries) {
    state += 0x9e3779b97f4a7c15ULL;  // splitmix64
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    const uintptr_t slot = cur_.slots[z & cur_.mask];
    if (slot != 0 && slot != kTombstone) return Unpack(slot);
  }
  return Random(r);
}

void HashIndex::Reserve(size_t n) {
  size_t cap = kMinCapacity;
  while (n * 4 > cap * 3) cap *= 2;
  min_capacity_ = cap;
  if (size_ == 0 && !old_.slots && cap > cur_.capacity()) {
    cur_.slots = std::make_unique<uintptr_t[]>(cap);
    cur_.mask = cap - 1;
  }
}

void HashIndex::Clear() {
  old_.slots.reset();
  old_.mask = 0;
  cur_.slots = std::make_unique<uintptr_t[]>(kMinCapacity);
  cur_.mask = kMinCapacity - 1;
  size_ = cur_size_ = 0;
  migrate_pos_ = 0;
  min_capacity_ = kMinCapacity;
}

void HashIndex::Swap(HashIndex& other) {
  std::swap(cur_, other.cur_);
  std::swap(old_, other.old_);
  std::swap(migrate_pos_, other.migrate_pos_);
  std::swap(size_, other.size_);
  std::swap(cur_size_, other.cur_size_);
  std::swap(min_capacity_, other.min_capacity_);
}

}  // namespace store
