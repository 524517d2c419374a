// Key finders for commands whose key positions depend on their arguments (the "movablekeys" of
// COMMAND INFO): COMMAND GETKEYS, and later ACL key patterns and cluster routing, ask them.
// Each returns argv positions (argv[0] is the command name); an empty result means the
// arguments name no valid keys, which GETKEYS reports as "Invalid arguments".
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace server {

// numkeys at argv[1], keys after it: ZUNION ZINTER ZDIFF ZINTERCARD SINTERCARD LMPOP ZMPOP.
std::vector<size_t> NumKeysAt1(std::span<const std::string_view> argv);
// numkeys at argv[2] (after a timeout), keys after it: BLMPOP BZMPOP.
std::vector<size_t> NumKeysAt2(std::span<const std::string_view> argv);
// A destination at argv[1], then numkeys and keys: ZUNIONSTORE ZINTERSTORE ZDIFFSTORE.
std::vector<size_t> DestThenNumKeys(std::span<const std::string_view> argv);
// SORT key [...] [STORE dst]: the source, and the last STORE's destination.
std::vector<size_t> SortKeys(std::span<const std::string_view> argv);
// SORT_RO: only the source. Redis still calls it movable, since BY and GET patterns name keys
// that only the data decides.
std::vector<size_t> SortRoKeys(std::span<const std::string_view> argv);

}  // namespace server
