#include "server/commands/zset_common.h"

#include "server/server.h"

namespace server::detail {

store::ZSetLimits ZSetLimitsOf(const CommandContext& ctx) {
  return {ctx.server.config().zset_max_listpack_entries,
          ctx.server.config().zset_max_listpack_value};
}

void ReplyZEntries(CommandContext& ctx, const std::vector<store::ZEntry>& v, bool withscores) {
  if (withscores && ctx.session.proto == 3) {
    ctx.out.ArrayHeader(static_cast<int64_t>(v.size()));
    for (const store::ZEntry& e : v) {
      ctx.out.ArrayHeader(2);
      ctx.out.Bulk(e.member);
      ctx.out.Double(e.score);
    }
    return;
  }
  ctx.out.ArrayHeader(static_cast<int64_t>(v.size() * (withscores ? 2 : 1)));
  for (const store::ZEntry& e : v) {
    ctx.out.Bulk(e.member);
    if (withscores) ctx.out.Double(e.score);
  }
}

}  // namespace server::detail
