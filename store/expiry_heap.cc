#include "store/expiry_heap.h"

#include <utility>

namespace store {

void ExpiryHeap::Place(size_t i, Item item) {
  items_[i] = item;
  item.e->set_heap_pos(static_cast<uint32_t>(i));
}

void ExpiryHeap::Push(Entry* e) {
  items_.push_back({e->expire_at(), e});
  e->set_heap_pos(static_cast<uint32_t>(items_.size() - 1));
  SiftUp(items_.size() - 1);
}

void ExpiryHeap::Remove(Entry* e) {
  const size_t i = e->heap_pos();
  const Item last = items_.back();
  items_.pop_back();
  if (i < items_.size()) {  // the last pair fills the hole, then finds its place
    Place(i, last);
    SiftUp(i);
    SiftDown(last.e->heap_pos());
  }
  // Give memory back when the heap has shrunk well below its capacity (a copy: shrink_to_fit
  // does nothing under -fno-exceptions).
  if (items_.capacity() > 1024 && items_.size() < items_.capacity() / 4) {
    std::vector<Item>(items_.begin(), items_.end()).swap(items_);
  }
}

void ExpiryHeap::SiftUp(size_t i) {
  const Item item = items_[i];
  while (i > 0) {
    const size_t parent = (i - 1) / 2;
    if (items_[parent].at <= item.at) break;
    Place(i, items_[parent]);
    i = parent;
  }
  Place(i, item);
}

void ExpiryHeap::SiftDown(size_t i) {
  const Item item = items_[i];
  const size_t n = items_.size();
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && items_[child + 1].at < items_[child].at) ++child;
    if (items_[child].at >= item.at) break;
    Place(i, items_[child]);
    i = child;
  }
  Place(i, item);
}

void ExpiryHeap::Clear() { std::vector<Item>().swap(items_); }

}  // namespace store
