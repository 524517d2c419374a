// COMMAND and its subcommands, generated from the command tables (ctx.server.registry()), so what
// clients learn about a command is what the dispatcher enforces.
//
// The tables hold Redis's legacy key triple (first, last, step) but no key-spec flags, command
// tips or argument docs. So COMMAND INFO derives one key spec from the triple, with RO/access
// for read-only commands and RW/access/update for writes (Redis distinguishes OW, RM, insert,
// delete per command); tips are empty; COMMAND DOCS carries summary, since and group only.
#include <string>
#include <vector>

#include "server/commands/families.h"
#include "server/context.h"
#include "server/server.h"
#include "store/glob.h"

namespace server {
namespace {

constexpr ErrorReply kInvalidCommand{"ERR", "Invalid command specified"};
constexpr ErrorReply kInvalidArgCount{"ERR", "Invalid number of arguments specified for command"};
constexpr ErrorReply kNoKeyArguments{"ERR", "The command has no key arguments"};
constexpr ErrorReply kInvalidArguments{"ERR", "Invalid arguments specified for command"};

// Finds "get", "CONFIG", or a subcommand by its full name "config|get". nullptr if unknown.
const Command* FindByFullName(const CommandRegistry& reg, std::string_view name) {
  size_t bar = name.find('|');
  const Command* c = reg.Find(name.substr(0, bar));
  if (c == nullptr || bar == std::string_view::npos) return c;
  auto it = c->subcommands.find(ToLower(name.substr(bar + 1)));
  return it == c->subcommands.end() ? nullptr : it->second.get();
}

// The access flags of the derived key spec (see the file comment).
std::vector<std::string_view> KeyFlags(const Command& c) {
  if (c.is(kWrite)) return {"RW", "access", "update"};
  if (c.is(kReadOnly)) return {"RO", "access"};
  return {"RO"};
}

void WriteStringSet(resp::Writer& out, const std::vector<std::string_view>& items) {
  out.SetHeader(static_cast<int64_t>(items.size()));
  for (std::string_view s : items) out.SimpleString(s);
}

void WriteKeySpecs(resp::Writer& out, const Command& c) {
  const CommandSpec& s = c.spec;
  if (s.first_key <= 0) return out.SetHeader(0);
  out.SetHeader(1);
  out.MapHeader(3);
  out.Bulk("flags");
  WriteStringSet(out, KeyFlags(c));
  out.Bulk("begin_search");
  out.MapHeader(2);
  out.Bulk("type");
  out.Bulk("index");
  out.Bulk("spec");
  out.MapHeader(1);
  out.Bulk("index");
  out.Integer(s.first_key);
  out.Bulk("find_keys");
  out.MapHeader(2);
  out.Bulk("type");
  out.Bulk("range");
  out.Bulk("spec");
  out.MapHeader(3);
  out.Bulk("lastkey");
  // A key spec counts the last key from the first one; a negative one from the end, as before.
  out.Integer(s.last_key >= 0 ? s.last_key - s.first_key : s.last_key);
  out.Bulk("keystep");
  out.Integer(s.key_step);
  out.Bulk("limit");
  out.Integer(0);
}

// One COMMAND INFO entry: [name, arity, flags, first, last, step, acl, tips, key specs, subs].
void WriteInfo(resp::Writer& out, const Command& c) {
  const CommandSpec& s = c.spec;
  out.ArrayHeader(10);
  out.Bulk(c.full_name);
  out.Integer(s.arity);
  std::vector<std::string_view> flags = FlagNames(s.flags);
  if (s.find_keys != nullptr) flags.push_back("movablekeys");
  WriteStringSet(out, flags);
  out.Integer(s.first_key);
  out.Integer(s.last_key);
  out.Integer(s.key_step);
  WriteStringSet(out, AclCategoryNames(s.acl));
  out.SetHeader(0);  // tips
  WriteKeySpecs(out, c);
  out.SetHeader(static_cast<int64_t>(c.subcommands.size()));
  for (const auto& [name, sub] : c.subcommands) WriteInfo(out, *sub);
}

// One COMMAND DOCS value: {summary, since, group[, subcommands]}.
void WriteDocs(resp::Writer& out, const Command& c) {
  const CommandSpec& s = c.spec;
  out.MapHeader(c.subcommands.empty() ? 3 : 4);
  out.Bulk("summary");
  out.Bulk(s.summary);
  out.Bulk("since");
  out.Bulk(s.since);
  out.Bulk("group");
  out.Bulk(s.group);
  if (c.subcommands.empty()) return;
  out.Bulk("subcommands");
  out.MapHeader(static_cast<int64_t>(c.subcommands.size()));
  for (const auto& [name, sub] : c.subcommands) {
    out.Bulk(sub->full_name);
    WriteDocs(out, *sub);
  }
}

// COMMAND
void CmdCommand(CommandContext& ctx) {
  const auto& all = ctx.server.registry().all();
  ctx.out.ArrayHeader(static_cast<int64_t>(all.size()));
  for (const auto& [name, c] : all) WriteInfo(ctx.out, *c);
}

// COMMAND COUNT
void CmdCommandCount(CommandContext& ctx) {
  ctx.out.Integer(static_cast<int64_t>(ctx.server.registry().size()));
}

// COMMAND INFO [command-name ...]
void CmdCommandInfo(CommandContext& ctx) {
  if (ctx.argc() == 2) return CmdCommand(ctx);
  ctx.out.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const Command* c = FindByFullName(ctx.server.registry(), ctx.arg(i));
    if (c == nullptr) {
      ctx.out.Null();
    } else {
      WriteInfo(ctx.out, *c);
    }
  }
}

// COMMAND DOCS [command-name ...]
void CmdCommandDocs(CommandContext& ctx) {
  std::vector<const Command*> found;
  if (ctx.argc() == 2) {
    for (const auto& [name, c] : ctx.server.registry().all()) found.push_back(c.get());
  } else {
    // Unknown names are left out of the map, as in Redis.
    for (size_t i = 2; i < ctx.argc(); ++i) {
      const Command* c = FindByFullName(ctx.server.registry(), ctx.arg(i));
      if (c != nullptr) found.push_back(c);
    }
  }
  ctx.out.MapHeader(static_cast<int64_t>(found.size()));
  for (const Command* c : found) {
    ctx.out.Bulk(c->full_name);
    WriteDocs(ctx.out, *c);
  }
}

// COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]
void CmdCommandList(CommandContext& ctx) {
  enum class Filter { kNone, kModule, kAclCat, kPattern } filter = Filter::kNone;
  std::string value;
  if (ctx.argc() == 5 && EqualsNoCase(ctx.arg(2), "filterby")) {
    std::string_view kind = ctx.arg(3);
    value = std::string(ctx.arg(4));
    if (EqualsNoCase(kind, "module")) {
      filter = Filter::kModule;
    } else if (EqualsNoCase(kind, "aclcat")) {
      filter = Filter::kAclCat;
      value = "@" + ToLower(value);
    } else if (EqualsNoCase(kind, "pattern")) {
      filter = Filter::kPattern;
    } else {
      return ctx.Error(err::kSyntax);
    }
  } else if (ctx.argc() != 2) {
    return ctx.Error(err::kSyntax);
  }
  auto matches = [&](const Command& c) {
    switch (filter) {
      case Filter::kNone:
        return true;
      case Filter::kModule:
        return false;  // no modules
      case Filter::kAclCat:
        for (std::string_view cat : AclCategoryNames(c.spec.acl)) {
          if (cat == value) return true;
        }
        return false;
      case Filter::kPattern:
        return store::GlobMatch(value, c.full_name, /*nocase=*/true);
    }
    return false;
  };
  std::vector<const Command*> names;
  for (const auto& [name, c] : ctx.server.registry().all()) {
    if (matches(*c)) names.push_back(c.get());
    for (const auto& [sn, sub] : c->subcommands) {
      if (matches(*sub)) names.push_back(sub.get());
    }
  }
  ctx.out.ArrayHeader(static_cast<int64_t>(names.size()));
  for (const Command* c : names) ctx.out.Bulk(c->full_name);
}

// Resolves the command of COMMAND GETKEYS[ANDFLAGS] and the positions of its keys in argv (which
// starts at the command's name). Replies with the error and returns false on failure.
bool KeyPositionsOrReply(CommandContext& ctx, const Command** cmd, std::vector<size_t>* pos) {
  std::span<const std::string_view> args = ctx.argv.subspan(2);
  const Command* c = ctx.server.registry().Find(args[0]);
  if (c != nullptr && !c->subcommands.empty()) {
    auto it = args.size() >= 2 ? c->subcommands.find(ToLower(args[1])) : c->subcommands.end();
    c = it == c->subcommands.end() ? nullptr : it->second.get();
  }
  if (c == nullptr) {
    ctx.Error(kInvalidCommand);
    return false;
  }
  if (c->spec.first_key <= 0 && c->spec.find_keys == nullptr) {
    ctx.Error(kNoKeyArguments);
    return false;
  }
  if (!c->arity_ok(args.size())) {
    ctx.Error(kInvalidArgCount);
    return false;
  }
  *pos = KeyPositions(*c, args);
  if (pos->empty() && !c->is(kNoMandatoryKeys)) {
    ctx.Error(kInvalidArguments);
    return false;
  }
  *cmd = c;
  return true;
}

// COMMAND GETKEYS command [arg ...]
void CmdCommandGetKeys(CommandContext& ctx) {
  const Command* c = nullptr;
  std::vector<size_t> pos;
  if (!KeyPositionsOrReply(ctx, &c, &pos)) return;
  ctx.out.ArrayHeader(static_cast<int64_t>(pos.size()));
  for (size_t p : pos) ctx.out.Bulk(ctx.arg(p + 2));
}

// COMMAND GETKEYSANDFLAGS command [arg ...]
void CmdCommandGetKeysAndFlags(CommandContext& ctx) {
  const Command* c = nullptr;
  std::vector<size_t> pos;
  if (!KeyPositionsOrReply(ctx, &c, &pos)) return;
  ctx.out.ArrayHeader(static_cast<int64_t>(pos.size()));
  for (size_t p : pos) {
    ctx.out.ArrayHeader(2);
    ctx.out.Bulk(ctx.arg(p + 2));
    WriteStringSet(ctx.out, KeyFlags(*c));
  }
}

// COMMAND HELP
void CmdCommandHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)",
      "    Return details about all Redis commands.",
      "COUNT",
      "    Return the total number of commands in this Redis server.",
      "LIST",
      "    Return a list of all commands in this Redis server.",
      "INFO [<command-name> ...]",
      "    Return details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "DOCS [<command-name> ...]",
      "    Return documentation details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "GETKEYS <full-command>",
      "    Return the keys from a full Redis command.",
      "GETKEYSANDFLAGS <full-command>",
      "    Return the keys and the access flags from a full Redis command.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

constexpr uint32_t kFlags = kLoading | kStale;
constexpr uint64_t kAcl = kAclSlow | kAclConnection;

}  // namespace

std::vector<CommandSpec> IntrospectionCommands() {
  return {
      {"command",
       -1,
       kFlags,
       0,
       0,
       0,
       kAcl,
       CmdCommand,  // bare COMMAND; with arguments the dispatcher picks a subcommand
       "server",
       "2.8.13",
       "Get array of Redis command details",
       {
           {"count", 2, kFlags, 0, 0, 0, kAcl, CmdCommandCount, "server", "2.8.13",
            "Get total number of Redis commands"},
           {"docs", -2, kFlags, 0, 0, 0, kAcl, CmdCommandDocs, "server", "7.0.0",
            "Get array of specific Redis command documentation"},
           {"getkeys", -4, kFlags, 0, 0, 0, kAcl, CmdCommandGetKeys, "server", "2.8.13",
            "Extract keys given a full Redis command"},
           {"getkeysandflags", -4, kFlags, 0, 0, 0, kAcl, CmdCommandGetKeysAndFlags, "server",
            "7.0.0", "Extract keys and access flags given a full Redis command"},
           {"help", 2, kFlags, 0, 0, 0, kAcl, CmdCommandHelp, "server", "5.0.0",
            "Show helpful text about the different subcommands"},
           {"info", -2, kFlags, 0, 0, 0, kAcl, CmdCommandInfo, "server", "2.8.13",
            "Get array of specific Redis command details, or all when no argument is given."},
           {"list", -2, kFlags, 0, 0, 0, kAcl, CmdCommandList, "server", "7.0.0",
            "Get an array of Redis command names"},
       }},
  };
}

}  // namespace server
