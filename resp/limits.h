// Size limits of the wire protocol, named after the Redis configs and constants they mirror.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

namespace resp {

// A line without '\n' longer than this is an error ("too big inline request",
// "too big mbulk count string", "too big bulk count string").
inline constexpr size_t kMaxInlineSize = 64 * 1024;
// Redis rejects a multibulk header above INT_MAX with "invalid multibulk length".
inline constexpr int64_t kMaxMultibulkLen = 2147483647;
// Default of `proto-max-bulk-len` (512 MB); configurable per parser.
inline constexpr int64_t kDefaultMaxBulkLen = 512LL * 1024 * 1024;
// Redis caps `proto-max-bulk-len` (and `client-query-buffer-limit`) at LONG_MAX, so a 32-bit
// server refuses bulks of 2 GB and more ("invalid bulk length") before trying to buffer them.
inline constexpr int64_t kMaxBulkLenCap = std::numeric_limits<long>::max();

}  // namespace resp
