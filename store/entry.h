// One key of the keyspace: its value, expiry and the skip-list links, with the key's bytes stored
// inline (one allocation per key; a string value up to 16 bytes lives in the Value, so inside the
// node too). Layout on 64-bit targets:
//   lru (4) | key length << 8 | flags | height (4) | links (8 each) | Value (18, byte-aligned) |
//   [expire_at (8) and heap position (4), only in a node made with an expiry slot] |
//   [key length (8), long keys] | key
// Why so: the allocator rounds to 16-byte classes, and for the common key (a 13-byte name, one
// link, a 16-byte or integer value) this is 47 bytes, one class below what a 24-byte aligned
// Value would take. A key without a TTL pays nothing for expiry; a node gets its slot when it is
// made with a TTL or when one is first set (Db::SetExpire then moves the key into a new node)
// and keeps it. Fields after the links are read with memcpy or as the byte-aligned Value.
// Created and destroyed only by SkipList.
#pragma once

#include <cstdint>
#include <cstring>
#include <new>
#include <string_view>

#include "store/value.h"

namespace store {

inline constexpr int kMaxHeight = 24;  // enough for 4^24 keys at p = 1/4

class Entry {
 public:
  Entry(const Entry&) = delete;
  Entry& operator=(const Entry&) = delete;

  std::string_view key() const {
    const char* after_links = tail() + sizeof(Value) + (has_expire_slot() ? kExpireSlotBytes : 0);
    const uint32_t short_len = len_height_ >> 8;
    if (short_len != kLongKey) return {after_links, short_len};
    uint64_t len;
    std::memcpy(&len, after_links, sizeof(len));
    return {after_links + sizeof(len), static_cast<size_t>(len)};
  }
  Value& value() { return *std::launder(reinterpret_cast<Value*>(tail())); }
  const Value& value() const { return *std::launder(reinterpret_cast<const Value*>(tail())); }
  // Absolute expiry in Unix ms; 0 means none. Change it only through Db, which keeps the index.
  int64_t expire_at() const {
    if (!has_expire_slot()) return 0;
    int64_t at;
    std::memcpy(&at, tail() + sizeof(Value), sizeof(at));
    return at;
  }
  bool has_expire() const { return expire_at() != 0; }
  // Access clock for OBJECT IDLETIME (seconds, wrapping), maintained by the server.
  uint32_t lru() const { return lru_; }
  void set_lru(uint32_t v) { lru_ = v; }
  Entry* next(int level) const { return links()[level]; }

 private:
  friend class SkipList;
  friend class Db;
  friend class ExpiryHeap;
  Entry(std::string_view key, Value v, int height, bool expire_slot);
  ~Entry() { value().~Value(); }
  // What follows the links: the Value, then the optional fields and the key.
  char* tail() { return reinterpret_cast<char*>(links() + height()); }
  const char* tail() const { return reinterpret_cast<const char*>(links() + height()); }
  int height() const { return static_cast<int>(len_height_ & kHeightMask); }
  bool has_expire_slot() const { return (len_height_ & kExpireSlot) != 0; }
  // REQUIRES: has_expire_slot().
  void set_expire_at(int64_t at) { std::memcpy(tail() + sizeof(Value), &at, sizeof(at)); }
  // The entry's index in its db's ExpiryHeap. REQUIRES: has_expire_slot().
  uint32_t heap_pos() const {
    uint32_t pos;
    std::memcpy(&pos, tail() + sizeof(Value) + sizeof(int64_t), sizeof(pos));
    return pos;
  }
  void set_heap_pos(uint32_t pos) {
    std::memcpy(tail() + sizeof(Value) + sizeof(int64_t), &pos, sizeof(pos));
  }
  // The bytes a node takes after its header's first link.
  static size_t TailBytes(std::string_view key, int height, bool expire_slot) {
    return sizeof(Entry*) * static_cast<size_t>(height - 1) + sizeof(Value) + key.size() +
           (key.size() >= kLongKey ? sizeof(uint64_t) : 0) + (expire_slot ? kExpireSlotBytes : 0);
  }

  static constexpr size_t kExpireSlotBytes = sizeof(int64_t) + sizeof(uint32_t);
  static constexpr uint32_t kHeightMask = 0x7f;
  static constexpr uint32_t kExpireSlot = 0x80;

  // A key this long or longer keeps its length as a uint64 before its bytes (the header has
  // 24 bits for it).
  static constexpr uint32_t kLongKey = 0xffffff;

  uint32_t lru_ = 0;
  uint32_t len_height_;  // key length (24 bits, kLongKey: see above) << 8 | kExpireSlot | height
  // Links are reached through a pointer, not by indexing the declared one-element array, because
  // the node is allocated with room for height() of them (and indexing past [0] would be UB).
  Entry** links() { return next_; }
  Entry* const* links() const { return next_; }
  Entry* next_[1];  // really height() links, followed by the value, expiry slot and key
};

}  // namespace store
