// Consumer groups of a stream: the group's last delivered ID and read counter, its pending entries
// list (PEL: delivered, not yet acknowledged) and its consumers, each with its own view of the PEL.
//
// Invariants: every ID in a consumer's pel is in the group's pel with that consumer's name, and
// every group pel entry is in exactly one consumer's pel. Maps are ordered by bytes, as Redis's
// radix trees iterate. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/stream_id.h"

namespace store {

class StreamValue;

// entries_read when the group's position in the stream's history is unknown.
inline constexpr int64_t kInvalidEntriesRead = -1;

struct StreamNack {
  int64_t delivery_time = 0;    // Unix ms of the last delivery
  uint64_t delivery_count = 0;  // deliveries so far
  std::string consumer;         // owner
};

struct StreamConsumer {
  int64_t seen_time = 0;  // Unix ms of the consumer's last read or claim
  std::set<StreamId> pel;
};

struct StreamGroup {
  StreamId last_id;
  int64_t entries_read = kInvalidEntriesRead;
  std::map<StreamId, StreamNack> pel;
  std::map<std::string, StreamConsumer, std::less<>> consumers;

  // The consumer named `name`, created (seen now) if absent; *created says whether it was.
  // Looking a consumer up for a read or a claim refreshes its seen time, as Redis does.
  StreamConsumer& Consumer(std::string_view name, int64_t now_ms, bool* created = nullptr);
  // Deletes a consumer and its pending entries; returns how many entries it had pending.
  // 0 if there is no such consumer.
  size_t DeleteConsumer(std::string_view name);
  // Removes one pending entry (from its consumer's pel too). Returns whether it was pending.
  bool Ack(StreamId id);
  // Makes `id` pending for `consumer` (moving it from its current owner), delivered at `time`.
  StreamNack& Assign(StreamId id, std::string_view consumer, int64_t time);
};

// Entries a consumer group read, as XREADGROUP returns them.
struct GroupReadEntry {
  StreamId id;
  std::optional<std::vector<std::string>> fields;  // nullopt: pending but deleted from the stream
};

// XREADGROUP with ">": up to count (0: all) entries after the group's last ID, delivered to
// `consumer` (made pending unless noack); advances last_id and entries_read as Redis 7.0 does.
std::vector<GroupReadEntry> ReadGroupNew(StreamValue& s, StreamGroup& g, std::string_view consumer,
                                         size_t count, bool noack, int64_t now_ms);
// XREADGROUP with an ID: the consumer's pending entries after `after`, up to count (0: all),
// each redelivered (delivery time now, count + 1) unless deleted from the stream.
std::vector<GroupReadEntry> ReadGroupHistory(const StreamValue& s, StreamGroup& g,
                                             std::string_view consumer, StreamId after,
                                             size_t count, int64_t now_ms);

}  // namespace store
