// The "skiplist" encoding of a sorted set: Pugh's skip list (p = 1/4) ordered by (score, member),
// with backward links at level 0 and a span on every forward link, plus a hash index of the
// nodes for O(1) member lookups.
//
// Layout. A member is one allocation, a Node:
//
//   node := score(8) prev(8) member_len(4) level(1) pad(3) link{level} member_bytes{member_len}
//   link := next(8) span(8)
//
// span is the number of level-0 steps from this node to next (to the end of the list if next is
// null), so rank <-> node is O(log n). The index is a SlotTable (store/slot_table.h) of node
// pointers keyed through the node's member bytes, so the bytes are stored once and a member costs
// the index one 8-byte slot.
//
// Invariants: every node in the list is in index_ and vice versa; members are unique; head_ is a
// node of kMaxLevel links with no member that is never in index_; level_ is the highest level in
// use (at least 1). Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "store/slot_table.h"
#include "store/zset_order.h"

namespace store {

class ZSkipList {
 public:
  static constexpr int kMaxLevel = 32;
  class Node;
  struct Link {
    Node* next;
    size_t span;
  };
  class Node {
   public:
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    double score() const { return score_; }
    std::string_view member() const {
      return {reinterpret_cast<const char*>(links() + level_), member_len_};
    }
    // The next node at level 0 (ascending order), or nullptr at the end.
    const Node* next() const { return links()[0].next; }
    // The previous node (descending order), or nullptr at the start.
    const Node* prev() const { return prev_; }

   private:
    friend class ZSkipList;
    Node(double score, std::string_view member, int level);
    ~Node() = default;
    // Links are reached through a pointer, not by indexing the declared one-element array,
    // because the node is allocated with room for level_ of them (see store/entry.h).
    Link* links() { return links_; }
    const Link* links() const { return links_; }

    double score_;
    Node* prev_ = nullptr;
    uint32_t member_len_;
    uint8_t level_;
    Link links_[1];  // really level_ links, followed by the member bytes
  };

  ZSkipList();
  ~ZSkipList();
  ZSkipList(const ZSkipList&) = delete;
  ZSkipList& operator=(const ZSkipList&) = delete;

  size_t size() const { return index_.size(); }
  const Node* Find(std::string_view member) const;
  // REQUIRES: member absent.
  void Insert(std::string_view member, double score);
  // Returns whether member was present.
  bool Remove(std::string_view member);
  // Gives an existing member a new score, in place when its rank does not change (the common
  // small update) and otherwise by moving the same node. Returns false iff member is absent.
  bool Rescore(std::string_view member, double score);
  // 0-based rank of the node. REQUIRES: n is in the list.
  size_t RankOf(const Node* n) const;
  // Node at rank. REQUIRES: rank < size().
  const Node* At(size_t rank) const;
  // One step of a cursor walk over the member index (store/slot_table.h): `slots` home slots.
  uint64_t ScanStep(uint64_t cursor, size_t slots,
                    const std::function<void(double, std::string_view)>& fn) const;
  // Rank of the first node for which before(node) is false; before must be monotone.
  template <typename Pred>
  size_t CountWhile(Pred before) const {
    size_t rank = 0;
    const Node* x = head_;
    for (int i = level_ - 1; i >= 0; --i) {
      while (x->links()[i].next != nullptr && before(*x->links()[i].next)) {
        rank += x->links()[i].span;
        x = x->links()[i].next;
      }
    }
    return rank;
  }

 private:
  struct MemberOf {
    static std::string_view Key(const Node* n) { return n->member(); }
  };
  using Index = SlotTable<Node, MemberOf>;

  // NewNode and FreeNode are the only allocation pair for nodes.
  static Node* NewNode(double score, std::string_view member, int level);
  static void FreeNode(Node* n);
  int RandomLevel();
  // Links x (score, member and level set; not in the list) at its place; list_len is the number
  // of nodes in the list before it.
  void LinkNode(Node* x, size_t list_len);
  // Unlinks x from every level; the index and the node are the caller's.
  void UnlinkNode(Node* x);

  Node* head_;
  int level_ = 1;
  uint64_t rng_ = 0x9e3779b97f4a7c15ull;
  Index index_;
};

}  // namespace store
