// Blocking sorted-set pops: BZPOPMIN BZPOPMAX BZMPOP, on the machinery of server/blocking.h (see
// list_blocking_family.cc for the pattern).
#include <string>
#include <vector>

#include "server/commands/blocking_args.h"
#include "server/commands/families.h"
#include "server/commands/key_finders.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "store/zset_ops.h"

namespace server {
namespace {

// Pops up to count from the first non-empty sorted set among keys. Returns true iff it replied.
// BZPOPMIN/MAX reply [key, member, score]; BZMPOP replies [key, [[member, score] ...]].
bool PopFirst(CommandContext& ctx, std::span<const std::string_view> keys, bool max, int64_t count,
              bool nested) {
  for (std::string_view key : keys) {
    store::Entry* e = LookupWrite(ctx, key);
    store::Result<store::ZSetValue*> z = store::MutableZSetOf(e);
    if (!z.ok()) {
      if (WrongTypeOrKeepWaiting(ctx)) return true;
      continue;
    }
    if (z.value() == nullptr) continue;
    std::vector<store::ZEntry> v = store::ZPop(*ctx.db, key, e, max, static_cast<size_t>(count));
    ctx.server.stats().dirty += v.size();
    NotifyMaybeDeleted(ctx, kNotifyZset, max ? "zpopmax" : "zpopmin", key);
    // Logged as the non-blocking pop it performed (BZPOPMIN -> ZPOPMIN, BZMPOP -> ZPOPMIN n).
    const char* pop = max ? "ZPOPMAX" : "ZPOPMIN";
    if (nested) {
      ctx.PropagateAs({pop, key, std::to_string(v.size())});
    } else {
      ctx.PropagateAs({pop, key});
    }
    if (!nested) {
      ctx.out.ArrayHeader(3);
      ctx.out.Bulk(key);
      ctx.out.Bulk(v[0].member);
      ctx.out.Double(v[0].score);
      return true;
    }
    ctx.out.ArrayHeader(2);
    ctx.out.Bulk(key);
    ctx.out.ArrayHeader(static_cast<int64_t>(v.size()));
    for (const store::ZEntry& z_entry : v) {
      ctx.out.ArrayHeader(2);
      ctx.out.Bulk(z_entry.member);
      ctx.out.Double(z_entry.score);
    }
    return true;
  }
  return false;
}

void BlockingZPop(CommandContext& ctx, bool max) {
  int64_t ms;
  if (!ParseTimeoutOrReply(ctx, ctx.arg(ctx.argc() - 1), &ms)) return;
  std::span<const std::string_view> keys = ctx.argv.subspan(1, ctx.argc() - 2);
  if (PopFirst(ctx, keys, max, 1, /*nested=*/false)) return;
  BlockOrTimeout(ctx, keys, ms);
}

// BZPOPMIN key [key ...] timeout
void CmdBZPopMin(CommandContext& ctx) { BlockingZPop(ctx, false); }

// BZPOPMAX key [key ...] timeout
void CmdBZPopMax(CommandContext& ctx) { BlockingZPop(ctx, true); }

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
void CmdBZMPop(CommandContext& ctx) {
  int64_t ms;
  if (!ParseTimeoutOrReply(ctx, ctx.arg(1), &ms)) return;
  std::span<const std::string_view> keys = NumKeysOrReply(ctx, 2, 1);
  if (keys.empty()) return;
  const size_t where = 3 + keys.size();
  bool max;
  if (EqualsNoCase(ctx.arg(where), "min")) {
    max = false;
  } else if (EqualsNoCase(ctx.arg(where), "max")) {
    max = true;
  } else {
    return ctx.Error(err::kSyntax);
  }
  int64_t count;
  if (!OptionalCountOrReply(ctx, where + 1, &count)) return;
  if (PopFirst(ctx, keys, max, count, /*nested=*/true)) return;
  BlockOrTimeout(ctx, keys, ms);
}

}  // namespace

std::vector<CommandSpec> ZSetBlockingCommands() {
  const uint32_t f = kWrite | kNoScript | kBlocking | kFast;
  const uint64_t acl = kAclWrite | kAclSortedSet | kAclFast | kAclBlocking;
  return {
      {"bzpopmin", -3, f, 1, -2, 1, acl, CmdBZPopMin, "sorted-set", "5.0.0",
       "Removes and returns the member with the lowest score from one or more sorted sets. "
       "Blocks until a member is available otherwise. Deletes the sorted set if the last element "
       "was popped."},
      {"bzpopmax", -3, f, 1, -2, 1, acl, CmdBZPopMax, "sorted-set", "5.0.0",
       "Removes and returns the member with the highest score from one or more sorted sets. "
       "Blocks until a member available otherwise.  Deletes the sorted set if the last element "
       "was popped."},
      {"bzmpop",
       -5,
       kWrite | kBlocking,  // no "noscript" in Redis 7.0, unlike BZPOPMIN/MAX
       0,
       0,
       0,
       kAclWrite | kAclSortedSet | kAclSlow | kAclBlocking,
       CmdBZMPop,
       "sorted-set",
       "7.0.0",
       "Removes and returns a member by score from one or more sorted sets. Blocks until a "
       "member is available otherwise. Deletes the sorted set if the last element was popped.",
       {},
       NumKeysAt2},
  };
}

}  // namespace server
