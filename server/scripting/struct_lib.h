// The struct library for scripts (binary pack/unpack), our own implementation; see
// struct_lib.cc.
#pragma once

struct lua_State;

namespace server::scripting {

// A lua_CFunction: pushes the struct table (pack, unpack, size).
int OpenStruct(lua_State* L);

}  // namespace server::scripting
