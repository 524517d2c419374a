#include "store/list_value.h"

#include <algorithm>
#include <cassert>

#include "store/varint.h"

namespace store {
namespace {

// Redis's quicklist bounds: node sizes for fill -1..-5, and the size cap of count-bound nodes.
constexpr size_t kNodeBytes[] = {4096, 8192, 16384, 32768, 65536};
constexpr size_t kSafetyBytes = 8192;

// Bytes an entry takes: its varint length, the element, and the back-length (the size of the first
// two, written so it can be read from its last byte backwards, as Redis's listpack does), which
// lets a pop from the tail find the last entry without walking the node.
size_t EntrySize(size_t len) {
  const size_t front = VarintSize(len) + len;
  return front + VarintSize(front);
}

// Reads the entry at *off and advances *off past it.
std::string_view ReadEntry(const std::string& buf, size_t* off) {
  const size_t len = GetVarint(buf.data(), off);
  std::string_view out(buf.data() + *off, len);
  *off += len + VarintSize(VarintSize(len) + len);  // skip the back-length
  return out;
}

// The last entry of a non-empty node and the offset where it starts.
std::string_view ReadLastEntry(const std::string& buf, size_t* start) {
  // The back-length's least significant 7 bits are its last byte; a set high bit means more
  // significant groups precede.
  size_t pos = buf.size();
  size_t front = 0;
  int shift = 0;
  while (true) {
    const auto b = static_cast<unsigned char>(buf[--pos]);
    front |= static_cast<size_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
    shift += 7;
  }
  *start = pos - front;
  size_t off = *start;
  return ReadEntry(buf, &off);
}

}  // namespace

std::unique_ptr<Collection> ListValue::Clone() const {
  auto copy = std::make_unique<ListValue>(fill_);
  copy->nodes_ = nodes_;
  copy->size_ = size_;
  return copy;
}

std::vector<std::string_view> ListValue::Entries(const Node& n) {
  std::vector<std::string_view> out;
  out.reserve(n.count);
  size_t off = 0;
  while (off < n.buf.size()) out.push_back(ReadEntry(n.buf, &off));
  return out;
}

std::string_view ListValue::EntryAt(const Node& n, size_t* off) { return ReadEntry(n.buf, off); }

void ListValue::AppendEntry(std::string* buf, std::string_view elem) {
  size_t v = elem.size();
  while (v >= 0x80) {
    buf->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  buf->push_back(static_cast<char>(v));
  buf->append(elem);
  // Back-length: groups of 7 bits, most significant first; all but the first carry 0x80.
  const size_t front = VarintSize(elem.size()) + elem.size();
  for (int shift = static_cast<int>(7 * (VarintSize(front) - 1)); shift >= 0; shift -= 7) {
    const auto group = static_cast<char>((front >> shift) & 0x7f);
    buf->push_back(shift == static_cast<int>(7 * (VarintSize(front) - 1))
                       ? group
                       : static_cast<char>(group | 0x80));
  }
}

bool ListValue::Fits(size_t count, size_t bytes) const {
  if (fill_ >= 0) {
    return count <= static_cast<size_t>(std::max<int64_t>(fill_, 1)) && bytes <= kSafetyBytes;
  }
  const size_t level = static_cast<size_t>(std::min<int64_t>(-fill_, 5)) - 1;
  return bytes <= kNodeBytes[level];
}

bool ListValue::HasRoom(const Node& n, size_t len) const {
  return n.count == 0 || Fits(n.count + 1, n.buf.size() + EntrySize(len));
}

void ListValue::Push(ListEnd end, std::string_view elem) {
  const bool head = end == ListEnd::kHead;
  if (nodes_.empty() || !HasRoom(head ? nodes_.front() : nodes_.back(), elem.size())) {
    if (head) {
      nodes_.emplace_front();
    } else {
      nodes_.emplace_back();
    }
  }
  Node& n = head ? nodes_.front() : nodes_.back();
  if (head) {
    std::string entry;
    AppendEntry(&entry, elem);
    n.buf.insert(0, entry);
  } else {
    AppendEntry(&n.buf, elem);
  }
  ++n.count;
  ++size_;
}

std::string ListValue::Pop(ListEnd end) {
  assert(!empty());
  const bool head = end == ListEnd::kHead;
  Node& n = head ? nodes_.front() : nodes_.back();
  std::string out;
  if (head) {
    size_t off = 0;
    out = std::string(ReadEntry(n.buf, &off));
    n.buf.erase(0, off);
  } else {
    size_t start = 0;
    out = std::string(ReadLastEntry(n.buf, &start));
    n.buf.resize(start);
  }
  --size_;
  if (--n.count == 0) {
    if (head) {
      nodes_.pop_front();
    } else {
      nodes_.pop_back();
    }
  }
  return out;
}

size_t ListValue::Locate(size_t i, size_t* base) const {
  // Walk from the nearer end, so that work near either end stays O(1).
  if (i < size_ / 2) {
    size_t b = 0;
    for (size_t k = 0; k < nodes_.size(); ++k) {
      if (i < b + nodes_[k].count) {
        *base = b;
        return k;
      }
      b += nodes_[k].count;
    }
  } else {
    size_t b = size_;
    for (size_t k = nodes_.size(); k-- > 0;) {
      b -= nodes_[k].count;
      if (i >= b) {
        *base = b;
        return k;
      }
    }
  }
  assert(false);
  return 0;
}

std::string ListValue::At(size_t i) const {
  size_t base = 0;
  const Node& n = nodes_[Locate(i, &base)];
  size_t off = 0;
  std::string_view e;
  for (size_t k = base; k <= i; ++k) e = ReadEntry(n.buf, &off);
  return std::string(e);
}

void ListValue::Repack(size_t at, const std::vector<std::string>& items) {
  std::vector<Node> packed;
  for (const std::string& s : items) {
    if (packed.empty() || !HasRoom(packed.back(), s.size())) packed.emplace_back();
    AppendEntry(&packed.back().buf, s);
    ++packed.back().count;
  }
  size_ = size_ - nodes_[at].count + items.size();
  nodes_.erase(nodes_.begin() + static_cast<ptrdiff_t>(at));
  nodes_.insert(nodes_.begin() + static_cast<ptrdiff_t>(at),
                std::make_move_iterator(packed.begin()), std::make_move_iterator(packed.end()));
}

void ListValue::SetAt(size_t i, std::string_view elem) {
  size_t base = 0;
  const size_t at = Locate(i, &base);
  std::vector<std::string_view> views = Entries(nodes_[at]);
  std::vector<std::string> items(views.begin(), views.end());
  items[i - base].assign(elem);
  Repack(at, items);
}

void ListValue::InsertAt(size_t i, std::string_view elem) {
  if (i == 0) return Push(ListEnd::kHead, elem);
  if (i == size_) return Push(ListEnd::kTail, elem);
  size_t base = 0;
  const size_t at = Locate(i, &base);
  std::vector<std::string_view> views = Entries(nodes_[at]);
  std::vector<std::string> items(views.begin(), views.end());
  items.emplace(items.begin() + static_cast<ptrdiff_t>(i - base), elem);
  Repack(at, items);
}

void ListValue::Keep(size_t first, size_t count) {
  std::deque<Node> kept;
  const size_t last = first + count;
  size_t base = 0;
  for (Node& n : nodes_) {
    const size_t node_end = base + n.count;
    if (node_end > first && base < last) {
      if (base >= first && node_end <= last) {
        kept.push_back(std::move(n));
      } else {
        Node part;
        std::vector<std::string_view> entries = Entries(n);
        for (size_t k = 0; k < entries.size(); ++k) {
          if (base + k >= first && base + k < last) {
            AppendEntry(&part.buf, entries[k]);
            ++part.count;
          }
        }
        kept.push_back(std::move(part));
      }
    }
    base = node_end;
  }
  nodes_ = std::move(kept);
  size_ = count;
}

size_t ListValue::Remove(std::string_view elem, size_t limit, bool from_head) {
  size_t removed = 0;
  std::deque<Node> out;
  auto process = [&](Node& n) {
    if (limit != 0 && removed >= limit) return true;  // keep the node as it is
    std::vector<std::string_view> entries = Entries(n);
    std::vector<bool> drop(entries.size(), false);
    size_t dropped = 0;
    for (size_t j = 0; j < entries.size(); ++j) {
      const size_t k = from_head ? j : entries.size() - 1 - j;
      if ((limit == 0 || removed < limit) && entries[k] == elem) {
        drop[k] = true;
        ++removed;
        ++dropped;
      }
    }
    if (dropped == 0) return true;
    Node rebuilt;
    for (size_t k = 0; k < entries.size(); ++k) {
      if (drop[k]) continue;
      AppendEntry(&rebuilt.buf, entries[k]);
      ++rebuilt.count;
    }
    n = std::move(rebuilt);
    return n.count > 0;
  };
  if (from_head) {
    for (Node& n : nodes_) {
      if (process(n)) out.push_back(std::move(n));
    }
  } else {
    for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) {
      if (process(*it)) out.push_front(std::move(*it));
    }
  }
  // Removals can leave many small nodes; join neighbours that fit together, as Redis merges
  // quicklist nodes, so that the per-node overhead stays bounded.
  nodes_.clear();
  for (Node& n : out) {
    if (!nodes_.empty() &&
        Fits(nodes_.back().count + n.count, nodes_.back().buf.size() + n.buf.size())) {
      nodes_.back().buf.append(n.buf);
      nodes_.back().count += n.count;
    } else {
      nodes_.push_back(std::move(n));
    }
  }
  size_ -= removed;
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
