#include "server/pubsub.h"

#include <algorithm>

#include "resp/writer.h"
#include "server/server.h"
#include "store/glob.h"

namespace server {
namespace {

// Encoded size of a bulk string of n bytes: $<n>\r\n<bytes>\r\n.
size_t BulkSize(size_t n) { return 1 + std::to_string(n).size() + 2 + n + 2; }

void EraseOne(std::vector<Session*>* v, Session* s) {
  auto it = std::find(v->begin(), v->end(), s);
  if (it != v->end()) v->erase(it);
}

}  // namespace

PubSub::Table& PubSub::TableFor(SubKind kind) {
  switch (kind) {
    case SubKind::kChannel:
      return channels_;
    case SubKind::kPattern:
      return patterns_;
    case SubKind::kShard:
      break;
  }
  return shard_channels_;
}

std::set<std::string>& PubSub::SetFor(Session* s, SubKind kind) {
  switch (kind) {
    case SubKind::kChannel:
      return s->channels;
    case SubKind::kPattern:
      return s->patterns;
    case SubKind::kShard:
      break;
  }
  return s->shard_channels;
}

bool PubSub::Subscribe(Session* s, SubKind kind, std::string_view name) {
  if (!SetFor(s, kind).emplace(name).second) return false;
  auto [it, inserted] = TableFor(kind).try_emplace(std::string(name));
  it->second.push_back(s);
  if (inserted && kind == SubKind::kPattern) pattern_order_.emplace_back(name);
  return true;
}

bool PubSub::Unsubscribe(Session* s, SubKind kind, std::string_view name) {
  std::set<std::string>& mine = SetFor(s, kind);
  auto mit = mine.find(std::string(name));
  if (mit == mine.end()) return false;
  mine.erase(mit);
  Table& table = TableFor(kind);
  auto it = table.find(std::string(name));
  if (it != table.end()) {
    EraseOne(&it->second, s);
    if (it->second.empty()) {
      table.erase(it);
      if (kind == SubKind::kPattern) {
        pattern_order_.erase(std::find(pattern_order_.begin(), pattern_order_.end(), name));
      }
    }
  }
  return true;
}

void PubSub::UnsubscribeAll(Session* s) {
  for (SubKind kind : {SubKind::kChannel, SubKind::kPattern, SubKind::kShard}) {
    const std::set<std::string> names = SetFor(s, kind);  // a copy: Unsubscribe edits it
    for (const std::string& n : names) Unsubscribe(s, kind, n);
  }
}

int64_t PubSub::Publish(std::string_view channel, std::string_view message, bool shard,
                        const std::function<bool(Session*, size_t)>& admit) {
  int64_t n = 0;
  const Table& table = shard ? shard_channels_ : channels_;
  // The push/array header is 4 bytes ("*3\r\n" or ">4\r\n").
  const size_t tail = BulkSize(channel.size()) + BulkSize(message.size());
  const size_t message_bytes = 4 + BulkSize(shard ? 8 : 7) + tail;
  if (auto it = table.find(std::string(channel)); it != table.end()) {
    for (Session* s : it->second) {
      ++n;
      if (s->close_asap) continue;  // past its output limit: it will never read this
      if (admit && !admit(s, message_bytes)) continue;
      resp::Writer w(&s->out, s->proto);
      w.PushHeader(3);
      w.Bulk(shard ? "smessage" : "message");
      w.Bulk(channel);
      w.Bulk(message);
    }
  }
  if (shard) return n;
  for (const std::string& pattern : pattern_order_) {
    if (!store::GlobMatch(pattern, channel)) continue;
    const size_t pmessage_bytes = 4 + BulkSize(8) + BulkSize(pattern.size()) + tail;
    for (Session* s : patterns_.find(pattern)->second) {
      ++n;
      if (s->close_asap) continue;
      if (admit && !admit(s, pmessage_bytes)) continue;
      resp::Writer w(&s->out, s->proto);
      w.PushHeader(4);
      w.Bulk("pmessage");
      w.Bulk(pattern);
      w.Bulk(channel);
      w.Bulk(message);
    }
  }
  return n;
}

std::vector<std::string> PubSub::Channels(std::string_view pattern, bool shard) const {
  std::vector<std::string> r;
  for (const auto& [name, subs] : shard ? shard_channels_ : channels_) {
    if (pattern.empty() || store::GlobMatch(pattern, name)) r.push_back(name);
  }
  std::sort(r.begin(), r.end());
  return r;
}

int64_t PubSub::NumSub(std::string_view channel, bool shard) const {
  const Table& table = shard ? shard_channels_ : channels_;
  auto it = table.find(std::string(channel));
  return it == table.end() ? 0 : static_cast<int64_t>(it->second.size());
}

void WriteSubscriptionReply(Session& s, std::string_view kind, const std::string* channel,
                            int64_t count) {
  resp::Writer w(&s.out, s.proto);
  w.PushHeader(3);
  w.Bulk(kind);
  if (channel != nullptr) {
    w.Bulk(*channel);
  } else {
    w.Null();
  }
  w.Integer(count);
}

// The server's side of delivery lives here, beside the registry it drives.
int64_t Server::Publish(std::string_view channel, std::string_view message, bool shard) {
  return pubsub_.Publish(channel, message, shard, [this](Session* s, size_t bytes) {
    // Checked with the message counted but before it is appended, so the buffer never grows
    // (and reallocates) past the hard limit.
    CheckOutputLimit(*s, bytes);
    if (on_async_output) on_async_output(s);
    return !s->close_asap;
  });
}

}  // namespace server
