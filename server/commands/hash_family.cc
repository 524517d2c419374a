// Hash commands. Store operations live in store/hash_ops.h; handlers here parse arguments and
// write replies. Checks run in Redis 7.0's order, since that order decides which error a client
// sees: HINCRBY* parse the increment before looking at the key, HRANDFIELD validates its count
// and options before the key, and HSCAN checks the cursor, then the key, then its options.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/commands/families.h"
#include "server/commands/scan_args.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "store/glob.h"
#include "store/hash_ops.h"
#include "store/scan.h"
#include "store/string_ops.h"

namespace server {
namespace {

// The thresholds as CONFIG currently has them (CONFIG SET changes them at runtime).
store::HashLimits Limits(const CommandContext& ctx) {
  const Config& c = ctx.server.config();
  return {c.hash_max_listpack_entries, c.hash_max_listpack_value};
}

// The hash at key for reading: false iff it holds another type (and WRONGTYPE was sent).
// *h is nullptr iff the key is absent.
bool ReadHashOrReply(CommandContext& ctx, std::string_view key, const store::HashValue** h) {
  store::Result<const store::HashValue*> r = store::ReadHash(LookupRead(ctx, key));
  if (!r.ok()) {
    ctx.Error(r.status());
    return false;
  }
  *h = r.value();
  return true;
}

// HSET key field value [field value ...]; HMSET has the same shape but replies +OK.
void HashSetGeneric(CommandContext& ctx, bool reply_ok) {
  if (ctx.argc() % 2 != 0) return ctx.ErrorArity();
  std::string_view key = ctx.arg(1);
  store::Result<int64_t> r =
      store::HashSet(*ctx.db, key, LookupWrite(ctx, key), ctx.argv.subspan(2), Limits(ctx));
  if (!r.ok()) return ctx.Error(r.status());
  AddDirty(ctx, (ctx.argc() - 2) / 2);
  Notify(ctx, kNotifyHash, "hset", key);
  if (reply_ok) return ctx.out.Ok();
  ctx.out.Integer(r.value());
}

void CmdHSet(CommandContext& ctx) { HashSetGeneric(ctx, /*reply_ok=*/false); }
void CmdHMSet(CommandContext& ctx) { HashSetGeneric(ctx, /*reply_ok=*/true); }

// HSETNX key field value
void CmdHSetNx(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  store::Result<bool> r =
      store::HashSetNx(*ctx.db, key, LookupWrite(ctx, key), ctx.arg(2), ctx.arg(3), Limits(ctx));
  if (!r.ok()) return ctx.Error(r.status());
  if (r.value()) {
    AddDirty(ctx);
    Notify(ctx, kNotifyHash, "hset", key);
  }
  ctx.out.Integer(r.value() ? 1 : 0);
}

// HGET key field
void CmdHGet(CommandContext& ctx) {
  const store::HashValue* h;
  if (!ReadHashOrReply(ctx, ctx.arg(1), &h)) return;
  const std::optional<std::string_view> v = h == nullptr ? std::nullopt : h->Get(ctx.arg(2));
  if (!v) return ctx.out.Null();
  ctx.out.Bulk(*v);
}

// HMGET key field [field ...]
void CmdHMGet(CommandContext& ctx) {
  const store::HashValue* h;
  if (!ReadHashOrReply(ctx, ctx.arg(1), &h)) return;
  ctx.out.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const std::optional<std::string_view> v = h == nullptr ? std::nullopt : h->Get(ctx.arg(i));
    if (!v) {
      ctx.out.Null();
    } else {
      ctx.out.Bulk(*v);
    }
  }
}

// HDEL key field [field ...]
void CmdHDel(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  store::Result<int64_t> r =
      store::HashDel(*ctx.db, key, LookupWrite(ctx, key), ctx.argv.subspan(2));
  if (!r.ok()) return ctx.Error(r.status());
  AddDirty(ctx, static_cast<uint64_t>(r.value()));
  if (r.value() > 0) NotifyMaybeDeleted(ctx, kNotifyHash, "hdel", key);
  ctx.out.Integer(r.value());
}

// HLEN key
void CmdHLen(CommandContext& ctx) {
  const store::HashValue* h;
  if (!ReadHashOrReply(ctx, ctx.arg(1), &h)) return;
  ctx.out.Integer(h == nullptr ? 0 : static_cast<int64_t>(h->size()));
}

// HSTRLEN key field
void CmdHStrLen(CommandContext& ctx) {
  const store::HashValue* h;
  if (!ReadHashOrReply(ctx, ctx.arg(1), &h)) return;
  const std::optional<std::string_view> v = h == nullptr ? std::nullopt : h->Get(ctx.arg(2));
  ctx.out.Integer(v ? static_cast<int64_t>(v->size()) : 0);
}

// HEXISTS key field
void CmdHExists(CommandContext& ctx) {
  const store::HashValue* h;
  if (!ReadHashOrReply(ctx, ctx.arg(1), &h)) return;
  ctx.out.Integer(h != nullptr && h->Get(ctx.arg(2)) ? 1 : 0);
}

// What HGETALL / HKEYS / HVALS put in their reply.
enum class Part { kFields, kValues, kBoth };

void HashGetAllGeneric(CommandContext& ctx, Part part) {
  const store::HashValue* h;
  if (!ReadHashOrReply(ctx, ctx.arg(1), &h)) return;
  const auto n = static_cast<int64_t>(h == nullptr ? 0 : h->size());
  if (part == Part::kBoth) {
    ctx.out.MapHeader(n);
  } else {
    ctx.out.ArrayHeader(n);
  }
  if (h == nullptr) return;
  h->ForEach([&](std::string_view f, std::string_view v) {
    if (part != Part::kValues) ctx.out.Bulk(f);
    if (part != Part::kFields) ctx.out.Bulk(v);
  });
}

void CmdHGetAll(CommandContext& ctx) { HashGetAllGeneric(ctx, Part::kBoth); }
void CmdHKeys(CommandContext& ctx) { HashGetAllGeneric(ctx, Part::kFields); }
void CmdHVals(CommandContext& ctx) { HashGetAllGeneric(ctx, Part::kValues); }

// HINCRBY key field increment
void CmdHIncrBy(CommandContext& ctx) {
  int64_t delta;
  if (!ParseIntOrReply(ctx, ctx.arg(3), &delta)) return;
  std::string_view key = ctx.arg(1);
  store::Result<int64_t> r =
      store::HashIncrBy(*ctx.db, key, LookupWrite(ctx, key), ctx.arg(2), delta, Limits(ctx));
  if (!r.ok()) {
    if (r.status() == store::Status::kNotInteger) return ctx.Error(err::kHashNotInteger);
    return ctx.Error(r.status());
  }
  AddDirty(ctx);
  Notify(ctx, kNotifyHash, "hincrby", key);
  ctx.out.Integer(r.value());
}

// HINCRBYFLOAT key field increment
void CmdHIncrByFloat(CommandContext& ctx) {
  long double delta;
  if (!store::ParseLongDouble(ctx.arg(3), &delta)) return ctx.Error(err::kNotFloat);
  if (std::isnan(delta) || std::isinf(delta)) return ctx.Error(err::kNanOrInfinity);
  std::string_view key = ctx.arg(1);
  store::Result<std::string> r =
      store::HashIncrByFloat(*ctx.db, key, LookupWrite(ctx, key), ctx.arg(2), delta, Limits(ctx));
  if (!r.ok()) {
    if (r.status() == store::Status::kNotFloat) return ctx.Error(err::kHashNotFloat);
    if (r.status() == store::Status::kNanOrInf) return ctx.Error(err::kIncrNanOrInf);
    return ctx.Error(r.status());
  }
  AddDirty(ctx);
  Notify(ctx, kNotifyHash, "hincrbyfloat", key);
  // Logged as the value it produced, so replay does not depend on float formatting.
  ctx.PropagateAs({"HSET", key, ctx.arg(2), r.value()});
  ctx.out.Bulk(r.value());
}

// HRANDFIELD key [count [WITHVALUES]]
void CmdHRandField(CommandContext& ctx) {
  if (ctx.argc() == 2) {
    const store::HashValue* h;
    if (!ReadHashOrReply(ctx, ctx.arg(1), &h)) return;
    if (h == nullptr) return ctx.out.Null();
    auto picks = store::HashRandomEntries(*h, 1, ctx.server.Random64());
    return ctx.out.Bulk(picks[0].first);
  }
  int64_t count;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &count)) return;
  // Redis takes the count as a long in [-LONG_MAX, LONG_MAX].
  if (count == std::numeric_limits<int64_t>::min()) return ctx.Error(err::kCountOutOfLongRange);
  bool with_values = false;
  if (ctx.argc() > 4 || (ctx.argc() == 4 && !EqualsNoCase(ctx.arg(3), "withvalues"))) {
    return ctx.Error(err::kSyntax);
  }
  with_values = ctx.argc() == 4;
  // Two replies per pick must still be countable.
  if (with_values && count < -(std::numeric_limits<int64_t>::max() / 2)) {
    return ctx.Error(err::kValueOutOfRange);
  }
  const store::HashValue* h;
  if (!ReadHashOrReply(ctx, ctx.arg(1), &h)) return;
  if (h == nullptr || count == 0) return ctx.out.ArrayHeader(0);
  auto picks = store::HashRandomEntries(*h, count, ctx.server.Random64());
  const auto n = static_cast<int64_t>(picks.size());
  // RESP3 gets one [field, value] pair per pick; RESP2 a flat array.
  const bool resp3 = ctx.out.proto() >= 3;
  ctx.out.ArrayHeader(with_values && !resp3 ? 2 * n : n);
  for (const auto& [f, v] : picks) {
    if (!with_values) {
      ctx.out.Bulk(f);
      continue;
    }
    if (resp3) ctx.out.ArrayHeader(2);
    ctx.out.Bulk(f);
    ctx.out.Bulk(v);
  }
}

// HSCAN key cursor [MATCH pattern] [COUNT count]
void CmdHScan(CommandContext& ctx) {
  uint64_t cursor;
  if (!store::ParseScanCursor(ctx.arg(2), &cursor)) return ctx.Error(err::kInvalidCursor);
  const store::HashValue* h;
  if (!ReadHashOrReply(ctx, ctx.arg(1), &h)) return;
  if (h == nullptr) return ReplyEmptyScan(ctx);
  store::ScanOptions opts;
  if (!ParseScanOptionsOrReply(ctx, 3, /*allow_type=*/false, &opts)) return;
  std::vector<std::string_view> found;
  const uint64_t next =
      h->ScanStep(cursor, opts.count, [&](std::string_view f, std::string_view v) {
        if (!ScanMatches(opts, f)) return;
        found.push_back(f);
        found.push_back(v);
      });
  ReplyScanPage(ctx, next, found);
}

}  // namespace

std::vector<CommandSpec> HashCommands() {
  const uint64_t read_fast = kAclRead | kAclHash | kAclFast;
  const uint64_t read_slow = kAclRead | kAclHash | kAclSlow;
  const uint64_t write_fast = kAclWrite | kAclHash | kAclFast;
  const uint32_t rw_fast = kWrite | kDenyOom | kFast;
  return {
      {"hdel", -3, kWrite | kFast, 1, 1, 1, write_fast, CmdHDel, "hash", "2.0.0",
       "Delete one or more hash fields"},
      {"hexists", 3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdHExists, "hash", "2.0.0",
       "Determine if a hash field exists"},
      {"hget", 3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdHGet, "hash", "2.0.0",
       "Get the value of a hash field"},
      {"hgetall", 2, kReadOnly, 1, 1, 1, read_slow, CmdHGetAll, "hash", "2.0.0",
       "Get all the fields and values in a hash"},
      {"hincrby", 4, rw_fast, 1, 1, 1, write_fast, CmdHIncrBy, "hash", "2.0.0",
       "Increment the integer value of a hash field by the given number"},
      {"hincrbyfloat", 4, rw_fast, 1, 1, 1, write_fast, CmdHIncrByFloat, "hash", "2.6.0",
       "Increment the float value of a hash field by the given amount"},
      {"hkeys", 2, kReadOnly, 1, 1, 1, read_slow, CmdHKeys, "hash", "2.0.0",
       "Get all the fields in a hash"},
      {"hlen", 2, kReadOnly | kFast, 1, 1, 1, read_fast, CmdHLen, "hash", "2.0.0",
       "Get the number of fields in a hash"},
      {"hmget", -3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdHMGet, "hash", "2.0.0",
       "Get the values of all the given hash fields"},
      {"hmset", -4, rw_fast, 1, 1, 1, write_fast, CmdHMSet, "hash", "2.0.0",
       "Set multiple hash fields to multiple values"},
      {"hrandfield", -2, kReadOnly, 1, 1, 1, read_slow, CmdHRandField, "hash", "6.2.0",
       "Get one or multiple random fields from a hash"},
      {"hscan", -3, kReadOnly, 1, 1, 1, read_slow, CmdHScan, "hash", "2.8.0",
       "Incrementally iterate hash fields and associated values"},
      {"hset", -4, rw_fast, 1, 1, 1, write_fast, CmdHSet, "hash", "2.0.0",
       "Set the string value of a hash field"},
      {"hsetnx", 4, rw_fast, 1, 1, 1, write_fast, CmdHSetNx, "hash", "2.0.0",
       "Set the value of a hash field, only if the field does not exist"},
      {"hstrlen", 3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdHStrLen, "hash", "3.2.0",
       "Get the length of the value of a hash field"},
      {"hvals", 2, kReadOnly, 1, 1, 1, read_slow, CmdHVals, "hash", "2.0.0",
       "Get all the values in a hash"},
  };
}

}  // namespace server
