// Redis 7.0 Functions: FCALL, FCALL_RO and FUNCTION LOAD|DELETE|FLUSH|LIST|DUMP|RESTORE|STATS|
// KILL|HELP. The libraries and their Lua state are server/scripting/functions.h; these handlers
// parse the arguments and shape the replies. The FUNCTION commands that change libraries are
// write commands that count as a change (dirty), so they reach the AOF as they were sent.
#include "persistence/dump_payload.h"
#include "server/commands/families.h"
#include "server/commands/key_finders.h"
#include "server/context.h"
#include "server/scripting/functions.h"
#include "server/scripting/watchdog.h"
#include "server/server.h"
#include "store/glob.h"

namespace server {
namespace {

using scripting::Function;
using scripting::Library;

void FcallGeneric(CommandContext& ctx, bool read_only) {
  // FCALL is skip_monitor: MONITOR sees it before the commands its function runs.
  ctx.server.FeedMonitors(ctx.session, ctx.argv);
  const Function* fn = ctx.server.functions().Find(ctx.arg(1));
  if (fn == nullptr) return ctx.Error("ERR", "Function not found");
  int64_t numkeys;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &numkeys, {"ERR", "Bad number of keys provided"})) return;
  if (numkeys > static_cast<int64_t>(ctx.argc() - 3)) {
    return ctx.Error("ERR", "Number of keys can't be greater than number of args");
  }
  if (numkeys < 0) return ctx.Error("ERR", "Number of keys can't be negative");
  const auto keys = ctx.argv.subspan(3, static_cast<size_t>(numkeys));
  const auto args = ctx.argv.subspan(3 + static_cast<size_t>(numkeys));
  ctx.server.functions().Call(ctx, *fn, keys, args, read_only);
}

// FCALL function numkeys [key ...] [arg ...]
void CmdFcall(CommandContext& ctx) { FcallGeneric(ctx, /*read_only=*/false); }
// FCALL_RO function numkeys [key ...] [arg ...]
void CmdFcallRo(CommandContext& ctx) { FcallGeneric(ctx, /*read_only=*/true); }

// FUNCTION LOAD [REPLACE] function-code
void CmdFunctionLoad(CommandContext& ctx) {
  bool replace = false;
  size_t i = 2;
  for (; i + 1 < ctx.argc(); ++i) {
    if (!EqualsNoCase(ctx.arg(i), "replace")) {
      return ctx.Error("ERR", "Unknown option given: " + std::string(ctx.arg(i)));
    }
    replace = true;
  }
  std::string name, error;
  if (!ctx.server.functions().Load(ctx.arg(i), replace, &name, &error)) {
    return ctx.Error("ERR", error);
  }
  AddDirty(ctx);
  ctx.out.Bulk(name);
}

// FUNCTION DELETE library-name
void CmdFunctionDelete(CommandContext& ctx) {
  if (!ctx.server.functions().Delete(ctx.arg(2))) return ctx.Error("ERR", "Library not found");
  AddDirty(ctx);
  ctx.out.Ok();
}

// FUNCTION FLUSH [ASYNC|SYNC]
void CmdFunctionFlush(CommandContext& ctx) {
  if (ctx.argc() > 3) {
    return ctx.Error("ERR",
                     "unknown subcommand or wrong number of arguments for 'FLUSH'. Try FUNCTION "
                     "HELP.");
  }
  // Both modes free at once: the libraries' Lua objects go with one full collection.
  if (ctx.argc() == 3 && !EqualsNoCase(ctx.arg(2), "async") && !EqualsNoCase(ctx.arg(2), "sync")) {
    return ctx.Error("ERR", "FUNCTION FLUSH only supports SYNC|ASYNC option");
  }
  ctx.server.functions().Flush();
  AddDirty(ctx);
  ctx.out.Ok();
}

void WriteLibrary(CommandContext& ctx, const Library& lib, bool with_code) {
  ctx.out.MapHeader(with_code ? 4 : 3);
  ctx.out.Bulk("library_name");
  ctx.out.Bulk(lib.name);
  ctx.out.Bulk("engine");
  ctx.out.Bulk("LUA");
  ctx.out.Bulk("functions");
  ctx.out.ArrayHeader(static_cast<int64_t>(lib.functions.size()));
  for (const Function& f : lib.functions) {
    ctx.out.MapHeader(3);
    ctx.out.Bulk("name");
    ctx.out.Bulk(f.name);
    ctx.out.Bulk("description");
    if (f.description) {
      ctx.out.Bulk(*f.description);
    } else {
      ctx.out.Null();
    }
    ctx.out.Bulk("flags");
    static constexpr std::pair<uint32_t, const char*> kFlags[] = {
        {scripting::kFnNoWrites, "no-writes"},
        {scripting::kFnAllowOom, "allow-oom"},
        {scripting::kFnAllowStale, "allow-stale"},
        {scripting::kFnNoCluster, "no-cluster"},
        {scripting::kFnAllowCrossSlot, "allow-cross-slot-keys"}};
    int64_t n = 0;
    for (const auto& [bit, name] : kFlags) n += (f.flags & bit) != 0;
    ctx.out.SetHeader(n);
    for (const auto& [bit, name] : kFlags) {
      if ((f.flags & bit) != 0) ctx.out.SimpleString(name);
    }
  }
  if (with_code) {
    ctx.out.Bulk("library_code");
    ctx.out.Bulk(lib.code);
  }
}

// FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
void CmdFunctionList(CommandContext& ctx) {
  bool with_code = false;
  std::optional<std::string_view> pattern;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (!with_code && EqualsNoCase(ctx.arg(i), "withcode")) {
      with_code = true;
    } else if (!pattern && EqualsNoCase(ctx.arg(i), "libraryname")) {
      if (i + 1 >= ctx.argc()) return ctx.Error("ERR", "library name argument was not given");
      pattern = ctx.arg(++i);
    } else {
      return ctx.Error("ERR", "Unknown argument " + std::string(ctx.arg(i)));
    }
  }
  std::vector<const Library*> libs;
  for (const auto& [name, lib] : ctx.server.functions().libraries()) {
    if (!pattern || store::GlobMatch(*pattern, name)) libs.push_back(&lib);
  }
  ctx.out.ArrayHeader(static_cast<int64_t>(libs.size()));
  for (const Library* lib : libs) WriteLibrary(ctx, *lib, with_code);
}

// FUNCTION DUMP
void CmdFunctionDump(CommandContext& ctx) {
  ctx.out.Bulk(persistence::DumpFunctions(ctx.server.functions().Codes(),
                                          ctx.server.config().rdbcompression));
}

// FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE]
void CmdFunctionRestore(CommandContext& ctx) {
  if (ctx.argc() > 4) {
    return ctx.Error("ERR",
                     "unknown subcommand or wrong number of arguments for 'RESTORE'. Try "
                     "FUNCTION HELP.");
  }
  scripting::RestorePolicy policy = scripting::RestorePolicy::kAppend;
  if (ctx.argc() == 4) {
    if (EqualsNoCase(ctx.arg(3), "flush")) {
      policy = scripting::RestorePolicy::kFlush;
    } else if (EqualsNoCase(ctx.arg(3), "append")) {
      policy = scripting::RestorePolicy::kAppend;
    } else if (EqualsNoCase(ctx.arg(3), "replace")) {
      policy = scripting::RestorePolicy::kReplace;
    } else {
      return ctx.Error(
          "ERR", "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    }
  }
  std::vector<std::string> codes;
  const char* what = "";
  std::string error;
  const persistence::FunctionPayloadError parsed =
      persistence::ParseFunctionsPayload(ctx.arg(2), &codes, &what);
  // Redis loads each library as it reads it: one before a bad item reports its own error first.
  if (parsed != persistence::FunctionPayloadError::kNone &&
      parsed != persistence::FunctionPayloadError::kVersionOrChecksum &&
      !ctx.server.functions().Check(codes, &error)) {
    return ctx.Error("ERR", error);
  }
  switch (parsed) {
    case persistence::FunctionPayloadError::kNone:
      break;
    case persistence::FunctionPayloadError::kVersionOrChecksum:
      return ctx.Error("ERR", "DUMP payload version or checksum are wrong");
    case persistence::FunctionPayloadError::kNotFunction:
      return ctx.Error("ERR", "given type is not a function");
    case persistence::FunctionPayloadError::kTruncated:
      return ctx.Error("ERR", std::string("Failed loading ") + what);
  }
  if (!ctx.server.functions().Restore(codes, policy, &error)) return ctx.Error("ERR", error);
  AddDirty(ctx);
  ctx.out.Ok();
}

// FUNCTION STATS
void CmdFunctionStats(CommandContext& ctx) {
  // Another client asks while a busy script runs: a function is described, an EVAL refuses.
  const scripting::RunningScript* running = ctx.server.running_script();
  if (running != nullptr && running->is_eval) return ctx.Error(err::kBusyEval);
  ctx.out.MapHeader(2);
  ctx.out.Bulk("running_script");
  if (running == nullptr) {
    ctx.out.Null();
  } else {
    ctx.out.MapHeader(3);
    ctx.out.Bulk("name");
    ctx.out.Bulk(running->name);
    ctx.out.Bulk("command");
    ctx.out.ArrayHeader(static_cast<int64_t>(running->argv.size()));
    for (std::string_view a : running->argv) ctx.out.Bulk(a);
    ctx.out.Bulk("duration_ms");
    ctx.out.Integer(NowMs() - running->start_ms);
  }
  ctx.out.Bulk("engines");
  ctx.out.MapHeader(1);
  ctx.out.Bulk("LUA");
  ctx.out.MapHeader(2);
  ctx.out.Bulk("libraries_count");
  ctx.out.Integer(static_cast<int64_t>(ctx.server.functions().libraries().size()));
  ctx.out.Bulk("functions_count");
  ctx.out.Integer(static_cast<int64_t>(ctx.server.functions().function_count()));
}

// FCALL's flags for the dispatcher's MISCONF and OOM checks come from the function's own, as
// Redis takes them: a function that may write is a write, and a deny-oom one unless allow-oom.
uint32_t FcallFlags(const Server& srv, std::span<const std::string_view> argv, uint32_t flags) {
  const scripting::Function* fn = srv.functions().Find(argv[1]);
  if (fn == nullptr) return flags;
  flags &= ~(kWrite | kDenyOom | kStale);
  const bool no_writes = (fn->flags & scripting::kFnNoWrites) != 0;
  if (!no_writes) flags |= kWrite;
  if (!no_writes && (fn->flags & scripting::kFnAllowOom) == 0) flags |= kDenyOom;
  if ((fn->flags & scripting::kFnAllowStale) != 0) flags |= kStale;
  return flags;
}

// FUNCTION KILL
void CmdFunctionKill(CommandContext& ctx) { scripting::ReplyToKill(ctx, /*eval_kill=*/false); }

// FUNCTION HELP
void CmdFunctionHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "LOAD [REPLACE] <FUNCTION CODE>",
      "    Create a new library with the given library name and code.",
      "DELETE <LIBRARY NAME>",
      "    Delete the given library.",
      "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
      "    Return general information on all the libraries:",
      "    * Library name",
      "    * The engine used to run the Library",
      "    * Library description",
      "    * Functions list",
      "    * Library code (if WITHCODE is given)",
      "    It also possible to get only function that matches a pattern using LIBRARYNAME "
      "argument.",
      "STATS",
      "    Return information about the current function running:",
      "    * Function name",
      "    * Command used to run the function",
      "    * Duration in MS that the function is running",
      "    If no function is running, return nil",
      "    In addition, returns a list of available engines.",
      "KILL",
      "    Kill the current running function.",
      "FLUSH [ASYNC|SYNC]",
      "    Delete all the libraries.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the libraries.",
      "    * SYNC: Synchronously flush the libraries.",
      "DUMP",
      "    Return a serialized payload representing the current libraries, can be restored using "
      "FUNCTION RESTORE command",
      "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
      "    Restore the libraries represented by the given payload, it is possible to give a "
      "restore policy to",
      "    control how to handle existing libraries (default APPEND):",
      "    * FLUSH: delete all existing libraries.",
      "    * APPEND: appends the restored libraries to the existing libraries. On collision, "
      "abort.",
      "    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
      "replace the old",
      "      libraries with the new libraries (notice that even on this option there is a "
      "chance of failure",
      "      in case of functions name collision with another library).",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> FunctionCommands() {
  const uint32_t fcall = kNoScript | kStale | kSkipMonitor | kNoMandatoryKeys;
  const uint64_t acl = kAclSlow | kAclScripting;
  const uint64_t acl_write = kAclWrite | kAclSlow | kAclScripting;
  return {
      {"fcall",
       -3,
       fcall,
       0,
       0,
       0,
       acl,
       CmdFcall,
       "scripting",
       "7.0.0",
       "Invokes a function.",
       {},
       NumKeysAt2,
       FcallFlags},
      {"fcall_ro",
       -3,
       fcall | kReadOnly,
       0,
       0,
       0,
       acl,
       CmdFcallRo,
       "scripting",
       "7.0.0",
       "Invokes a read-only function.",
       {},
       NumKeysAt2,
       FcallFlags},
      {"function",
       -2,
       0,
       0,
       0,
       0,
       kAclSlow,
       nullptr,
       "scripting",
       "7.0.0",
       "A container for function commands.",
       {
           {"delete", 3, kNoScript | kWrite, 0, 0, 0, acl_write, CmdFunctionDelete, "scripting",
            "7.0.0", "Deletes a library and its functions."},
           {"dump", 2, kNoScript, 0, 0, 0, acl, CmdFunctionDump, "scripting", "7.0.0",
            "Dumps all libraries into a serialized binary payload."},
           {"flush", -2, kNoScript | kWrite, 0, 0, 0, acl_write, CmdFunctionFlush, "scripting",
            "7.0.0", "Deletes all libraries and functions."},
           {"help", 2, kLoading | kStale, 0, 0, 0, acl, CmdFunctionHelp, "scripting", "7.0.0",
            "Returns helpful text about the different subcommands."},
           {"kill", 2, kNoScript | kAllowBusy, 0, 0, 0, acl, CmdFunctionKill, "scripting", "7.0.0",
            "Terminates a function during execution."},
           {"list", -2, kNoScript, 0, 0, 0, acl, CmdFunctionList, "scripting", "7.0.0",
            "Returns information about all libraries."},
           {"load", -3, kNoScript | kWrite | kDenyOom, 0, 0, 0, acl_write, CmdFunctionLoad,
            "scripting", "7.0.0", "Creates a library."},
           {"restore", -3, kNoScript | kWrite | kDenyOom, 0, 0, 0, acl_write, CmdFunctionRestore,
            "scripting", "7.0.0", "Restores all libraries from a payload."},
           {"stats", 2, kNoScript | kAllowBusy, 0, 0, 0, acl, CmdFunctionStats, "scripting",
            "7.0.0", "Returns information about a function during execution."},
       }},
  };
}

}  // namespace server
