// One key of the keyspace: its value, expiry and the skip-list links, with the key's bytes stored
// inline after the links (one allocation per key). Created and destroyed only by SkipList.
#pragma once

#include <cstdint>
#include <string_view>

#include "store/value.h"

namespace store {

inline constexpr int kMaxHeight = 24;  // enough for 4^24 keys at p = 1/4

class Entry {
 public:
  Entry(const Entry&) = delete;
  Entry& operator=(const Entry&) = delete;

  std::string_view key() const {
    return {reinterpret_cast<const char*>(links() + height_), key_len_};
  }
  Value& value() { return value_; }
  const Value& value() const { return value_; }
  // Absolute expiry in Unix ms; 0 means none. Change it only through Db, which keeps the index.
  int64_t expire_at() const { return expire_at_; }
  bool has_expire() const { return expire_at_ != 0; }
  // Access clock for OBJECT IDLETIME (seconds, wrapping), maintained by the server.
  uint32_t lru() const { return lru_; }
  void set_lru(uint32_t v) { lru_ = v; }
  Entry* next(int level) const { return links()[level]; }

 private:
  friend class SkipList;
  friend class Db;
  Entry(std::string_view key, Value v, int height);
  ~Entry() = default;

  Value value_;
  int64_t expire_at_ = 0;
  uint32_t key_len_;
  uint32_t lru_ = 0;
  uint8_t height_;
  // Links are reached through a pointer, not by indexing the declared one-element array, because
  // the node is allocated with room for height_ of them (and indexing past [0] would be UB).
  Entry** links() { return next_; }
  Entry* const* links() const { return next_; }
  Entry* next_[1];  // really height_ links, followed by the key bytes
};

}  // namespace store
