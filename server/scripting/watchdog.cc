#include "server/scripting/watchdog.h"

extern "C" {
#include <lua.h>
}

#include "server/context.h"
#include "server/errors.h"
#include "server/log.h"
#include "server/server.h"

namespace server::scripting {
namespace {

// Instructions between two looks at the clock: cheap enough to be invisible in a short script,
// frequent enough (well under a millisecond) to serve other clients promptly once busy.
constexpr int kHookInstructions = 100000;

// The armed watchdog's server and script; scripts do not nest, so one slot is enough.
Server* g_server = nullptr;
RunningScript* g_script = nullptr;

}  // namespace

Watchdog::Watchdog(Server& server, lua_State* L, RunningScript* script)
    : server_(server), lua_(L), script_(script) {
  script->start_ms = NowMs();
  g_server = &server;
  g_script = script;
  server.set_running_script(script);
  lua_sethook(L, Hook, LUA_MASKCOUNT, kHookInstructions);
}

Watchdog::~Watchdog() {
  lua_sethook(lua_, nullptr, 0, 0);
  server_.set_running_script(nullptr);
  if (script_->busy) {
    LogNotice("Slow script finished after " + std::to_string(NowMs() - script_->start_ms) +
              " milliseconds");
  }
  g_server = nullptr;
  g_script = nullptr;
}

void ReplyToKill(CommandContext& ctx, bool eval_kill) {
  RunningScript* script = ctx.server.running_script();
  if (script == nullptr) return ctx.Error(err::kNotBusy);
  if (script->wrote) return ctx.Error(err::kUnkillable);
  // Each kind is killed only by its own command.
  if (eval_kill && !script->is_eval) return ctx.Error(err::kBusyFunction);
  if (!eval_kill && script->is_eval) return ctx.Error(err::kBusyEval);
  script->kill_requested = true;
  ctx.out.Ok();
}

void Watchdog::Hook(lua_State* L, lua_Debug*) {
  RunningScript* script = g_script;
  if (script == nullptr || g_server == nullptr) return;
  if (!script->busy) {
    const int64_t threshold = g_server->config().busy_reply_threshold;
    const int64_t elapsed = NowMs() - script->start_ms;
    if (threshold <= 0 || elapsed < threshold) return;
    script->busy = true;
    LogWarning("Slow script detected: still in execution after " + std::to_string(elapsed) +
               " milliseconds. You can try killing the script using the " +
               (script->is_eval ? "SCRIPT KILL" : "FUNCTION KILL") +
               " command. Script name is: " + std::string(script->name));
  }
  g_server->PumpWhileBusy();
  if (script->kill_requested) {
    LogWarning("Lua script killed by user with SCRIPT KILL.");
    // Raise again at every line, so that a pcall in the script cannot catch it for good.
    lua_sethook(L, Hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
    lua_pushstring(L, kScriptKilledError);
    lua_error(L);
  }
}

}  // namespace server::scripting
