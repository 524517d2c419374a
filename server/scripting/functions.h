// Redis 7.0 Functions: libraries of Lua functions loaded with FUNCTION LOAD and called with FCALL.
//
// A library is its source, which starts with a metadata line "#!lua name=<library>". Loading it
// runs the code once, in a restricted environment whose only global is `redis` with
// register_function, log, the LOG_* levels, REDIS_VERSION and REDIS_VERSION_NUM (anything else is
// "Script attempted to access nonexistent global variable"); each redis.register_function(name,
// callback) or redis.register_function{function_name=, callback=, flags=, description=} adds a
// function. The callbacks then run with the same environment as EVAL scripts (redis.call, the
// libraries), receiving (keys, args).
//
// All libraries live in one Lua state of their own (an Engine of flavor kFunction), separate
// from EVAL's, as in Redis 7.0: SCRIPT FLUSH does not touch them and FUNCTION FLUSH does not
// touch the script cache. A callback is kept in that state's registry under "fn_<n>" (n counts
// up, so a REPLACE can build the new library beside the old one and keep the old on failure).
//
// Library names are case-sensitive; function names are unique across all libraries and looked
// up without regard to case, as Redis's dictionaries compare them.
//
// Threading: loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/scripting/engine.h"

struct lua_State;

namespace server::scripting {

// The flags of redis.register_function{flags={...}}, as Redis 7.0 names them.
enum FunctionFlag : uint32_t {
  kFnNoWrites = 1u << 0,        // "no-writes": read-only; the only kind FCALL_RO runs
  kFnAllowOom = 1u << 1,        // "allow-oom": may run when over maxmemory
  kFnAllowStale = 1u << 2,      // "allow-stale": may run on a stale replica
  kFnNoCluster = 1u << 3,       // "no-cluster": refused in cluster mode
  kFnAllowCrossSlot = 1u << 4,  // "allow-cross-slot-keys"
};

struct Function {
  std::string name;                        // as registered
  std::optional<std::string> description;  // nil unless given
  uint32_t flags = 0;                      // FunctionFlag bits
  std::string registry_key;                // where the callback is kept in the Lua registry
};

struct Library {
  std::string name;
  std::string code;                 // the whole source, metadata line included
  std::vector<Function> functions;  // in registration order
};

// FUNCTION RESTORE's policies.
enum class RestorePolicy { kAppend, kReplace, kFlush };

class Functions {
 public:
  explicit Functions(Server& server);
  ~Functions();
  Functions(const Functions&) = delete;
  Functions& operator=(const Functions&) = delete;

  // FUNCTION LOAD [REPLACE] code. On success the library's name in *name; otherwise *error is
  // Redis's message (after "ERR ") and nothing changed.
  bool Load(std::string_view code, bool replace, std::string* name, std::string* error);
  // FUNCTION DELETE: false iff there is no such library.
  bool Delete(std::string_view library);
  // FUNCTION FLUSH: every library.
  void Flush();
  // FUNCTION RESTORE: the libraries of a payload (their sources), merged per policy; all or
  // nothing. False with *error as Redis words it.
  bool Restore(const std::vector<std::string>& codes, RestorePolicy policy, std::string* error);
  // Loads codes on their own (as RESTORE's first step does) and forgets them again: false with
  // the first error, as RESTORE would report it. Changes nothing.
  bool Check(const std::vector<std::string>& codes, std::string* error);

  // The function named name (any case), or nullptr.
  const Function* Find(std::string_view name) const;
  // FCALL / FCALL_RO: runs fn (REQUIRES: from Find, and no FUNCTION command since) for ctx's
  // session and writes its reply. read_only_command (FCALL_RO) refuses a function without
  // no-writes; a no-writes function cannot write either way.
  void Call(CommandContext& ctx, const Function& fn, std::span<const std::string_view> keys,
            std::span<const std::string_view> args, bool read_only_command);

  // The libraries by name (case-sensitive, sorted).
  const std::map<std::string, Library>& libraries() const { return libraries_; }
  // The sources of every library, for RDB and FUNCTION DUMP.
  std::vector<std::string> Codes() const;
  size_t function_count() const { return by_name_.size(); }
  // For INFO: the Lua heap of the functions' state, and our own bookkeeping (sources, names).
  int64_t LuaMemoryBytes() const { return engine_->LuaMemoryBytes(); }
  int64_t OverheadBytes() const;

  // Used by redis.register_function (functions.cc): registers the function described by the
  // arguments on the Lua stack into the library being loaded. Returns nullptr, or the error
  // message to raise (a static string). Raises nothing itself.
  const char* RegisterFromLua(lua_State* L);

 private:
  // Compiles and runs a library's code (metadata parsed) into *lib. False with *error.
  bool Build(std::string_view code, Library* lib, std::string* error);
  // Builds every library of codes into *out, refusing a library or function name that repeats
  // among them. On failure nothing stays registered and *out is empty.
  bool BuildAll(const std::vector<std::string>& codes, std::map<std::string, Library>* out,
                std::string* error);
  // Forgets the callbacks of lib in the Lua registry.
  void Release(const Library& lib);
  void Reindex();
  void CreateLoadEnvironment();

  Server& server_;
  std::unique_ptr<Engine> engine_;
  std::map<std::string, Library> libraries_;
  // Lowercase function name -> the function, pointing into libraries_.
  std::unordered_map<std::string, const Function*> by_name_;
  Library* building_ = nullptr;  // the library whose code is running (FUNCTION LOAD)
  uint64_t next_key_ = 0;
};

}  // namespace server::scripting
