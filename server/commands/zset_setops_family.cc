// Sorted set commands over several keys or random picks: ZUNION/ZINTER/ZDIFF (and their STORE
// forms), ZINTERCARD, ZMPOP, ZRANDMEMBER and ZSCAN. The single-key commands are in
// zset_family.cc. Checks run in Redis 7.0's order: numkeys, then every key's type, then the
// options, because that order decides which error a client sees.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "server/commands/families.h"
#include "server/commands/key_finders.h"
#include "server/commands/scan_args.h"
#include "server/commands/zset_common.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "server/session.h"
#include "store/glob.h"
#include "store/scan.h"
#include "store/zset_ops.h"

namespace server {
namespace {

// The text Redis's d2string gives a score (ZSCAN sends scores as strings): integers within
// +-2^52 without a fraction, "inf"/"-inf", "-0", otherwise %.17g.
std::string ScoreString(double d) {
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  if (d > -4503599627370495.0 && d < 4503599627370496.0 &&
      d == static_cast<double>(static_cast<int64_t>(d))) {
    return store::FormatInt64(static_cast<int64_t>(d));
  }
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%.17g", d);
  return std::string(buf, static_cast<size_t>(n));
}

enum class Kind { kUnion, kInter, kDiff, kInterCard };

// Z{UNION,INTER,DIFF}[STORE] and ZINTERCARD. numkeys is argv[numkeys_idx]; dst is empty unless
// a STORE form.
void ZSetOpGeneric(CommandContext& ctx, size_t numkeys_idx, Kind kind, bool store) {
  int64_t numkeys;
  if (!ParseIntOrReply(ctx, ctx.arg(numkeys_idx), &numkeys)) return;
  if (numkeys < 1) {
    std::string msg = "at least 1 input key is needed for '" + ctx.cmd.full_name + "' command";
    return ctx.Error("ERR", msg);
  }
  if (numkeys > static_cast<int64_t>(ctx.argc() - numkeys_idx - 1)) {
    return ctx.Error(err::kSyntax);
  }
  const auto n = static_cast<size_t>(numkeys);
  std::vector<store::ZSource> inputs(n);
  for (size_t i = 0; i < n; ++i) {
    std::string_view key = ctx.arg(numkeys_idx + 1 + i);
    store::Entry* e = store ? LookupWrite(ctx, key) : LookupRead(ctx, key);
    store::Result<store::ZSource> r = store::ZSourceOf(e);
    if (!r.ok()) return ctx.Error(r.status());
    inputs[i] = r.value();
  }
  std::vector<double> weights(n, 1.0);
  store::ZAggregate agg = store::ZAggregate::kSum;
  bool withscores = false;
  int64_t limit = 0;
  const bool weighted = kind == Kind::kUnion || kind == Kind::kInter;
  for (size_t j = numkeys_idx + 1 + n; j < ctx.argc();) {
    const size_t remaining = ctx.argc() - j;
    std::string_view a = ctx.arg(j);
    if (weighted && remaining >= n + 1 && EqualsNoCase(a, "weights")) {
      ++j;
      for (size_t i = 0; i < n; ++i, ++j) {
        if (!store::ParseDouble(ctx.arg(j), &weights[i])) {
          return ctx.Error(err::kZWeightNotFloat);
        }
      }
    } else if (weighted && remaining >= 2 && EqualsNoCase(a, "aggregate")) {
      std::string_view v = ctx.arg(j + 1);
      if (EqualsNoCase(v, "sum")) {
        agg = store::ZAggregate::kSum;
      } else if (EqualsNoCase(v, "min")) {
        agg = store::ZAggregate::kMin;
      } else if (EqualsNoCase(v, "max")) {
        agg = store::ZAggregate::kMax;
      } else {
        return ctx.Error(err::kSyntax);
      }
      j += 2;
    } else if (!store && kind != Kind::kInterCard && EqualsNoCase(a, "withscores")) {
      withscores = true;
      ++j;
    } else if (kind == Kind::kInterCard && remaining >= 2 && EqualsNoCase(a, "limit")) {
      if (!ParseIntOrReply(ctx, ctx.arg(j + 1), &limit, err::kZLimitNegative)) return;
      if (limit < 0) return ctx.Error(err::kZLimitNegative);
      j += 2;
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  store::ZSetOp op = kind == Kind::kUnion  ? store::ZSetOp::kUnion
                     : kind == Kind::kDiff ? store::ZSetOp::kDiff
                                           : store::ZSetOp::kInter;
  std::vector<store::ZEntry> v = store::ZCombine(op, inputs, weights, agg);
  if (kind == Kind::kInterCard) {
    int64_t card = static_cast<int64_t>(v.size());
    if (limit > 0) card = std::min(card, limit);
    return ctx.out.Integer(card);
  }
  if (store) {
    std::string_view dst = ctx.arg(1);
    const bool existed = ctx.db->Find(dst) != nullptr;
    int64_t stored = store::ZStore(*ctx.db, dst, std::move(v), detail::ZSetLimitsOf(ctx));
    if (stored > 0 || existed) AddDirty(ctx);
    if (stored > 0) {
      Notify(ctx, kNotifyZset,
             kind == Kind::kUnion   ? "zunionstore"
             : kind == Kind::kInter ? "zinterstore"
                                    : "zdiffstore",
             dst);
    } else if (existed) {
      Notify(ctx, kNotifyGeneric, "del", dst);
    }
    return ctx.out.Integer(stored);
  }
  detail::ReplyZEntries(ctx, v, withscores);
}

void CmdZUnion(CommandContext& ctx) { ZSetOpGeneric(ctx, 1, Kind::kUnion, false); }
void CmdZInter(CommandContext& ctx) { ZSetOpGeneric(ctx, 1, Kind::kInter, false); }
void CmdZDiff(CommandContext& ctx) { ZSetOpGeneric(ctx, 1, Kind::kDiff, false); }
void CmdZUnionStore(CommandContext& ctx) { ZSetOpGeneric(ctx, 2, Kind::kUnion, true); }
void CmdZInterStore(CommandContext& ctx) { ZSetOpGeneric(ctx, 2, Kind::kInter, true); }
void CmdZDiffStore(CommandContext& ctx) { ZSetOpGeneric(ctx, 2, Kind::kDiff, true); }
void CmdZInterCard(CommandContext& ctx) { ZSetOpGeneric(ctx, 1, Kind::kInterCard, false); }

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
void CmdZMPop(CommandContext& ctx) {
  int64_t numkeys;
  if (!ParseIntOrReply(ctx, ctx.arg(1), &numkeys, err::kNumKeysPositive)) return;
  if (numkeys < 1) return ctx.Error(err::kNumKeysPositive);
  if (numkeys >= static_cast<int64_t>(ctx.argc()) - 2) return ctx.Error(err::kSyntax);
  const size_t where_idx = 2 + static_cast<size_t>(numkeys);
  bool max;
  if (EqualsNoCase(ctx.arg(where_idx), "min")) {
    max = false;
  } else if (EqualsNoCase(ctx.arg(where_idx), "max")) {
    max = true;
  } else {
    return ctx.Error(err::kSyntax);
  }
  int64_t count = -1;
  for (size_t j = where_idx + 1; j < ctx.argc(); ++j) {
    if (count == -1 && j + 1 < ctx.argc() && EqualsNoCase(ctx.arg(j), "count")) {
      if (!ParseIntOrReply(ctx, ctx.arg(j + 1), &count, err::kCountPositive)) return;
      if (count < 1) return ctx.Error(err::kCountPositive);
      ++j;
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  if (count == -1) count = 1;
  for (size_t i = 2; i < where_idx; ++i) {
    std::string_view key = ctx.arg(i);
    store::Entry* e = LookupWrite(ctx, key);
    store::Result<store::ZSetValue*> r = store::MutableZSetOf(e);
    if (!r.ok()) return ctx.Error(r.status());
    if (r.value() == nullptr || r.value()->size() == 0) continue;
    std::vector<store::ZEntry> v = store::ZPop(*ctx.db, key, e, max, static_cast<size_t>(count));
    AddDirty(ctx, v.size());
    NotifyMaybeDeleted(ctx, kNotifyZset, max ? "zpopmax" : "zpopmin", key);
    ctx.out.ArrayHeader(2);
    ctx.out.Bulk(key);
    // Pairs are nested in both protocols here.
    ctx.out.ArrayHeader(static_cast<int64_t>(v.size()));
    for (const store::ZEntry& el : v) {
      ctx.out.ArrayHeader(2);
      ctx.out.Bulk(el.member);
      ctx.out.Double(el.score);
    }
    return;
  }
  ctx.out.NullArray();
}

// ZRANDMEMBER key [count [WITHSCORES]]
void CmdZRandMember(CommandContext& ctx) {
  int64_t count = 0;
  bool withscores = false;
  const bool has_count = ctx.argc() >= 3;
  if (has_count) {
    if (!ParseIntOrReply(ctx, ctx.arg(2), &count)) return;
    if (count == INT64_MIN) return ctx.Error(err::kZRandCountRange);
    if (ctx.argc() > 4 || (ctx.argc() == 4 && !EqualsNoCase(ctx.arg(3), "withscores"))) {
      return ctx.Error(err::kSyntax);
    }
    if (ctx.argc() == 4) {
      withscores = true;
      if (count < -INT64_MAX / 2 || count > INT64_MAX / 2) return ctx.Error(err::kZOutOfRange);
    }
  }
  store::Result<const store::ZSetValue*> r = store::ZSetOf(LookupRead(ctx, ctx.arg(1)));
  if (!r.ok()) return ctx.Error(r.status());
  const store::ZSetValue* z = r.value();
  if (!has_count) {
    if (z == nullptr) return ctx.out.Null();
    return ctx.out.Bulk(z->At(ctx.server.Random64() % z->size()).member);
  }
  std::vector<store::ZEntry> v;
  if (z == nullptr || count == 0) return detail::ReplyZEntries(ctx, v, withscores);
  const size_t size = z->size();
  if (count < 0) {
    // Repetitions allowed: independent draws.
    const auto k = static_cast<size_t>(-count);
    v.reserve(k);
    for (size_t i = 0; i < k; ++i) v.push_back(z->At(ctx.server.Random64() % size));
  } else if (static_cast<size_t>(count) >= size) {
    z->ForRange(0, size - 1, false, [&](double s, std::string_view m) {
      v.push_back({s, std::string(m)});
    });
  } else {
    // Distinct ranks by a partial Fisher-Yates shuffle of the rank indices.
    std::vector<size_t> ranks(size);
    for (size_t i = 0; i < size; ++i) ranks[i] = i;
    const auto k = static_cast<size_t>(count);
    for (size_t i = 0; i < k; ++i) {
      size_t j = i + ctx.server.Random64() % (size - i);
      std::swap(ranks[i], ranks[j]);
      v.push_back(z->At(ranks[i]));
    }
  }
  detail::ReplyZEntries(ctx, v, withscores);
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]
void CmdZScan(CommandContext& ctx) {
  uint64_t cursor;
  if (!store::ParseScanCursor(ctx.arg(2), &cursor)) return ctx.Error(err::kInvalidCursor);
  store::Result<const store::ZSetValue*> r = store::ZSetOf(LookupRead(ctx, ctx.arg(1)));
  if (!r.ok()) return ctx.Error(r.status());
  if (r.value() == nullptr) return ReplyEmptyScan(ctx);
  store::ScanOptions opts;
  if (!ParseScanOptionsOrReply(ctx, 3, /*allow_type=*/false, &opts)) return;
  std::vector<std::pair<std::string_view, double>> found;
  const uint64_t next = r.value()->ScanStep(cursor, opts.count, [&](double s, std::string_view m) {
    if (ScanMatches(opts, m)) found.emplace_back(m, s);
  });
  ReplyScanHeader(ctx, next, 2 * found.size());
  for (const auto& [m, s] : found) {
    ctx.out.Bulk(m);
    ctx.out.Bulk(ScoreString(s));
  }
}

}  // namespace

std::vector<CommandSpec> ZSetSetOpsCommands() {
  const uint64_t read_slow = kAclRead | kAclSortedSet | kAclSlow;
  const uint64_t write_slow = kAclWrite | kAclSortedSet | kAclSlow;
  return {
      {"zdiff",
       -3,
       kReadOnly,
       0,
       0,
       0,
       read_slow,
       CmdZDiff,
       "sorted-set",
       "6.2.0",
       "Subtract multiple sorted sets",
       {},
       NumKeysAt1},
      {"zdiffstore",
       -4,
       kWrite | kDenyOom,
       1,
       1,
       1,
       write_slow,
       CmdZDiffStore,
       "sorted-set",
       "6.2.0",
       "Subtract multiple sorted sets and store the resulting sorted set in a new key",
       {},
       DestThenNumKeys},
      {"zinter",
       -3,
       kReadOnly,
       0,
       0,
       0,
       read_slow,
       CmdZInter,
       "sorted-set",
       "6.2.0",
       "Intersect multiple sorted sets",
       {},
       NumKeysAt1},
      {"zintercard",
       -3,
       kReadOnly,
       0,
       0,
       0,
       read_slow,
       CmdZInterCard,
       "sorted-set",
       "7.0.0",
       "Intersect multiple sorted sets and return the cardinality of the result",
       {},
       NumKeysAt1},
      {"zinterstore",
       -4,
       kWrite | kDenyOom,
       1,
       1,
       1,
       write_slow,
       CmdZInterStore,
       "sorted-set",
       "2.0.0",
       "Intersect multiple sorted sets and store the resulting sorted set in a new key",
       {},
       DestThenNumKeys},
      {"zmpop",
       -4,
       kWrite,
       0,
       0,
       0,
       write_slow,
       CmdZMPop,
       "sorted-set",
       "7.0.0",
       "Remove and return members with scores in a sorted set",
       {},
       NumKeysAt1},
      {"zrandmember", -2, kReadOnly, 1, 1, 1, read_slow, CmdZRandMember, "sorted-set", "6.2.0",
       "Get one or multiple random elements from a sorted set"},
      {"zscan", -3, kReadOnly, 1, 1, 1, read_slow, CmdZScan, "sorted-set", "2.8.0",
       "Incrementally iterate sorted sets elements and associated scores"},
      {"zunion",
       -3,
       kReadOnly,
       0,
       0,
       0,
       read_slow,
       CmdZUnion,
       "sorted-set",
       "6.2.0",
       "Add multiple sorted sets",
       {},
       NumKeysAt1},
      {"zunionstore",
       -4,
       kWrite | kDenyOom,
       1,
       1,
       1,
       write_slow,
       CmdZUnionStore,
       "sorted-set",
       "2.0.0",
       "Add multiple sorted sets and store the resulting sorted set in a new key",
       {},
       DestThenNumKeys},
  };
}

}  // namespace server
