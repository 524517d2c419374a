// String commands. Store operations live in store/string_ops.h; handlers here parse arguments
// and write replies.
#include "server/commands/families.h"
#include "server/context.h"
#include "server/server.h"

namespace server {
namespace {

// GET key
void CmdGet(CommandContext& ctx) {
  store::Entry* e = LookupRead(ctx, ctx.arg(1));
  if (e == nullptr) return ctx.out.Null();
  if (!e->value().is_string()) return ctx.Error(err::kWrongType);
  std::string scratch;
  ctx.out.Bulk(e->value().Str(&scratch));
}

// SET key value
void CmdSet(CommandContext& ctx) {
  ctx.db->Set(ctx.arg(1), store::Value::String(ctx.arg(2)));
  ctx.out.Ok();
}

}  // namespace

std::vector<CommandSpec> StringCommands() {
  return {
      {"get", 2, kReadOnly | kFast, 1, 1, 1, kAclRead | kAclString | kAclFast, CmdGet, "string",
       "1.0.0", "Returns the string value of a key."},
      {"set", -3, kWrite | kDenyOom, 1, 1, 1, kAclWrite | kAclString | kAclSlow, CmdSet, "string",
       "1.0.0", "Sets the string value of a key, ignoring its type."},
  };
}

}  // namespace server
