#include "store/packed_pairs.h"

#include <cassert>
#include <cstring>
#include <functional>
#include <string>

#include "store/varint.h"

namespace store {
namespace {

std::unique_ptr<char[]> Allocate(size_t capacity) {
  return capacity == 0 ? nullptr : std::make_unique_for_overwrite<char[]>(capacity);
}

}  // namespace

size_t PackedPairs::PairBytes(size_t field_len, size_t value_len) {
  return VarintSize(field_len) + field_len + VarintSize(value_len) + value_len;
}

size_t PackedPairs::CapacityFor(size_t bytes) {
  if (bytes <= 8) return bytes == 0 ? 0 : 8;
  if (bytes <= 64) return (bytes + 15) & ~size_t{15};
  // Four classes per power of two above 64: 80, 96, 112, 128, 160, 192, 224, 256, 320, ...
  const int top = 63 - __builtin_clzll(static_cast<unsigned long long>(bytes - 1));
  const size_t step = size_t{1} << (top - 2);
  return (bytes + step - 1) & ~(step - 1);
}

char* PackedPairs::WritePair(char* out, std::string_view field, std::string_view value) {
  out = PutVarint(out, field.size());
  if (!field.empty()) std::memcpy(out, field.data(), field.size());
  out += field.size();
  out = PutVarint(out, value.size());
  if (!value.empty()) std::memcpy(out, value.data(), value.size());
  return out + value.size();
}

std::pair<std::string_view, std::string_view> PackedPairs::ReadPair(const char* p) {
  size_t off = 0;
  const size_t flen = GetVarint(p, &off);
  const std::string_view field(p + off, flen);
  off += flen;
  const size_t vlen = GetVarint(p, &off);
  return {field, std::string_view(p + off, vlen)};
}

PackedPairs::PackedPairs(const PackedPairs& other)
    : data_(Allocate(other.capacity())), bytes_(other.bytes_), count_(other.count_) {
  if (bytes_ > 0) std::memcpy(data_.get(), other.data_.get(), bytes_);
}

PackedPairs& PackedPairs::operator=(const PackedPairs& other) {
  if (this != &other) *this = PackedPairs(other);
  return *this;
}

PackedPairs::PackedPairs(PackedPairs&& other) noexcept
    : data_(std::move(other.data_)), bytes_(other.bytes_), count_(other.count_) {
  other.bytes_ = 0;
  other.count_ = 0;
}

PackedPairs& PackedPairs::operator=(PackedPairs&& other) noexcept {
  data_ = std::move(other.data_);
  bytes_ = other.bytes_;
  count_ = other.count_;
  other.bytes_ = 0;
  other.count_ = 0;
  return *this;
}

PackedPairs::Pair PackedPairs::Read(size_t off) const {
  const char* d = data_.get();
  Pair p;
  p.begin = off;
  const size_t flen = GetVarint(d, &off);
  p.field = std::string_view(d + off, flen);
  off += flen;
  p.value_begin = off;
  const size_t vlen = GetVarint(d, &off);
  p.value = std::string_view(d + off, vlen);
  p.end = off + vlen;
  return p;
}

std::optional<PackedPairs::Pair> PackedPairs::Find(std::string_view field) const {
  size_t off = 0;
  while (off < bytes_) {
    const Pair p = Read(off);
    if (p.field == field) return p;
    off = p.end;
  }
  return std::nullopt;
}

std::optional<std::string_view> PackedPairs::Get(std::string_view field) const {
  std::optional<Pair> p = Find(field);
  if (!p) return std::nullopt;
  return p->value;
}

std::pair<std::string_view, std::string_view> PackedPairs::At(size_t i) const {
  assert(i < count_);
  size_t off = 0;
  for (; i > 0; --i) off = Read(off).end;
  const Pair p = Read(off);
  return {p.field, p.value};
}

bool PackedPairs::Aliases(std::string_view s) const {
  if (bytes_ == 0 || s.empty()) return false;
  // std::less gives a total order even for pointers into different objects.
  const std::less<const char*> before;
  return !before(s.data(), data_.get()) && before(s.data(), data_.get() + bytes_);
}

char* PackedPairs::Splice(size_t pos, size_t old_len, size_t new_len) {
  const size_t new_bytes = bytes_ - old_len + new_len;
  assert(new_bytes <= kMaxBytes);
  const size_t tail = bytes_ - pos - old_len;
  if (CapacityFor(new_bytes) == CapacityFor(bytes_)) {
    if (tail > 0 && old_len != new_len) {
      std::memmove(data_.get() + pos + new_len, data_.get() + pos + old_len, tail);
    }
  } else {
    std::unique_ptr<char[]> fresh = Allocate(CapacityFor(new_bytes));
    if (pos > 0) std::memcpy(fresh.get(), data_.get(), pos);
    if (tail > 0) std::memcpy(fresh.get() + pos + new_len, data_.get() + pos + old_len, tail);
    data_ = std::move(fresh);
  }
  bytes_ = static_cast<uint32_t>(new_bytes);
  return data_.get() + pos;
}

bool PackedPairs::Set(std::string_view field, std::string_view value) {
  assert(Fits(field.size(), value.size()));
  if (Aliases(field) || Aliases(value)) {
    // Splice may move or free the bytes these views point at.
    const std::string f(field);
    const std::string v(value);
    return Set(f, v);
  }
  if (std::optional<Pair> p = Find(field)) {
    if (p->value == value) return false;
    char* out =
        Splice(p->value_begin, p->end - p->value_begin, VarintSize(value.size()) + value.size());
    out = PutVarint(out, value.size());
    if (!value.empty()) std::memcpy(out, value.data(), value.size());
    return false;
  }
  WritePair(Splice(bytes_, 0, PairBytes(field.size(), value.size())), field, value);
  ++count_;
  return true;
}

bool PackedPairs::Erase(std::string_view field) {
  std::optional<Pair> p = Find(field);
  if (!p) return false;
  Splice(p->begin, p->end - p->begin, 0);
  --count_;
  return true;
}

void PackedPairs::Clear() {
  data_.reset();
  bytes_ = 0;
  count_ = 0;
}

}  // namespace store
