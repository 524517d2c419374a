#include "store/zset_skiplist.h"

#include <cassert>
#include <cstring>
#include <new>

namespace store {

ZSkipList::Node::Node(double score, std::string_view member, int level)
    : score_(score),
      member_len_(static_cast<uint32_t>(member.size())),
      level_(static_cast<uint8_t>(level)) {
  for (int i = 0; i < level; ++i) links()[i] = Link{nullptr, 0};
  if (!member.empty()) std::memcpy(links() + level, member.data(), member.size());
}

// A node is one allocation: the header, `level` links and the member bytes. links_ is the last
// member and pointer-aligned, so Node has no tail padding after it.
ZSkipList::Node* ZSkipList::NewNode(double score, std::string_view member, int level) {
  size_t bytes = sizeof(Node) + sizeof(Link) * static_cast<size_t>(level - 1) + member.size();
  void* mem = ::operator new(bytes);
  return ::new (mem) Node(score, member, level);
}

void ZSkipList::FreeNode(Node* n) {
  n->~Node();
  ::operator delete(static_cast<void*>(n));
}

ZSkipList::ZSkipList() : head_(NewNode(0, {}, kMaxLevel)) {}

ZSkipList::~ZSkipList() {
  Node* x = head_;
  while (x != nullptr) {
    Node* next = x->links()[0].next;
    FreeNode(x);
    x = next;
  }
}

int ZSkipList::RandomLevel() {
  // xorshift64; a level rises with probability 1/4 as in the classic skip list.
  int level = 1;
  for (;;) {
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 7;
    rng_ ^= rng_ << 17;
    if ((rng_ & 3) != 0 || level >= kMaxLevel) break;
    ++level;
  }
  return level;
}

const ZSkipList::Node* ZSkipList::Find(std::string_view member) const {
  return index_.Find(member);
}

void ZSkipList::Insert(std::string_view member, double score) {
  Node* x = NewNode(score, member, RandomLevel());
  LinkNode(x, size());
  index_.Insert(x);
}

bool ZSkipList::Remove(std::string_view member) {
  // The index reads the member through the node, so the node must outlive its erase.
  Node* x = index_.Erase(member);
  if (x == nullptr) return false;
  UnlinkNode(x);
  FreeNode(x);
  return true;
}

bool ZSkipList::Rescore(std::string_view member, double score) {
  Node* x = index_.Find(member);
  if (x == nullptr) return false;
  const Node* next = x->links()[0].next;
  const bool stays =
      (x->prev_ == nullptr || ZLess(x->prev_->score_, x->prev_->member(), score, x->member())) &&
      (next == nullptr || ZLess(score, x->member(), next->score_, next->member()));
  if (stays) {  // same rank: no link or span changes
    x->score_ = score;
    return true;
  }
  // The node moves: unlinked and relinked as it is (same level, same index entry).
  UnlinkNode(x);
  x->score_ = score;
  LinkNode(x, size() - 1);
  return true;
}

void ZSkipList::LinkNode(Node* x, size_t list_len) {
  Node* update[kMaxLevel];
  size_t rank[kMaxLevel];
  Node* p = head_;
  const double score = x->score_;
  const std::string_view member = x->member();
  for (int i = level_ - 1; i >= 0; --i) {
    rank[i] = i == level_ - 1 ? 0 : rank[i + 1];
    while (p->links()[i].next != nullptr &&
           ZLess(p->links()[i].next->score_, p->links()[i].next->member(), score, member)) {
      rank[i] += p->links()[i].span;
      p = p->links()[i].next;
    }
    update[i] = p;
  }
  const int level = x->level_;
  if (level > level_) {
    for (int i = level_; i < level; ++i) {
      rank[i] = 0;
      update[i] = head_;
      head_->links()[i].span = list_len;
    }
    level_ = level;
  }
  for (int i = 0; i < level; ++i) {
    Link& from = update[i]->links()[i];
    x->links()[i].next = from.next;
    from.next = x;
    x->links()[i].span = from.span - (rank[0] - rank[i]);
    from.span = (rank[0] - rank[i]) + 1;
  }
  for (int i = level; i < level_; ++i) ++update[i]->links()[i].span;
  x->prev_ = update[0] == head_ ? nullptr : update[0];
  if (x->links()[0].next != nullptr) x->links()[0].next->prev_ = x;
}

void ZSkipList::UnlinkNode(Node* x) {
  Node* update[kMaxLevel];
  Node* p = head_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (
        p->links()[i].next != nullptr &&
        ZLess(p->links()[i].next->score_, p->links()[i].next->member(), x->score_, x->member())) {
      p = p->links()[i].next;
    }
    update[i] = p;
  }
  for (int i = 0; i < level_; ++i) {
    Link& from = update[i]->links()[i];
    if (from.next == x) {
      from.span += x->links()[i].span - 1;
      from.next = x->links()[i].next;
    } else {
      --from.span;
    }
  }
  if (x->links()[0].next != nullptr) x->links()[0].next->prev_ = x->prev_;
  while (level_ > 1 && head_->links()[level_ - 1].next == nullptr) --level_;
}

uint64_t ZSkipList::ScanStep(uint64_t cursor, size_t slots,
                             const std::function<void(double, std::string_view)>& fn) const {
  return index_.ScanStep(cursor, slots, [&](const Node* n) { fn(n->score_, n->member()); });
}

size_t ZSkipList::RankOf(const Node* n) const {
  // Counts the nodes strictly before n, then n itself is at that rank.
  return CountWhile(
      [n](const Node& x) { return ZLess(x.score_, x.member(), n->score_, n->member()); });
}

const ZSkipList::Node* ZSkipList::At(size_t rank) const {
  size_t traversed = 0;
  const Node* x = head_;
  const size_t target = rank + 1;  // head is position 0
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->links()[i].next != nullptr && traversed + x->links()[i].span <= target) {
      traversed += x->links()[i].span;
      x = x->links()[i].next;
    }
    if (traversed == target) return x;
  }
  assert(false);
  return nullptr;
}

}  // namespace store
