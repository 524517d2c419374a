#include "store/intset.h"

#include <cassert>
#include <cstring>
#include <limits>
#include <utility>

namespace store {

namespace {

uint8_t WidthFor(int64_t v) {
  if (v >= std::numeric_limits<int16_t>::min() && v <= std::numeric_limits<int16_t>::max()) {
    return 2;
  }
  if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
    return 4;
  }
  return 8;
}

int64_t Get(const unsigned char* buf, uint8_t width, size_t i) {
  const unsigned char* p = buf + i * width;
  switch (width) {
    case 2: {
      int16_t x;
      std::memcpy(&x, p, sizeof x);
      return x;
    }
    case 4: {
      int32_t x;
      std::memcpy(&x, p, sizeof x);
      return x;
    }
    default: {
      int64_t x;
      std::memcpy(&x, p, sizeof x);
      return x;
    }
  }
}

void Set(unsigned char* buf, uint8_t width, size_t i, int64_t v) {
  unsigned char* p = buf + i * width;
  switch (width) {
    case 2: {
      const auto x = static_cast<int16_t>(v);
      std::memcpy(p, &x, sizeof x);
      break;
    }
    case 4: {
      const auto x = static_cast<int32_t>(v);
      std::memcpy(p, &x, sizeof x);
      break;
    }
    default:
      std::memcpy(p, &v, sizeof v);
      break;
  }
}

}  // namespace

IntSet::IntSet(const IntSet& other) : count_(other.count_), width_(other.width_) {
  if (count_ == 0) return;
  buf_ = std::make_unique_for_overwrite<unsigned char[]>(size_t{count_} * width_);
  std::memcpy(buf_.get(), other.buf_.get(), size_t{count_} * width_);
}

IntSet& IntSet::operator=(const IntSet& other) {
  if (this != &other) {
    IntSet copy(other);
    buf_.swap(copy.buf_);
    std::swap(count_, copy.count_);
    std::swap(width_, copy.width_);
  }
  return *this;
}

int64_t IntSet::At(size_t i) const {
  assert(i < count_);
  return Get(buf_.get(), width_, i);
}

void IntSet::Put(size_t i, int64_t v) { Set(buf_.get(), width_, i, v); }

size_t IntSet::LowerBound(int64_t v) const {
  size_t lo = 0, hi = count_;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (At(mid) < v) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

bool IntSet::Contains(int64_t v) const {
  if (WidthFor(v) > width_) return false;
  const size_t i = LowerBound(v);
  return i < count_ && At(i) == v;
}

void IntSet::Rebuild(size_t count, uint8_t width, size_t at, int gap) {
  std::unique_ptr<unsigned char[]> fresh;
  if (count > 0) fresh = std::make_unique_for_overwrite<unsigned char[]>(count * width);
  const size_t skip = gap < 0 ? 1 : 0;  // old slots dropped at `at`
  const size_t room = gap > 0 ? 1 : 0;  // new slots left open at `at`
  if (width == width_) {
    if (at > 0) std::memcpy(fresh.get(), buf_.get(), at * width);
    const size_t tail = count_ - at - skip;
    if (tail > 0) {
      std::memcpy(fresh.get() + (at + room) * width, buf_.get() + (at + skip) * width,
                  tail * width);
    }
  } else {
    assert(gap >= 0);
    for (size_t i = 0; i < count_; ++i) {
      Set(fresh.get(), width, i < at ? i : i + room, Get(buf_.get(), width_, i));
    }
  }
  buf_ = std::move(fresh);
  count_ = static_cast<uint32_t>(count);
  width_ = width;
}

bool IntSet::Insert(int64_t v) {
  const uint8_t need = WidthFor(v);
  size_t i;
  if (need > width_) {
    // v lies outside every value present, so it goes first (negative) or last (positive).
    i = v < 0 ? 0 : count_;
  } else {
    i = LowerBound(v);
    if (i < count_ && At(i) == v) return false;
  }
  Rebuild(size_t{count_} + 1, need > width_ ? need : width_, i, 1);
  Put(i, v);
  return true;
}

void IntSet::EraseAt(size_t i) {
  assert(i < count_);
  Rebuild(size_t{count_} - 1, width_, i, -1);
}

bool IntSet::Remove(int64_t v) {
  if (WidthFor(v) > width_) return false;
  const size_t i = LowerBound(v);
  if (i >= count_ || At(i) != v) return false;
  EraseAt(i);
  return true;
}

void IntSet::Clear() {
  buf_.reset();
  count_ = 0;
  width_ = 2;
}

}  // namespace store
