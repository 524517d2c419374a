// Helpers shared by the sorted-set command files (zset_family.cc, zset_setops_family.cc).
#pragma once

#include <vector>

#include "server/context.h"
#include "store/zset_ops.h"

namespace server::detail {

// The listpack thresholds in force (zset-max-listpack-entries / -value).
store::ZSetLimits ZSetLimitsOf(const CommandContext& ctx);

// Replies with members, and their scores if withscores: RESP3 nests [member, score] pairs,
// RESP2 flattens them.
void ReplyZEntries(CommandContext& ctx, const std::vector<store::ZEntry>& v, bool withscores);

}  // namespace server::detail
