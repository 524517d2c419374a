#include "server/commands/blocking_args.h"

#include <cmath>

namespace server {

bool ParseTimeoutOrReply(CommandContext& ctx, std::string_view s, int64_t* ms) {
  double secs;
  if (!store::ParseDouble(s, &secs)) {
    ctx.Error(err::kTimeoutNotFloat);
    return false;
  }
  double v = std::ceil(secs * 1000.0);
  if (v < 0 || !(v < 9.2e18)) {
    ctx.Error(err::kTimeoutNegative);
    return false;
  }
  *ms = static_cast<int64_t>(v);
  return true;
}

void BlockOrTimeout(CommandContext& ctx, std::span<const std::string_view> keys, int64_t ms) {
  if (ctx.timed_out || !ctx.may_block) return ctx.out.NullArray();
  ctx.BlockOn(keys, ms);
}

bool WrongTypeOrKeepWaiting(CommandContext& ctx) {
  if (ctx.retry) return false;
  ctx.Error(err::kWrongType);
  return true;
}

std::span<const std::string_view> NumKeysOrReply(CommandContext& ctx, size_t at, size_t after) {
  int64_t numkeys = 0;
  if (!ParseIntOrReply(ctx, ctx.arg(at), &numkeys, err::kNumKeysPositive)) return {};
  if (numkeys <= 0) {
    ctx.Error(err::kNumKeysPositive);
    return {};
  }
  if (numkeys > static_cast<int64_t>(ctx.argc() - at - 1 - after)) {
    ctx.Error(err::kSyntax);
    return {};
  }
  return ctx.argv.subspan(at + 1, static_cast<size_t>(numkeys));
}

bool OptionalCountOrReply(CommandContext& ctx, size_t at, int64_t* count) {
  *count = -1;
  for (size_t j = at; j < ctx.argc(); ++j) {
    if (*count == -1 && EqualsNoCase(ctx.arg(j), "count") && j + 1 < ctx.argc()) {
      if (!ParseIntOrReply(ctx, ctx.arg(++j), count, err::kCountPositive)) return false;
      if (*count <= 0) {
        ctx.Error(err::kCountPositive);
        return false;
      }
    } else {
      ctx.Error(err::kSyntax);
      return false;
    }
  }
  if (*count == -1) *count = 1;
  return true;
}

}  // namespace server
