// The watchdog of a running script (EVAL or FCALL): what -BUSY, SCRIPT KILL / FUNCTION KILL
// and SHUTDOWN NOSAVE need to know, and the Lua count hook that gives other clients a turn.
//
// A script runs to its end on the loop thread. Every kHookInstructions VM instructions the hook
// looks at the clock; once the script has run for busy-reply-threshold ms it is "busy": from
// then on each hook call lets the network layer serve other clients (Server::PumpWhileBusy),
// which get -BUSY for everything but the commands flagged allow_busy. A kill request (SCRIPT
// KILL on a script that has not written) raises an error at the next hook call, and again on
// every line after that, so a script's own pcall cannot swallow it.
//
// Threading: loop thread only; scripts do not nest, so at most one watchdog is armed.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

struct lua_State;
struct lua_Debug;

namespace server {
class Server;
struct Session;
struct CommandContext;
}  // namespace server

namespace server::scripting {

// The script being run, as the rest of the server sees it (Server::running_script()).
struct RunningScript {
  bool is_eval = true;    // EVAL/EVALSHA, else a function (FCALL)
  std::string_view name;  // the sha or the function's name (valid while it runs)
  const Session* caller = nullptr;
  std::span<const std::string_view> argv;  // the caller's command (FUNCTION STATS shows it)
  int64_t start_ms = 0;                    // monotonic
  bool busy = false;   // past busy-reply-threshold: other clients are being served
  bool wrote = false;  // ran a write command: SCRIPT KILL answers UNKILLABLE
  bool kill_requested = false;
};

// Arms the hook on L and registers the script with the server for the lifetime of the object.
class Watchdog {
 public:
  Watchdog(Server& server, lua_State* L, RunningScript* script);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  static void Hook(lua_State* L, lua_Debug* ar);

  Server& server_;
  lua_State* lua_;
  RunningScript* script_;
};

// SCRIPT KILL (eval_kill) and FUNCTION KILL: asks the running script to stop and answers OK, or
// answers why not (NOTBUSY, UNKILLABLE once it has written, BUSY if it is the other kind).
void ReplyToKill(CommandContext& ctx, bool eval_kill);

// The error a killed script ends with (raised as a plain string: the engine's error handler
// adds "ERR " and the script's position).
inline constexpr const char* kScriptKilledError = "Script killed by user with SCRIPT KILL...";

}  // namespace server::scripting
