#include "store/zset_listpack.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

#include "store/varint.h"
#include "store/zset_order.h"

namespace store {

namespace {

// Writes one entry at p (EntryBytes(member) bytes).
void PutEntry(char* p, double score, std::string_view member) {
  std::memcpy(p, &score, sizeof score);
  p = PutVarint(p + sizeof score, member.size());
  if (!member.empty()) std::memcpy(p, member.data(), member.size());
}

}  // namespace

ZListpack::ZListpack(const ZListpack& other) : used_(other.used_), count_(other.count_) {
  if (used_ == 0) return;
  buf_ = std::make_unique_for_overwrite<char[]>(Capacity(used_));
  std::memcpy(buf_.get(), other.buf_.get(), used_);
}

ZListpack& ZListpack::operator=(const ZListpack& other) {
  if (this != &other) {
    ZListpack copy(other);
    buf_.swap(copy.buf_);
    std::swap(used_, copy.used_);
    std::swap(count_, copy.count_);
  }
  return *this;
}

size_t ZListpack::EntryBytes(std::string_view member) {
  return sizeof(double) + VarintSize(member.size()) + member.size();
}

ZListpack::Item ZListpack::Read(size_t offset) const {
  assert(offset < used_);
  const char* p = buf_.get() + offset;
  Item it;
  std::memcpy(&it.score, p, sizeof it.score);
  p += sizeof it.score;
  size_t used = 0;
  const size_t len = GetVarint(p, &used);
  p += used;
  it.member = std::string_view(p, len);
  it.next = static_cast<size_t>(p - buf_.get()) + len;
  return it;
}

size_t ZListpack::OffsetOf(size_t rank) const {
  assert(rank <= count_);
  size_t off = 0;
  for (size_t r = 0; r < rank; ++r) off = Read(off).next;
  return off;
}

std::optional<ZListpack::Found> ZListpack::Find(std::string_view member) const {
  size_t rank = 0;
  for (size_t off = 0; off < used_; ++rank) {
    Item it = Read(off);
    if (it.member == member) return Found{rank, off, it.score};
    off = it.next;
  }
  return std::nullopt;
}

char* ZListpack::Splice(size_t offset, size_t remove, size_t insert) {
  assert(offset + remove <= used_);
  const size_t tail = used_ - offset - remove;
  const size_t used = used_ - remove + insert;
  assert(used <= kMaxBytes);
  if (Capacity(used) == Capacity(used_)) {
    char* p = buf_.get() + offset;
    if (tail > 0 && remove != insert) std::memmove(p + insert, p + remove, tail);
  } else {
    std::unique_ptr<char[]> fresh;
    if (used > 0) {
      fresh = std::make_unique_for_overwrite<char[]>(Capacity(used));
      if (offset > 0) std::memcpy(fresh.get(), buf_.get(), offset);
      if (tail > 0) std::memcpy(fresh.get() + offset + insert, buf_.get() + offset + remove, tail);
    }
    buf_ = std::move(fresh);
  }
  used_ = static_cast<uint32_t>(used);
  return buf_.get() + offset;
}

void ZListpack::Insert(double score, std::string_view member) {
  size_t off = 0;
  while (off < used_) {
    Item it = Read(off);
    if (!ZLess(it.score, it.member, score, member)) break;
    off = it.next;
  }
  PutEntry(Splice(off, 0, EntryBytes(member)), score, member);
  ++count_;
}

void ZListpack::Rescore(const Found& f, double score) {
  const Item self = Read(f.offset);
  const size_t len = self.next - f.offset;
  // The new place, as an offset in the buffer as it is: before the first other entry that does
  // not sort before (score, member). The entry's own bytes cannot move, so the shift is a rotate.
  size_t ins = 0;
  while (ins < used_) {
    if (ins == f.offset) {
      ins = self.next;
      continue;
    }
    Item it = Read(ins);
    if (!ZLess(it.score, it.member, score, self.member)) break;
    ins = it.next;
  }
  char* b = buf_.get();
  size_t at = f.offset;
  if (ins > self.next) {
    std::rotate(b + f.offset, b + self.next, b + ins);
    at = ins - len;
  } else if (ins < f.offset) {
    std::rotate(b + ins, b + f.offset, b + self.next);
    at = ins;
  }
  std::memcpy(b + at, &score, sizeof score);
}

void ZListpack::EraseRanks(size_t start, size_t end) {
  assert(start <= end && end < count_);
  const size_t from = OffsetOf(start);
  size_t to = from;
  for (size_t r = start; r <= end; ++r) to = Read(to).next;
  Splice(from, to - from, 0);
  count_ -= static_cast<uint32_t>(end - start + 1);
}

void ZListpack::Erase(const Found& f) {
  Splice(f.offset, Read(f.offset).next - f.offset, 0);
  --count_;
}

void ZListpack::Clear() {
  buf_.reset();
  used_ = 0;
  count_ = 0;
}

}  // namespace store
