// List commands (the non-blocking ones). Store operations live in store/list_ops.h; handlers here
// parse arguments and write replies. Argument checks run in Redis 7.0's order, because that order
// decides which error a client sees: LRANGE, LTRIM, LREM, LPOP and LPOS parse their numbers before
// the key is looked up, while LINDEX and LSET look the key up (and check its type) first.
#include <optional>
#include <string>
#include <vector>

#include "server/commands/families.h"
#include "server/commands/key_finders.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "store/list_ops.h"

namespace server {
namespace {

using store::ListEnd;

// The node bound for elements written now (CONFIG SET may change it at any time).
int64_t Fill(const CommandContext& ctx) { return ctx.server.config().list_max_listpack_size; }

void ReplyStrings(CommandContext& ctx, const std::vector<std::string>& items) {
  ctx.out.ArrayHeader(static_cast<int64_t>(items.size()));
  for (const std::string& s : items) ctx.out.Bulk(s);
}

// Parses LEFT or RIGHT (any case). False iff it is neither (and the syntax error was sent).
bool ParseEndOrReply(CommandContext& ctx, std::string_view s, ListEnd* end) {
  if (EqualsNoCase(s, "left")) {
    *end = ListEnd::kHead;
  } else if (EqualsNoCase(s, "right")) {
    *end = ListEnd::kTail;
  } else {
    ctx.Error(err::kSyntax);
    return false;
  }
  return true;
}

void PushGeneric(CommandContext& ctx, ListEnd end, bool only_if_exists) {
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Result<int64_t> n =
      store::Push(*ctx.db, key, e, end, ctx.argv.subspan(2), only_if_exists, Fill(ctx));
  if (!n.ok()) return ctx.Error(n.status());
  if (n.value() > 0) {
    AddDirty(ctx, ctx.argc() - 2);
    Notify(ctx, kNotifyList, end == ListEnd::kHead ? "lpush" : "rpush", key);
  }
  ctx.out.Integer(n.value());
}

// LPUSH key element [element ...]
void CmdLPush(CommandContext& ctx) { PushGeneric(ctx, ListEnd::kHead, false); }
// RPUSH key element [element ...]
void CmdRPush(CommandContext& ctx) { PushGeneric(ctx, ListEnd::kTail, false); }
// LPUSHX key element [element ...]
void CmdLPushX(CommandContext& ctx) { PushGeneric(ctx, ListEnd::kHead, true); }
// RPUSHX key element [element ...]
void CmdRPushX(CommandContext& ctx) { PushGeneric(ctx, ListEnd::kTail, true); }

void PopGeneric(CommandContext& ctx, ListEnd end) {
  // The arity allows any number of arguments so that Redis's own message comes from here.
  if (ctx.argc() > 3) return ctx.ErrorArity();
  const bool has_count = ctx.argc() == 3;
  int64_t count = 1;
  if (has_count) {
    if (!ParseIntOrReply(ctx, ctx.arg(2), &count, err::kMustBePositive)) return;
    if (count < 0) return ctx.Error(err::kMustBePositive);
  }
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Result<std::vector<std::string>> popped = store::PopElements(*ctx.db, key, e, end, count);
  if (!popped.ok()) {
    if (popped.status() != store::Status::kNotFound) return ctx.Error(popped.status());
    return has_count ? ctx.out.NullArray() : ctx.out.Null();
  }
  AddDirty(ctx, popped.value().size());
  NotifyMaybeDeleted(ctx, kNotifyList, end == ListEnd::kHead ? "lpop" : "rpop", key);
  if (has_count) return ReplyStrings(ctx, popped.value());
  ctx.out.Bulk(popped.value().front());
}

// LPOP key [count]
void CmdLPop(CommandContext& ctx) { PopGeneric(ctx, ListEnd::kHead); }
// RPOP key [count]
void CmdRPop(CommandContext& ctx) { PopGeneric(ctx, ListEnd::kTail); }

// LLEN key
void CmdLLen(CommandContext& ctx) {
  store::Result<const store::ListValue*> list = store::ReadList(LookupRead(ctx, ctx.arg(1)));
  if (!list.ok()) return ctx.Error(list.status());
  ctx.out.Integer(list.value() == nullptr ? 0 : static_cast<int64_t>(list.value()->size()));
}

// LINDEX key index
void CmdLIndex(CommandContext& ctx) {
  store::Entry* e = LookupRead(ctx, ctx.arg(1));
  if (e == nullptr) return ctx.out.Null();
  if (e->value().type() != store::ObjType::kList) return ctx.Error(err::kWrongType);
  int64_t index = 0;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &index)) return;
  store::Result<std::optional<std::string>> elem = store::Index(e, index);
  if (!elem.ok()) return ctx.Error(elem.status());
  if (!elem.value().has_value()) return ctx.out.Null();
  ctx.out.Bulk(*elem.value());
}

// LSET key index element
void CmdLSet(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  if (e == nullptr) return ctx.Error(err::kNoSuchKey);
  if (e->value().type() != store::ObjType::kList) return ctx.Error(err::kWrongType);
  int64_t index = 0;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &index)) return;
  store::Status s = store::SetIndex(*ctx.db, key, e, index, ctx.arg(3), Fill(ctx));
  if (s == store::Status::kOutOfRange) return ctx.Error(err::kOutOfRange);
  if (s != store::Status::kOk) return ctx.Error(s);
  AddDirty(ctx);
  Notify(ctx, kNotifyList, "lset", key);
  ctx.out.Ok();
}

// LINSERT key BEFORE|AFTER pivot element
void CmdLInsert(CommandContext& ctx) {
  bool before = false;
  if (EqualsNoCase(ctx.arg(2), "before")) {
    before = true;
  } else if (!EqualsNoCase(ctx.arg(2), "after")) {
    return ctx.Error(err::kSyntax);
  }
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Result<int64_t> n =
      store::InsertAround(*ctx.db, key, e, before, ctx.arg(3), ctx.arg(4), Fill(ctx));
  if (!n.ok()) return ctx.Error(n.status());
  if (n.value() > 0) {
    AddDirty(ctx);
    Notify(ctx, kNotifyList, "linsert", key);
  }
  ctx.out.Integer(n.value());
}

// LRANGE key start stop
void CmdLRange(CommandContext& ctx) {
  int64_t start = 0;
  int64_t stop = 0;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &start) || !ParseIntOrReply(ctx, ctx.arg(3), &stop)) {
    return;
  }
  store::Result<store::ListSlice> slice =
      store::RangeSlice(LookupRead(ctx, ctx.arg(1)), start, stop);
  if (!slice.ok()) return ctx.Error(slice.status());
  const store::ListSlice& s = slice.value();
  ctx.out.ArrayHeader(static_cast<int64_t>(s.count));
  if (s.list == nullptr) return;
  // Straight from the list's nodes into the reply: no copy of the elements.
  s.list->Visit(s.first, s.count, false, [&ctx](size_t, std::string_view elem) {
    ctx.out.Bulk(elem);
    return true;
  });
}

// LTRIM key start stop
void CmdLTrim(CommandContext& ctx) {
  int64_t start = 0;
  int64_t stop = 0;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &start) || !ParseIntOrReply(ctx, ctx.arg(3), &stop)) {
    return;
  }
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Status s = store::Trim(*ctx.db, key, e, start, stop);
  if (s != store::Status::kOk) return ctx.Error(s);
  if (e != nullptr) {
    AddDirty(ctx);
    NotifyMaybeDeleted(ctx, kNotifyList, "ltrim", key);
  }
  ctx.out.Ok();
}

// LREM key count element
void CmdLRem(CommandContext& ctx) {
  int64_t count = 0;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &count)) return;
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Result<int64_t> n = store::RemoveElements(*ctx.db, key, e, count, ctx.arg(3));
  if (!n.ok()) return ctx.Error(n.status());
  AddDirty(ctx, static_cast<uint64_t>(n.value()));
  if (n.value() > 0) NotifyMaybeDeleted(ctx, kNotifyList, "lrem", key);
  ctx.out.Integer(n.value());
}

void MoveGeneric(CommandContext& ctx, ListEnd from, ListEnd to) {
  std::string_view src = ctx.arg(1);
  std::string_view dst = ctx.arg(2);
  store::Entry* src_e = LookupWrite(ctx, src);
  // Redis answers null for a missing source without looking at the destination.
  if (src_e == nullptr) return ctx.out.Null();
  store::Entry* dst_e = src == dst ? src_e : LookupWrite(ctx, dst);
  store::Result<std::optional<std::string>> moved =
      store::Move(*ctx.db, src, src_e, dst, dst_e, from, to, Fill(ctx));
  if (!moved.ok()) return ctx.Error(moved.status());
  if (!moved.value().has_value()) return ctx.out.Null();
  AddDirty(ctx);
  NotifyListMove(ctx, src, dst, from == ListEnd::kHead, to == ListEnd::kHead);
  ctx.out.Bulk(*moved.value());
}

// RPOPLPUSH source destination
void CmdRPopLPush(CommandContext& ctx) { MoveGeneric(ctx, ListEnd::kTail, ListEnd::kHead); }

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
void CmdLMove(CommandContext& ctx) {
  ListEnd from = ListEnd::kHead;
  ListEnd to = ListEnd::kHead;
  if (!ParseEndOrReply(ctx, ctx.arg(3), &from) || !ParseEndOrReply(ctx, ctx.arg(4), &to)) return;
  MoveGeneric(ctx, from, to);
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
void CmdLMPop(CommandContext& ctx) {
  int64_t numkeys = 0;
  if (!ParseIntOrReply(ctx, ctx.arg(1), &numkeys, err::kNumKeysPositive)) return;
  if (numkeys <= 0) return ctx.Error(err::kNumKeysPositive);
  // The keys, then the direction: numkeys must leave room for it.
  if (numkeys > static_cast<int64_t>(ctx.argc()) - 3) return ctx.Error(err::kSyntax);
  const size_t where = 2 + static_cast<size_t>(numkeys);
  ListEnd end = ListEnd::kHead;
  if (!ParseEndOrReply(ctx, ctx.arg(where), &end)) return;
  int64_t count = -1;
  for (size_t j = where + 1; j < ctx.argc(); ++j) {
    if (count == -1 && EqualsNoCase(ctx.arg(j), "count") && j + 1 < ctx.argc()) {
      if (!ParseIntOrReply(ctx, ctx.arg(++j), &count, err::kCountPositive)) return;
      if (count <= 0) return ctx.Error(err::kCountPositive);
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  if (count == -1) count = 1;
  for (size_t j = 2; j < where; ++j) {
    std::string_view key = ctx.arg(j);
    store::Entry* e = LookupWrite(ctx, key);
    if (e == nullptr) continue;
    store::Result<std::vector<std::string>> popped =
        store::PopElements(*ctx.db, key, e, end, count);
    if (!popped.ok()) return ctx.Error(popped.status());
    AddDirty(ctx, popped.value().size());
    NotifyMaybeDeleted(ctx, kNotifyList, end == ListEnd::kHead ? "lpop" : "rpop", key);
    ctx.out.ArrayHeader(2);
    ctx.out.Bulk(key);
    return ReplyStrings(ctx, popped.value());
  }
  ctx.out.NullArray();
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
void CmdLPos(CommandContext& ctx) {
  store::PosParams params;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.arg(j);
    if (j + 1 >= ctx.argc()) return ctx.Error(err::kSyntax);
    std::string_view val = ctx.arg(++j);
    if (EqualsNoCase(opt, "rank")) {
      if (!ParseIntOrReply(ctx, val, &params.rank)) return;
      if (params.rank == 0) return ctx.Error(err::kLposRankZero);
    } else if (EqualsNoCase(opt, "count")) {
      if (!ParseIntOrReply(ctx, val, &params.count, err::kLposCountNegative)) return;
      if (params.count < 0) return ctx.Error(err::kLposCountNegative);
    } else if (EqualsNoCase(opt, "maxlen")) {
      if (!ParseIntOrReply(ctx, val, &params.maxlen, err::kLposMaxlenNegative)) return;
      if (params.maxlen < 0) return ctx.Error(err::kLposMaxlenNegative);
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  const bool has_count = params.count != -1;
  store::Result<std::vector<int64_t>> found =
      store::Positions(LookupRead(ctx, ctx.arg(1)), ctx.arg(2), params);
  if (!found.ok()) return ctx.Error(found.status());
  if (has_count) {
    ctx.out.ArrayHeader(static_cast<int64_t>(found.value().size()));
    for (int64_t i : found.value()) ctx.out.Integer(i);
    return;
  }
  if (found.value().empty()) return ctx.out.Null();
  ctx.out.Integer(found.value().front());
}

}  // namespace

std::vector<CommandSpec> ListCommands() {
  const uint64_t read_fast = kAclRead | kAclList | kAclFast;
  const uint64_t read_slow = kAclRead | kAclList | kAclSlow;
  const uint64_t write_fast = kAclWrite | kAclList | kAclFast;
  const uint64_t write_slow = kAclWrite | kAclList | kAclSlow;
  const uint32_t rw_fast = kWrite | kDenyOom | kFast;
  return {
      {"lindex", 3, kReadOnly, 1, 1, 1, read_slow, CmdLIndex, "list", "1.0.0",
       "Get an element from a list by its index"},
      {"linsert", 5, kWrite | kDenyOom, 1, 1, 1, write_slow, CmdLInsert, "list", "2.2.0",
       "Insert an element before or after another element in a list"},
      {"llen", 2, kReadOnly | kFast, 1, 1, 1, read_fast, CmdLLen, "list", "1.0.0",
       "Get the length of a list"},
      {"lmove", 5, kWrite | kDenyOom, 1, 2, 1, write_slow, CmdLMove, "list", "6.2.0",
       "Pop an element from a list, push it to another list and return it"},
      // The keys are found through numkeys, so the fixed key spec is empty, as in Redis.
      {"lmpop",
       -4,
       kWrite,
       0,
       0,
       0,
       write_slow,
       CmdLMPop,
       "list",
       "7.0.0",
       "Pop elements from a list",
       {},
       NumKeysAt1},
      {"lpop", -2, kWrite | kFast, 1, 1, 1, write_fast, CmdLPop, "list", "1.0.0",
       "Remove and get the first elements in a list"},
      {"lpos", -3, kReadOnly, 1, 1, 1, read_slow, CmdLPos, "list", "6.0.6",
       "Return the index of matching elements on a list"},
      {"lpush", -3, rw_fast, 1, 1, 1, write_fast, CmdLPush, "list", "1.0.0",
       "Prepend one or multiple elements to a list"},
      {"lpushx", -3, rw_fast, 1, 1, 1, write_fast, CmdLPushX, "list", "2.2.0",
       "Prepend an element to a list, only if the list exists"},
      {"lrange", 4, kReadOnly, 1, 1, 1, read_slow, CmdLRange, "list", "1.0.0",
       "Get a range of elements from a list"},
      {"lrem", 4, kWrite, 1, 1, 1, write_slow, CmdLRem, "list", "1.0.0",
       "Remove elements from a list"},
      {"lset", 4, kWrite | kDenyOom, 1, 1, 1, write_slow, CmdLSet, "list", "1.0.0",
       "Set the value of an element in a list by its index"},
      {"ltrim", 4, kWrite, 1, 1, 1, write_slow, CmdLTrim, "list", "1.0.0",
       "Trim a list to the specified range"},
      {"rpop", -2, kWrite | kFast, 1, 1, 1, write_fast, CmdRPop, "list", "1.0.0",
       "Remove and get the last elements in a list"},
      {"rpoplpush", 3, kWrite | kDenyOom, 1, 2, 1, write_slow, CmdRPopLPush, "list", "1.2.0",
       "Remove the last element in a list, prepend it to another list and return it"},
      {"rpush", -3, rw_fast, 1, 1, 1, write_fast, CmdRPush, "list", "1.0.0",
       "Append one or multiple elements to a list"},
      {"rpushx", -3, rw_fast, 1, 1, 1, write_fast, CmdRPushX, "list", "2.2.0",
       "Append an element to a list, only if the list exists"},
  };
}

}  // namespace server
