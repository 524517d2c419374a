#include "persistence/rdb_stream.h"

#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "persistence/rdb_packed.h"
#include "persistence/rdb_writer.h"

namespace persistence::rdb {
namespace {

using store::StreamId;

constexpr int64_t kFlagDeleted = 1;
constexpr int64_t kFlagSameFields = 2;

std::string EncodeId(StreamId id) {
  std::string k(16, '\0');
  for (int i = 0; i < 8; ++i) {
    k[static_cast<size_t>(i)] = static_cast<char>(id.ms >> (56 - 8 * i));
    k[static_cast<size_t>(8 + i)] = static_cast<char>(id.seq >> (56 - 8 * i));
  }
  return k;
}

StreamId DecodeId(std::string_view k) {
  StreamId id;
  for (size_t i = 0; i < 8; ++i) {
    id.ms = (id.ms << 8) | static_cast<uint8_t>(k[i]);
    id.seq = (id.seq << 8) | static_cast<uint8_t>(k[8 + i]);
  }
  return id;
}

// One block's entries, gathered to be written as a node.
struct NodeEntry {
  StreamId id;
  bool deleted;
  std::vector<std::string> fv;
};

void AppendLE64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool ReadRawId(Cursor& in, StreamId* id) {
  std::string_view raw;
  if (!in.ReadBytes(16, &raw)) return false;
  *id = DecodeId(raw);
  return true;
}

// One consumer group, after the stream's entries and counters are loaded.
bool ReadGroup(Cursor& in, uint8_t type, store::StreamValue* s) {
  const size_t at = in.offset();
  std::string name;
  StreamId last;
  uint64_t entries_read = static_cast<uint64_t>(store::kInvalidEntriesRead);
  if (!in.ReadString(&name) || !in.ReadLength(&last.ms) || !in.ReadLength(&last.seq)) {
    return false;
  }
  if (type >= kTypeStreamListpacks2) {
    if (!in.ReadLength(&entries_read)) return false;
  } else {
    entries_read = static_cast<uint64_t>(s->EstimateDistance(last));
  }
  store::StreamGroup* g = s->CreateGroup(name, last, static_cast<int64_t>(entries_read));
  if (g == nullptr) return in.FailAt(at, "duplicate stream consumer group '" + name + "'");
  uint64_t n = 0;
  if (!in.ReadCount(&n, 18)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    StreamId id;
    uint64_t time = 0, deliveries = 0;
    const size_t nack_at = in.offset();
    if (!ReadRawId(in, &id) || !in.ReadLE(8, &time) || !in.ReadLength(&deliveries)) return false;
    store::StreamNack nack;
    nack.delivery_time = static_cast<int64_t>(time);
    nack.delivery_count = deliveries;
    if (!g->pel.emplace(id, std::move(nack)).second) {
      return in.FailAt(nack_at, "duplicate ID in a consumer group's pending entries");
    }
  }
  uint64_t consumers = 0;
  if (!in.ReadCount(&consumers, 10)) return false;
  for (uint64_t i = 0; i < consumers; ++i) {
    const size_t c_at = in.offset();
    std::string cname;
    uint64_t seen = 0, active = 0;
    if (!in.ReadString(&cname) || !in.ReadLE(8, &seen)) return false;
    if (type >= kTypeStreamListpacks3 && !in.ReadLE(8, &active)) return false;
    if (g->consumers.count(cname) != 0) {
      return in.FailAt(c_at, "duplicate consumer '" + cname + "' in group '" + name + "'");
    }
    store::StreamConsumer& c = g->consumers[cname];
    c.seen_time = static_cast<int64_t>(seen);
    uint64_t pending = 0;
    if (!in.ReadCount(&pending, 16)) return false;
    for (uint64_t k = 0; k < pending; ++k) {
      StreamId id;
      const size_t id_at = in.offset();
      if (!ReadRawId(in, &id)) return false;
      auto nack = g->pel.find(id);
      if (nack == g->pel.end() || !nack->second.consumer.empty()) {
        return in.FailAt(id_at, "consumer pending entry not in its group's pending entries");
      }
      nack->second.consumer = cname;
      c.pel.insert(id);
    }
  }
  for (const auto& [id, nack] : g->pel) {
    if (nack.consumer.empty()) {
      return in.FailAt(at, "group pending entry " + id.ToString() + " has no consumer");
    }
  }
  return true;
}

std::string BuildNode(StreamId master, size_t live, const std::vector<NodeEntry>& entries) {
  ListpackBuilder lp;
  lp.AppendInt(static_cast<int64_t>(live));
  lp.AppendInt(static_cast<int64_t>(entries.size() - live));
  const std::vector<std::string>& master_fv = entries.front().fv;
  lp.AppendInt(static_cast<int64_t>(master_fv.size() / 2));
  for (size_t i = 0; i < master_fv.size(); i += 2) lp.Append(master_fv[i]);
  lp.AppendInt(0);
  for (const NodeEntry& e : entries) {
    bool same = e.fv.size() == master_fv.size();
    for (size_t i = 0; same && i < e.fv.size(); i += 2) same = e.fv[i] == master_fv[i];
    const int64_t nfields = static_cast<int64_t>(e.fv.size() / 2);
    lp.AppendInt((e.deleted ? kFlagDeleted : 0) | (same ? kFlagSameFields : 0));
    lp.AppendInt(static_cast<int64_t>(e.id.ms - master.ms));
    lp.AppendInt(static_cast<int64_t>(e.id.seq - master.seq));
    if (same) {
      for (size_t i = 1; i < e.fv.size(); i += 2) lp.Append(e.fv[i]);
      lp.AppendInt(nfields + 3);
    } else {
      lp.AppendInt(nfields);
      for (const std::string& s : e.fv) lp.Append(s);
      lp.AppendInt(2 * nfields + 4);
    }
  }
  return lp.Finish();
}

// Reads a listpack integer item.
bool ItemInt(const std::string& s, int64_t* v) { return store::ParseInt64(s, v); }

// Loads one node's listpack items into s. False with *error set on a malformed node.
bool LoadNode(StreamId master, const std::vector<std::string>& items, bool first_node,
              store::StreamValue* s, StreamId* prev, std::string* error) {
  size_t i = 0;
  auto next_int = [&](int64_t* v) {
    if (i >= items.size() || !ItemInt(items[i], v)) return false;
    ++i;
    return true;
  };
  int64_t live = 0, deleted = 0, nmaster = 0;
  if (!next_int(&live) || !next_int(&deleted) || !next_int(&nmaster) || live < 0 || deleted < 0 ||
      nmaster <= 0 || items.size() - i < static_cast<size_t>(nmaster) + 1) {
    *error = "bad stream node header";
    return false;
  }
  std::vector<std::string_view> master_fields(items.begin() + static_cast<long>(i),
                                              items.begin() + static_cast<long>(i + nmaster));
  i += static_cast<size_t>(nmaster);
  int64_t zero = 0;
  if (!next_int(&zero) || zero != 0) {
    *error = "bad stream node master entry";
    return false;
  }
  int64_t seen_live = 0, seen_deleted = 0;
  std::vector<std::string_view> fv;
  bool first = true;
  while (i < items.size()) {
    int64_t flags = 0, ms_diff = 0, seq_diff = 0, nfields = 0, lp_count = 0;
    if (!next_int(&flags) || !next_int(&ms_diff) || !next_int(&seq_diff)) {
      *error = "truncated stream entry";
      return false;
    }
    fv.clear();
    if (flags & kFlagSameFields) {
      if (items.size() - i < static_cast<size_t>(nmaster)) {
        *error = "truncated stream entry";
        return false;
      }
      for (int64_t f = 0; f < nmaster; ++f) {
        fv.push_back(master_fields[static_cast<size_t>(f)]);
        fv.push_back(items[i++]);
      }
    } else {
      if (!next_int(&nfields) || nfields <= 0 ||
          (items.size() - i) / 2 < static_cast<size_t>(nfields)) {
        *error = "bad stream entry field count";
        return false;
      }
      for (int64_t f = 0; f < 2 * nfields; ++f) fv.push_back(items[i++]);
    }
    if (!next_int(&lp_count)) {
      *error = "truncated stream entry";
      return false;
    }
    const StreamId id{master.ms + static_cast<uint64_t>(ms_diff),
                      master.seq + static_cast<uint64_t>(seq_diff)};
    if ((first && id != master) || (!(first && first_node) && id <= *prev)) {
      *error = "stream entry IDs out of order";
      return false;
    }
    const bool is_deleted = (flags & kFlagDeleted) != 0;
    s->LoadEntry(id, fv, is_deleted, first);
    (is_deleted ? seen_deleted : seen_live) += 1;
    *prev = id;
    first = false;
  }
  if (first || seen_live != live || seen_deleted != deleted || live == 0) {
    *error = "stream node counts do not match its entries";
    return false;
  }
  return true;
}

}  // namespace

TypeCode AppendStream(const store::StreamValue& s, bool compression, std::string* out) {
  AppendLength(s.block_count(), out);
  StreamId master;
  size_t live = 0;
  std::vector<NodeEntry> entries;
  auto flush = [&]() {
    if (entries.empty()) return;
    AppendString(EncodeId(master), compression, out);
    AppendString(BuildNode(master, live, entries), compression, out);
    entries.clear();
  };
  s.VisitBlocks(
      [&](StreamId m, size_t, size_t l) {
        flush();
        master = m;
        live = l;
      },
      [&](StreamId id, bool deleted, std::span<const std::string_view> fv) {
        entries.push_back({id, deleted, std::vector<std::string>(fv.begin(), fv.end())});
      });
  flush();
  AppendLength(s.length(), out);
  AppendLength(s.last_id().ms, out);
  AppendLength(s.last_id().seq, out);
  AppendLength(s.first_id().ms, out);
  AppendLength(s.first_id().seq, out);
  AppendLength(s.max_deleted_id().ms, out);
  AppendLength(s.max_deleted_id().seq, out);
  AppendLength(s.entries_added(), out);
  AppendLength(s.groups().size(), out);
  for (const auto& [name, g] : s.groups()) {
    AppendString(name, compression, out);
    AppendLength(g.last_id.ms, out);
    AppendLength(g.last_id.seq, out);
    AppendLength(static_cast<uint64_t>(g.entries_read), out);  // -1 is written as 2^64-1
    AppendLength(g.pel.size(), out);
    for (const auto& [id, nack] : g.pel) {
      out->append(EncodeId(id));
      AppendLE64(static_cast<uint64_t>(nack.delivery_time), out);
      AppendLength(nack.delivery_count, out);
    }
    AppendLength(g.consumers.size(), out);
    for (const auto& [cname, c] : g.consumers) {
      AppendString(cname, compression, out);
      AppendLE64(static_cast<uint64_t>(c.seen_time), out);
      AppendLength(c.pel.size(), out);
      for (StreamId id : c.pel) out->append(EncodeId(id));
    }
  }
  return kTypeStreamListpacks2;
}

bool ReadStream(Cursor& in, uint8_t type, store::Value* out) {
  const size_t at = in.offset();
  auto s = std::make_unique<store::StreamValue>();
  uint64_t nodes = 0;
  if (!in.ReadCount(&nodes, 2)) return false;
  StreamId prev;
  std::string key, blob, error;
  std::vector<std::string> items;
  for (uint64_t n = 0; n < nodes; ++n) {
    const size_t node_at = in.offset();
    if (!in.ReadString(&key)) return false;
    if (key.size() != 16) return in.FailAt(node_at, "stream node key is not a stream ID");
    if (!in.ReadString(&blob)) return false;
    items.clear();
    if (!ParseListpack(blob, &items, &error)) {
      return in.FailAt(node_at, "corrupt stream listpack: " + error);
    }
    if (items.empty()) return in.FailAt(node_at, "empty listpack inside stream");
    if (!LoadNode(DecodeId(key), items, n == 0, s.get(), &prev, &error)) {
      return in.FailAt(node_at, error);
    }
  }
  uint64_t length = 0;
  StreamId last, first, max_deleted;
  uint64_t entries_added = 0;
  if (!in.ReadLength(&length) || !in.ReadLength(&last.ms) || !in.ReadLength(&last.seq)) {
    return false;
  }
  if (type >= kTypeStreamListpacks2) {
    if (!in.ReadLength(&first.ms) || !in.ReadLength(&first.seq) ||
        !in.ReadLength(&max_deleted.ms) || !in.ReadLength(&max_deleted.seq) ||
        !in.ReadLength(&entries_added)) {
      return false;
    }
  } else {
    // Redis 5/6 files: as Redis migrates them, entries_added is the length and the first ID is
    // the first entry's.
    entries_added = length;
    std::optional<store::StreamEntry> e = s->Edge(false);
    first = e ? e->id : StreamId::Min();
  }
  if (length != s->length()) return in.FailAt(at, "stream length does not match its entries");
  if (s->length() > 0 && last < prev) {
    return in.FailAt(at, "stream last ID is smaller than its last entry");
  }
  s->set_last_id(last);
  s->set_first_id(first);
  s->set_max_deleted_id(max_deleted);
  s->set_entries_added(entries_added);
  uint64_t groups = 0;
  if (!in.ReadCount(&groups, 4)) return false;
  for (uint64_t i = 0; i < groups; ++i) {
    if (!ReadGroup(in, type, s.get())) return false;
  }
  *out = store::Value::Of(std::move(s));
  return true;
}

}  // namespace persistence::rdb
