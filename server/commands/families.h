// Each command family exposes its table; BuildRegistry() loads them all.
#pragma once

#include <vector>

#include "server/command.h"

namespace server {

std::vector<CommandSpec> ConnectionCommands();     // connection_family.cc
std::vector<CommandSpec> ServerCommands();         // server_family.cc
std::vector<CommandSpec> IntrospectionCommands();  // command_family.cc (COMMAND)
std::vector<CommandSpec> InfoCommands();           // info.cc
std::vector<CommandSpec> ConfigCommands();         // config_family.cc
std::vector<CommandSpec> DebugCommands();          // debug_family.cc (DEBUG, MEMORY)
std::vector<CommandSpec> StringCommands();         // string_family.cc
std::vector<CommandSpec> BitmapCommands();         // bitmap_family.cc
std::vector<CommandSpec> KeysCommands();           // keys_family.cc
std::vector<CommandSpec> ScanCommands();           // scan_family.cc
std::vector<CommandSpec> TransactionCommands();    // transaction_family.cc
std::vector<CommandSpec> HashCommands();           // hash_family.cc
std::vector<CommandSpec> ListCommands();           // list_family.cc
std::vector<CommandSpec> ListBlockingCommands();   // list_blocking_family.cc
std::vector<CommandSpec> ZSetCommands();           // zset_family.cc, zset_setops_family.cc
std::vector<CommandSpec> ZSetBlockingCommands();   // zset_blocking_family.cc
std::vector<CommandSpec> SetCommands();            // set_family.cc
std::vector<CommandSpec> DumpCommands();           // dump_family.cc (DUMP, RESTORE)
std::vector<CommandSpec> SortCommands();           // sort_family.cc
std::vector<CommandSpec> PubSubCommands();         // pubsub_family.cc
std::vector<CommandSpec> StreamCommands();         // stream_family.cc
std::vector<CommandSpec> ScriptingCommands();      // scripting_family.cc (EVAL, SCRIPT)
std::vector<CommandSpec> FunctionCommands();       // function_family.cc (FCALL, FUNCTION)

}  // namespace server
