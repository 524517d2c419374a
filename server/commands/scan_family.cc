// Commands over the ordered keyspace: SCAN and KEYS (Redis's, but in key order and seeking to a
// pattern's literal prefix) and the KRANGE / KDELRANGE extensions. The cursor design is in
// store/scan.h and docs/scan.md.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "server/commands/families.h"
#include "server/commands/scan_args.h"
#include "server/context.h"
#include "server/server.h"
#include "store/keyspace_ops.h"
#include "store/scan.h"

namespace server {
namespace {

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
void CmdScan(CommandContext& ctx) {
  uint64_t cursor;
  if (!store::ParseScanCursor(ctx.arg(1), &cursor)) return ctx.Error(err::kInvalidCursor);
  store::ScanOptions opts;
  if (!ParseScanOptionsOrReply(ctx, 2, /*allow_type=*/true, &opts)) return;
  store::ScanPage page = store::Scan(*ctx.db, cursor, opts);
  ReplyScanHeader(ctx, page.cursor, page.keys.size());
  for (const std::string& k : page.keys) ctx.out.Bulk(k);
}

// KEYS pattern
void CmdKeys(CommandContext& ctx) {
  std::vector<std::string_view> keys = store::MatchingKeys(*ctx.db, ctx.arg(1));
  ctx.out.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (std::string_view k : keys) ctx.out.Bulk(k);
}

struct RangeParams {
  store::KeyBound min;
  store::KeyBound max;
  int64_t offset = 0;
  int64_t count = -1;  // negative: no limit
};

// Parses `min max [LIMIT offset count]` from argv[1] on. As ZRANGEBYLEX, the options are checked
// before the bounds, so a bad LIMIT is reported even when a bound is bad too.
bool ParseRangeOrReply(CommandContext& ctx, bool allow_limit, RangeParams* p) {
  for (size_t i = 3; i < ctx.argc(); ++i) {
    if (allow_limit && EqualsNoCase(ctx.arg(i), "limit") && i + 2 < ctx.argc()) {
      if (!ParseIntOrReply(ctx, ctx.arg(i + 1), &p->offset)) return false;
      if (!ParseIntOrReply(ctx, ctx.arg(i + 2), &p->count)) return false;
      i += 2;
    } else {
      ctx.Error(err::kSyntax);
      return false;
    }
  }
  if (!store::ParseKeyBound(ctx.arg(1), &p->min) || !store::ParseKeyBound(ctx.arg(2), &p->max)) {
    ctx.Error(err::kLexRange);
    return false;
  }
  return true;
}

// KRANGE min max [LIMIT offset count]
// The live keys in [min, max] in order; bounds as ZRANGEBYLEX ("[a", "(a", "-", "+").
void CmdKRange(CommandContext& ctx) {
  RangeParams p;
  if (!ParseRangeOrReply(ctx, true, &p)) return;
  // A negative offset selects nothing, as in ZRANGEBYLEX.
  if (p.offset < 0) return ctx.out.ArrayHeader(0);
  std::vector<std::string_view> keys = store::RangeKeys(*ctx.db, p.min, p.max, p.offset, p.count);
  ctx.out.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (std::string_view k : keys) ctx.out.Bulk(k);
}

// KDELRANGE min max
// Deletes the live keys in [min, max] and replies how many.
void CmdKDelRange(CommandContext& ctx) {
  RangeParams p;
  if (!ParseRangeOrReply(ctx, false, &p)) return;
  std::vector<std::string> deleted = store::DeleteRange(*ctx.db, p.min, p.max);
  AddDirty(ctx, deleted.size());
  // Logged as the DELs it performed, so Redis can replay the log too.
  ctx.PropagateInBatches({"DEL"}, deleted);
  ctx.out.Integer(static_cast<int64_t>(deleted.size()));
}

}  // namespace

std::vector<CommandSpec> ScanCommands() {
  const uint64_t rd = kAclKeyspace | kAclRead | kAclSlow;
  return {
      {"scan", -2, kReadOnly, 0, 0, 0, rd, CmdScan, "generic", "2.8.0",
       "Iterates over the key names in the database."},
      {"keys", 2, kReadOnly, 0, 0, 0, rd | kAclDangerous, CmdKeys, "generic", "1.0.0",
       "Returns all key names that match a pattern."},
      {"krange", -3, kReadOnly, 0, 0, 0, rd, CmdKRange, "generic", "0.1.0",
       "Returns the key names in a lexicographical range (Fickle extension)."},
      {"kdelrange", 3, kWrite, 0, 0, 0, kAclKeyspace | kAclWrite | kAclSlow | kAclDangerous,
       CmdKDelRange, "generic", "0.1.0",
       "Deletes the keys in a lexicographical range (Fickle extension)."},
  };
}

}  // namespace server
