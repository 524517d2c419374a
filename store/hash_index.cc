#include "store/hash_index.h"

#include <cstring>
#include <random>
#include <utility>

namespace store {
namespace {

constexpr size_t kMinCapacity = 16;

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint64_t Mix(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
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

HashIndex::HashIndex()
    : slots_(std::make_unique<Entry*[]>(kMinCapacity)),
      mask_(kMinCapacity - 1),
      seed_(ProcessSeed()) {}

Entry* HashIndex::Find(std::string_view key) const {
  for (size_t i = SlotOf(key);; i = (i + 1) & mask_) {
    Entry* e = slots_[i];
    if (e == nullptr) return nullptr;
    if (e->key() == key) return e;
  }
}

void HashIndex::Insert(Entry* e) {
  if ((size_ + 1) * 4 > capacity() * 3) Resize(capacity() * 2);
  size_t i = SlotOf(e->key());
  while (slots_[i] != nullptr) i = (i + 1) & mask_;
  slots_[i] = e;
  ++size_;
}

bool HashIndex::Erase(std::string_view key) {
  size_t i = SlotOf(key);
  while (true) {
    if (slots_[i] == nullptr) return false;
    if (slots_[i]->key() == key) break;
    i = (i + 1) & mask_;
  }
  // Backward-shift deletion: move later members of the cluster into the hole when their home
  // slot is not between the hole and their position.
  size_t hole = i;
  for (size_t j = (i + 1) & mask_; slots_[j] != nullptr; j = (j + 1) & mask_) {
    size_t home = SlotOf(slots_[j]->key());
    bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
    if (movable) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = nullptr;
  --size_;
  if (capacity() > kMinCapacity && size_ * 8 < capacity()) Resize(capacity() / 2);
  return true;
}

Entry* HashIndex::Random(uint64_t r) const {
  if (size_ == 0) return nullptr;
  for (size_t i = r & mask_;; i = (i + 1) & mask_) {
    if (slots_[i] != nullptr) return slots_[i];
  }
}

void HashIndex::Resize(size_t new_capacity) {
  std::unique_ptr<Entry*[]> old = std::move(slots_);
  size_t old_cap = capacity();
  slots_ = std::make_unique<Entry*[]>(new_capacity);
  mask_ = new_capacity - 1;
  for (size_t i = 0; i < old_cap; ++i) {
    Entry* e = old[i];
    if (e == nullptr) continue;
    size_t j = SlotOf(e->key());
    while (slots_[j] != nullptr) j = (j + 1) & mask_;
    slots_[j] = e;
  }
}

void HashIndex::Clear() {
  slots_ = std::make_unique<Entry*[]>(kMinCapacity);
  mask_ = kMinCapacity - 1;
  size_ = 0;
}

void HashIndex::Swap(HashIndex& other) {
  std::swap(slots_, other.slots_);
  std::swap(mask_, other.mask_);
  std::swap(size_, other.size_);
}

}  // namespace store
