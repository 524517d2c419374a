// Pieces shared by the cursor commands: SCAN (scan_family.cc) and HSCAN / SSCAN / ZSCAN.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "server/context.h"
#include "store/scan.h"

namespace server {

// Parses [MATCH pattern] [COUNT count] (and [TYPE type] if allow_type, SCAN only) from
// argv[first] on into *opts; a repeated option keeps its last value, and a "*" pattern clears
// the filter, as in Redis. False after replying an error.
bool ParseScanOptionsOrReply(CommandContext& ctx, size_t first, bool allow_type,
                             store::ScanOptions* opts);

// Whether an element passes the MATCH filter of opts.
bool ScanMatches(const store::ScanOptions& opts, std::string_view s);

// Starts the reply [next cursor, [...]]: the caller then writes `items` bulk strings.
void ReplyScanHeader(CommandContext& ctx, uint64_t next, size_t items);

// Replies [next cursor, [items...]].
void ReplyScanPage(CommandContext& ctx, uint64_t next, const std::vector<std::string_view>& items);

// The reply to a scan of a missing key: ["0", []].
void ReplyEmptyScan(CommandContext& ctx);

}  // namespace server
