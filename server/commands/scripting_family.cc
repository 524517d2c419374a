// Lua scripting: EVAL EVALSHA EVAL_RO EVALSHA_RO and SCRIPT LOAD|EXISTS|FLUSH|KILL|HELP. The
// engine (server/scripting/engine.h) compiles, caches and runs the scripts; these handlers parse
// the arguments and choose the script.
#include "server/commands/families.h"
#include "server/commands/key_finders.h"
#include "server/context.h"
#include "server/scripting/engine.h"
#include "server/scripting/watchdog.h"
#include "server/server.h"

namespace server {
namespace {

// Splits "script numkeys key... arg..." (argv[1] is the script or its sha). False if an error
// was sent.
bool ParseKeysOrReply(CommandContext& ctx, std::span<const std::string_view>* keys,
                      std::span<const std::string_view>* args) {
  int64_t numkeys;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &numkeys)) return false;
  if (numkeys > static_cast<int64_t>(ctx.argc() - 3)) {
    ctx.Error("ERR", "Number of keys can't be greater than number of args");
    return false;
  }
  if (numkeys < 0) {
    ctx.Error("ERR", "Number of keys can't be negative");
    return false;
  }
  *keys = ctx.argv.subspan(3, static_cast<size_t>(numkeys));
  *args = ctx.argv.subspan(3 + static_cast<size_t>(numkeys));
  return true;
}

void EvalGeneric(CommandContext& ctx, bool by_sha, bool read_only) {
  // MONITOR shows the EVAL before the commands its script runs (EVAL is skip_monitor, so Call
  // does not show it again afterwards).
  ctx.server.FeedMonitors(ctx.session, ctx.argv);
  std::span<const std::string_view> keys, args;
  if (!ParseKeysOrReply(ctx, &keys, &args)) return;
  scripting::Engine& engine = ctx.server.scripts();
  std::string sha;
  if (by_sha) {
    if (!engine.Exists(ctx.arg(1))) return ctx.Error(err::kNoScript);
    sha = ctx.arg(1);
  } else {
    std::string error;
    if (!engine.Load(ctx.arg(1), &sha, &error)) return ctx.Error("ERR", error);
  }
  engine.Run(ctx, sha, keys, args, read_only);
}

// A script with a shebang declares whether it writes and whether it may run over maxmemory; the
// dispatcher's MISCONF and OOM checks then treat its EVAL as such (its plain flags otherwise).
uint32_t FlagsOfDeclared(const scripting::ScriptFlags& f, uint32_t flags) {
  flags &= ~(kWrite | kDenyOom | kStale);
  if (!f.no_writes) flags |= kWrite;
  if (!f.no_writes && !f.allow_oom) flags |= kDenyOom;
  if (f.allow_stale) flags |= kStale;
  return flags;
}
uint32_t FlagsByBody(const Server& srv, std::span<const std::string_view> argv, uint32_t flags) {
  scripting::ScriptFlags f;
  return srv.scripts().DeclaredFlags(argv[1], /*by_sha=*/false, &f) ? FlagsOfDeclared(f, flags)
                                                                    : flags;
}
uint32_t FlagsBySha(const Server& srv, std::span<const std::string_view> argv, uint32_t flags) {
  scripting::ScriptFlags f;
  return srv.scripts().DeclaredFlags(argv[1], /*by_sha=*/true, &f) ? FlagsOfDeclared(f, flags)
                                                                   : flags;
}

// EVAL script numkeys [key ...] [arg ...]
void CmdEval(CommandContext& ctx) { EvalGeneric(ctx, /*by_sha=*/false, /*read_only=*/false); }
// EVALSHA sha1 numkeys [key ...] [arg ...]
void CmdEvalSha(CommandContext& ctx) { EvalGeneric(ctx, /*by_sha=*/true, /*read_only=*/false); }
// EVAL_RO script numkeys [key ...] [arg ...]
void CmdEvalRo(CommandContext& ctx) { EvalGeneric(ctx, /*by_sha=*/false, /*read_only=*/true); }
// EVALSHA_RO sha1 numkeys [key ...] [arg ...]
void CmdEvalShaRo(CommandContext& ctx) { EvalGeneric(ctx, /*by_sha=*/true, /*read_only=*/true); }

// SCRIPT LOAD script
void CmdScriptLoad(CommandContext& ctx) {
  std::string sha, error;
  if (!ctx.server.scripts().Load(ctx.arg(2), &sha, &error)) return ctx.Error("ERR", error);
  ctx.out.Bulk(sha);
}

// SCRIPT EXISTS sha1 [sha1 ...]
void CmdScriptExists(CommandContext& ctx) {
  ctx.out.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.out.Integer(ctx.server.scripts().Exists(ctx.arg(i)) ? 1 : 0);
  }
}

// SCRIPT FLUSH [ASYNC|SYNC]
void CmdScriptFlush(CommandContext& ctx) {
  // Both modes drop the cache at once: freeing a Lua state is quick next to Redis's
  // lazy-free threshold, so ASYNC gains nothing here.
  if (ctx.argc() > 3 || (ctx.argc() == 3 && !EqualsNoCase(ctx.arg(2), "async") &&
                         !EqualsNoCase(ctx.arg(2), "sync"))) {
    return ctx.Error("ERR", "SCRIPT FLUSH only support SYNC|ASYNC option");
  }
  ctx.server.scripts().Flush();
  ctx.out.Ok();
}

// SCRIPT KILL
void CmdScriptKill(CommandContext& ctx) { scripting::ReplyToKill(ctx, /*eval_kill=*/true); }

// SCRIPT HELP
void CmdScriptHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DEBUG (YES|SYNC|NO)",
      "    Set the debug mode for subsequent scripts executed.",
      "EXISTS <sha1> [<sha1> ...]",
      "    Return information about the existence of the scripts in the script cache.",
      "FLUSH [ASYNC|SYNC]",
      "    Flush the Lua scripts cache. Very dangerous on replicas.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the scripts cache.",
      "    * SYNC: Synchronously flush the scripts cache.",
      "KILL",
      "    Kill the currently executing Lua script.",
      "LOAD <script>",
      "    Load a script into the scripts cache without executing it.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> ScriptingCommands() {
  const uint32_t eval = kNoScript | kStale | kSkipMonitor | kNoMandatoryKeys;
  const uint64_t acl = kAclSlow | kAclScripting;
  return {
      {"eval",
       -3,
       eval,
       0,
       0,
       0,
       acl,
       CmdEval,
       "scripting",
       "2.6.0",
       "Executes a server-side Lua script.",
       {},
       NumKeysAt2,
       FlagsByBody},
      {"evalsha",
       -3,
       eval,
       0,
       0,
       0,
       acl,
       CmdEvalSha,
       "scripting",
       "2.6.0",
       "Executes a server-side Lua script by SHA1 digest.",
       {},
       NumKeysAt2,
       FlagsBySha},
      {"eval_ro",
       -3,
       eval | kReadOnly,
       0,
       0,
       0,
       acl,
       CmdEvalRo,
       "scripting",
       "7.0.0",
       "Executes a read-only server-side Lua script.",
       {},
       NumKeysAt2,
       FlagsByBody},
      {"evalsha_ro",
       -3,
       eval | kReadOnly,
       0,
       0,
       0,
       acl,
       CmdEvalShaRo,
       "scripting",
       "7.0.0",
       "Executes a read-only server-side Lua script by SHA1 digest.",
       {},
       NumKeysAt2,
       FlagsBySha},
      {"script",
       -2,
       0,
       0,
       0,
       0,
       kAclSlow,
       nullptr,
       "scripting",
       "2.6.0",
       "A container for Lua scripts management commands.",
       {
           {"exists", -3, kNoScript, 0, 0, 0, acl, CmdScriptExists, "scripting", "2.6.0",
            "Determines whether server-side Lua scripts exist in the script cache."},
           {"flush", -2, kNoScript, 0, 0, 0, acl, CmdScriptFlush, "scripting", "2.6.0",
            "Removes all server-side Lua scripts from the script cache."},
           {"help", 2, kLoading | kStale, 0, 0, 0, acl, CmdScriptHelp, "scripting", "5.0.0",
            "Returns helpful text about the different subcommands."},
           {"kill", 2, kNoScript | kAllowBusy, 0, 0, 0, acl, CmdScriptKill, "scripting", "2.6.0",
            "Terminates a server-side Lua script during execution."},
           {"load", 3, kNoScript | kStale, 0, 0, 0, acl, CmdScriptLoad, "scripting", "2.6.0",
            "Loads a server-side Lua script to the script cache."},
       }},
  };
}

}  // namespace server
