// Generic key commands.
#include "server/commands/families.h"
#include "server/context.h"
#include "server/server.h"

namespace server {
namespace {

// DEL key [key ...]
void CmdDel(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) n += ctx.db->Erase(ctx.arg(i)) ? 1 : 0;
  ctx.out.Integer(n);
}

}  // namespace

std::vector<CommandSpec> KeysCommands() {
  return {
      {"del", -2, kWrite, 1, -1, 1, kAclKeyspace | kAclWrite | kAclSlow, CmdDel, "generic", "1.0.0",
       "Deletes one or more keys."},
  };
}

}  // namespace server
