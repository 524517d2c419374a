// Consumer group commands: XGROUP (CREATE SETID DESTROY CREATECONSUMER DELCONSUMER HELP), XACK,
// XPENDING, XCLAIM, XAUTOCLAIM, XINFO GROUPS / CONSUMERS. XREADGROUP shares XREAD's code in
// stream_family.cc. The group structures live in store/stream_group.h.
//
// Propagation: XCLAIM and XAUTOCLAIM log one "XCLAIM key group consumer 0 id TIME t RETRYCOUNT n
// FORCE JUSTID" per entry they changed, with the absolute delivery time, so replay rebuilds the
// same PEL without reading the clock (as Redis propagates them). Idle times in replies are
// computed from the store clock, so a test can inject it.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/commands/families.h"
#include "server/commands/stream_common.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "store/stream_ops.h"

namespace server {

using detail::ParseIdOrReply;
using detail::Propagate;
using detail::Strict;

namespace {

using store::StreamGroup;
using store::StreamId;
using store::StreamNack;
using store::StreamValue;

constexpr ErrorReply kXGroupNoKey{
    "ERR",
    "The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use "
    "the MKSTREAM option to create an empty stream automatically."};
constexpr ErrorReply kBusyGroup{"BUSYGROUP", "Consumer Group name already exists"};
constexpr ErrorReply kEntriesReadRange{"ERR", "value for ENTRIESREAD must be positive or -1"};
constexpr ErrorReply kInvalidStart{"ERR", "invalid start ID for the interval"};
constexpr ErrorReply kInvalidEnd{"ERR", "invalid end ID for the interval"};
constexpr ErrorReply kAutoClaimCount{"ERR", "COUNT must be > 0"};

int64_t Now(const CommandContext& ctx) { return ctx.db->clock().now_ms; }

std::string NoGroupMessage(std::string_view key, std::string_view group) {
  return "No such key '" + std::string(key) + "' or consumer group '" + std::string(group) + "'";
}

// The stream at key and its group for writing, or an error sent: WRONGTYPE, or NOGROUP "No such
// key ... or consumer group ..." when either is missing. False iff an error was sent.
bool GroupOrReply(CommandContext& ctx, std::string_view key, std::string_view group,
                  store::Entry** e, StreamValue** s, StreamGroup** g) {
  *e = LookupWrite(ctx, key);
  store::Result<StreamValue*> r = store::MutableStreamOf(*e);
  if (!r.ok()) {
    ctx.Error(r.status());
    return false;
  }
  *s = r.value();
  *g = *s == nullptr ? nullptr : (*s)->FindGroup(group);
  if (*g == nullptr) {
    ctx.Error("NOGROUP", NoGroupMessage(key, group));
    return false;
  }
  return true;
}

// An interval bound as XPENDING/XAUTOCLAIM read it: "-", "+", an ID, or "(" ID (exclusive).
bool ParseBoundOrReply(CommandContext& ctx, std::string_view arg, uint64_t missing_seq,
                       StreamId* id, bool* exclusive) {
  store::StreamIdSyntax syntax;
  syntax.missing_seq = missing_seq;
  *exclusive = arg.size() > 1 && arg[0] == '(';
  if (*exclusive) {
    syntax.strict = true;
    arg.remove_prefix(1);
  }
  return ParseIdOrReply(ctx, arg, syntax, id);
}

void PropagateClaim(CommandContext& ctx, std::string_view key, std::string_view group,
                    std::string_view consumer, StreamId id, const StreamNack* nack) {
  if (!ctx.propagating) {
    ctx.propagate_replaced = true;
    return;
  }
  // A nack that went away (its entry was deleted) is logged with its old values: the replayed
  // XCLAIM finds no entry and drops the nack too.
  Propagate(ctx,
            {"XCLAIM", std::string(key), std::string(group), std::string(consumer), "0",
             id.ToString(), "TIME", std::to_string(nack ? nack->delivery_time : 0), "RETRYCOUNT",
             std::to_string(nack ? nack->delivery_count : 0), "FORCE", "JUSTID"});
}

// --- XGROUP --------------------------------------------------------------------------------

// Parses [MKSTREAM] [ENTRIESREAD n] from argv[5] on (MKSTREAM only for CREATE).
bool ParseXGroupOptionsOrReply(CommandContext& ctx, bool create, bool* mkstream,
                               int64_t* entries_read) {
  for (size_t i = 5; i < ctx.argc();) {
    if (create && EqualsNoCase(ctx.arg(i), "mkstream")) {
      *mkstream = true;
      ++i;
    } else if (EqualsNoCase(ctx.arg(i), "entriesread") && i + 1 < ctx.argc()) {
      if (!ParseIntOrReply(ctx, ctx.arg(i + 1), entries_read)) return false;
      if (*entries_read < 0 && *entries_read != store::kInvalidEntriesRead) {
        ctx.Error(kEntriesReadRange);
        return false;
      }
      i += 2;
    } else {
      ctx.Error("ERR", SubcommandSyntaxMessage(ctx.arg(1), "xgroup"));
      return false;
    }
  }
  return true;
}

// The stream for an XGROUP subcommand (nullptr with mkstream), or an error sent.
bool XGroupStreamOrReply(CommandContext& ctx, bool mkstream, store::Entry** e, StreamValue** s) {
  *e = LookupWrite(ctx, ctx.arg(2));
  store::Result<StreamValue*> r = store::MutableStreamOf(*e);
  if (!r.ok()) {
    ctx.Error(r.status());
    return false;
  }
  *s = r.value();
  if (*s == nullptr && !mkstream) {
    ctx.Error(kXGroupNoKey);
    return false;
  }
  return true;
}

bool XGroupGroupOrReply(CommandContext& ctx, StreamValue* s, StreamGroup** g) {
  *g = s->FindGroup(ctx.arg(3));
  if (*g == nullptr) {
    ctx.Error("NOGROUP", "No such consumer group '" + std::string(ctx.arg(3)) + "' for key name '" +
                             std::string(ctx.arg(2)) + "'");
    return false;
  }
  return true;
}

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]
void CmdXGroupCreate(CommandContext& ctx) {
  if (ctx.argc() > 8) return ctx.Error("ERR", SubcommandSyntaxMessage(ctx.arg(1), "xgroup"));
  bool mkstream = false;
  int64_t entries_read = store::kInvalidEntriesRead;
  if (!ParseXGroupOptionsOrReply(ctx, true, &mkstream, &entries_read)) return;
  store::Entry* e;
  StreamValue* s;
  if (!XGroupStreamOrReply(ctx, mkstream, &e, &s)) return;
  StreamId id;
  if (ctx.arg(4) == "$") {
    id = s == nullptr ? StreamId::Min() : s->last_id();
  } else if (!ParseIdOrReply(ctx, ctx.arg(4), Strict(), &id)) {
    return;
  }
  std::string_view key = ctx.arg(2);
  const bool created = s == nullptr;
  if (created) {
    auto fresh = std::make_unique<StreamValue>();
    s = fresh.get();
    ctx.db->Insert(key, store::Value::Of(std::move(fresh)));
  } else if (s->FindGroup(ctx.arg(3)) != nullptr) {
    return ctx.Error(kBusyGroup);
  }
  s->CreateGroup(ctx.arg(3), id, entries_read);
  ctx.db->Touched(key);
  AddDirty(ctx);
  Notify(ctx, kNotifyStream, "xgroup-create", key);
  // Logged with the ID "$" stood for.
  std::vector<std::string> cmd = {"XGROUP",
                                  "CREATE",
                                  std::string(key),
                                  std::string(ctx.arg(3)),
                                  id.ToString(),
                                  "ENTRIESREAD",
                                  std::to_string(entries_read)};
  if (created) cmd.push_back("MKSTREAM");
  Propagate(ctx, std::move(cmd));
  ctx.out.Ok();
}

// XGROUP SETID key group id|$ [ENTRIESREAD entries-read]
void CmdXGroupSetId(CommandContext& ctx) {
  if (ctx.argc() != 5 && ctx.argc() != 7) {
    return ctx.Error("ERR", SubcommandSyntaxMessage(ctx.arg(1), "xgroup"));
  }
  bool mkstream = false;
  int64_t entries_read = store::kInvalidEntriesRead;
  if (!ParseXGroupOptionsOrReply(ctx, false, &mkstream, &entries_read)) return;
  store::Entry* e;
  StreamValue* s;
  StreamGroup* g;
  if (!XGroupStreamOrReply(ctx, false, &e, &s) || !XGroupGroupOrReply(ctx, s, &g)) return;
  StreamId id;
  if (ctx.arg(4) == "$") {
    id = s->last_id();
  } else if (!ParseIdOrReply(ctx, ctx.arg(4), store::StreamIdSyntax(), &id)) {
    return;
  }
  g->last_id = id;
  g->entries_read = entries_read;
  ctx.db->Touched(ctx.arg(2));
  AddDirty(ctx);
  Notify(ctx, kNotifyStream, "xgroup-setid", ctx.arg(2));
  Propagate(ctx, {"XGROUP", "SETID", std::string(ctx.arg(2)), std::string(ctx.arg(3)),
                  id.ToString(), "ENTRIESREAD", std::to_string(entries_read)});
  ctx.out.Ok();
}

// XGROUP DESTROY key group
void CmdXGroupDestroy(CommandContext& ctx) {
  store::Entry* e;
  StreamValue* s;
  if (!XGroupStreamOrReply(ctx, false, &e, &s)) return;
  if (!s->DestroyGroup(ctx.arg(3))) return ctx.out.Integer(0);
  // Touched wakes clients blocked in XREADGROUP on this group: they get NOGROUP.
  ctx.db->Touched(ctx.arg(2));
  AddDirty(ctx);
  Notify(ctx, kNotifyStream, "xgroup-destroy", ctx.arg(2));
  ctx.out.Integer(1);
}

// XGROUP CREATECONSUMER key group consumer
void CmdXGroupCreateConsumer(CommandContext& ctx) {
  store::Entry* e;
  StreamValue* s;
  StreamGroup* g;
  if (!XGroupStreamOrReply(ctx, false, &e, &s) || !XGroupGroupOrReply(ctx, s, &g)) return;
  if (g->consumers.count(ctx.arg(4)) != 0) return ctx.out.Integer(0);
  g->Consumer(ctx.arg(4), Now(ctx));
  ctx.db->Touched(ctx.arg(2));
  AddDirty(ctx);
  Notify(ctx, kNotifyStream, "xgroup-createconsumer", ctx.arg(2));
  ctx.out.Integer(1);
}

// XGROUP DELCONSUMER key group consumer
void CmdXGroupDelConsumer(CommandContext& ctx) {
  store::Entry* e;
  StreamValue* s;
  StreamGroup* g;
  if (!XGroupStreamOrReply(ctx, false, &e, &s) || !XGroupGroupOrReply(ctx, s, &g)) return;
  if (g->consumers.count(ctx.arg(4)) == 0) return ctx.out.Integer(0);
  const size_t pending = g->DeleteConsumer(ctx.arg(4));
  ctx.db->Touched(ctx.arg(2));
  AddDirty(ctx);
  Notify(ctx, kNotifyStream, "xgroup-delconsumer", ctx.arg(2));
  ctx.out.Integer(static_cast<int64_t>(pending));
}

void CmdXGroupHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CREATE <key> <groupname> <id|$> [option]",
      "    Create a new consumer group. Options are:",
      "    * MKSTREAM",
      "      Create the empty stream if it does not exist.",
      "    * ENTRIESREAD entries_read",
      "      Set the group's entries_read counter (internal use).",
      "CREATECONSUMER <key> <groupname> <consumer>",
      "    Create a new consumer in the specified group.",
      "DELCONSUMER <key> <groupname> <consumer>",
      "    Remove the specified consumer.",
      "DESTROY <key> <groupname>",
      "    Remove the specified group.",
      "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
      "    Set the current group ID and entries_read counter.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

// --- XACK ----------------------------------------------------------------------------------

// XACK key group id [id ...]
void CmdXAck(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Result<StreamValue*> r = store::MutableStreamOf(e);
  if (!r.ok()) return ctx.Error(r.status());
  StreamGroup* g = r.value() == nullptr ? nullptr : r.value()->FindGroup(ctx.arg(2));
  if (g == nullptr) return ctx.out.Integer(0);
  std::vector<StreamId> ids(ctx.argc() - 3);
  for (size_t i = 3; i < ctx.argc(); ++i) {
    if (!ParseIdOrReply(ctx, ctx.arg(i), Strict(), &ids[i - 3])) return;
  }
  int64_t acked = 0;
  for (StreamId id : ids) acked += g->Ack(id) ? 1 : 0;
  if (acked > 0) {
    ctx.db->Touched(key);
    AddDirty(ctx, static_cast<uint64_t>(acked));
  }
  ctx.out.Integer(acked);
}

// --- XPENDING ------------------------------------------------------------------------------

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
void CmdXPending(CommandContext& ctx) {
  const bool summary = ctx.argc() == 3;
  if (!summary && (ctx.argc() < 6 || ctx.argc() > 9)) return ctx.Error(err::kSyntax);
  int64_t min_idle = 0, count = 0;
  StreamId start, end;
  std::string_view consumer;
  bool have_consumer = false;
  if (!summary) {
    size_t at = 3;
    if (EqualsNoCase(ctx.arg(3), "idle")) {
      if (!ParseIntOrReply(ctx, ctx.arg(4), &min_idle)) return;
      if (ctx.argc() < 8) return ctx.Error(err::kSyntax);
      at += 2;
    }
    if (!ParseIntOrReply(ctx, ctx.arg(at + 2), &count)) return;
    if (count < 0) count = 0;
    bool ex = false;
    if (!ParseBoundOrReply(ctx, ctx.arg(at), 0, &start, &ex)) return;
    if (ex && !start.Incr()) return ctx.Error(kInvalidStart);
    if (!ParseBoundOrReply(ctx, ctx.arg(at + 1), UINT64_MAX, &end, &ex)) return;
    if (ex && !end.Decr()) return ctx.Error(kInvalidEnd);
    if (at + 3 < ctx.argc()) {
      consumer = ctx.arg(at + 3);
      have_consumer = true;
    }
  }
  const StreamValue* s;
  if (!detail::ReadStreamOrReply(ctx, ctx.arg(1), &s)) return;
  const StreamGroup* g = s == nullptr ? nullptr : s->FindGroup(ctx.arg(2));
  if (g == nullptr) return ctx.Error("NOGROUP", NoGroupMessage(ctx.arg(1), ctx.arg(2)));
  if (summary) {
    ctx.out.ArrayHeader(4);
    ctx.out.Integer(static_cast<int64_t>(g->pel.size()));
    if (g->pel.empty()) {
      ctx.out.Null();
      ctx.out.Null();
      return ctx.out.NullArray();
    }
    ctx.out.Bulk(g->pel.begin()->first.ToString());
    ctx.out.Bulk(g->pel.rbegin()->first.ToString());
    int64_t n = 0;
    for (const auto& [name, c] : g->consumers) n += c.pel.empty() ? 0 : 1;
    ctx.out.ArrayHeader(n);
    for (const auto& [name, c] : g->consumers) {
      if (c.pel.empty()) continue;
      ctx.out.ArrayHeader(2);
      ctx.out.Bulk(name);
      ctx.out.BulkInt(static_cast<int64_t>(c.pel.size()));
    }
    return;
  }
  std::vector<StreamId> ids;
  if (have_consumer) {
    auto c = g->consumers.find(consumer);
    if (c == g->consumers.end()) return ctx.out.ArrayHeader(0);
    for (auto it = c->second.pel.lower_bound(start); it != c->second.pel.end() && *it <= end;
         ++it) {
      ids.push_back(*it);
    }
  } else {
    for (auto it = g->pel.lower_bound(start); it != g->pel.end() && it->first <= end; ++it) {
      ids.push_back(it->first);
    }
  }
  const int64_t now = Now(ctx);
  struct Row {
    StreamId id;
    const StreamNack* nack;
  };
  std::vector<Row> rows;
  for (StreamId id : ids) {
    if (static_cast<int64_t>(rows.size()) >= count) break;
    const StreamNack& nack = g->pel.at(id);
    if (min_idle != 0 && now - nack.delivery_time < min_idle) continue;
    rows.push_back({id, &nack});
  }
  ctx.out.ArrayHeader(static_cast<int64_t>(rows.size()));
  for (const Row& r : rows) {
    ctx.out.ArrayHeader(4);
    ctx.out.Bulk(r.id.ToString());
    ctx.out.Bulk(r.nack->consumer);
    ctx.out.Integer(std::max<int64_t>(now - r.nack->delivery_time, 0));
    ctx.out.Integer(static_cast<int64_t>(r.nack->delivery_count));
  }
}

// --- XCLAIM / XAUTOCLAIM -------------------------------------------------------------------

void WriteClaimed(CommandContext& ctx, const StreamValue& s, StreamId id, bool justid) {
  if (justid) return ctx.out.Bulk(id.ToString());
  std::vector<store::StreamEntry> e = s.Range(id, id, 1);
  if (e.empty()) return ctx.out.Null();
  detail::WriteEntry(ctx.out, e.front());
}

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds]
//   [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
void CmdXClaim(CommandContext& ctx) {
  std::string_view key = ctx.arg(1), group = ctx.arg(2), consumer = ctx.arg(3);
  store::Entry* e;
  StreamValue* s;
  StreamGroup* g;
  if (!GroupOrReply(ctx, key, group, &e, &s, &g)) return;
  int64_t min_idle = 0;
  if (!ParseIntOrReply(ctx, ctx.arg(4), &min_idle,
                       {"ERR", "Invalid min-idle-time argument for XCLAIM"})) {
    return;
  }
  if (min_idle < 0) min_idle = 0;
  std::vector<StreamId> ids;
  size_t j = 5;
  for (; j < ctx.argc(); ++j) {
    StreamId id;
    if (!store::ParseStreamId(ctx.arg(j), Strict(), &id)) break;
    ids.push_back(id);
  }
  const int64_t now = Now(ctx);
  int64_t delivery_time = -1, retry_count = -1;
  bool force = false, justid = false, have_last_id = false;
  StreamId last_id;
  for (; j < ctx.argc(); ++j) {
    const bool more = j + 1 < ctx.argc();
    std::string_view opt = ctx.arg(j);
    if (EqualsNoCase(opt, "force")) {
      force = true;
    } else if (EqualsNoCase(opt, "justid")) {
      justid = true;
    } else if (EqualsNoCase(opt, "idle") && more) {
      if (!ParseIntOrReply(ctx, ctx.arg(++j), &delivery_time,
                           {"ERR", "Invalid IDLE option argument for XCLAIM"})) {
        return;
      }
      delivery_time = now - delivery_time;
    } else if (EqualsNoCase(opt, "time") && more) {
      if (!ParseIntOrReply(ctx, ctx.arg(++j), &delivery_time,
                           {"ERR", "Invalid TIME option argument for XCLAIM"})) {
        return;
      }
    } else if (EqualsNoCase(opt, "retrycount") && more) {
      if (!ParseIntOrReply(ctx, ctx.arg(++j), &retry_count,
                           {"ERR", "Invalid RETRYCOUNT option argument for XCLAIM"})) {
        return;
      }
    } else if (EqualsNoCase(opt, "lastid") && more) {
      if (!ParseIdOrReply(ctx, ctx.arg(++j), Strict(), &last_id)) return;
      have_last_id = true;
    } else {
      return ctx.Error("ERR", "Unrecognized XCLAIM option '" + std::string(opt) + "'");
    }
  }
  // A bogus time (in the future, negative) is taken as now rather than refused, as Redis does.
  if (delivery_time < 0 || delivery_time > now) delivery_time = now;
  bool changed = false;
  ctx.propagate_replaced = true;
  if (have_last_id && last_id > g->last_id) {
    g->last_id = last_id;
    changed = true;
    Propagate(ctx, {"XGROUP", "SETID", std::string(key), std::string(group), last_id.ToString(),
                    "ENTRIESREAD", std::to_string(g->entries_read)});
  }
  std::vector<StreamId> claimed;
  for (StreamId id : ids) {
    auto nack = g->pel.find(id);
    if (!s->Contains(id)) {
      if (nack != g->pel.end()) {
        PropagateClaim(ctx, key, group, consumer, id, &nack->second);
        g->Ack(id);
        changed = true;
      }
      continue;
    }
    const bool had_nack = nack != g->pel.end();
    if (!had_nack && !force) continue;
    if (had_nack && min_idle != 0 && now - nack->second.delivery_time < min_idle) continue;
    bool created = false;
    g->Consumer(consumer, now, &created);
    if (created) Notify(ctx, kNotifyStream, "xgroup-createconsumer", key);
    const uint64_t old_count = had_nack ? nack->second.delivery_count : 0;
    StreamNack& n = g->Assign(id, consumer, delivery_time);
    if (retry_count >= 0) {
      n.delivery_count = static_cast<uint64_t>(retry_count);
    } else {
      n.delivery_count = justid ? old_count : old_count + 1;
    }
    claimed.push_back(id);
    changed = true;
    PropagateClaim(ctx, key, group, consumer, id, &n);
  }
  if (changed) {
    ctx.db->Touched(key);
    AddDirty(ctx);
  }
  ctx.out.ArrayHeader(static_cast<int64_t>(claimed.size()));
  for (StreamId id : claimed) WriteClaimed(ctx, *s, id, justid);
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
void CmdXAutoClaim(CommandContext& ctx) {
  int64_t min_idle = 0;
  if (!ParseIntOrReply(ctx, ctx.arg(4), &min_idle,
                       {"ERR", "Invalid min-idle-time argument for XAUTOCLAIM"})) {
    return;
  }
  if (min_idle < 0) min_idle = 0;
  StreamId start;
  bool ex = false;
  if (!ParseBoundOrReply(ctx, ctx.arg(5), 0, &start, &ex)) return;
  if (ex && !start.Incr()) return ctx.Error(kInvalidStart);
  int64_t count = 100;
  bool justid = false;
  for (size_t j = 6; j < ctx.argc(); ++j) {
    if (EqualsNoCase(ctx.arg(j), "count") && j + 1 < ctx.argc()) {
      // Redis's bound: LONG_MAX / 16 (the size of an ID, or the attempts factor 10).
      if (!ParseIntOrReply(ctx, ctx.arg(++j), &count, kAutoClaimCount)) return;
      if (count < 1 || count > INT64_MAX / 16) return ctx.Error(kAutoClaimCount);
    } else if (EqualsNoCase(ctx.arg(j), "justid")) {
      justid = true;
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  std::string_view key = ctx.arg(1), group = ctx.arg(2), consumer = ctx.arg(3);
  store::Entry* e;
  StreamValue* s;
  StreamGroup* g;
  if (!GroupOrReply(ctx, key, group, &e, &s, &g)) return;
  ctx.propagate_replaced = true;
  const int64_t now = Now(ctx);
  int64_t attempts = count * 10;
  std::vector<StreamId> claimed, deleted;
  auto it = g->pel.lower_bound(start);
  bool changed = false;
  while (attempts-- > 0 && count > 0 && it != g->pel.end()) {
    const StreamId id = it->first;
    if (!s->Contains(id)) {
      PropagateClaim(ctx, key, group, consumer, id, &it->second);
      ++it;
      g->Ack(id);
      deleted.push_back(id);
      changed = true;
      --count;
      continue;
    }
    if (min_idle != 0 && now - it->second.delivery_time < min_idle) {
      ++it;
      continue;
    }
    bool created = false;
    g->Consumer(consumer, now, &created);
    if (created) Notify(ctx, kNotifyStream, "xgroup-createconsumer", key);
    const uint64_t old_count = it->second.delivery_count;
    StreamNack& n = g->Assign(id, consumer, now);
    n.delivery_count = justid ? old_count : old_count + 1;
    PropagateClaim(ctx, key, group, consumer, id, &n);
    claimed.push_back(id);
    changed = true;
    --count;
    ++it;
  }
  const StreamId next = it == g->pel.end() ? StreamId::Min() : it->first;
  if (changed) {
    ctx.db->Touched(key);
    AddDirty(ctx);
  }
  ctx.out.ArrayHeader(3);
  ctx.out.Bulk(next.ToString());
  ctx.out.ArrayHeader(static_cast<int64_t>(claimed.size()));
  for (StreamId id : claimed) WriteClaimed(ctx, *s, id, justid);
  ctx.out.ArrayHeader(static_cast<int64_t>(deleted.size()));
  for (StreamId id : deleted) ctx.out.Bulk(id.ToString());
}

void WriteOptionalInt(resp::Writer& out, std::optional<int64_t> v) {
  if (v) {
    out.Integer(*v);
  } else {
    out.Null();
  }
}

}  // namespace

namespace detail {

// XINFO GROUPS key
void CmdXInfoGroups(CommandContext& ctx) {
  const StreamValue* s;
  if (!ReadStreamOrReply(ctx, ctx.arg(2), &s)) return;
  if (s == nullptr) return ctx.Error(err::kNoSuchKey);
  ctx.out.ArrayHeader(static_cast<int64_t>(s->groups().size()));
  for (const auto& [name, g] : s->groups()) {
    ctx.out.MapHeader(6);
    ctx.out.Bulk("name");
    ctx.out.Bulk(name);
    ctx.out.Bulk("consumers");
    ctx.out.Integer(static_cast<int64_t>(g.consumers.size()));
    ctx.out.Bulk("pending");
    ctx.out.Integer(static_cast<int64_t>(g.pel.size()));
    ctx.out.Bulk("last-delivered-id");
    ctx.out.Bulk(g.last_id.ToString());
    ctx.out.Bulk("entries-read");
    WriteOptionalInt(ctx.out, g.entries_read == store::kInvalidEntriesRead
                                  ? std::nullopt
                                  : std::optional<int64_t>(g.entries_read));
    ctx.out.Bulk("lag");
    WriteOptionalInt(ctx.out, s->Lag(g));
  }
}

// XINFO CONSUMERS key group
void CmdXInfoConsumers(CommandContext& ctx) {
  const StreamValue* s;
  if (!ReadStreamOrReply(ctx, ctx.arg(2), &s)) return;
  if (s == nullptr) return ctx.Error(err::kNoSuchKey);
  const StreamGroup* g = s->FindGroup(ctx.arg(3));
  if (g == nullptr) {
    return ctx.Error("NOGROUP", "No such consumer group '" + std::string(ctx.arg(3)) +
                                    "' for key name '" + std::string(ctx.arg(2)) + "'");
  }
  const int64_t now = Now(ctx);
  ctx.out.ArrayHeader(static_cast<int64_t>(g->consumers.size()));
  for (const auto& [name, c] : g->consumers) {
    ctx.out.MapHeader(3);
    ctx.out.Bulk("name");
    ctx.out.Bulk(name);
    ctx.out.Bulk("pending");
    ctx.out.Integer(static_cast<int64_t>(c.pel.size()));
    ctx.out.Bulk("idle");
    ctx.out.Integer(std::max<int64_t>(now - c.seen_time, 0));
  }
}

void WriteGroupsFull(CommandContext& ctx, const StreamValue& s, size_t count) {
  ctx.out.ArrayHeader(static_cast<int64_t>(s.groups().size()));
  for (const auto& [name, g] : s.groups()) {
    ctx.out.MapHeader(7);
    ctx.out.Bulk("name");
    ctx.out.Bulk(name);
    ctx.out.Bulk("last-delivered-id");
    ctx.out.Bulk(g.last_id.ToString());
    ctx.out.Bulk("entries-read");
    WriteOptionalInt(ctx.out, g.entries_read == store::kInvalidEntriesRead
                                  ? std::nullopt
                                  : std::optional<int64_t>(g.entries_read));
    ctx.out.Bulk("lag");
    WriteOptionalInt(ctx.out, s.Lag(g));
    ctx.out.Bulk("pel-count");
    ctx.out.Integer(static_cast<int64_t>(g.pel.size()));
    ctx.out.Bulk("pending");
    const size_t n = count == 0 ? g.pel.size() : std::min(count, g.pel.size());
    ctx.out.ArrayHeader(static_cast<int64_t>(n));
    size_t i = 0;
    for (auto it = g.pel.begin(); i < n; ++it, ++i) {
      ctx.out.ArrayHeader(4);
      ctx.out.Bulk(it->first.ToString());
      ctx.out.Bulk(it->second.consumer);
      ctx.out.Integer(it->second.delivery_time);
      ctx.out.Integer(static_cast<int64_t>(it->second.delivery_count));
    }
    ctx.out.Bulk("consumers");
    ctx.out.ArrayHeader(static_cast<int64_t>(g.consumers.size()));
    for (const auto& [cname, c] : g.consumers) {
      ctx.out.MapHeader(4);
      ctx.out.Bulk("name");
      ctx.out.Bulk(cname);
      ctx.out.Bulk("seen-time");
      ctx.out.Integer(c.seen_time);
      ctx.out.Bulk("pel-count");
      ctx.out.Integer(static_cast<int64_t>(c.pel.size()));
      ctx.out.Bulk("pending");
      const size_t m = count == 0 ? c.pel.size() : std::min(count, c.pel.size());
      ctx.out.ArrayHeader(static_cast<int64_t>(m));
      size_t k = 0;
      for (auto it = c.pel.begin(); k < m; ++it, ++k) {
        const StreamNack& nack = g.pel.at(*it);
        ctx.out.ArrayHeader(3);
        ctx.out.Bulk(it->ToString());
        ctx.out.Integer(nack.delivery_time);
        ctx.out.Integer(static_cast<int64_t>(nack.delivery_count));
      }
    }
  }
}

}  // namespace detail

std::vector<CommandSpec> StreamGroupCommands() {
  const uint64_t rd = kAclRead | kAclStream;
  const uint64_t wr = kAclWrite | kAclStream;
  return {
      {"xgroup",
       -2,
       0,
       0,
       0,
       0,
       kAclSlow,
       nullptr,
       "stream",
       "5.0.0",
       "A container for consumer groups commands.",
       {
           {"create", -5, kWrite | kDenyOom, 2, 2, 1, wr | kAclSlow, CmdXGroupCreate, "stream",
            "5.0.0", "Creates a consumer group."},
           {"setid", -5, kWrite, 2, 2, 1, wr | kAclSlow, CmdXGroupSetId, "stream", "5.0.0",
            "Sets the last-delivered ID of a consumer group."},
           {"destroy", 4, kWrite, 2, 2, 1, wr | kAclSlow, CmdXGroupDestroy, "stream", "5.0.0",
            "Destroys a consumer group."},
           {"createconsumer", 5, kWrite | kDenyOom, 2, 2, 1, wr | kAclSlow, CmdXGroupCreateConsumer,
            "stream", "6.2.0", "Creates a consumer in a consumer group."},
           {"delconsumer", 5, kWrite, 2, 2, 1, wr | kAclSlow, CmdXGroupDelConsumer, "stream",
            "5.0.0", "Deletes a consumer from a consumer group."},
           {"help", 2, kLoading | kStale, 0, 0, 0, kAclStream | kAclSlow, CmdXGroupHelp, "stream",
            "5.0.0", "Returns helpful text about the different subcommands."},
       }},
      {"xack", -4, kWrite | kFast, 1, 1, 1, wr | kAclFast, CmdXAck, "stream", "5.0.0",
       "Returns the number of messages that were successfully acknowledged by the consumer group "
       "member of a stream."},
      {"xpending", -3, kReadOnly, 1, 1, 1, rd | kAclSlow, CmdXPending, "stream", "5.0.0",
       "Returns the information and entries from a stream consumer group's pending entries "
       "list."},
      {"xclaim", -6, kWrite | kFast, 1, 1, 1, wr | kAclFast, CmdXClaim, "stream", "5.0.0",
       "Changes, or acquires, ownership of a message in a consumer group, as if the message was "
       "delivered a consumer group member."},
      {"xautoclaim", -6, kWrite | kFast, 1, 1, 1, wr | kAclFast, CmdXAutoClaim, "stream", "6.2.0",
       "Changes, or acquires, ownership of messages in a consumer group, as if the messages were "
       "delivered to as consumer group member."},
  };
}

}  // namespace server
