#include "store/list_value.h"

#include <algorithm>

namespace store {

std::unique_ptr<Collection> ListValue::Clone() const {
  auto copy = std::make_unique<ListValue>();
  copy->items_ = items_;
  return copy;
}

void ListValue::Push(ListEnd end, std::string_view elem) {
  if (end == ListEnd::kHead) {
    items_.emplace_front(elem);
  } else {
    items_.emplace_back(elem);
  }
}

std::string ListValue::Pop(ListEnd end) {
  std::string out;
  if (end == ListEnd::kHead) {
    out = std::move(items_.front());
    items_.pop_front();
  } else {
    out = std::move(items_.back());
    items_.pop_back();
  }
  return out;
}

void ListValue::InsertAt(size_t i, std::string_view elem) {
  items_.emplace(items_.begin() + static_cast<ptrdiff_t>(i), elem);
}

void ListValue::Keep(size_t first, size_t count) {
  // Erase the tail first so that the head erase moves as little as the deque allows.
  items_.erase(items_.begin() + static_cast<ptrdiff_t>(first + count), items_.end());
  items_.erase(items_.begin(), items_.begin() + static_cast<ptrdiff_t>(first));
}

size_t ListValue::Remove(std::string_view elem, size_t limit, bool from_head) {
  size_t removed = 0;
  if (from_head) {
    // One compaction pass: survivors slide left over the removed elements.
    auto out = items_.begin();
    for (auto it = items_.begin(); it != items_.end(); ++it) {
      if ((limit == 0 || removed < limit) && *it == elem) {
        ++removed;
        continue;
      }
      if (out != it) *out = std::move(*it);
      ++out;
    }
    items_.erase(out, items_.end());
  } else {
    auto out = items_.rbegin();
    for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
      if ((limit == 0 || removed < limit) && *it == elem) {
        ++removed;
        continue;
      }
      if (out != it) *out = std::move(*it);
      ++out;
    }
    items_.erase(items_.begin(), items_.begin() + static_cast<ptrdiff_t>(removed));
  }
  return removed;
}

bool ListIndex(int64_t index, size_t size, size_t* out) {
  const auto n = static_cast<int64_t>(size);
  if (index < 0) {
    if (index < -n) return false;
    index += n;
  }
  if (index >= n) return false;
  *out = static_cast<size_t>(index);
  return true;
}

}  // namespace store
