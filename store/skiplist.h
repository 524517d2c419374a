// The ordered keyspace: a skip list of Entry nodes in byte-wise (memcmp) key order.
//
// Design: Pugh's skip list with p = 1/4 and forward links only; the key lives inline in its node,
// so one key costs one allocation. Point lookups do not use it (HashIndex does); it serves ordered
// iteration: SCAN in key order, prefix seeks for MATCH, KRANGE/KDELRANGE.
//
// Invariants:
//  (1) For every level l, following next(l) from the head visits keys in strictly increasing order.
//  (2) A node of height h is linked at levels 0..h-1 and only there.
//  (3) Keys are unique.
//  (4) tail_[l] is the last node linked at level l (head_ while level l is empty), so a key
//      greater than every key (loading a snapshot we wrote, which is in key order) is appended
//      without a search.
// Nodes are allocated one by one and freed on Erase (no arena), because keys are deleted and
// expire. Not thread-safe: the loop thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <utility>

#include "store/entry.h"

namespace store {

class SkipList {
 public:
  SkipList();
  ~SkipList();
  SkipList(const SkipList&) = delete;
  SkipList& operator=(const SkipList&) = delete;

  // Inserts a new node (with room for an expiry if expire_slot). REQUIRES: key is absent.
  // Returns the node, owned by the list.
  Entry* Insert(std::string_view key, Value v, bool expire_slot = false);
  // e itself if it has an expiry slot; otherwise a new node with one, holding e's key, value,
  // access time and height, linked where e was; e is freed. The caller updates whatever else
  // points at e (the hash index). REQUIRES: e is in the list.
  Entry* WithExpireSlot(Entry* e);
  // Unlinks and frees the node with this key. Returns false iff absent.
  bool Erase(std::string_view key);
  // First node with key >= `key` (or > when `exclusive`), nullptr if none.
  Entry* LowerBound(std::string_view key, bool exclusive = false) const;
  Entry* First() const { return head_->next_[0]; }
  size_t size() const { return size_; }
  // Bulk loading. NewUnlinked makes a node (with its random height) that is in no list; LinkSorted
  // links such nodes, given in strictly increasing key order and absent from the list, each in
  // O(1) when it is past the tail (always, into an empty list). Until it is linked, the caller
  // owns a node and frees it with FreeUnlinked.
  Entry* NewUnlinked(std::string_view key, Value v, bool expire_slot) {
    return NewNode(key, std::move(v), RandomHeight(), expire_slot);
  }
  static void FreeUnlinked(Entry* e) { FreeNode(e); }
  void LinkSorted(std::span<Entry* const> nodes);
  // Frees every node.
  void Clear();
  void Swap(SkipList& other);

 private:
  int RandomHeight();
  static Entry* NewNode(std::string_view key, Value v, int height, bool expire_slot);
  static void FreeNode(Entry* e);
  // Fills prev[l] with the last node at level l whose key is < key (or <= when inclusive).
  void FindPredecessors(std::string_view key, Entry** prev) const;
  // Links e (absent, height set) after its predecessors, taken from the tails when it is past the
  // last key.
  void Link(Entry* e);

  // Makes every tail the head (an empty list).
  void ResetTails();

  Entry* head_;
  Entry* tail_[kMaxHeight];
  int height_ = 1;
  size_t size_ = 0;
  std::minstd_rand rng_{0x5eed};
};

}  // namespace store
