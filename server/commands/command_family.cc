// COMMAND and its subcommands, generated from the command tables.
#include "server/commands/families.h"
#include "server/context.h"
#include "server/server.h"

namespace server {
namespace {

// COMMAND COUNT
void CmdCommandCount(CommandContext& ctx) {
  ctx.out.Integer(static_cast<int64_t>(ctx.server.registry().size()));
}

}  // namespace

std::vector<CommandSpec> IntrospectionCommands() {
  return {
      {"command",
       -1,
       kLoading | kStale,
       0,
       0,
       0,
       kAclConnection | kAclSlow,
       nullptr,
       "server",
       "2.8.13",
       "Returns detailed information about all commands.",
       {
           {"count", 2, kLoading | kStale, 0, 0, 0, kAclConnection | kAclSlow, CmdCommandCount,
            "server", "2.8.13", "Returns a count of commands."},
       }},
  };
}

}  // namespace server
