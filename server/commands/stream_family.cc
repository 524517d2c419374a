// Stream commands: XADD XRANGE XREVRANGE XLEN XDEL XTRIM XSETID XREAD XINFO. Store operations
// live in store/stream_ops.h and store/stream_value.h; handlers here parse arguments (in Redis
// 7.0's order, which decides which error a client sees) and write replies.
//
// Propagation: XADD is logged with the ID it generated, so replay never reads the clock, and a
// trim ("~" or LIMIT) is logged as the exact trim that gives the same result (MAXLEN = the
// length left, MINID = the first ID left), as Redis rewrites it. XTRIM likewise.
//
// XREAD BLOCK shares the blocking machinery of the list commands (server/blocking.h). A blocked
// XREAD keeps its arguments with every "$" replaced by the stream's last ID at the time it
// blocked, so a retry serves exactly the entries added since.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "server/commands/blocking_args.h"
#include "server/commands/families.h"
#include "server/commands/stream_common.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "store/stream_ops.h"

namespace server {

using detail::ParseIdOrReply;
using detail::Propagate;
using detail::ReadStreamOrReply;
using detail::Strict;
using detail::WriteEntries;
using detail::WriteEntry;

namespace {

using store::StreamEntry;
using store::StreamId;
using store::StreamIdSyntax;
using store::StreamTrim;
using store::StreamTrimKind;
using store::StreamValue;

constexpr ErrorReply kXAddIdZero{"ERR", "The ID specified in XADD must be greater than 0-0"};
constexpr ErrorReply kXAddIdTooSmall{
    "ERR", "The ID specified in XADD is equal or smaller than the target stream top item"};
constexpr ErrorReply kXAddExhausted{
    "ERR", "The stream has exhausted the last possible ID, unable to add more items"};
constexpr ErrorReply kXAddElementsTooLarge{"ERR", "Elements are too large to be stored"};
constexpr ErrorReply kMaxLenNegative{"ERR", "The MAXLEN argument must be >= 0."};
constexpr ErrorReply kLimitNegative{"ERR", "The LIMIT argument must be >= 0."};
constexpr ErrorReply kMaxLenAndMinId{
    "ERR", "syntax error, MAXLEN and MINID options at the same time are not compatible"};
constexpr ErrorReply kLimitWithoutTrim{
    "ERR", "syntax error, LIMIT cannot be used without specifying a trimming strategy"};
constexpr ErrorReply kLimitWithoutApprox{
    "ERR", "syntax error, LIMIT cannot be used without the special ~ option"};
constexpr ErrorReply kXTrimWithoutStrategy{
    "ERR", "syntax error, XTRIM must be called with a trimming strategy"};
constexpr ErrorReply kInvalidStart{"ERR", "invalid start ID for the interval"};
constexpr ErrorReply kInvalidEnd{"ERR", "invalid end ID for the interval"};
constexpr ErrorReply kXSetIdTooSmall{
    "ERR", "The ID specified in XSETID is smaller than the target stream top item"};
constexpr ErrorReply kXSetIdEntriesAdded{
    "ERR", "The entries_added specified in XSETID is smaller than the target stream length"};
constexpr ErrorReply kXSetIdMaxDeleted{
    "ERR", "The ID specified in XSETID is smaller than the provided max_deleted_entry_id"};
constexpr ErrorReply kEntriesAddedNegative{"ERR", "entries_added must be positive"};
constexpr ErrorReply kXReadUnbalanced{
    "ERR", "Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."};
constexpr ErrorReply kXReadGreaterThan{
    "ERR",
    "The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> "
    "option."};

// An approximate trim's default LIMIT: 100 nodes' worth of entries, within Redis's bounds.
int64_t DefaultTrimLimit(const CommandContext& ctx) {
  const int64_t entries = ctx.server.config().stream_node_max_entries;
  if (entries <= 0 || entries > 1000000 / 100) return entries <= 0 ? 10000 : 1000000;
  return 100 * entries;
}

// --- XADD / XTRIM arguments ---------------------------------------------------------------

struct AddTrimArgs {
  std::optional<StreamTrim> trim;
  bool limit_given = false;
  bool nomkstream = false;
  bool id_given = false;
  bool seq_given = true;
  StreamId id;
  size_t next = 0;  // XADD: position of the ID ("*" or given); its fields follow
};

// Parses the options of XADD (xadd = true) or XTRIM from argv[2] on, as Redis's
// streamParseAddOrTrimArgsOrReply. False iff an error was sent.
bool ParseAddTrimArgsOrReply(CommandContext& ctx, bool xadd, AddTrimArgs* a) {
  size_t i = 2;
  int64_t limit = 0;
  for (; i < ctx.argc(); ++i) {
    const size_t more = ctx.argc() - 1 - i;
    std::string_view opt = ctx.arg(i);
    if (xadd && opt == "*") break;
    const bool maxlen = EqualsNoCase(opt, "maxlen");
    if ((maxlen || EqualsNoCase(opt, "minid")) && more > 0) {
      if (a->trim) {
        ctx.Error(kMaxLenAndMinId);
        return false;
      }
      StreamTrim t;
      t.kind = maxlen ? StreamTrimKind::kMaxLen : StreamTrimKind::kMinId;
      std::string_view next = ctx.arg(i + 1);
      if (more >= 2 && (next == "~" || next == "=")) {
        t.approx = next == "~";
        ++i;
      }
      if (maxlen) {
        if (!ParseIntOrReply(ctx, ctx.arg(i + 1), &t.maxlen)) return false;
        if (t.maxlen < 0) {
          ctx.Error(kMaxLenNegative);
          return false;
        }
      } else if (!ParseIdOrReply(ctx, ctx.arg(i + 1), Strict(), &t.minid)) {
        return false;
      }
      ++i;
      a->trim = t;
    } else if (EqualsNoCase(opt, "limit") && more > 0) {
      if (!ParseIntOrReply(ctx, ctx.arg(i + 1), &limit)) return false;
      if (limit < 0) {
        ctx.Error(kLimitNegative);
        return false;
      }
      a->limit_given = true;
      ++i;
    } else if (xadd && EqualsNoCase(opt, "nomkstream")) {
      a->nomkstream = true;
    } else if (xadd) {
      StreamIdSyntax syntax = Strict();
      syntax.seq_given = &a->seq_given;
      if (!ParseIdOrReply(ctx, opt, syntax, &a->id)) return false;
      a->id_given = true;
      break;
    } else {
      ctx.Error(err::kSyntax);
      return false;
    }
  }
  a->next = i;
  if (limit != 0 && !a->trim) {
    ctx.Error(kLimitWithoutTrim);
    return false;
  }
  if (!xadd && !a->trim) {
    ctx.Error(kXTrimWithoutStrategy);
    return false;
  }
  // AOF replay obeys whatever was logged: Fickle logs exact trims, Redis may log LIMIT with them.
  if (ctx.session.is_internal) {
    if (a->trim) a->trim->limit = 0;
  } else if (a->limit_given) {
    if (!a->trim->approx) {
      ctx.Error(kLimitWithoutApprox);
      return false;
    }
    a->trim->limit = limit;
  } else if (a->trim && a->trim->approx) {
    a->trim->limit = DefaultTrimLimit(ctx);
  }
  return true;
}

// The exact trim that leaves `s` as the trim `t` just left it, for the log.
void AppendExactTrim(const StreamValue& s, const StreamTrim& t, std::vector<std::string>* cmd) {
  if (t.kind == StreamTrimKind::kMaxLen) {
    cmd->insert(cmd->end(), {"MAXLEN", "=", std::to_string(t.approx ? s.length() : t.maxlen)});
  } else {
    StreamId minid = t.minid;
    if (t.approx && s.length() > 0) minid = s.first_id();
    cmd->insert(cmd->end(), {"MINID", "=", minid.ToString()});
  }
}

// XADD key [NOMKSTREAM] [<MAXLEN|MINID> [=|~] threshold [LIMIT count]] <*|id> field value
//   [field value ...]
void CmdXAdd(CommandContext& ctx) {
  AddTrimArgs a;
  if (!ParseAddTrimArgsOrReply(ctx, /*xadd=*/true, &a)) return;
  const size_t field_pos = a.next + 1;
  if (field_pos >= ctx.argc() || (ctx.argc() - field_pos) % 2 == 1) return ctx.ErrorArity();
  if (a.id_given && a.seq_given && a.id == StreamId::Min()) return ctx.Error(kXAddIdZero);

  store::StreamAddParams p;
  using Kind = store::StreamAddParams::IdKind;
  p.id_kind = !a.id_given ? Kind::kAuto : a.seq_given ? Kind::kExplicit : Kind::kAutoSeq;
  p.id = a.id;
  p.nomkstream = a.nomkstream;
  p.trim = a.trim;
  p.node_max_entries = static_cast<size_t>(ctx.server.config().stream_node_max_entries);
  p.node_max_bytes = static_cast<size_t>(ctx.server.config().stream_node_max_bytes);
  std::string_view key = ctx.arg(1);
  std::span<const std::string_view> fields = ctx.argv.subspan(field_pos);
  store::Result<store::StreamAddOutcome> r =
      store::StreamAdd(*ctx.db, key, LookupWrite(ctx, key), p, fields,
                       static_cast<uint64_t>(std::max<int64_t>(ctx.db->clock().now_ms, 0)));
  if (!r.ok()) return ctx.Error(r.status());
  using Code = store::StreamAddOutcome::Code;
  switch (r.value().code) {
    case Code::kNoStream:
      return ctx.out.Null();
    case Code::kIdTooSmall:
      return ctx.Error(kXAddIdTooSmall);
    case Code::kExhausted:
      return ctx.Error(kXAddExhausted);
    case Code::kSeqTooBig:
      return ctx.Error(kXAddElementsTooLarge);
    case Code::kAdded:
      break;
  }
  AddDirty(ctx, 1 + static_cast<uint64_t>(r.value().trimmed));
  Notify(ctx, kNotifyStream, "xadd", key);
  if (r.value().trimmed > 0) Notify(ctx, kNotifyStream, "xtrim", key);
  const std::string id = r.value().id.ToString();
  if (ctx.propagating) {
    std::vector<std::string> cmd = {"XADD", std::string(key)};
    if (a.trim) {
      const StreamValue& s =
          static_cast<const StreamValue&>(*ctx.db->Peek(key)->value().collection());
      AppendExactTrim(s, *a.trim, &cmd);
    }
    cmd.push_back(id);
    cmd.insert(cmd.end(), fields.begin(), fields.end());
    Propagate(ctx, std::move(cmd));
  } else {
    ctx.propagate_replaced = true;
  }
  ctx.out.Bulk(id);
}

// XTRIM key <MAXLEN|MINID> [=|~] threshold [LIMIT count]
void CmdXTrim(CommandContext& ctx) {
  AddTrimArgs a;
  if (!ParseAddTrimArgsOrReply(ctx, /*xadd=*/false, &a)) return;
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Result<int64_t> r = store::StreamTrimKey(*ctx.db, key, e, *a.trim);
  if (!r.ok()) return ctx.Error(r.status());
  ctx.propagate_replaced = true;
  if (r.value() > 0) {
    AddDirty(ctx, static_cast<uint64_t>(r.value()));
    Notify(ctx, kNotifyStream, "xtrim", key);
    std::vector<std::string> cmd = {"XTRIM", std::string(key)};
    AppendExactTrim(static_cast<const StreamValue&>(*e->value().collection()), *a.trim, &cmd);
    Propagate(ctx, std::move(cmd));
  }
  ctx.out.Integer(r.value());
}

// XRANGE key start end [COUNT count] / XREVRANGE key end start [COUNT count]
void RangeGeneric(CommandContext& ctx, bool rev) {
  std::string_view start_arg = ctx.arg(rev ? 3 : 2);
  std::string_view end_arg = ctx.arg(rev ? 2 : 3);
  StreamId start, end;
  bool start_ex = false, end_ex = false;
  auto parse_bound = [&](std::string_view s, uint64_t missing_seq, StreamId* id, bool* ex) {
    StreamIdSyntax syntax;
    syntax.missing_seq = missing_seq;
    if (s.size() > 1 && s[0] == '(') {
      *ex = true;
      syntax.strict = true;
      s.remove_prefix(1);
    }
    return ParseIdOrReply(ctx, s, syntax, id);
  };
  if (!parse_bound(start_arg, 0, &start, &start_ex)) return;
  if (!parse_bound(end_arg, UINT64_MAX, &end, &end_ex)) return;
  if (start_ex && !start.Incr()) return ctx.Error(kInvalidStart);
  if (end_ex && !end.Decr()) return ctx.Error(kInvalidEnd);
  int64_t count = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    if (EqualsNoCase(ctx.arg(j), "count") && j + 1 < ctx.argc()) {
      if (!ParseIntOrReply(ctx, ctx.arg(++j), &count)) return;
      if (count < 0) count = 0;
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  const StreamValue* s;
  if (!ReadStreamOrReply(ctx, ctx.arg(1), &s)) return;
  if (s == nullptr) return ctx.out.ArrayHeader(0);
  if (count == 0) return ctx.out.NullArray();
  const size_t n = count < 0 ? 0 : static_cast<size_t>(count);
  WriteEntries(ctx.out, s->Range(start, end, n, rev));
}

void CmdXRange(CommandContext& ctx) { RangeGeneric(ctx, false); }
void CmdXRevRange(CommandContext& ctx) { RangeGeneric(ctx, true); }

// XLEN key
void CmdXLen(CommandContext& ctx) {
  const StreamValue* s;
  if (!ReadStreamOrReply(ctx, ctx.arg(1), &s)) return;
  ctx.out.Integer(s == nullptr ? 0 : static_cast<int64_t>(s->length()));
}

// XDEL key id [id ...]
// As Redis, the key is looked up before the IDs are parsed: an absent key answers 0 whatever
// the IDs.
void CmdXDel(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Result<const StreamValue*> s = store::StreamOf(e);
  if (!s.ok()) return ctx.Error(s.status());
  if (s.value() == nullptr) return ctx.out.Integer(0);
  std::vector<StreamId> ids(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (!ParseIdOrReply(ctx, ctx.arg(i), Strict(), &ids[i - 2])) return;
  }
  store::Result<int64_t> r = store::StreamDelete(*ctx.db, key, e, ids);
  if (!r.ok()) return ctx.Error(r.status());
  AddDirty(ctx, static_cast<uint64_t>(r.value()));
  if (r.value() > 0) Notify(ctx, kNotifyStream, "xdel", key);
  ctx.out.Integer(r.value());
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
void CmdXSetId(CommandContext& ctx) {
  StreamId id;
  if (!ParseIdOrReply(ctx, ctx.arg(2), Strict(), &id)) return;
  int64_t entries_added = -1;
  StreamId max_deleted;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    const bool more = i + 1 < ctx.argc();
    if (EqualsNoCase(ctx.arg(i), "entriesadded") && more) {
      if (!ParseIntOrReply(ctx, ctx.arg(++i), &entries_added)) return;
      if (entries_added < 0) return ctx.Error(kEntriesAddedNegative);
    } else if (EqualsNoCase(ctx.arg(i), "maxdeletedid") && more) {
      if (!ParseIdOrReply(ctx, ctx.arg(++i), Strict(), &max_deleted)) return;
      if (id < max_deleted) return ctx.Error(kXSetIdMaxDeleted);
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Result<StreamValue*> r = store::MutableStreamOf(e);
  if (!r.ok()) return ctx.Error(r.status());
  StreamValue* s = r.value();
  if (s == nullptr) return ctx.Error(err::kNoSuchKey);
  if (s->length() > 0) {
    if (id < s->Edge(/*last=*/true)->id) return ctx.Error(kXSetIdTooSmall);
    if (entries_added != -1 && static_cast<int64_t>(s->length()) > entries_added) {
      return ctx.Error(kXSetIdEntriesAdded);
    }
  }
  s->set_last_id(id);
  if (entries_added != -1) s->set_entries_added(static_cast<uint64_t>(entries_added));
  if (max_deleted != StreamId::Min()) s->set_max_deleted_id(max_deleted);
  ctx.db->Touched(key);
  AddDirty(ctx);
  Notify(ctx, kNotifyStream, "xsetid", key);
  ctx.out.Ok();
}

// --- XREAD ---------------------------------------------------------------------------------

// XREAD's keys: after STREAMS, the first half of what follows.
std::vector<size_t> XReadKeys(std::span<const std::string_view> argv) {
  for (size_t i = 1; i < argv.size(); ++i) {
    if (EqualsNoCase(argv[i], "streams")) {
      const size_t rest = argv.size() - i - 1;
      if (rest == 0 || rest % 2 != 0) return {};
      std::vector<size_t> keys;
      for (size_t k = 0; k < rest / 2; ++k) keys.push_back(i + 1 + k);
      return keys;
    }
  }
  return {};
}

constexpr ErrorReply kGroupOnlyXReadGroup{
    "ERR", "The GROUP option is only supported by XREADGROUP. You called XREAD instead."};
constexpr ErrorReply kNoAckOnlyXReadGroup{
    "ERR", "The NOACK option is only supported by XREADGROUP. You called XREAD instead."};
constexpr ErrorReply kMissingGroup{"ERR", "Missing GROUP option for XREADGROUP"};
constexpr ErrorReply kDollarInXReadGroup{
    "ERR",
    "The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this "
    "consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just "
    "return an empty result set."};
constexpr ErrorReply kKeyGoneWhileBlocked{"UNBLOCKED", "the stream key no longer exists"};
constexpr ErrorReply kGroupGoneWhileBlocked{
    "NOGROUP", "the consumer group this client was blocked on no longer exists"};
// A blocked read served without COUNT gets at most this many entries, as Redis's
// XREAD_BLOCKED_DEFAULT_COUNT.
constexpr size_t kBlockedDefaultCount = 1000;

// One stream's part of an XREAD/XREADGROUP reply.
struct ReadResult {
  std::string_view key;
  std::vector<store::GroupReadEntry> entries;
};

void WriteReadResults(CommandContext& ctx, const std::vector<ReadResult>& found) {
  if (ctx.session.proto >= 3) {
    ctx.out.MapHeader(static_cast<int64_t>(found.size()));
  } else {
    ctx.out.ArrayHeader(static_cast<int64_t>(found.size()));
  }
  for (const ReadResult& r : found) {
    if (ctx.session.proto < 3) ctx.out.ArrayHeader(2);
    ctx.out.Bulk(r.key);
    ctx.out.ArrayHeader(static_cast<int64_t>(r.entries.size()));
    for (const store::GroupReadEntry& e : r.entries) {
      ctx.out.ArrayHeader(2);
      ctx.out.Bulk(e.id.ToString());
      if (!e.fields) {
        ctx.out.NullArray();
        continue;
      }
      ctx.out.ArrayHeader(static_cast<int64_t>(e.fields->size()));
      for (const std::string& f : *e.fields) ctx.out.Bulk(f);
    }
  }
}

// What XREADGROUP did to a group, logged as commands that redo it (XCLAIM ... FORCE for each
// entry it made pending, XGROUP SETID with the read counter), as Redis propagates it.
void PropagateGroupRead(CommandContext& ctx, std::string_view key, std::string_view group,
                        std::string_view consumer, const store::StreamGroup& g,
                        const std::vector<store::GroupReadEntry>& entries, bool consumer_created,
                        bool moved_last_id) {
  if (!ctx.propagating) return;
  if (consumer_created) {
    Propagate(ctx, {"XGROUP", "CREATECONSUMER", std::string(key), std::string(group),
                    std::string(consumer)});
  }
  for (const store::GroupReadEntry& e : entries) {
    auto nack = g.pel.find(e.id);
    // Pending entries deleted from the stream are redelivered as nil and left alone: an XCLAIM
    // would drop them from the PEL on replay.
    if (nack == g.pel.end() || !e.fields) continue;
    Propagate(ctx, {"XCLAIM", std::string(key), std::string(group), std::string(consumer), "0",
                    e.id.ToString(), "TIME", std::to_string(nack->second.delivery_time),
                    "RETRYCOUNT", std::to_string(nack->second.delivery_count), "FORCE", "JUSTID"});
  }
  if (moved_last_id) {
    Propagate(ctx, {"XGROUP", "SETID", std::string(key), std::string(group), g.last_id.ToString(),
                    "ENTRIESREAD", std::to_string(g.entries_read)});
  }
}

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK]
//   STREAMS key [key ...] id [id ...]
void ReadGeneric(CommandContext& ctx, bool xreadgroup) {
  int64_t count = 0;
  int64_t block_ms = -1;
  size_t streams_at = 0;
  std::string_view group_name, consumer_name;
  bool have_group = false, noack = false;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    const size_t more = ctx.argc() - 1 - i;
    std::string_view opt = ctx.arg(i);
    if (EqualsNoCase(opt, "block") && more > 0) {
      int64_t ms;
      if (!ParseIntOrReply(ctx, ctx.arg(++i), &ms, err::kTimeout)) return;
      if (ms < 0) return ctx.Error(err::kTimeoutNegative);
      block_ms = ms;
    } else if (EqualsNoCase(opt, "count") && more > 0) {
      if (!ParseIntOrReply(ctx, ctx.arg(++i), &count)) return;
      if (count < 0) count = 0;
    } else if (EqualsNoCase(opt, "streams") && more > 0) {
      streams_at = i + 1;
      if (more % 2 != 0) return ctx.Error(kXReadUnbalanced);
      break;
    } else if (EqualsNoCase(opt, "group") && more >= 2) {
      if (!xreadgroup) return ctx.Error(kGroupOnlyXReadGroup);
      group_name = ctx.arg(i + 1);
      consumer_name = ctx.arg(i + 2);
      have_group = true;
      i += 2;
    } else if (EqualsNoCase(opt, "noack")) {
      if (!xreadgroup) return ctx.Error(kNoAckOnlyXReadGroup);
      noack = true;
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  if (streams_at == 0) return ctx.Error(err::kSyntax);
  if (xreadgroup && !have_group) return ctx.Error(kMissingGroup);
  const size_t nkeys = (ctx.argc() - streams_at) / 2;
  std::span<const std::string_view> keys = ctx.argv.subspan(streams_at, nkeys);
  std::vector<StreamId> ids(nkeys);
  std::vector<bool> new_only(nkeys, false);  // XREADGROUP ">"
  bool has_dollar = false;
  // Per key, as Redis: its type (and group) is checked before its ID is parsed.
  for (size_t k = 0; k < nkeys; ++k) {
    std::string_view arg = ctx.arg(streams_at + nkeys + k);
    // A blocked client retried after its key changed type keeps waiting (Redis 7.0 serves
    // stream waiters only from stream keys).
    store::Result<const StreamValue*> r = store::StreamOf(LookupRead(ctx, keys[k]));
    // A blocked XREADGROUP whose key was deleted or overwritten is told so (Redis 7.0).
    if (ctx.retry && xreadgroup && (!r.ok() || r.value() == nullptr)) {
      return ctx.Error(kKeyGoneWhileBlocked);
    }
    if (!r.ok() && WrongTypeOrKeepWaiting(ctx)) return;
    const StreamValue* s = r.ok() ? r.value() : nullptr;
    if (xreadgroup && (s == nullptr || s->FindGroup(group_name) == nullptr)) {
      if (ctx.retry && s != nullptr) return ctx.Error(kGroupGoneWhileBlocked);
      return ctx.Error("NOGROUP", "No such key '" + std::string(keys[k]) + "' or consumer group '" +
                                      std::string(group_name) +
                                      "' in XREADGROUP with GROUP option");
    }
    if (arg == "$") {
      if (xreadgroup) return ctx.Error(kDollarInXReadGroup);
      has_dollar = true;
      ids[k] = s == nullptr ? StreamId::Min() : s->last_id();
      continue;
    }
    if (arg == ">") {
      if (!xreadgroup) return ctx.Error(kXReadGreaterThan);
      new_only[k] = true;
      continue;
    }
    if (!ParseIdOrReply(ctx, arg, Strict(), &ids[k])) return;
    // Redis stands for ">" with the greatest ID, so giving that ID reads new entries too.
    if (xreadgroup && ids[k] == StreamId::Max()) new_only[k] = true;
  }
  if (ctx.retry && count == 0) count = static_cast<int64_t>(kBlockedDefaultCount);
  const int64_t now = ctx.db->clock().now_ms;
  std::vector<ReadResult> found;
  for (size_t k = 0; k < nkeys; ++k) {
    store::Entry* e = xreadgroup ? LookupWrite(ctx, keys[k]) : LookupRead(ctx, keys[k]);
    store::Result<StreamValue*> r = store::MutableStreamOf(e);
    if (!r.ok() || r.value() == nullptr) continue;
    StreamValue& s = *r.value();
    std::optional<StreamEntry> last = s.Edge(/*last=*/true);
    if (!xreadgroup) {
      if (!last || last->id <= ids[k]) continue;
      StreamId start = ids[k];
      if (!start.Incr()) continue;
      ReadResult res{keys[k], {}};
      for (StreamEntry& entry : s.Range(start, StreamId::Max(), static_cast<size_t>(count))) {
        res.entries.push_back({entry.id, std::move(entry.fields)});
      }
      found.push_back(std::move(res));
      continue;
    }
    store::StreamGroup& g = *s.FindGroup(group_name);
    // As Redis, the consumer is created (or its seen time refreshed) only when something is
    // served: always for history, for ">" only when there are new entries.
    if (new_only[k] && (!last || last->id <= g.last_id)) continue;
    bool created = false;
    g.Consumer(consumer_name, now, &created);
    if (created) {
      ctx.db->Touched(keys[k]);
      Notify(ctx, kNotifyStream, "xgroup-createconsumer", keys[k]);
    }
    if (!new_only[k]) {
      ReadResult res{keys[k], store::ReadGroupHistory(s, g, consumer_name, ids[k],
                                                      static_cast<size_t>(count), now)};
      if (!res.entries.empty()) ctx.db->Touched(keys[k]);
      AddDirty(ctx);
      PropagateGroupRead(ctx, keys[k], group_name, consumer_name, g, res.entries, created, false);
      found.push_back(std::move(res));
      continue;
    }
    ReadResult res{
        keys[k], store::ReadGroupNew(s, g, consumer_name, static_cast<size_t>(count), noack, now)};
    ctx.db->Touched(keys[k]);
    AddDirty(ctx);
    PropagateGroupRead(ctx, keys[k], group_name, consumer_name, g,
                       noack ? std::vector<store::GroupReadEntry>() : res.entries, created, true);
    found.push_back(std::move(res));
  }
  if (xreadgroup) ctx.propagate_replaced = true;
  if (!found.empty()) return WriteReadResults(ctx, found);
  if (block_ms < 0) return ctx.out.NullArray();
  if (ctx.timed_out || !ctx.may_block) return ctx.out.NullArray();
  if (has_dollar) {
    // Wait for entries after the IDs "$" stands for now, not at the time of the retry.
    ctx.block_argv.assign(ctx.argv.begin(), ctx.argv.end());
    for (size_t k = 0; k < nkeys; ++k) {
      if (ctx.arg(streams_at + nkeys + k) == "$") {
        ctx.block_argv[streams_at + nkeys + k] = ids[k].ToString();
      }
    }
  }
  ctx.block_wake_on_delete = xreadgroup;
  ctx.BlockOn(keys, block_ms);
}

void CmdXRead(CommandContext& ctx) { ReadGeneric(ctx, false); }
void CmdXReadGroup(CommandContext& ctx) { ReadGeneric(ctx, true); }

// --- XINFO ---------------------------------------------------------------------------------

void WriteEntryOrNull(resp::Writer& out, const std::optional<StreamEntry>& e) {
  if (e) {
    WriteEntry(out, *e);
  } else {
    out.Null();
  }
}

// XINFO STREAM key [FULL [COUNT count]]
void CmdXInfoStream(CommandContext& ctx) {
  const StreamValue* s;
  if (!ReadStreamOrReply(ctx, ctx.arg(2), &s)) return;
  if (s == nullptr) return ctx.Error(err::kNoSuchKey);
  bool full = false;
  int64_t count = 10;
  if (ctx.argc() > 3) {
    const bool ok = EqualsNoCase(ctx.arg(3), "full") &&
                    (ctx.argc() == 4 || (ctx.argc() == 6 && EqualsNoCase(ctx.arg(4), "count")));
    if (!ok) return ctx.Error("ERR", SubcommandSyntaxMessage(ctx.arg(1), "xinfo"));
    full = true;
    if (ctx.argc() == 6) {
      if (!ParseIntOrReply(ctx, ctx.arg(5), &count)) return;
      if (count < 0) count = 0;
    }
  }
  ctx.out.MapHeader(full ? 9 : 10);
  ctx.out.Bulk("length");
  ctx.out.Integer(static_cast<int64_t>(s->length()));
  ctx.out.Bulk("radix-tree-keys");
  ctx.out.Integer(static_cast<int64_t>(s->block_count()));
  ctx.out.Bulk("radix-tree-nodes");
  ctx.out.Integer(static_cast<int64_t>(s->RadixTreeNodes()));
  ctx.out.Bulk("last-generated-id");
  ctx.out.Bulk(s->last_id().ToString());
  ctx.out.Bulk("max-deleted-entry-id");
  ctx.out.Bulk(s->max_deleted_id().ToString());
  ctx.out.Bulk("entries-added");
  ctx.out.Integer(static_cast<int64_t>(s->entries_added()));
  ctx.out.Bulk("recorded-first-entry-id");
  ctx.out.Bulk(s->first_id().ToString());
  if (full) {
    ctx.out.Bulk("entries");
    WriteEntries(ctx.out, s->Range(StreamId::Min(), StreamId::Max(), static_cast<size_t>(count)));
    ctx.out.Bulk("groups");
    detail::WriteGroupsFull(ctx, *s, static_cast<size_t>(count));
    return;
  }
  ctx.out.Bulk("groups");
  ctx.out.Integer(static_cast<int64_t>(s->groups().size()));
  ctx.out.Bulk("first-entry");
  WriteEntryOrNull(ctx.out, s->Edge(false));
  ctx.out.Bulk("last-entry");
  WriteEntryOrNull(ctx.out, s->Edge(true));
}

void CmdXInfoHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CONSUMERS <key> <groupname>",
      "    Show consumers of <groupname>.",
      "GROUPS <key>",
      "    Show the stream consumer groups.",
      "STREAM <key> [FULL [COUNT <count>]",
      "    Show information about the stream.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> StreamCommands() {
  const uint64_t rd = kAclRead | kAclStream;
  const uint64_t wr = kAclWrite | kAclStream;
  std::vector<CommandSpec> table = {
      {"xadd", -5, kWrite | kDenyOom | kFast, 1, 1, 1, wr | kAclFast, CmdXAdd, "stream", "5.0.0",
       "Appends a new message to a stream. Creates the key if it doesn't exist."},
      {"xrange", -4, kReadOnly, 1, 1, 1, rd | kAclSlow, CmdXRange, "stream", "5.0.0",
       "Returns the messages from a stream within a range of IDs."},
      {"xrevrange", -4, kReadOnly, 1, 1, 1, rd | kAclSlow, CmdXRevRange, "stream", "5.0.0",
       "Returns the messages from a stream within a range of IDs in reverse order."},
      {"xlen", 2, kReadOnly | kFast, 1, 1, 1, rd | kAclFast, CmdXLen, "stream", "5.0.0",
       "Return the number of messages in a stream."},
      {"xdel", -3, kWrite | kFast, 1, 1, 1, wr | kAclFast, CmdXDel, "stream", "5.0.0",
       "Returns the number of messages after removing them from a stream."},
      {"xtrim", -4, kWrite, 1, 1, 1, wr | kAclSlow, CmdXTrim, "stream", "5.0.0",
       "Deletes messages from the beginning of a stream."},
      {"xsetid", -3, kWrite | kDenyOom | kFast, 1, 1, 1, wr | kAclFast, CmdXSetId, "stream",
       "5.0.0", "An internal command for replicating stream values."},
      {"xread",
       -4,
       kReadOnly | kBlocking,
       0,
       0,
       0,
       rd | kAclSlow | kAclBlocking,
       CmdXRead,
       "stream",
       "5.0.0",
       "Returns messages from multiple streams with IDs greater than the ones requested. Blocks "
       "until a message is available otherwise.",
       {},
       XReadKeys},
      {"xreadgroup",
       -7,
       kWrite | kBlocking,
       0,
       0,
       0,
       wr | kAclSlow | kAclBlocking,
       CmdXReadGroup,
       "stream",
       "5.0.0",
       "Returns new or historical messages from a stream for a consumer in a group. Blocks until "
       "a message is available otherwise.",
       {},
       XReadKeys},
      {"xinfo",
       -2,
       0,
       0,
       0,
       0,
       kAclSlow,
       nullptr,
       "stream",
       "5.0.0",
       "A container for stream introspection commands.",
       {
           {"stream", -3, kReadOnly, 2, 2, 1, rd | kAclSlow, CmdXInfoStream, "stream", "5.0.0",
            "Returns information about a stream."},
           {"groups", 3, kReadOnly, 2, 2, 1, rd | kAclSlow, detail::CmdXInfoGroups, "stream",
            "5.0.0", "Returns a list of the consumer groups of a stream."},
           {"consumers", 4, kReadOnly, 2, 2, 1, rd | kAclSlow, detail::CmdXInfoConsumers, "stream",
            "5.0.0", "Returns a list of the consumers in a consumer group."},
           {"help", 2, kLoading | kStale, 0, 0, 0, kAclStream | kAclSlow, CmdXInfoHelp, "stream",
            "5.0.0", "Returns helpful text about the different subcommands."},
       }},
  };
  for (CommandSpec& spec : StreamGroupCommands()) table.push_back(std::move(spec));
  return table;
}

}  // namespace server
