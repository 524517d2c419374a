// Blocking list commands: BLPOP BRPOP BRPOPLPUSH BLMOVE BLMPOP. Each tries its non-blocking form
// first; if every key is empty it blocks through CommandContext::BlockOn (server/blocking.h) and
// is run again, first come first served, when one of its keys is written. Inside MULTI it answers
// at once as on timeout. A key that turns out to hold another type when a blocked client is
// retried does not wake it (as Redis serves only list keys to list waiters).
#include <optional>
#include <string>
#include <vector>

#include "server/commands/blocking_args.h"
#include "server/commands/families.h"
#include "server/commands/key_finders.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "store/list_ops.h"

namespace server {
namespace {

using store::ListEnd;

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

// Pops `count` elements from the first non-empty list among keys. Returns true iff it replied.
bool PopFirst(CommandContext& ctx, std::span<const std::string_view> keys, ListEnd end,
              int64_t count, bool multi_reply) {
  for (std::string_view key : keys) {
    store::Entry* e = LookupWrite(ctx, key);
    if (e == nullptr) continue;
    store::Result<std::vector<std::string>> popped =
        store::PopElements(*ctx.db, key, e, end, count);
    if (!popped.ok()) {
      if (popped.status() == store::Status::kWrongType) {
        if (WrongTypeOrKeepWaiting(ctx)) return true;
        continue;
      }
      ctx.Error(popped.status());
      return true;
    }
    ctx.server.stats().dirty += popped.value().size();
    NotifyMaybeDeleted(ctx, kNotifyList, end == ListEnd::kHead ? "lpop" : "rpop", key);
    // Logged as the non-blocking pop it performed (BLPOP -> LPOP, BLMPOP -> LPOP key count).
    const char* pop = end == ListEnd::kHead ? "LPOP" : "RPOP";
    if (multi_reply) {
      ctx.PropagateAs({pop, key, std::to_string(popped.value().size())});
    } else {
      ctx.PropagateAs({pop, key});
    }
    ctx.out.ArrayHeader(2);
    ctx.out.Bulk(key);
    if (multi_reply) {
      ctx.out.ArrayHeader(static_cast<int64_t>(popped.value().size()));
      for (const std::string& s : popped.value()) ctx.out.Bulk(s);
    } else {
      ctx.out.Bulk(popped.value().front());
    }
    return true;
  }
  return false;
}

void BlockingPop(CommandContext& ctx, ListEnd end) {
  int64_t ms;
  if (!ParseTimeoutOrReply(ctx, ctx.arg(ctx.argc() - 1), &ms)) return;
  std::span<const std::string_view> keys = ctx.argv.subspan(1, ctx.argc() - 2);
  if (PopFirst(ctx, keys, end, 1, /*multi_reply=*/false)) return;
  BlockOrTimeout(ctx, keys, ms);
}

// BLPOP key [key ...] timeout
void CmdBLPop(CommandContext& ctx) { BlockingPop(ctx, ListEnd::kHead); }

// BRPOP key [key ...] timeout
void CmdBRPop(CommandContext& ctx) { BlockingPop(ctx, ListEnd::kTail); }

void BlockingMove(CommandContext& ctx, ListEnd from, ListEnd to, std::string_view timeout) {
  int64_t ms;
  if (!ParseTimeoutOrReply(ctx, timeout, &ms)) return;
  std::string_view src = ctx.arg(1);
  std::string_view dst = ctx.arg(2);
  store::Entry* src_e = LookupWrite(ctx, src);
  if (src_e != nullptr) {
    store::Entry* dst_e = src == dst ? src_e : LookupWrite(ctx, dst);
    store::Result<std::optional<std::string>> moved = store::Move(
        *ctx.db, src, src_e, dst, dst_e, from, to, ctx.server.config().list_max_listpack_size);
    if (!moved.ok()) {
      if (moved.status() != store::Status::kWrongType || WrongTypeOrKeepWaiting(ctx)) {
        if (moved.status() != store::Status::kWrongType) ctx.Error(moved.status());
        return;
      }
    } else if (moved.value().has_value()) {
      ++ctx.server.stats().dirty;
      NotifyListMove(ctx, src, dst, from == ListEnd::kHead, to == ListEnd::kHead);
      auto side = [](ListEnd e) { return e == ListEnd::kHead ? "LEFT" : "RIGHT"; };
      ctx.PropagateAs({"LMOVE", src, dst, side(from), side(to)});
      return ctx.out.Bulk(*moved.value());
    }
  }
  BlockOrTimeout(ctx, ctx.argv.subspan(1, 1), ms);
}

// BRPOPLPUSH source destination timeout
void CmdBRPopLPush(CommandContext& ctx) {
  BlockingMove(ctx, ListEnd::kTail, ListEnd::kHead, ctx.arg(3));
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
void CmdBLMove(CommandContext& ctx) {
  ListEnd from = ListEnd::kHead;
  ListEnd to = ListEnd::kHead;
  if (!ParseEndOrReply(ctx, ctx.arg(3), &from) || !ParseEndOrReply(ctx, ctx.arg(4), &to)) return;
  BlockingMove(ctx, from, to, ctx.arg(5));
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
void CmdBLMPop(CommandContext& ctx) {
  int64_t ms;
  if (!ParseTimeoutOrReply(ctx, ctx.arg(1), &ms)) return;
  std::span<const std::string_view> keys = NumKeysOrReply(ctx, 2, 1);
  if (keys.empty()) return;
  const size_t where = 3 + keys.size();
  ListEnd end = ListEnd::kHead;
  if (!ParseEndOrReply(ctx, ctx.arg(where), &end)) return;
  int64_t count;
  if (!OptionalCountOrReply(ctx, where + 1, &count)) return;
  if (PopFirst(ctx, keys, end, count, /*multi_reply=*/true)) return;
  BlockOrTimeout(ctx, keys, ms);
}

}  // namespace

std::vector<CommandSpec> ListBlockingCommands() {
  const uint32_t f = kWrite | kNoScript | kBlocking;
  const uint64_t acl = kAclWrite | kAclList | kAclSlow | kAclBlocking;
  return {
      {"blpop", -3, f, 1, -2, 1, acl, CmdBLPop, "list", "2.0.0",
       "Removes and returns the first element in a list. Blocks until an element is available "
       "otherwise. Deletes the list if the last element was popped."},
      {"brpop", -3, f, 1, -2, 1, acl, CmdBRPop, "list", "2.0.0",
       "Removes and returns the last element in a list. Blocks until an element is available "
       "otherwise. Deletes the list if the last element was popped."},
      {"brpoplpush", 4, f | kDenyOom, 1, 2, 1, acl, CmdBRPopLPush, "list", "2.2.0",
       "Pops an element from a list, pushes it to another list and returns it. Block until an "
       "element is available otherwise. Deletes the list if the last element was popped."},
      {"blmove", 6, f | kDenyOom, 1, 2, 1, acl, CmdBLMove, "list", "6.2.0",
       "Pops an element from a list, pushes it to another list and returns it. Blocks until an "
       "element is available otherwise. Deletes the list if the last element was moved."},
      // Redis 7.0 lets scripts call BLMPOP (it does not block there), unlike the older ones.
      {"blmpop",
       -5,
       kWrite | kBlocking,
       0,
       0,
       0,
       acl,
       CmdBLMPop,
       "list",
       "7.0.0",
       "Pops the first element from one of multiple lists. Blocks until an element is available "
       "otherwise. Deletes the list if the last element was popped.",
       {},
       NumKeysAt2},
  };
}

}  // namespace server
