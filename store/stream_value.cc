#include "store/stream_value.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <utility>

#include "store/varint.h"

namespace store {
namespace {

// Low bits of an entry's head varint (stream_value.h). kDeleted and kSameFields sit in the first
// byte of the varint, so deleting an entry flips a bit in place.
constexpr uint8_t kDeleted = 1;
constexpr uint8_t kSameFields = 2;
constexpr uint8_t kLongDelta = 4;  // the ms delta follows as its own varint
constexpr uint64_t kInlineDeltaLimit = uint64_t{1} << 61;

// Redis caps a stream listpack at 1 GB whatever stream-node-max-bytes says.
constexpr size_t kRedisListpackMaxSize = size_t{1} << 30;

// --- Sizes of Redis's listpack elements (listpack.c's encodings), to split blocks where Redis
// splits its nodes.

size_t BacklenSize(size_t l) {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

size_t LpIntSize(int64_t v) {
  size_t enc;
  if (v >= 0 && v <= 127) {
    enc = 1;
  } else if (v >= -4096 && v <= 4095) {
    enc = 2;
  } else if (v >= -32768 && v <= 32767) {
    enc = 3;
  } else if (v >= -8388608 && v <= 8388607) {
    enc = 4;
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    enc = 5;
  } else {
    enc = 9;
  }
  return enc + BacklenSize(enc);
}

// A string element: integer-encoded when it is a canonical int64, as lpAppend does.
size_t LpStrSize(std::string_view s) {
  int64_t v;
  if (ParseInt64(s, &v)) return LpIntSize(v);
  size_t enc = s.size() < 64 ? 1 + s.size() : s.size() < 4096 ? 2 + s.size() : 5 + s.size();
  return enc + BacklenSize(enc);
}

// Bytes Redis's node gains for one entry (flags, ms-diff, seq-diff, [numfields, fields], values,
// lp-count).
size_t RedisEntryBytes(StreamId master, StreamId id, std::span<const std::string_view> fv,
                       bool same_fields) {
  const size_t numfields = fv.size() / 2;
  size_t n = LpIntSize(same_fields ? kSameFields : 0);
  n += LpIntSize(static_cast<int64_t>(id.ms - master.ms));
  n += LpIntSize(static_cast<int64_t>(id.seq - master.seq));
  int64_t lp_count = static_cast<int64_t>(numfields) + 3;
  if (!same_fields) {
    n += LpIntSize(static_cast<int64_t>(numfields));
    lp_count += static_cast<int64_t>(numfields) + 1;
  }
  for (size_t i = 0; i < fv.size(); ++i) {
    if (same_fields && i % 2 == 0) continue;
    n += LpStrSize(fv[i]);
  }
  n += LpIntSize(lp_count);
  return n;
}

void PutBytes(std::string* out, std::string_view s) {
  char buf[10];
  out->append(buf, PutVarint(buf, s.size()) - buf);
  out->append(s);
}

// Nodes of a radix tree (rax) over keys[a, b), all sharing their first `depth` bytes, where a node
// starts at `depth`. REQUIRES: keys sorted, distinct, all of length 16, a < b.
size_t RaxNodes(const std::vector<std::array<unsigned char, 16>>& keys, size_t a, size_t b,
                size_t depth) {
  if (depth == 16) return 1;  // the key's leaf
  size_t lcp = depth;
  while (lcp < 16 && keys[a][lcp] == keys[b - 1][lcp]) ++lcp;
  size_t nodes = 0;
  if (lcp > depth) {
    ++nodes;  // a compressed node for the shared run
    if (lcp == 16) return nodes + 1;
  }
  ++nodes;  // the branching node at lcp
  for (size_t i = a; i < b;) {
    size_t j = i + 1;
    while (j < b && keys[j][lcp] == keys[i][lcp]) ++j;
    nodes += RaxNodes(keys, i, j, lcp + 1);
    i = j;
  }
  return nodes;
}

}  // namespace

StreamValue::~StreamValue() = default;

std::unique_ptr<Collection> StreamValue::Clone() const {
  return std::make_unique<StreamValue>(*this);
}

template <typename F>
void StreamValue::ForEach(StreamId master, const Block& b, F&& f) {
  const char* p = b.data.data();
  size_t off = 0;
  std::vector<std::string_view> master_fields;
  std::vector<std::string_view> fv;
  auto read_bytes = [&]() {
    const size_t len = GetVarint(p, &off);
    std::string_view s(p + off, len);
    off += len;
    return s;
  };
  StreamId prev = master;
  while (off < b.data.size()) {
    const size_t at = off;
    const uint64_t head = GetVarint(p, &off);
    const auto flags = static_cast<uint8_t>(head & 7);
    const uint64_t ms_delta = (flags & kLongDelta) ? GetVarint(p, &off) : head >> 3;
    const uint64_t seq = GetVarint(p, &off);
    StreamId id;
    id.ms = prev.ms + ms_delta;
    id.seq = ms_delta == 0 ? prev.seq + seq : seq;
    prev = id;
    fv.clear();
    if (flags & kSameFields) {
      for (std::string_view field : master_fields) {
        fv.push_back(field);
        fv.push_back(read_bytes());
      }
    } else {
      const size_t n = GetVarint(p, &off);
      for (size_t i = 0; i < 2 * n; ++i) fv.push_back(read_bytes());
      if (at == 0) {
        for (size_t i = 0; i < fv.size(); i += 2) master_fields.push_back(fv[i]);
      }
    }
    if (!f(id, (flags & kDeleted) != 0, at, std::span<const std::string_view>(fv))) return;
  }
}

size_t StreamValue::RedisNodeBytes(const Block& b) {
  // Header (total bytes, element count) and end byte, then the live and deleted counters.
  return 7 + LpIntSize(b.live) + LpIntSize(b.count - b.live) + b.redis_body;
}

bool StreamValue::BlockFull(const Block& b, std::span<const std::string_view> fv) const {
  size_t max_bytes = node_max_bytes_;
  if (max_bytes == 0 || max_bytes > kRedisListpackMaxSize) max_bytes = kRedisListpackMaxSize;
  size_t total = 0;
  for (std::string_view s : fv) total += s.size();
  if (RedisNodeBytes(b) + total >= max_bytes) return true;
  return node_max_entries_ != 0 && b.count >= node_max_entries_;
}

void StreamValue::Append(StreamId id, std::span<const std::string_view> fv) {
  assert(id > last_id_);
  AppendAt(id, fv, Place::kAuto);
}

void StreamValue::LoadEntry(StreamId id, std::span<const std::string_view> fv, bool deleted,
                            bool new_block) {
  const size_t at = AppendAt(id, fv, new_block ? Place::kNewBlock : Place::kLastBlock);
  if (deleted) {
    Block& b = blocks_.rbegin()->second;
    b.data[at] = static_cast<char>(b.data[at] | kDeleted);
    --b.live;
    --length_;
  }
}

void StreamValue::VisitBlocks(
    const std::function<void(StreamId, size_t, size_t)>& block,
    const std::function<void(StreamId, bool, std::span<const std::string_view>)>& entry) const {
  for (const auto& [master, b] : blocks_) {
    block(master, b.count, b.live);
    ForEach(master, b,
            [&](StreamId id, bool deleted, size_t, std::span<const std::string_view> fv) {
              entry(id, deleted, fv);
              return true;
            });
  }
}

size_t StreamValue::AppendAt(StreamId id, std::span<const std::string_view> fv, Place place) {
  assert(!fv.empty() && fv.size() % 2 == 0);
  Block* b = nullptr;
  StreamId master;
  if (!blocks_.empty() && place != Place::kNewBlock) {
    auto it = std::prev(blocks_.end());
    if (place == Place::kLastBlock || !BlockFull(it->second, fv)) {
      b = &it->second;
      master = it->first;
    }
  }
  const size_t numfields = fv.size() / 2;
  bool same_fields = false;
  if (b == nullptr) {
    master = id;
    b = &blocks_[id];
    // Redis's master entry: num-fields, the field names and a zero terminator.
    b->redis_body =
        static_cast<uint32_t>(LpIntSize(static_cast<int64_t>(numfields)) + LpIntSize(0));
    for (size_t i = 0; i < fv.size(); i += 2) b->redis_body += LpStrSize(fv[i]);
  } else {
    same_fields = true;
    ForEach(master, *b, [&](StreamId, bool, size_t, std::span<const std::string_view> first) {
      if (first.size() != fv.size()) {
        same_fields = false;
        return false;
      }
      for (size_t i = 0; i < fv.size(); i += 2) {
        if (first[i] != fv[i]) same_fields = false;
      }
      return false;  // only the first entry holds the master fields
    });
  }
  // Redis compares with the master fields even for a node's first entry, which always matches.
  const bool redis_same = same_fields || b->count == 0;
  b->redis_body += static_cast<uint32_t>(RedisEntryBytes(master, id, fv, redis_same));
  std::string& d = b->data;
  const size_t at = d.size();
  char buf[40];
  // Deltas from the previous entry of the block (the master for the first).
  const StreamId prev = b->count == 0 ? master : b->last;
  const uint64_t ms_delta = id.ms - prev.ms;
  const uint64_t flags = same_fields ? kSameFields : 0;
  char* q = ms_delta < kInlineDeltaLimit ? PutVarint(buf, flags | (ms_delta << 3))
                                         : PutVarint(PutVarint(buf, flags | kLongDelta), ms_delta);
  q = PutVarint(q, ms_delta == 0 ? id.seq - prev.seq : id.seq);
  if (!same_fields) q = PutVarint(q, numfields);
  d.append(buf, static_cast<size_t>(q - buf));
  for (size_t i = 0; i < fv.size(); ++i) {
    if (same_fields && i % 2 == 0) continue;
    PutBytes(&d, fv[i]);
  }
  ++b->count;
  ++b->live;
  b->last = id;
  // A full block never grows again: give back the slack of the string's geometric growth.
  // (A copy: libstdc++'s shrink_to_fit does nothing when built without exceptions.)
  if (BlockFull(*b, fv) && d.capacity() > d.size()) d = std::string(d);
  if (length_ == 0) first_id_ = id;
  ++length_;
  ++entries_added_;
  last_id_ = id;
  return at;
}

std::vector<StreamEntry> StreamValue::Range(StreamId lo, StreamId hi, size_t count,
                                            bool rev) const {
  std::vector<StreamEntry> out;
  if (lo > hi || blocks_.empty()) return out;
  auto emit = [&](StreamId id, std::span<const std::string_view> fv) {
    StreamEntry e{id, {}};
    e.fields.assign(fv.begin(), fv.end());
    out.push_back(std::move(e));
    return count == 0 || out.size() < count;
  };
  // The first block that may hold lo: the last one whose master ID is <= lo.
  auto start = blocks_.upper_bound(lo);
  if (start != blocks_.begin()) --start;
  if (!rev) {
    for (auto it = start; it != blocks_.end() && it->first <= hi; ++it) {
      if (it->second.last < lo) continue;
      bool more = true;
      ForEach(it->first, it->second,
              [&](StreamId id, bool deleted, size_t, std::span<const std::string_view> fv) {
                if (id > hi) {
                  more = false;
                  return false;
                }
                if (deleted || id < lo) return true;
                more = emit(id, fv);
                return more;
              });
      if (!more) break;
    }
    return out;
  }
  auto it = blocks_.upper_bound(hi);
  while (it != blocks_.begin()) {
    --it;
    if (it->second.last < lo) break;
    // Entries decode forwards only: collect this block's matches, then emit them backwards.
    std::vector<StreamEntry> block_entries;
    ForEach(it->first, it->second,
            [&](StreamId id, bool deleted, size_t, std::span<const std::string_view> fv) {
              if (id > hi) return false;
              if (!deleted && id >= lo) {
                block_entries.push_back(StreamEntry{id, {fv.begin(), fv.end()}});
              }
              return true;
            });
    for (auto e = block_entries.rbegin(); e != block_entries.rend(); ++e) {
      out.push_back(std::move(*e));
      if (count != 0 && out.size() >= count) return out;
    }
  }
  return out;
}

std::optional<StreamEntry> StreamValue::Edge(bool last) const {
  std::vector<StreamEntry> v = Range(StreamId::Min(), StreamId::Max(), 1, last);
  if (v.empty()) return std::nullopt;
  return std::move(v.front());
}

bool StreamValue::Delete(StreamId id) {
  auto it = blocks_.upper_bound(id);
  if (it == blocks_.begin()) return false;
  --it;
  if (it->second.last < id) return false;
  Block& b = it->second;
  size_t found = std::string::npos;
  ForEach(it->first, b, [&](StreamId eid, bool deleted, size_t at, auto) {
    if (eid < id) return true;
    if (eid == id && !deleted) found = at;
    return false;
  });
  if (found == std::string::npos) return false;
  b.data[found] = static_cast<char>(b.data[found] | kDeleted);
  --b.live;
  --length_;
  if (id > max_deleted_id_) max_deleted_id_ = id;
  const bool was_first = it == blocks_.begin();
  if (b.live == 0) blocks_.erase(it);
  if (was_first) UpdateFirstId();
  return true;
}

void StreamValue::UpdateFirstId() {
  std::optional<StreamEntry> first = Edge(false);
  first_id_ = first ? first->id : StreamId::Min();
}

int64_t StreamValue::TrimExactInBlock(BlockMap::iterator it, const StreamTrim& t) {
  Block& b = it->second;
  int64_t deleted = 0;
  std::vector<size_t> marks;
  ForEach(it->first, b, [&](StreamId id, bool is_deleted, size_t at, auto) {
    if (is_deleted) return true;
    const bool stop = t.kind == StreamTrimKind::kMaxLen
                          ? static_cast<int64_t>(length_) - deleted <= t.maxlen
                          : id >= t.minid;
    if (stop) return false;
    marks.push_back(at);
    ++deleted;
    return true;
  });
  for (size_t at : marks) b.data[at] = static_cast<char>(b.data[at] | kDeleted);
  b.live -= static_cast<uint32_t>(deleted);
  length_ -= static_cast<size_t>(deleted);
  // The loop stops before the block empties (a block that could empty is removed whole).
  assert(b.live > 0);
  return deleted;
}

int64_t StreamValue::Trim(const StreamTrim& t) {
  int64_t deleted = 0;
  auto it = blocks_.begin();
  while (it != blocks_.end()) {
    if (t.kind == StreamTrimKind::kMaxLen && static_cast<int64_t>(length_) <= t.maxlen) break;
    Block& b = it->second;
    const auto entries = static_cast<int64_t>(b.live);
    // As Redis: LIMIT counts whole blocks, and a block that would pass it is kept.
    if (t.limit != 0 && deleted + entries > t.limit) break;
    const bool remove = t.kind == StreamTrimKind::kMaxLen
                            ? static_cast<int64_t>(length_) - entries >= t.maxlen
                            : b.last < t.minid;
    if (remove) {
      length_ -= static_cast<size_t>(entries);
      deleted += entries;
      it = blocks_.erase(it);
      continue;
    }
    if (!t.approx) deleted += TrimExactInBlock(it, t);
    break;
  }
  if (deleted > 0) UpdateFirstId();
  return deleted;
}

size_t StreamValue::RadixTreeNodes() const {
  if (blocks_.empty()) return 1;
  std::vector<std::array<unsigned char, 16>> keys;
  keys.reserve(blocks_.size());
  for (const auto& [master, b] : blocks_) {
    std::array<unsigned char, 16> k;
    for (int i = 0; i < 8; ++i) {
      k[static_cast<size_t>(i)] = static_cast<unsigned char>(master.ms >> (56 - 8 * i));
      k[static_cast<size_t>(8 + i)] = static_cast<unsigned char>(master.seq >> (56 - 8 * i));
    }
    keys.push_back(k);
  }
  return RaxNodes(keys, 0, keys.size(), 0);
}

StreamGroup* StreamValue::FindGroup(std::string_view name) {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : &it->second;
}

const StreamGroup* StreamValue::FindGroup(std::string_view name) const {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : &it->second;
}

StreamGroup* StreamValue::CreateGroup(std::string_view name, StreamId last_id,
                                      int64_t entries_read) {
  auto [it, inserted] = groups_.try_emplace(std::string(name));
  if (!inserted) return nullptr;
  it->second.last_id = last_id;
  it->second.entries_read = entries_read;
  return &it->second;
}

bool StreamValue::RangeHasTombstones(StreamId start, StreamId end) const {
  if (length_ == 0 || max_deleted_id_ == StreamId::Min()) return false;
  if (first_id_ > max_deleted_id_) return false;
  return start <= max_deleted_id_ && max_deleted_id_ <= end;
}

int64_t StreamValue::EstimateDistance(StreamId id) const {
  const auto added = static_cast<int64_t>(entries_added_);
  if (entries_added_ == 0) return 0;
  if (length_ == 0 && id <= last_id_) return added;
  if (id == last_id_) return added;
  if (id > last_id_) return kInvalidEntriesRead;
  if (max_deleted_id_ == StreamId::Min() || max_deleted_id_ < first_id_) {
    if (id < first_id_) return added - static_cast<int64_t>(length_);
    if (id == first_id_) return added - static_cast<int64_t>(length_) + 1;
  }
  return kInvalidEntriesRead;
}

std::optional<int64_t> StreamValue::Lag(const StreamGroup& g) const {
  const auto added = static_cast<int64_t>(entries_added_);
  if (entries_added_ == 0) return 0;
  if (g.entries_read != kInvalidEntriesRead && !RangeHasTombstones(g.last_id, StreamId::Max())) {
    return added - g.entries_read;
  }
  const int64_t read = EstimateDistance(g.last_id);
  if (read == kInvalidEntriesRead) return std::nullopt;
  return added - read;
}

size_t StreamValue::MemoryBytes() const {
  // A map node: three links, color, key and the block header.
  constexpr size_t kNodeBytes = 32 + sizeof(StreamId) + sizeof(Block);
  size_t n = sizeof(*this);
  for (const auto& [master, b] : blocks_) n += kNodeBytes + b.data.capacity();
  return n;
}

}  // namespace store
