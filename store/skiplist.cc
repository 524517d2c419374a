#include "store/skiplist.h"

#include <cstddef>
#include <cstring>
#include <new>
#include <utility>

namespace store {

Entry::Entry(std::string_view key, Value v, int height, bool expire_slot)
    : len_height_(static_cast<uint32_t>(key.size() >= kLongKey ? kLongKey : key.size()) << 8 |
                  (expire_slot ? kExpireSlot : 0) | static_cast<uint32_t>(height)) {
  for (int i = 0; i < height; ++i) links()[i] = nullptr;
  ::new (tail()) Value(std::move(v));
  char* dst = tail() + sizeof(Value);
  if (expire_slot) {
    set_expire_at(0);
    set_heap_pos(0);
    dst += kExpireSlotBytes;
  }
  if (key.size() >= kLongKey) {
    const uint64_t len = key.size();
    std::memcpy(dst, &len, sizeof(len));
    dst += sizeof(len);
  }
  if (!key.empty()) std::memcpy(dst, key.data(), key.size());
}

// A node is one allocation: the Entry header, `height` links and the key bytes. This is the one
// place that manages that memory by hand; NewNode and FreeNode are its only allocation pair.
Entry* SkipList::NewNode(std::string_view key, Value v, int height, bool expire_slot) {
  // next_ is the last member and pointer-aligned, so Entry has no tail padding after it.
  static_assert(sizeof(void*) != 8 || offsetof(Entry, next_) == 8,
                "the node header is meant to be 8 bytes on 64-bit targets");
  size_t bytes = sizeof(Entry) + Entry::TailBytes(key, height, expire_slot);
  void* mem = ::operator new(bytes);
  return ::new (mem) Entry(key, std::move(v), height, expire_slot);
}

void SkipList::FreeNode(Entry* e) {
  e->~Entry();
  ::operator delete(static_cast<void*>(e));
}

SkipList::SkipList() : head_(NewNode({}, Value(), kMaxHeight, false)) { ResetTails(); }

void SkipList::ResetTails() {
  for (Entry*& t : tail_) t = head_;
}

SkipList::~SkipList() {
  Clear();
  FreeNode(head_);
}

int SkipList::RandomHeight() {
  int h = 1;
  while (h < kMaxHeight && (rng_() & 3) == 0) ++h;
  return h;
}

namespace {
inline int Compare(std::string_view a, std::string_view b) { return a.compare(b); }
}  // namespace

void SkipList::FindPredecessors(std::string_view key, Entry** prev) const {
  Entry* x = head_;
  for (int level = height_ - 1; level >= 0; --level) {
    while (x->links()[level] != nullptr && Compare(x->links()[level]->key(), key) < 0) {
      x = x->links()[level];
    }
    prev[level] = x;
  }
}

Entry* SkipList::Insert(std::string_view key, Value v, bool expire_slot) {
  Entry* e = NewNode(key, std::move(v), RandomHeight(), expire_slot);
  Link(e);
  return e;
}

Entry* SkipList::WithExpireSlot(Entry* e) {
  if (e->has_expire_slot()) return e;
  const std::string_view key = e->key();
  Entry* prev[kMaxHeight];
  FindPredecessors(key, prev);
  const int h = e->height();
  Entry* n = NewNode(key, std::move(e->value()), h, /*expire_slot=*/true);
  n->lru_ = e->lru_;
  for (int l = 0; l < h; ++l) {
    n->links()[l] = e->links()[l];
    prev[l]->links()[l] = n;
    if (tail_[l] == e) tail_[l] = n;
  }
  FreeNode(e);
  return n;
}

void SkipList::LinkSorted(std::span<Entry* const> nodes) {
  for (Entry* e : nodes) Link(e);
}

void SkipList::Link(Entry* e) {
  Entry* prev[kMaxHeight];
  const std::string_view key = e->key();
  if (size_ > 0 && Compare(tail_[0]->key(), key) < 0) {
    // Past the last key: the predecessors are the tails (invariant 4).
    for (int l = 0; l < height_; ++l) prev[l] = tail_[l];
  } else {
    FindPredecessors(key, prev);
  }
  const int h = e->height();
  if (h > height_) {
    for (int l = height_; l < h; ++l) prev[l] = head_;
    height_ = h;
  }
  for (int l = 0; l < h; ++l) {
    e->links()[l] = prev[l]->links()[l];
    prev[l]->links()[l] = e;
    if (e->links()[l] == nullptr) tail_[l] = e;
  }
  ++size_;
}

bool SkipList::Erase(std::string_view key) {
  Entry* prev[kMaxHeight];
  FindPredecessors(key, prev);
  Entry* e = prev[0]->links()[0];
  if (e == nullptr || e->key() != key) return false;
  for (int l = 0; l < e->height(); ++l) {
    prev[l]->links()[l] = e->links()[l];
    if (tail_[l] == e) tail_[l] = prev[l];
  }
  while (height_ > 1 && head_->links()[height_ - 1] == nullptr) --height_;
  FreeNode(e);
  --size_;
  return true;
}

Entry* SkipList::LowerBound(std::string_view key, bool exclusive) const {
  Entry* x = head_;
  for (int level = height_ - 1; level >= 0; --level) {
    while (x->links()[level] != nullptr) {
      int c = Compare(x->links()[level]->key(), key);
      if (c < 0 || (exclusive && c == 0)) {
        x = x->links()[level];
      } else {
        break;
      }
    }
  }
  return x->links()[0];
}

void SkipList::Clear() {
  Entry* x = head_->links()[0];
  while (x != nullptr) {
    Entry* n = x->links()[0];
    FreeNode(x);
    x = n;
  }
  for (int l = 0; l < kMaxHeight; ++l) head_->links()[l] = nullptr;
  ResetTails();
  height_ = 1;
  size_ = 0;
}

void SkipList::Swap(SkipList& other) {
  std::swap(head_, other.head_);
  std::swap(tail_, other.tail_);
  std::swap(height_, other.height_);
  std::swap(size_, other.size_);
}

}  // namespace store
