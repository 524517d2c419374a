// Set commands. Store operations live in store/set_ops.h; handlers here parse arguments and write
// replies. Checks run in Redis 7.0's order, which decides the error a client sees: SPOP and
// SRANDMEMBER parse their count before the key's type is checked, SSCAN checks the cursor, then
// the key, and only then its options (so a missing key ignores bad options), and the multi-key
// commands check every key's type before reading any set.
//
// SSCAN returns the whole (matching) set in one page with cursor 0. That keeps SCAN's guarantees
// (every member present throughout is returned, none twice) without a cursor into a hash table;
// Redis does the same for small encodings, and COUNT is only a hint.
#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "server/commands/families.h"
#include "server/commands/key_finders.h"
#include "server/commands/scan_args.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "store/scan.h"
#include "store/set_ops.h"

namespace server {
namespace {

// set-max-intset-entries, capped at 2^30 as Redis caps it.
size_t MaxIntset(const CommandContext& ctx) {
  int64_t v = ctx.server.config().set_max_intset_entries;
  return static_cast<size_t>(std::clamp<int64_t>(v, 0, int64_t{1} << 30));
}

std::mt19937_64& Rng(CommandContext& ctx) { return ctx.server.rng(); }

void ReplySet(CommandContext& ctx, const std::vector<std::string>& members) {
  ctx.out.SetHeader(static_cast<int64_t>(members.size()));
  for (const std::string& m : members) ctx.out.Bulk(m);
}

void ReplyArray(CommandContext& ctx, const std::vector<std::string>& members) {
  ctx.out.ArrayHeader(static_cast<int64_t>(members.size()));
  for (const std::string& m : members) ctx.out.Bulk(m);
}

// The set at key for reading: false iff the WRONGTYPE error was sent; *out is null if absent.
bool ReadSetOrReply(CommandContext& ctx, std::string_view key, const store::SetValue** out) {
  store::Result<const store::SetValue*> s = store::SetOf(LookupRead(ctx, key));
  if (!s.ok()) {
    ctx.Error(s.status());
    return false;
  }
  *out = s.value();
  return true;
}

// SADD key member [member ...]
void CmdSAdd(CommandContext& ctx) {
  store::Result<int64_t> r = store::SetAdd(*ctx.db, ctx.arg(1), LookupWrite(ctx, ctx.arg(1)),
                                           ctx.argv.subspan(2), MaxIntset(ctx));
  if (!r.ok()) return ctx.Error(r.status());
  AddDirty(ctx, static_cast<uint64_t>(r.value()));
  if (r.value() > 0) Notify(ctx, kNotifySet, "sadd", ctx.arg(1));
  ctx.out.Integer(r.value());
}

// SREM key member [member ...]
void CmdSRem(CommandContext& ctx) {
  store::Result<int64_t> r =
      store::SetRemove(*ctx.db, ctx.arg(1), LookupWrite(ctx, ctx.arg(1)), ctx.argv.subspan(2));
  if (!r.ok()) return ctx.Error(r.status());
  AddDirty(ctx, static_cast<uint64_t>(r.value()));
  if (r.value() > 0) NotifyMaybeDeleted(ctx, kNotifySet, "srem", ctx.arg(1));
  ctx.out.Integer(r.value());
}

// SCARD key
void CmdSCard(CommandContext& ctx) {
  const store::SetValue* s;
  if (!ReadSetOrReply(ctx, ctx.arg(1), &s)) return;
  ctx.out.Integer(s == nullptr ? 0 : static_cast<int64_t>(s->size()));
}

// SISMEMBER key member
void CmdSIsMember(CommandContext& ctx) {
  const store::SetValue* s;
  if (!ReadSetOrReply(ctx, ctx.arg(1), &s)) return;
  ctx.out.Integer(s != nullptr && s->Contains(ctx.arg(2)) ? 1 : 0);
}

// SMISMEMBER key member [member ...]
void CmdSMisMember(CommandContext& ctx) {
  const store::SetValue* s;
  if (!ReadSetOrReply(ctx, ctx.arg(1), &s)) return;
  ctx.out.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.out.Integer(s != nullptr && s->Contains(ctx.arg(i)) ? 1 : 0);
  }
}

// SMEMBERS key
void CmdSMembers(CommandContext& ctx) {
  const store::SetValue* s;
  if (!ReadSetOrReply(ctx, ctx.arg(1), &s)) return;
  ReplySet(ctx, s == nullptr ? std::vector<std::string>() : s->Members());
}

// The entries for argv[first..last), looked up for reading or (STORE forms) writing.
std::vector<const store::Entry*> LookupAll(CommandContext& ctx, size_t first, size_t last,
                                           bool write) {
  std::vector<const store::Entry*> entries;
  entries.reserve(last - first);
  for (size_t i = first; i < last; ++i) {
    entries.push_back(write ? LookupWrite(ctx, ctx.arg(i)) : LookupRead(ctx, ctx.arg(i)));
  }
  return entries;
}

// SINTER/SUNION/SDIFF key [key ...]
void Combine(CommandContext& ctx, store::SetAlgebra op) {
  std::vector<const store::Entry*> entries = LookupAll(ctx, 1, ctx.argc(), false);
  // The reply is not stored, so the encoding limit does not matter.
  store::Result<std::unique_ptr<store::SetValue>> r =
      store::SetCombine(entries, op, MaxIntset(ctx));
  if (!r.ok()) return ctx.Error(r.status());
  ReplySet(ctx, r.value()->Members());
}

// SINTERSTORE/SUNIONSTORE/SDIFFSTORE destination key [key ...]
void CombineStore(CommandContext& ctx, store::SetAlgebra op) {
  std::vector<const store::Entry*> entries = LookupAll(ctx, 2, ctx.argc(), true);
  store::Result<std::unique_ptr<store::SetValue>> r =
      store::SetCombine(entries, op, MaxIntset(ctx));
  if (!r.ok()) return ctx.Error(r.status());
  const bool existed = LookupWrite(ctx, ctx.arg(1)) != nullptr;
  int64_t n = store::SetStore(*ctx.db, ctx.arg(1), std::move(r.value()));
  if (n > 0 || existed) AddDirty(ctx);
  if (n > 0) {
    Notify(ctx, kNotifySet,
           op == store::SetAlgebra::kInter   ? "sinterstore"
           : op == store::SetAlgebra::kUnion ? "sunionstore"
                                             : "sdiffstore",
           ctx.arg(1));
  } else if (existed) {
    Notify(ctx, kNotifyGeneric, "del", ctx.arg(1));
  }
  ctx.out.Integer(n);
}

void CmdSInter(CommandContext& ctx) { Combine(ctx, store::SetAlgebra::kInter); }
void CmdSUnion(CommandContext& ctx) { Combine(ctx, store::SetAlgebra::kUnion); }
void CmdSDiff(CommandContext& ctx) { Combine(ctx, store::SetAlgebra::kDiff); }
void CmdSInterStore(CommandContext& ctx) { CombineStore(ctx, store::SetAlgebra::kInter); }
void CmdSUnionStore(CommandContext& ctx) { CombineStore(ctx, store::SetAlgebra::kUnion); }
void CmdSDiffStore(CommandContext& ctx) { CombineStore(ctx, store::SetAlgebra::kDiff); }

// SINTERCARD numkeys key [key ...] [LIMIT limit]
void CmdSInterCard(CommandContext& ctx) {
  int64_t numkeys;
  if (!ParseIntOrReply(ctx, ctx.arg(1), &numkeys, err::kNumKeysPositive)) return;
  if (numkeys < 1) return ctx.Error(err::kNumKeysPositive);
  if (static_cast<uint64_t>(numkeys) > ctx.argc() - 2) return ctx.Error(err::kSetTooManyKeys);
  const size_t keys_end = 2 + static_cast<size_t>(numkeys);
  int64_t limit = 0;
  for (size_t i = keys_end; i < ctx.argc(); i += 2) {
    if (EqualsNoCase(ctx.arg(i), "limit") && i + 1 < ctx.argc()) {
      if (!ParseIntOrReply(ctx, ctx.arg(i + 1), &limit, err::kSetLimitNegative)) return;
      if (limit < 0) return ctx.Error(err::kSetLimitNegative);
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  std::vector<const store::Entry*> entries = LookupAll(ctx, 2, keys_end, false);
  store::Result<int64_t> r = store::SetInterCard(entries, static_cast<uint64_t>(limit));
  if (!r.ok()) return ctx.Error(r.status());
  ctx.out.Integer(r.value());
}

// SMOVE source destination member
void CmdSMove(CommandContext& ctx) {
  store::Entry* se = LookupWrite(ctx, ctx.arg(1));
  store::Entry* de = LookupWrite(ctx, ctx.arg(2));
  store::Result<bool> r =
      store::SetMove(*ctx.db, ctx.arg(1), se, ctx.arg(2), de, ctx.arg(3), MaxIntset(ctx));
  if (!r.ok()) return ctx.Error(r.status());
  if (r.value() && se != de) {
    AddDirty(ctx);
    NotifyMaybeDeleted(ctx, kNotifySet, "srem", ctx.arg(1));
    Notify(ctx, kNotifySet, "sadd", ctx.arg(2));
  }
  ctx.out.Integer(r.value() ? 1 : 0);
}

// SPOP key [count]
void CmdSPop(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.Error(err::kSyntax);
  std::mt19937_64& rng = Rng(ctx);
  if (ctx.argc() == 2) {
    store::Entry* e = LookupWrite(ctx, ctx.arg(1));
    store::Result<std::vector<std::string>> r = store::SetPop(*ctx.db, ctx.arg(1), e, 1, rng);
    if (!r.ok()) return ctx.Error(r.status());
    if (r.value().empty()) return ctx.out.Null();
    AddDirty(ctx);
    NotifyMaybeDeleted(ctx, kNotifySet, "spop", ctx.arg(1));
    // The random choice is logged as the SREMs of what was removed.
    ctx.PropagateInBatches({"SREM", ctx.arg(1)}, r.value());
    return ctx.out.Bulk(r.value()[0]);
  }
  int64_t count;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &count, err::kSetMustBePositive)) return;
  if (count < 0) return ctx.Error(err::kSetMustBePositive);
  store::Entry* e = LookupWrite(ctx, ctx.arg(1));
  store::Result<std::vector<std::string>> r =
      store::SetPop(*ctx.db, ctx.arg(1), e, static_cast<uint64_t>(count), rng);
  if (!r.ok()) return ctx.Error(r.status());
  if (!r.value().empty()) {
    AddDirty(ctx, r.value().size());
    NotifyMaybeDeleted(ctx, kNotifySet, "spop", ctx.arg(1));
  }
  ctx.PropagateInBatches({"SREM", ctx.arg(1)}, r.value());
  ReplySet(ctx, r.value());
}

// SRANDMEMBER key [count]
void CmdSRandMember(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.Error(err::kSyntax);
  std::mt19937_64& rng = Rng(ctx);
  if (ctx.argc() == 2) {
    const store::SetValue* s;
    if (!ReadSetOrReply(ctx, ctx.arg(1), &s)) return;
    if (s == nullptr) return ctx.out.Null();
    return ctx.out.Bulk(s->Random(rng));
  }
  int64_t count;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &count)) return;
  // -count must be representable.
  if (count == INT64_MIN) return ctx.Error(err::kSetRandCountRange);
  store::Result<std::vector<std::string>> r =
      store::SetRandomMembers(LookupRead(ctx, ctx.arg(1)), count, rng);
  if (!r.ok()) return ctx.Error(r.status());
  ReplyArray(ctx, r.value());
}

// SSCAN key cursor [MATCH pattern] [COUNT count]
void CmdSScan(CommandContext& ctx) {
  uint64_t cursor;
  if (!store::ParseScanCursor(ctx.arg(2), &cursor)) return ctx.Error(err::kInvalidCursor);
  store::Result<const store::SetValue*> s = store::SetOf(LookupRead(ctx, ctx.arg(1)));
  if (!s.ok()) return ctx.Error(s.status());
  if (s.value() == nullptr) return ReplyEmptyScan(ctx);
  store::ScanOptions opts;
  if (!ParseScanOptionsOrReply(ctx, 3, /*allow_type=*/false, &opts)) return;
  // Intset members are formatted on the fly, so they are copied before the reply is written.
  std::vector<std::string> found;
  const uint64_t next = s.value()->ScanStep(cursor, opts.count, [&](std::string_view m) {
    if (ScanMatches(opts, m)) found.emplace_back(m);
  });
  ReplyScanHeader(ctx, next, found.size());
  for (const std::string& m : found) ctx.out.Bulk(m);
}

}  // namespace

std::vector<CommandSpec> SetCommands() {
  const uint64_t read_fast = kAclRead | kAclSet | kAclFast;
  const uint64_t read_slow = kAclRead | kAclSet | kAclSlow;
  const uint64_t write_fast = kAclWrite | kAclSet | kAclFast;
  const uint64_t write_slow = kAclWrite | kAclSet | kAclSlow;
  const uint32_t rw_fast = kWrite | kDenyOom | kFast;
  return {
      {"sadd", -3, rw_fast, 1, 1, 1, write_fast, CmdSAdd, "set", "1.0.0",
       "Add one or more members to a set"},
      {"scard", 2, kReadOnly | kFast, 1, 1, 1, read_fast, CmdSCard, "set", "1.0.0",
       "Get the number of members in a set"},
      {"sdiff", -2, kReadOnly, 1, -1, 1, read_slow, CmdSDiff, "set", "1.0.0",
       "Subtract multiple sets"},
      {"sdiffstore", -3, kWrite | kDenyOom, 1, -1, 1, write_slow, CmdSDiffStore, "set", "1.0.0",
       "Subtract multiple sets and store the resulting set in a key"},
      {"sinter", -2, kReadOnly, 1, -1, 1, read_slow, CmdSInter, "set", "1.0.0",
       "Intersect multiple sets"},
      {"sintercard",
       -3,
       kReadOnly,
       0,
       0,
       0,
       read_slow,
       CmdSInterCard,
       "set",
       "7.0.0",
       "Intersect multiple sets and return the cardinality of the result",
       {},
       NumKeysAt1},
      {"sinterstore", -3, kWrite | kDenyOom, 1, -1, 1, write_slow, CmdSInterStore, "set", "1.0.0",
       "Intersect multiple sets and store the resulting set in a key"},
      {"sismember", 3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdSIsMember, "set", "1.0.0",
       "Determine if a given value is a member of a set"},
      {"smembers", 2, kReadOnly, 1, 1, 1, read_slow, CmdSMembers, "set", "1.0.0",
       "Get all the members in a set"},
      {"smismember", -3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdSMisMember, "set", "6.2.0",
       "Returns the membership associated with the given elements for a set"},
      {"smove", 4, kWrite | kFast, 1, 2, 1, write_fast, CmdSMove, "set", "1.0.0",
       "Move a member from one set to another"},
      {"spop", -2, kWrite | kFast, 1, 1, 1, write_fast, CmdSPop, "set", "1.0.0",
       "Remove and return one or multiple random members from a set"},
      {"srandmember", -2, kReadOnly, 1, 1, 1, read_slow, CmdSRandMember, "set", "1.0.0",
       "Get one or multiple random members from a set"},
      {"srem", -3, kWrite | kFast, 1, 1, 1, write_fast, CmdSRem, "set", "1.0.0",
       "Remove one or more members from a set"},
      {"sscan", -3, kReadOnly, 1, 1, 1, read_slow, CmdSScan, "set", "2.8.0",
       "Incrementally iterate Set elements"},
      {"sunion", -2, kReadOnly, 1, -1, 1, read_slow, CmdSUnion, "set", "1.0.0",
       "Add multiple sets"},
      {"sunionstore", -3, kWrite | kDenyOom, 1, -1, 1, write_slow, CmdSUnionStore, "set", "1.0.0",
       "Add multiple sets and store the resulting set in a key"},
  };
}

}  // namespace server
