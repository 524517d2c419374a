// The cmsgpack library for scripts (MessagePack), our own implementation; see cmsgpack.cc.
#pragma once

struct lua_State;

namespace server::scripting {

// A lua_CFunction: pushes the cmsgpack table (pack, unpack, unpack_one, unpack_limit).
int OpenCmsgpack(lua_State* L);

}  // namespace server::scripting
