#include "store/stream_group.h"

#include <utility>

#include "store/stream_value.h"

namespace store {

StreamConsumer& StreamGroup::Consumer(std::string_view name, int64_t now_ms, bool* created) {
  auto it = consumers.find(name);
  if (created != nullptr) *created = it == consumers.end();
  if (it == consumers.end()) it = consumers.emplace(std::string(name), StreamConsumer()).first;
  it->second.seen_time = now_ms;
  return it->second;
}

size_t StreamGroup::DeleteConsumer(std::string_view name) {
  auto it = consumers.find(name);
  if (it == consumers.end()) return 0;
  const size_t n = it->second.pel.size();
  for (StreamId id : it->second.pel) pel.erase(id);
  consumers.erase(it);
  return n;
}

bool StreamGroup::Ack(StreamId id) {
  auto it = pel.find(id);
  if (it == pel.end()) return false;
  auto c = consumers.find(it->second.consumer);
  if (c != consumers.end()) c->second.pel.erase(id);
  pel.erase(it);
  return true;
}

StreamNack& StreamGroup::Assign(StreamId id, std::string_view consumer, int64_t time) {
  auto [it, inserted] = pel.try_emplace(id);
  StreamNack& nack = it->second;
  if (!inserted && nack.consumer != consumer) {
    auto old = consumers.find(nack.consumer);
    if (old != consumers.end()) old->second.pel.erase(id);
  }
  nack.consumer = std::string(consumer);
  consumers[nack.consumer].pel.insert(id);
  nack.delivery_time = time;
  return nack;
}

std::vector<GroupReadEntry> ReadGroupNew(StreamValue& s, StreamGroup& g, std::string_view consumer,
                                         size_t count, bool noack, int64_t now_ms) {
  std::vector<GroupReadEntry> out;
  StreamId start = g.last_id;
  if (!start.Incr()) return out;
  for (StreamEntry& e : s.Range(start, StreamId::Max(), count)) {
    if (e.id > g.last_id) {
      if (g.entries_read != kInvalidEntriesRead && !s.RangeHasTombstones(e.id, StreamId::Max())) {
        ++g.entries_read;
      } else if (s.entries_added() != 0) {
        g.entries_read = s.EstimateDistance(e.id);
      }
      g.last_id = e.id;
    }
    if (!noack) {
      StreamNack& nack = g.Assign(e.id, consumer, now_ms);
      nack.delivery_count = 1;
    }
    out.push_back({e.id, std::move(e.fields)});
  }
  return out;
}

std::vector<GroupReadEntry> ReadGroupHistory(const StreamValue& s, StreamGroup& g,
                                             std::string_view consumer, StreamId after,
                                             size_t count, int64_t now_ms) {
  std::vector<GroupReadEntry> out;
  auto c = g.consumers.find(consumer);
  if (c == g.consumers.end()) return out;
  for (auto it = c->second.pel.upper_bound(after);
       it != c->second.pel.end() && (count == 0 || out.size() < count); ++it) {
    std::vector<StreamEntry> e = s.Range(*it, *it, 1);
    if (e.empty()) {
      // Pending but deleted from the stream: reported as nil fields, not counted as delivered.
      out.push_back({*it, std::nullopt});
      continue;
    }
    StreamNack& nack = g.pel[*it];
    nack.delivery_time = now_ms;
    ++nack.delivery_count;
    out.push_back({*it, std::move(e.front().fields)});
  }
  return out;
}

}  // namespace store
