// The list type: a sequence of byte strings with O(1) push and pop at both ends and O(n) access
// by index, as Redis's quicklist.
//
// Design: a deque of packed nodes, as the quicklist is a linked list of listpacks. Each node is
// one contiguous buffer of entries, every entry a varint length followed by its bytes, so a small
// element costs one or two bytes of overhead instead of a heap string. A node is bounded by the
// fill factor (list-max-listpack-size): a positive fill caps its entry count (and, as Redis's
// safety limit, its size at 8 KB); -1..-5 cap its size at 4/8/16/32/64 KB. A node always accepts
// its first entry, so a huge element gets a node of its own. Work inside one node is O(node size),
// which the fill bounds, so pushes and pops at either end stay O(1) and an index walk is O(n).
//
// Redis 7.0 reports every list as "quicklist" whatever its size (the single-listpack list
// encoding arrived in 7.2), so encoding() always says "quicklist": small lists are simply lists
// of one node.
//
// Invariants: no node is empty; size_ is the sum of the nodes' counts. A list stored in the
// keyspace is never empty (store operations delete a list that becomes empty).
// Not thread-safe: the loop thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/value.h"

namespace store {

// Which end of a list an operation works on.
enum class ListEnd { kHead, kTail };

class ListValue : public Collection {
 public:
  // `fill` is list-max-listpack-size; see set_fill.
  explicit ListValue(int64_t fill = -2) : fill_(fill) {}
  ListValue(const ListValue&) = delete;
  ListValue& operator=(const ListValue&) = delete;

  ObjType type() const override { return ObjType::kList; }
  std::string_view encoding() const override { return "quicklist"; }
  std::unique_ptr<Collection> Clone() const override;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t node_count() const { return nodes_.size(); }
  // The node bound used by later insertions (existing nodes are not repacked), as CONFIG SET
  // list-max-listpack-size affects only what Redis writes afterwards.
  void set_fill(int64_t fill) { fill_ = fill; }

  void Push(ListEnd end, std::string_view elem);
  // Removes and returns the element at `end`. REQUIRES: !empty().
  std::string Pop(ListEnd end);

  // A copy of the element at i, counting from the head. REQUIRES: i < size().
  std::string At(size_t i) const;
  void SetAt(size_t i, std::string_view elem);
  // Inserts elem so that it becomes element i. REQUIRES: i <= size().
  void InsertAt(size_t i, std::string_view elem);
  // Keeps only elements [first, first + count). REQUIRES: first + count <= size().
  void Keep(size_t first, size_t count);
  // Removes up to `limit` elements equal to elem (0 means all), scanning from the head if
  // from_head, else from the tail. Returns how many were removed.
  size_t Remove(std::string_view elem, size_t limit, bool from_head);

  // Calls f(index, element) for the elements with index in [first, first + count), in order
  // (from the last one backwards if reverse), until f returns false. The views are valid only
  // during the call. REQUIRES: first + count <= size().
  template <typename F>
  void Visit(size_t first, size_t count, bool reverse, F&& f) const;

 private:
  struct Node {
    std::string buf;  // entries: varint length, then the bytes
    size_t count = 0;
  };
  // The entries of a node, in order, as views into its buffer.
  static std::vector<std::string_view> Entries(const Node& n);
  // The entry of n at byte offset *off; moves *off to the next one.
  static std::string_view EntryAt(const Node& n, size_t* off);
  static void AppendEntry(std::string* buf, std::string_view elem);
  // Whether a node of `count` entries and `bytes` bytes is within the fill bound.
  bool Fits(size_t count, size_t bytes) const;
  // Whether node n may take one more entry of `len` bytes under the fill bound.
  bool HasRoom(const Node& n, size_t len) const;
  // Replaces nodes_[at] by nodes packing `items` under the fill bound (none if items is empty).
  void Repack(size_t at, const std::vector<std::string>& items);
  // The node holding element i and the index of its first element.
  size_t Locate(size_t i, size_t* base) const;

  std::deque<Node> nodes_;
  size_t size_ = 0;
  int64_t fill_;
};

// Normalises a Redis index (negative counts from the tail) against a list of `size` elements.
// Returns false iff it is out of range; else *out is the position from the head.
bool ListIndex(int64_t index, size_t size, size_t* out);

template <typename F>
void ListValue::Visit(size_t first, size_t count, bool reverse, F&& f) const {
  if (count == 0) return;
  const size_t last = first + count;  // exclusive
  if (!reverse) {
    size_t base = 0;
    for (const Node& n : nodes_) {
      if (base >= last) return;
      if (base + n.count > first) {
        // Decoded in place: a short range of a big node reads only up to its last element.
        size_t off = 0;
        for (size_t k = 0; k < n.count; ++k) {
          const size_t i = base + k;
          if (i >= last) return;
          const std::string_view entry = EntryAt(n, &off);
          if (i >= first && !f(i, entry)) return;
        }
      }
      base += n.count;
    }
    return;
  }
  size_t end = size_;  // one past the last index of the node being visited
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) {
    const size_t base = end - it->count;
    if (end <= first) return;
    if (base < last) {
      std::vector<std::string_view> entries = Entries(*it);
      for (size_t k = entries.size(); k-- > 0;) {
        const size_t i = base + k;
        if (i >= last) continue;
        if (i < first) return;
        if (!f(i, entries[k])) return;
      }
    }
    end = base;
  }
}

}  // namespace store
