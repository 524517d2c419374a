#include "server/scripting/functions.h"

extern "C" {
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
}

#include <cctype>
#include <chrono>
#include <cstring>
#include <set>

#include "server/context.h"
#include "server/errors.h"
#include "server/eviction.h"
#include "server/server.h"

namespace server::scripting {
namespace {

// Registry keys of this file's entries in the functions' Lua state.
constexpr const char* kLibEnvKey = "fickle_fn_env";        // the globals every library sees
constexpr const char* kLibEnvMetaKey = "fickle_fn_envmt";  // its metatable (__index swapped)
constexpr const char* kLoadApiKey = "fickle_fn_loadapi";   // load time: {redis = <load api>}
constexpr const char* kChunkName = "@user_function";
// A library's code may run this long at load time (Redis's FUNCTION LOAD timeout).
constexpr int64_t kLoadTimeoutMs = 500;

constexpr const char* kBadName =
    "Library names can only contain letters, numbers, or underscores(_) and must be at least one "
    "character long";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// The library globals and the load-time `redis` are read through the engine's strict view.
using detail::LuaReadonlyNewIndex;
using detail::LuaStrictIndex;
using detail::MarkReadonlyView;

// Pushes an empty read-only table whose reads go to LuaStrictIndex over the table at idx.
void PushStrictView(lua_State* L, int idx) {
  idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
  lua_newtable(L);
  MarkReadonlyView(L);
  lua_newtable(L);
  lua_pushvalue(L, idx);
  lua_pushcclosure(L, LuaStrictIndex, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, LuaReadonlyNewIndex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
}

// Points the library globals' __index at the load API (loading) or the full globals.
void SetLibraryGlobals(lua_State* L, bool loading) {
  lua_getfield(L, LUA_REGISTRYINDEX, kLibEnvMetaKey);
  if (loading) {
    lua_getfield(L, LUA_REGISTRYINDEX, kLoadApiKey);
  } else {
    lua_pushvalue(L, LUA_GLOBALSINDEX);
  }
  lua_pushcclosure(L, LuaStrictIndex, 1);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

int LuaRegisterFunction(lua_State* L) {
  auto* self = static_cast<Functions*>(lua_touserdata(L, lua_upvalueindex(1)));
  const char* error = self->RegisterFromLua(L);
  if (error == nullptr) return 0;
  lua_pushstring(L, error);  // plain, without a position, as Redis raises these
  return lua_error(L);
}

// Aborts a library's load-time code that runs too long.
void LoadHook(lua_State* L, lua_Debug*) {
  lua_getfield(L, LUA_REGISTRYINDEX, "fickle_fn_deadline");
  const double deadline = lua_tonumber(L, -1);
  lua_pop(L, 1);
  const double now = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::steady_clock::now().time_since_epoch())
                                             .count());
  if (now > deadline) {
    lua_sethook(L, LoadHook, LUA_MASKLINE, 0);  // every later line fails too
    lua_pushstring(L, "FUNCTION LOAD timeout");
    lua_error(L);
  }
}

struct Metadata {
  std::string engine;
  std::string name;
  std::string_view body;  // the code after the metadata line, from its newline
};

// Parses "#!<engine> name=<library>\n". False with *error as Redis words it.
bool ParseMetadata(std::string_view code, Metadata* md, std::string* error) {
  if (code.substr(0, 2) != "#!") {
    *error = "Missing library metadata";
    return false;
  }
  const size_t eol = code.find('\n');
  if (eol == std::string_view::npos) {
    *error = "Invalid library metadata";
    return false;
  }
  std::vector<std::string_view> parts;
  const std::string_view line = code.substr(0, eol);
  for (size_t i = 0; i < line.size();) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    const size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) parts.push_back(line.substr(start, i - start));
  }
  md->engine = std::string(parts[0].substr(2));
  bool named = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].substr(0, 5) == "name=") {
      if (named) {
        *error = "Invalid metadata value, name argument was given multiple times";
        return false;
      }
      named = true;
      md->name = std::string(parts[i].substr(5));
      continue;
    }
    *error = "Invalid metadata value given: " + std::string(parts[i]);
    return false;
  }
  if (!named) {
    *error = "Library name was not given";
    return false;
  }
  md->body = code.substr(eol);
  return true;
}

// The header line of a library, checked as Redis checks it before running the code: metadata,
// a valid library name, the lua engine.
bool ParseHeader(std::string_view code, Metadata* md, std::string* error) {
  if (!ParseMetadata(code, md, error)) return false;
  if (!ValidName(md->name)) {
    *error = kBadName;
    return false;
  }
  if (Lower(md->engine) != "lua") {
    *error = "Engine '" + md->engine + "' not found";
    return false;
  }
  return true;
}

}  // namespace

Functions::Functions(Server& server)
    : server_(server), engine_(std::make_unique<Engine>(server, Engine::Flavor::kFunction)) {
  CreateLoadEnvironment();
}

Functions::~Functions() = default;

void Functions::CreateLoadEnvironment() {
  lua_State* L = engine_->state();
  // The load API: redis.register_function plus what Redis 7.0 allows at load time.
  lua_newtable(L);  // the real entries
  lua_pushlightuserdata(L, this);
  lua_pushcclosure(L, LuaRegisterFunction, 1);
  lua_setfield(L, -2, "register_function");
  lua_getglobal(L, "redis");
  for (const char* name : {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING",
                           "REDIS_VERSION", "REDIS_VERSION_NUM"}) {
    lua_getfield(L, -1, name);
    lua_setfield(L, -3, name);
  }
  lua_pop(L, 1);
  PushStrictView(L, -1);  // the `redis` a library sees while it loads
  lua_newtable(L);        // the load-time globals: only redis
  lua_pushvalue(L, -2);
  lua_setfield(L, -2, "redis");
  lua_setfield(L, LUA_REGISTRYINDEX, kLoadApiKey);
  lua_pop(L, 2);
  // The globals of every library: empty and read-only; what reads see depends on the phase.
  lua_newtable(L);
  MarkReadonlyView(L);
  lua_newtable(L);
  lua_pushcfunction(L, LuaReadonlyNewIndex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kLibEnvMetaKey);
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, kLibEnvKey);
  SetLibraryGlobals(L, /*loading=*/false);
}

const char* Functions::RegisterFromLua(lua_State* L) {
  if (building_ == nullptr) return "redis.register_function can only be called on FUNCTION LOAD";
  const int argc = lua_gettop(L);
  std::string name;
  bool named = false;
  std::optional<std::string> description;
  uint32_t flags = 0;
  auto string_at = [&](int idx, std::string* out) {
    if (!lua_isstring(L, idx)) return false;
    size_t n;
    const char* s = lua_tolstring(L, idx, &n);
    out->assign(s, n);
    return true;
  };
  if (argc == 1) {
    if (!lua_istable(L, 1)) {
      return "calling redis.register_function with a single argument is only applicable to Lua "
             "table (representing named arguments).";
    }
    lua_pushnil(L);  // index 2: the callback, once found
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
      // Only string keys name arguments; any other key is an unknown argument, as in Redis.
      const std::string key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
      if (key == "function_name") {
        if (!string_at(-1, &name)) {
          return "function_name argument given to redis.register_function must be a string";
        }
        named = true;
      } else if (key == "description") {
        std::string d;
        if (!string_at(-1, &d)) {
          return "description argument given to redis.register_function must be a string";
        }
        description = std::move(d);
      } else if (key == "callback") {
        if (!lua_isfunction(L, -1)) {
          return "callback argument given to redis.register_function must be a function";
        }
        lua_pushvalue(L, -1);
        lua_replace(L, 2);
      } else if (key == "flags") {
        if (!lua_istable(L, -1)) {
          return "flags argument to redis.register_function must be a table representing "
                 "function flags";
        }
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
          std::string flag;
          if (!string_at(-1, &flag)) return "unknown flag given";
          if (flag == "no-writes") {
            flags |= kFnNoWrites;
          } else if (flag == "allow-oom") {
            flags |= kFnAllowOom;
          } else if (flag == "allow-stale") {
            flags |= kFnAllowStale;
          } else if (flag == "no-cluster") {
            flags |= kFnNoCluster;
          } else if (flag == "allow-cross-slot-keys") {
            flags |= kFnAllowCrossSlot;
          } else {
            return "unknown flag given";
          }
          lua_pop(L, 1);
        }
      } else {
        return "unknown argument given to redis.register_function";
      }
      lua_pop(L, 1);
    }
    if (!named) return "redis.register_function must get a function name argument";
    if (lua_isnil(L, 2)) return "redis.register_function must get a callback argument";
  } else if (argc == 2) {
    if (!string_at(1, &name)) return "first argument to redis.register_function must be a string";
    if (!lua_isfunction(L, 2)) {
      return "second argument to redis.register_function must be a function";
    }
  } else {
    return "wrong number of arguments to redis.register_function";
  }
  if (!ValidName(name)) return kBadName;
  // Within a library names compare with case (Redis's library dictionary does); across
  // libraries without (Reindex).
  for (const Function& f : building_->functions) {
    if (f.name == name) return "Function already exists in the library";
  }
  Function fn;
  fn.name = std::move(name);
  fn.description = std::move(description);
  fn.flags = flags;
  fn.registry_key = "fn_" + std::to_string(next_key_++);
  lua_pushvalue(L, 2);
  lua_setfield(L, LUA_REGISTRYINDEX, fn.registry_key.c_str());
  building_->functions.push_back(std::move(fn));
  return nullptr;
}

bool Functions::Build(std::string_view code, Library* lib, std::string* error) {
  Metadata md;
  if (!ParseHeader(code, &md, error)) return false;
  lib->name = md.name;
  lib->code = std::string(code);
  lua_State* L = engine_->state();
  if (luaL_loadbuffer(L, md.body.data(), md.body.size(), kChunkName) != 0) {
    *error = std::string("Error compiling function: ") + lua_tostring(L, -1);
    lua_pop(L, 1);
    return false;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, kLibEnvKey);
  lua_setfenv(L, -2);
  lua_pushcfunction(L, detail::LuaErrorHandler);
  lua_insert(L, -2);
  const double deadline =
      static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now().time_since_epoch())
                              .count() +
                          kLoadTimeoutMs);
  lua_pushnumber(L, deadline);
  lua_setfield(L, LUA_REGISTRYINDEX, "fickle_fn_deadline");
  SetLibraryGlobals(L, /*loading=*/true);
  // The load timeout has its own count hook; whatever hook the state had comes back after.
  lua_Hook saved_hook = lua_gethook(L);
  const int saved_mask = lua_gethookmask(L);
  const int saved_count = lua_gethookcount(L);
  lua_sethook(L, LoadHook, LUA_MASKCOUNT, 100000);
  building_ = lib;
  const int rc = lua_pcall(L, 0, 0, -2);
  building_ = nullptr;
  lua_sethook(L, saved_hook, saved_mask, saved_count);
  SetLibraryGlobals(L, /*loading=*/false);
  if (rc != 0) {
    std::string message = "unknown error";
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) message = lua_tostring(L, -1);
      lua_pop(L, 1);
    } else if (lua_isstring(L, -1)) {
      message = lua_tostring(L, -1);
    }
    *error = "Error registering functions: " + message;
    lua_settop(L, 0);
    Release(*lib);
    return false;
  }
  lua_settop(L, 0);
  if (lib->functions.empty()) {
    *error = "No functions registered";
    return false;
  }
  return true;
}

void Functions::Release(const Library& lib) {
  lua_State* L = engine_->state();
  for (const Function& f : lib.functions) {
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, f.registry_key.c_str());
  }
}

void Functions::Reindex() {
  by_name_.clear();
  for (const auto& [name, lib] : libraries_) {
    // Of two names in one library that differ only in case, the first is the one FCALL finds.
    for (const Function& f : lib.functions) by_name_.emplace(Lower(f.name), &f);
  }
}

bool Functions::Load(std::string_view code, bool replace, std::string* name, std::string* error) {
  Metadata md;
  if (!ParseHeader(code, &md, error)) return false;
  auto old = libraries_.find(md.name);
  if (old != libraries_.end() && !replace) {
    *error = "Library '" + md.name + "' already exists";
    return false;
  }
  Library lib;
  if (!Build(code, &lib, error)) return false;
  for (const Function& f : lib.functions) {
    auto it = by_name_.find(Lower(f.name));
    if (it == by_name_.end()) continue;
    const bool in_replaced = old != libraries_.end() &&
                             std::any_of(old->second.functions.begin(), old->second.functions.end(),
                                         [&](const Function& g) { return &g == it->second; });
    if (!in_replaced) {
      *error = "Function " + f.name + " already exists";
      Release(lib);
      return false;
    }
  }
  if (old != libraries_.end()) {
    Release(old->second);
    libraries_.erase(old);
  }
  *name = lib.name;
  libraries_[lib.name] = std::move(lib);
  Reindex();
  return true;
}

bool Functions::Delete(std::string_view library) {
  auto it = libraries_.find(std::string(library));
  if (it == libraries_.end()) return false;
  Release(it->second);
  libraries_.erase(it);
  Reindex();
  lua_gc(engine_->state(), LUA_GCCOLLECT, 0);
  return true;
}

void Functions::Flush() {
  for (const auto& [name, lib] : libraries_) Release(lib);
  libraries_.clear();
  Reindex();
  lua_gc(engine_->state(), LUA_GCCOLLECT, 0);
}

bool Functions::BuildAll(const std::vector<std::string>& codes, std::map<std::string, Library>* out,
                         std::string* error) {
  std::set<std::string> names;  // lowercase function names among the libraries built
  auto fail = [&](Library* lib) {
    if (lib != nullptr) Release(*lib);
    for (const auto& [n, built] : *out) Release(built);
    out->clear();
    return false;
  };
  for (const std::string& code : codes) {
    Library lib;
    if (!Build(code, &lib, error)) return fail(nullptr);
    if (out->count(lib.name) != 0) {
      *error = "Library '" + lib.name + "' already exists";
      return fail(&lib);
    }
    for (const Function& f : lib.functions) {
      if (names.count(Lower(f.name)) != 0) {
        *error = "Function " + f.name + " already exists";
        return fail(&lib);
      }
    }
    for (const Function& f : lib.functions) names.insert(Lower(f.name));
    std::string n = lib.name;
    (*out)[n] = std::move(lib);
  }
  return true;
}

bool Functions::Check(const std::vector<std::string>& codes, std::string* error) {
  std::map<std::string, Library> built;
  if (!BuildAll(codes, &built, error)) return false;
  for (const auto& [n, lib] : built) Release(lib);
  return true;
}

bool Functions::Restore(const std::vector<std::string>& codes, RestorePolicy policy,
                        std::string* error) {
  // First every library of the payload on its own, as Redis loads them into a fresh context.
  std::map<std::string, Library> incoming;
  if (!BuildAll(codes, &incoming, error)) return false;
  std::set<std::string> incoming_functions;
  for (const auto& [n, lib] : incoming) {
    for (const Function& f : lib.functions) incoming_functions.insert(Lower(f.name));
  }
  auto release_incoming = [&]() {
    for (const auto& [n, lib] : incoming) Release(lib);
  };
  // Then the merge: libraries that stay must not collide with the incoming ones.
  std::set<std::string> replaced;
  if (policy != RestorePolicy::kFlush) {
    for (const auto& [n, lib] : incoming) {
      if (libraries_.count(n) == 0) continue;
      if (policy == RestorePolicy::kAppend) {
        *error = "Library " + n + " already exists";
        release_incoming();
        return false;
      }
      replaced.insert(n);
    }
    for (const auto& [n, lib] : libraries_) {
      if (replaced.count(n) != 0) continue;
      for (const Function& f : lib.functions) {
        if (incoming_functions.count(Lower(f.name)) != 0) {
          *error = "Function " + f.name + " already exists";
          release_incoming();
          return false;
        }
      }
    }
  }
  if (policy == RestorePolicy::kFlush) {
    for (const auto& [n, lib] : libraries_) Release(lib);
    libraries_.clear();
  }
  for (auto& [n, lib] : incoming) {
    auto old = libraries_.find(n);
    if (old != libraries_.end()) {
      Release(old->second);
      libraries_.erase(old);
    }
    libraries_[n] = std::move(lib);
  }
  Reindex();
  return true;
}

const Function* Functions::Find(std::string_view name) const {
  auto it = by_name_.find(Lower(name));
  return it == by_name_.end() ? nullptr : it->second;
}

void Functions::Call(CommandContext& ctx, const Function& fn,
                     std::span<const std::string_view> keys, std::span<const std::string_view> args,
                     bool read_only_command) {
  const bool no_writes = (fn.flags & kFnNoWrites) != 0;
  if (read_only_command && !no_writes) {
    return ctx.Error("ERR", "Can not execute a script with write flag using *_ro command.");
  }
  // A function that may write does not start over maxmemory (the dispatcher has already evicted
  // what it could) unless it says allow-oom, as Redis 7.0 decides before running a script.
  const int64_t maxmemory = static_cast<int64_t>(server_.config().maxmemory);
  if (!no_writes && (fn.flags & kFnAllowOom) == 0 && maxmemory > 0 &&
      MemoryForEviction(server_) > maxmemory) {
    return ctx.Error(err::kOom);
  }
  // Copies: the registry key and name must outlive nothing but this call, and a FUNCTION command
  // cannot run inside a function (all are noscript).
  const std::string key = fn.registry_key;
  const std::string name = fn.name;
  engine_->Invoke(ctx, key, name, keys, args, read_only_command || no_writes,
                  (fn.flags & kFnAllowOom) != 0);
}

std::vector<std::string> Functions::Codes() const {
  std::vector<std::string> out;
  out.reserve(libraries_.size());
  for (const auto& [name, lib] : libraries_) out.push_back(lib.code);
  return out;
}

int64_t Functions::OverheadBytes() const {
  // Our own structures: each library's source and name, each function's name and description,
  // plus a fixed cost per entry for the containers.
  int64_t bytes = 0;
  for (const auto& [name, lib] : libraries_) {
    bytes += static_cast<int64_t>(lib.code.size() + lib.name.size() + sizeof(Library) + 64);
    for (const Function& f : lib.functions) {
      bytes += static_cast<int64_t>(f.name.size() + f.registry_key.size() + sizeof(Function) + 64);
      if (f.description) bytes += static_cast<int64_t>(f.description->size());
    }
  }
  return bytes;
}

}  // namespace server::scripting
