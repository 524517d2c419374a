// The list type: a sequence of byte strings with O(1) push and pop at both ends and O(n) access
// by index, as Redis's quicklist.
//
// Design: the elements live in one std::deque<std::string>. A deque gives amortised O(1) work at
// both ends without moving the other elements, and O(1) random access, which is better than the
// quicklist's O(n) index walk. Redis 7.0 reports every list as "quicklist" whatever its size (the
// packed "listpack" list encoding arrived in 7.2), so OBJECT ENCODING here always says
// "quicklist" and list-max-listpack-size changes nothing that a client can observe.
//
// Invariants: a list stored in the keyspace is never empty (store operations delete a list that
// becomes empty). Not thread-safe: the loop thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "store/value.h"

namespace store {

// Which end of a list an operation works on.
enum class ListEnd { kHead, kTail };

class ListValue : public Collection {
 public:
  ListValue() = default;
  ListValue(const ListValue&) = delete;
  ListValue& operator=(const ListValue&) = delete;

  ObjType type() const override { return ObjType::kList; }
  std::string_view encoding() const override { return "quicklist"; }
  std::unique_ptr<Collection> Clone() const override;

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

  void Push(ListEnd end, std::string_view elem);
  // Removes and returns the element at `end`. REQUIRES: !empty().
  std::string Pop(ListEnd end);

  // The element at i, counting from the head. REQUIRES: i < size().
  const std::string& At(size_t i) const { return items_[i]; }
  void SetAt(size_t i, std::string_view elem) { items_[i].assign(elem); }
  // Inserts elem so that it becomes element i. REQUIRES: i <= size().
  void InsertAt(size_t i, std::string_view elem);
  // Keeps only elements [first, first + count). REQUIRES: first + count <= size().
  void Keep(size_t first, size_t count);
  // Removes up to `limit` elements equal to elem (0 means all), scanning from the head if
  // from_head, else from the tail. Returns how many were removed.
  size_t Remove(std::string_view elem, size_t limit, bool from_head);

 private:
  std::deque<std::string> items_;
};

// Normalises a Redis index (negative counts from the tail) against a list of `size` elements.
// Returns false iff it is out of range; else *out is the position from the head.
bool ListIndex(int64_t index, size_t size, size_t* out);

}  // namespace store
