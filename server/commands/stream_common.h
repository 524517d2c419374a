// Pieces shared by the stream command files (stream_family.cc, stream_group_family.cc).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/context.h"
#include "store/stream_ops.h"

namespace server {

std::vector<CommandSpec> StreamGroupCommands();  // stream_group_family.cc

namespace detail {

inline constexpr ErrorReply kInvalidStreamId{
    "ERR", "Invalid stream ID specified as stream command argument"};

// Parses a stream ID argument; false iff the error was sent.
inline bool ParseIdOrReply(CommandContext& ctx, std::string_view s,
                           const store::StreamIdSyntax& syntax, store::StreamId* id) {
  if (!store::ParseStreamId(s, syntax, id)) {
    ctx.Error(kInvalidStreamId);
    return false;
  }
  return true;
}

inline store::StreamIdSyntax Strict() {
  store::StreamIdSyntax s;
  s.strict = true;
  return s;
}

// The stream at key for reading; false iff WRONGTYPE was sent. *s is null if absent.
inline bool ReadStreamOrReply(CommandContext& ctx, std::string_view key,
                              const store::StreamValue** s) {
  store::Result<const store::StreamValue*> r = store::StreamOf(LookupRead(ctx, key));
  if (!r.ok()) {
    ctx.Error(r.status());
    return false;
  }
  *s = r.value();
  return true;
}

// [id, [field, value, ...]]
inline void WriteEntry(resp::Writer& out, const store::StreamEntry& e) {
  out.ArrayHeader(2);
  out.Bulk(e.id.ToString());
  out.ArrayHeader(static_cast<int64_t>(e.fields.size()));
  for (const std::string& f : e.fields) out.Bulk(f);
}

inline void WriteEntries(resp::Writer& out, const std::vector<store::StreamEntry>& entries) {
  out.ArrayHeader(static_cast<int64_t>(entries.size()));
  for (const store::StreamEntry& e : entries) WriteEntry(out, e);
}

// Logs `cmd` (in place of the command's argv) when a sink listens.
inline void Propagate(CommandContext& ctx, std::vector<std::string> cmd) {
  ctx.propagate_replaced = true;
  if (ctx.propagating) ctx.propagate_as.push_back(std::move(cmd));
}

// XINFO GROUPS / CONSUMERS (stream_group_family.cc), and the groups part of XINFO STREAM FULL.
void CmdXInfoGroups(CommandContext& ctx);
void CmdXInfoConsumers(CommandContext& ctx);
void WriteGroupsFull(CommandContext& ctx, const store::StreamValue& s, size_t count);

}  // namespace detail
}  // namespace server
