// Bitmap commands over string values: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.
#include "server/commands/families.h"
#include "server/context.h"
#include "server/server.h"

namespace server {

std::vector<CommandSpec> BitmapCommands() { return {}; }

}  // namespace server
