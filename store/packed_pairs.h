// PackedPairs: a small map of (field, value) byte strings packed into one heap buffer, in
// insertion order. It is the hash type's "listpack" encoding (store/hash_value.h).
//
// Byte grammar of the buffer (bytes_ bytes are in use):
//
//   buffer := pair*
//   pair   := varint(len(field)) field varint(len(value)) value
//   varint := 7 bits a byte, least significant group first; every byte but the last has its high
//             bit set (LEB128, as the list's packed nodes in store/list_value.cc)
//
// Both strings are binary-safe and may be empty. A pair with a 10-byte field and a 12-byte value
// takes 24 bytes, against 64 for a pair of std::string (and more once a string leaves the
// small-string buffer), which is why this format exists.
//
// Design choices:
//   - Pairs are only ever walked front to back (lookups are linear, as in Redis's listpack, and
//     the owner keeps the map small), so unlike the list's nodes there is no back-length.
//   - The block's size is a function of bytes_ alone, CapacityFor(bytes_), so no capacity field is
//     needed: the object is 16 bytes. CapacityFor rounds up to the size classes of mimalloc 2.0,
//     the release allocator (8, then 16-byte steps to 64, then four steps per power of two), so
//     the buffer fills its block and grows by at most 1.25x: amortised O(1) appends and at most
//     25% slack. The buffer is reallocated whenever a write moves bytes_ into another class,
//     shrinking included. An insert and an erase that straddle a class edge therefore each copy
//     the buffer, which costs the same order as the memmove they already do.
//   - Writes that take their input from this buffer's own bytes copy it first, so a caller may
//     pass views from Get/ForEach back in.
//
// Invariants: fields are unique; count_ is the number of pairs; bytes_ <= kMaxBytes; data_ is null
// iff bytes_ == 0.
// Not thread-safe: owned by the loop thread through its HashValue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace store {

class PackedPairs {
 public:
  // The largest buffer allowed. Redis caps a listpack at 1 GB the same way; the owner switches to
  // another encoding before a write would pass it (see Fits).
  static constexpr size_t kMaxBytes = size_t{1} << 30;

  PackedPairs() = default;
  PackedPairs(const PackedPairs& other);
  PackedPairs& operator=(const PackedPairs& other);
  PackedPairs(PackedPairs&& other) noexcept;
  PackedPairs& operator=(PackedPairs&& other) noexcept;
  ~PackedPairs() = default;

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Bytes in use, and bytes allocated for them.
  size_t bytes() const { return bytes_; }
  size_t capacity() const { return CapacityFor(bytes_); }

  // The bytes a pair of these lengths takes in the buffer.
  static size_t PairBytes(size_t field_len, size_t value_len);
  // The block size used for a buffer of `bytes` bytes (0 for 0).
  static size_t CapacityFor(size_t bytes);
  // Writes one pair in the grammar above at out, which must have PairBytes(field.size(),
  // value.size()) bytes free, and returns the end of what it wrote. The hashtable encoding keeps
  // each of its entries in this form too, one pair per allocation.
  static char* WritePair(char* out, std::string_view field, std::string_view value);
  // The pair starting at p, as views into the bytes at p.
  static std::pair<std::string_view, std::string_view> ReadPair(const char* p);
  // Whether setting a field of field_len bytes to a value of value_len bytes keeps the buffer
  // within kMaxBytes, whether the field is new or not.
  bool Fits(size_t field_len, size_t value_len) const {
    return bytes_ + PairBytes(field_len, value_len) <= kMaxBytes;
  }

  // The value of field, as a view into the buffer valid until the next modification.
  std::optional<std::string_view> Get(std::string_view field) const;
  // Sets field to value, appending the pair if the field is new (an existing field keeps its
  // position). Returns true iff the field is new. REQUIRES: Fits(field.size(), value.size()).
  bool Set(std::string_view field, std::string_view value);
  // Removes field, keeping the order of the rest; returns whether it was present.
  bool Erase(std::string_view field);
  // Removes every pair and frees the buffer.
  void Clear();

  // Calls fn(field, value) for every pair in insertion order. The views are valid until the next
  // modification; fn must not modify this object.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    size_t off = 0;
    while (off < bytes_) {
      const Pair p = Read(off);
      fn(p.field, p.value);
      off = p.end;
    }
  }

  // The pair at position i of insertion order. REQUIRES: i < size(). O(i).
  std::pair<std::string_view, std::string_view> At(size_t i) const;

 private:
  // One decoded pair: where it starts and ends in the buffer, and views of its strings.
  struct Pair {
    size_t begin;
    size_t value_begin;  // offset of the value's varint
    std::string_view field;
    std::string_view value;
    size_t end;
  };
  // Decodes the pair starting at off. REQUIRES: off < bytes_ is the start of a pair.
  Pair Read(size_t off) const;
  // The pair holding field, or nullopt.
  std::optional<Pair> Find(std::string_view field) const;
  // Replaces the old_len bytes at pos with new_len bytes (left unwritten), moving the tail, and
  // returns where the new bytes go. Reallocates if the buffer changes size class.
  char* Splice(size_t pos, size_t old_len, size_t new_len);
  // Whether s points into this buffer.
  bool Aliases(std::string_view s) const;

  std::unique_ptr<char[]> data_;
  uint32_t bytes_ = 0;
  uint32_t count_ = 0;
};

}  // namespace store
