#include "server/commands/scan_args.h"

#include <string>

#include "server/errors.h"
#include "store/glob.h"

namespace server {

bool ParseScanOptionsOrReply(CommandContext& ctx, size_t first, bool allow_type,
                             store::ScanOptions* opts) {
  for (size_t i = first; i < ctx.argc(); i += 2) {
    std::string_view a = ctx.arg(i);
    const bool has_value = i + 1 < ctx.argc();
    if (has_value && EqualsNoCase(a, "count")) {
      int64_t n;
      if (!ParseIntOrReply(ctx, ctx.arg(i + 1), &n)) return false;
      if (n < 1) {
        ctx.Error(err::kSyntax);
        return false;
      }
      opts->count = static_cast<size_t>(n);
    } else if (has_value && EqualsNoCase(a, "match")) {
      opts->pattern = ctx.arg(i + 1);
      // "*" matches everything, so Redis skips the filter.
      opts->has_pattern = opts->pattern != "*";
    } else if (allow_type && has_value && EqualsNoCase(a, "type")) {
      opts->has_type = true;
      opts->type = ctx.arg(i + 1);
    } else {
      ctx.Error(err::kSyntax);
      return false;
    }
  }
  return true;
}

bool ScanMatches(const store::ScanOptions& opts, std::string_view s) {
  return !opts.has_pattern || store::GlobMatch(opts.pattern, s);
}

void ReplyScanHeader(CommandContext& ctx, uint64_t next, size_t items) {
  ctx.out.ArrayHeader(2);
  ctx.out.Bulk(std::to_string(next));
  ctx.out.ArrayHeader(static_cast<int64_t>(items));
}

void ReplyScanPage(CommandContext& ctx, uint64_t next, const std::vector<std::string_view>& items) {
  ReplyScanHeader(ctx, next, items.size());
  for (std::string_view s : items) ctx.out.Bulk(s);
}

void ReplyEmptyScan(CommandContext& ctx) { ReplyScanPage(ctx, 0, {}); }

}  // namespace server
