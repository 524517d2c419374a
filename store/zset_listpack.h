// The "listpack" encoding of a small sorted set: its entries packed into one byte buffer, sorted
// by (score, member) as store/zset_order.h orders them.
//
//   buffer := entry{count_}                  used_ bytes in all
//   entry  := score member_len member
//   score  := 8 bytes: the double's bytes in host order (never NaN; -0 is stored as 0 by the
//             caller, as a Redis listpack, which keeps scores as text, reads -0 back as 0)
//   member_len := LEB128 varint: 7 bits a byte, low group first, the high bit set on every byte
//             but the last (1 byte for members up to 127 bytes)
//   member := member_len bytes, any values
//
// Size. The buffer is always exactly Capacity(used_) bytes: used_ rounded up to 16, the
// granularity of the allocator's small size classes, and no buffer at all when empty. Every
// change that moves that figure reallocates, so a set never keeps more than 15 spare bytes,
// at the price of a copy per insert or removal; within the listpack thresholds (128 entries of
// at most 64 bytes by default, as in Redis) that copy is a few KB at most, and the sorted insert
// moves that many bytes anyway.
//
// Operations are linear scans, as in Redis; the thresholds keep them short. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace store {

class ZListpack {
 public:
  // One decoded entry; member views the buffer until the next change. next is the offset of
  // the following entry (bytes() at the end).
  struct Item {
    double score;
    std::string_view member;
    size_t next;
  };
  // Where a member was found.
  struct Found {
    size_t rank;
    size_t offset;
    double score;
  };

  // The largest buffer a listpack may grow to; a set that would outgrow it converts, as Redis's
  // listpacks convert before they reach their 32-bit size field's limit.
  static constexpr size_t kMaxBytes = size_t{1} << 30;

  ZListpack() = default;
  ZListpack(const ZListpack& other);
  ZListpack& operator=(const ZListpack& other);

  size_t size() const { return count_; }
  size_t bytes() const { return used_; }
  // The bytes one entry for member takes.
  static size_t EntryBytes(std::string_view member);

  // The entry at offset. REQUIRES: offset < bytes() is the start of an entry.
  Item Read(size_t offset) const;
  // The offset of the entry at rank (bytes() if rank == size()). REQUIRES: rank <= size().
  size_t OffsetOf(size_t rank) const;
  std::optional<Found> Find(std::string_view member) const;
  // Adds (score, member) at its sorted place. REQUIRES: member absent.
  void Insert(double score, std::string_view member);
  // Gives the entry at f.offset a new score, moving it to its new place.
  void Rescore(const Found& f, double score);
  // Removes the entries at ranks [start, end]. REQUIRES: start <= end < size().
  void EraseRanks(size_t start, size_t end);
  // Removes the entry Find returned.
  void Erase(const Found& f);
  // Frees the buffer.
  void Clear();

  // Calls fn(score, member) for every entry, ascending.
  template <typename F>
  void ForEach(F fn) const {
    for (size_t off = 0; off < used_;) {
      Item it = Read(off);
      fn(it.score, it.member);
      off = it.next;
    }
  }
  // Calls fn(score, member) for ranks [start, end], ascending or (rev) descending.
  // REQUIRES: start <= end < size().
  template <typename F>
  void ForRange(size_t start, size_t end, bool rev, F fn) const {
    size_t off = OffsetOf(start);
    if (!rev) {
      for (size_t r = start; r <= end; ++r) {
        Item it = Read(off);
        fn(it.score, it.member);
        off = it.next;
      }
      return;
    }
    // Entries only decode forwards, so note the offsets first.
    std::vector<size_t> offsets;
    offsets.reserve(end - start + 1);
    for (size_t r = start; r <= end; ++r) {
      offsets.push_back(off);
      off = Read(off).next;
    }
    for (size_t i = offsets.size(); i-- > 0;) {
      Item it = Read(offsets[i]);
      fn(it.score, it.member);
    }
  }
  // The rank of the first entry for which before(score, member) is false; before must be
  // monotone over the order.
  template <typename Pred>
  size_t CountWhile(Pred before) const {
    size_t rank = 0;
    for (size_t off = 0; off < used_; ++rank) {
      Item it = Read(off);
      if (!before(it.score, it.member)) break;
      off = it.next;
    }
    return rank;
  }

 private:
  static size_t Capacity(size_t used) { return (used + 15) & ~size_t{15}; }
  // Replaces the remove bytes at offset with room for insert bytes (left unwritten) and returns
  // where that room starts, reallocating iff the capacity changes.
  char* Splice(size_t offset, size_t remove, size_t insert);

  std::unique_ptr<char[]> buf_;  // Capacity(used_) bytes, null when used_ == 0
  uint32_t used_ = 0;            // ZSetValue keeps the listpack small enough (kMaxBytes)
  uint32_t count_ = 0;
};

}  // namespace store
