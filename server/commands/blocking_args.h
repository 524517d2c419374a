// Pieces shared by the blocking commands (list_blocking_family.cc, zset_blocking_family.cc).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "server/context.h"

namespace server {

// Parses a timeout in seconds (fractions allowed) into milliseconds, rounded up; 0 = forever.
// Redis 7.0 reports values too large for a millisecond count as negative, and so do we.
bool ParseTimeoutOrReply(CommandContext& ctx, std::string_view s, int64_t* ms);

// When nothing can be served: block on keys, or (timed out, or inside MULTI) answer null.
void BlockOrTimeout(CommandContext& ctx, std::span<const std::string_view> keys, int64_t ms);

// A key of another type: an error for a fresh call (returns true: replied), but a retried,
// blocked client keeps waiting (returns false), as Redis serves waiters only keys of their type.
bool WrongTypeOrKeepWaiting(CommandContext& ctx);

// Parses "numkeys key [key ...]" at argv[at]: the keys, or an empty span after replying an error.
// `after` is how many arguments must follow the keys at least.
std::span<const std::string_view> NumKeysOrReply(CommandContext& ctx, size_t at, size_t after);

// Parses an optional trailing "COUNT n" from argv[at] on; *count stays 1 without it.
bool OptionalCountOrReply(CommandContext& ctx, size_t at, int64_t* count);

}  // namespace server
