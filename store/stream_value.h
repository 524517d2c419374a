// The stream value: an append-only log of entries (ID, field-value pairs) ordered by ID.
//
// Layout. Entries are packed in blocks; an ordered map indexes the blocks by their master ID (the
// ID of the first entry ever appended to the block), as Redis's radix tree of listpacks does.
// A block is one contiguous buffer:
//
//   block := entry*
//   entry := varint(head) [varint(ms delta) iff head & kLongDelta] varint(seq delta) body
//   head  := flags (kDeleted 1 | kSameFields 2 | kLongDelta 4) | ms delta << 3 (unless long)
//   body  := values                               iff flags & kSameFields (the master's fields)
//          | varint(nfields) (field value)*       otherwise
//   field, value := varint(len) bytes
//
// Deltas are from the previous entry of the block (the master ID for the first): the ms delta,
// then seq - prev.seq when the ms is the same and seq itself otherwise, so an entry's ID costs
// two bytes in a busy log. The first entry of a block carries its fields; later entries with the
// same field names store only their values (as Redis's "same fields" flag does). The flags sit
// in the low bits of the first byte, so deleting an entry flips a bit in place.
//
// Deletion (XDEL, exact trimming inside a block) sets kDeleted in place; a block whose entries are
// all deleted is freed. Appends go to the last block until it holds `node_max_entries` entries
// (deleted ones included) or Redis's listpack for the same node would reach `node_max_bytes`:
// each block tracks the byte size that listpack would have (RedisNodeBytes), so blocks split
// exactly where Redis's nodes do, and approximate trimming (`~`, whole blocks only) and
// XINFO's radix-tree figures come out as Redis's.
//
// Invariants: blocks are disjoint and ordered; every block has at least one live entry;
// length_ counts live entries; last_id_ >= every ID ever appended; entries_added_ >= length_.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/stream_group.h"
#include "store/stream_id.h"
#include "store/value.h"

namespace store {

struct StreamEntry {
  StreamId id;
  std::vector<std::string> fields;  // field, value, field, value, ...

  friend bool operator==(const StreamEntry&, const StreamEntry&) = default;
};

// Redis's defaults for stream-node-max-entries and stream-node-max-bytes.
inline constexpr size_t kStreamNodeMaxEntries = 100;
inline constexpr size_t kStreamNodeMaxBytes = 4096;

enum class StreamTrimKind { kMaxLen, kMinId };

struct StreamTrim {
  StreamTrimKind kind = StreamTrimKind::kMaxLen;
  bool approx = false;  // "~": remove whole blocks only
  int64_t maxlen = 0;   // kMaxLen
  StreamId minid;       // kMinId
  int64_t limit = 0;    // with approx: stop once this many entries went (0: no limit)
};

class StreamValue : public Collection {
 public:
  StreamValue() = default;
  ~StreamValue() override;
  ObjType type() const override { return ObjType::kStream; }
  std::string_view encoding() const override { return "stream"; }
  std::unique_ptr<Collection> Clone() const override;

  size_t length() const { return length_; }
  StreamId last_id() const { return last_id_; }
  StreamId max_deleted_id() const { return max_deleted_id_; }
  // The first live entry's ID as last recorded (0-0 when empty), XINFO's recorded-first-entry-id.
  StreamId first_id() const { return first_id_; }
  uint64_t entries_added() const { return entries_added_; }
  size_t block_count() const { return blocks_.size(); }

  void set_last_id(StreamId id) { last_id_ = id; }
  void set_max_deleted_id(StreamId id) { max_deleted_id_ = id; }
  void set_entries_added(uint64_t n) { entries_added_ = n; }
  void set_node_limits(size_t max_entries, size_t max_bytes) {
    node_max_entries_ = max_entries;
    node_max_bytes_ = max_bytes;
  }

  // Appends an entry. REQUIRES: id > last_id(), an even, non-zero number of field_values.
  // Updates last_id, entries_added and length.
  void Append(StreamId id, std::span<const std::string_view> field_values);

  // Snapshot loading: appends an entry (deleted or not) to a new block (new_block) or to the last
  // one, whatever the node limits say, so a loaded stream keeps the saved node layout. The
  // loader sets the metadata (last_id, first_id, ...) afterwards.
  // REQUIRES: id > every ID loaded before; !new_block only after an entry was loaded; every block
  // ends up with a live entry (a loader checks last_block_live()).
  void LoadEntry(StreamId id, std::span<const std::string_view> field_values, bool deleted,
                 bool new_block);
  // Whether the block the last LoadEntry went to has a live entry.
  bool last_block_live() const { return !blocks_.empty() && blocks_.rbegin()->second.live > 0; }
  void set_first_id(StreamId id) { first_id_ = id; }

  // Visits every block in order, then every entry of it, deleted ones included: the snapshot
  // writer lays them out as Redis's listpack nodes. `entry` sees views valid during the call.
  void VisitBlocks(const std::function<void(StreamId master, size_t count, size_t live)>& block,
                   const std::function<void(StreamId id, bool deleted,
                                            std::span<const std::string_view> fv)>& entry) const;

  // Live entries with lo <= id <= hi, ascending (or descending if rev), at most count (0: all).
  std::vector<StreamEntry> Range(StreamId lo, StreamId hi, size_t count, bool rev = false) const;
  // The first (or last) live entry, if any.
  std::optional<StreamEntry> Edge(bool last) const;

  // Deletes the live entry with this ID. Returns whether there was one. Updates max_deleted_id.
  bool Delete(StreamId id);

  // Trims as XTRIM/XADD do. Returns how many entries were deleted.
  int64_t Trim(const StreamTrim& t);

  // Whether a live entry has this ID.
  bool Contains(StreamId id) const { return !Range(id, id, 1).empty(); }

  // Consumer groups, by name.
  using GroupMap = std::map<std::string, StreamGroup, std::less<>>;
  const GroupMap& groups() const { return groups_; }
  StreamGroup* FindGroup(std::string_view name);
  const StreamGroup* FindGroup(std::string_view name) const;
  // A new group, or nullptr if one has that name.
  StreamGroup* CreateGroup(std::string_view name, StreamId last_id, int64_t entries_read);
  bool DestroyGroup(std::string_view name) { return groups_.erase(std::string(name)) > 0; }

  // Redis 7.0's read-counter arithmetic. Whether a deleted entry may lie in [start, end]
  // (streamRangeHasTombstones).
  bool RangeHasTombstones(StreamId start, StreamId end) const;
  // The number of entries added up to and including `id`, or kInvalidEntriesRead when that
  // cannot be known (streamEstimateDistanceFromFirstEverEntry).
  int64_t EstimateDistance(StreamId id) const;
  // The group's lag (entries added it has not read), or nullopt when unknown.
  std::optional<int64_t> Lag(const StreamGroup& g) const;

  // Nodes of Redis's radix tree holding one key (16-byte big-endian master ID) per block.
  size_t RadixTreeNodes() const;
  // Heap bytes held (blocks and index), for MEMORY USAGE and the memory figures.
  size_t MemoryBytes() const;

 private:
  struct Block {
    std::string data;
    StreamId last;            // ID of the last entry appended (live or deleted)
    uint32_t count = 0;       // entries, deleted ones included
    uint32_t live = 0;        // entries not deleted
    uint32_t redis_body = 0;  // bytes of Redis's listpack for this node, less its header
  };
  using BlockMap = std::map<StreamId, Block>;

  // Visits the entries of a block in order: f(id, deleted, offset of the flags byte,
  // field_values) until f returns false.
  template <typename F>
  static void ForEach(StreamId master, const Block& b, F&& f);
  static size_t RedisNodeBytes(const Block& b);
  bool BlockFull(const Block& b, std::span<const std::string_view> field_values) const;
  enum class Place { kAuto, kNewBlock, kLastBlock };
  // Returns the offset of the new entry's flags byte in its block.
  size_t AppendAt(StreamId id, std::span<const std::string_view> field_values, Place place);
  // Refreshes first_id_ after deletions.
  void UpdateFirstId();
  int64_t TrimExactInBlock(BlockMap::iterator it, const StreamTrim& t);

  BlockMap blocks_;
  GroupMap groups_;
  size_t length_ = 0;
  StreamId last_id_;
  StreamId max_deleted_id_;
  StreamId first_id_;
  uint64_t entries_added_ = 0;
  size_t node_max_entries_ = kStreamNodeMaxEntries;
  size_t node_max_bytes_ = kStreamNodeMaxBytes;
};

}  // namespace store
