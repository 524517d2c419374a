#include "store/pair_table.h"

#include <cstring>

#include "store/hash_index.h"

namespace store {
namespace {

constexpr size_t kMinCapacity = 8;
constexpr uint64_t kSeed = 0x5eed5eed5eed5eedull;  // per-hash tables need no secret seed order

char tombstone_storage;

uint64_t HashOf(std::string_view field) { return HashBytes(field, kSeed); }

size_t CapacityFor(size_t n) {
  size_t c = kMinCapacity;
  while (c * 3 / 4 < n + 1) c *= 2;
  return c;
}

char* NewPair(std::string_view field, std::string_view value) {
  char* p = new char[PackedPairs::PairBytes(field.size(), value.size())];
  PackedPairs::WritePair(p, field, value);
  return p;
}

}  // namespace

const char* PairTable::Tombstone() { return &tombstone_storage; }

PairTable::~PairTable() {
  for (size_t i = 0; i < capacity_; ++i) {
    if (Live(slots_[i])) delete[] slots_[i];
  }
}

PairTable::PairTable(const PairTable& other) {
  Reserve(other.size());
  other.ForEach([this](std::string_view f, std::string_view v) { Set(f, v); });
}

void PairTable::Reserve(size_t n) {
  if (CapacityFor(n) > capacity_) Rebuild(CapacityFor(n));
}

size_t PairTable::Locate(std::string_view field, uint64_t hash) const {
  if (capacity_ == 0) return capacity_;
  const size_t mask = capacity_ - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const char* s = slots_[i];
    if (s == nullptr) return capacity_;
    if (s != Tombstone() && Read(s).first == field) return i;
  }
}

const char* PairTable::Find(std::string_view field) const {
  const size_t i = Locate(field, HashOf(field));
  return i == capacity_ ? nullptr : slots_[i];
}

void PairTable::Place(const char* pair, uint64_t hash) {
  const size_t mask = capacity_ - 1;
  size_t i = hash & mask;
  while (Live(slots_[i])) i = (i + 1) & mask;
  if (slots_[i] == nullptr) ++used_;  // reusing a tombstone adds nothing to used_
  slots_[i] = pair;
  ++size_;
}

bool PairTable::Set(std::string_view field, std::string_view value) {
  const uint64_t h = HashOf(field);
  const size_t i = Locate(field, h);
  if (i != capacity_) {
    const auto [f, old] = Read(slots_[i]);
    if (old.size() == value.size()) {
      // memmove: value may be these very bytes.
      if (!value.empty()) std::memmove(const_cast<char*>(old.data()), value.data(), value.size());
      return false;
    }
    // The old pair stays alive until the new one is written, so value may point into it.
    const char* fresh = NewPair(f, value);
    delete[] slots_[i];
    slots_[i] = fresh;
    return false;
  }
  if (used_ + 1 > capacity_ * 3 / 4) Rebuild(CapacityFor(size_ + 1));
  Place(NewPair(field, value), h);
  return true;
}

bool PairTable::Erase(std::string_view field) {
  const size_t i = Locate(field, HashOf(field));
  if (i == capacity_) return false;
  delete[] slots_[i];
  slots_[i] = Tombstone();
  --size_;
  if (capacity_ > kMinCapacity && size_ < capacity_ / 8) {
    Rebuild(CapacityFor(size_));
  } else if (used_ - size_ > capacity_ / 4) {
    Rebuild(capacity_);  // too many tombstones: probes would lengthen
  }
  return true;
}

void PairTable::Rebuild(size_t capacity) {
  std::unique_ptr<const char*[]> old = std::move(slots_);
  const size_t old_capacity = capacity_;
  slots_ = std::make_unique<const char*[]>(capacity);  // zeroed: every slot empty
  capacity_ = capacity;
  size_ = used_ = 0;
  ++generation_;
  for (size_t i = 0; i < old_capacity; ++i) {
    if (Live(old[i])) Place(old[i], HashOf(Read(old[i]).first));
  }
}

const char* PairTable::At(size_t i) const {
  for (size_t s = 0; s < capacity_; ++s) {
    if (Live(slots_[s]) && i-- == 0) return slots_[s];
  }
  return nullptr;
}

const char* PairTable::Random(uint64_t (*next)(void*), void* rng) const {
  const size_t mask = capacity_ - 1;
  for (int tries = 0; tries < 64; ++tries) {
    const char* s = slots_[next(rng) & mask];
    if (Live(s)) return s;
  }
  for (size_t i = next(rng) & mask;; i = (i + 1) & mask) {
    if (Live(slots_[i])) return slots_[i];
  }
}

}  // namespace store
