// SHA-1 (FIPS 180-4), for the script cache's names: EVALSHA, SCRIPT LOAD and redis.sha1hex.
// Not used for anything that needs collision resistance.
#pragma once

#include <string>
#include <string_view>

namespace server::scripting {

// The 40 lowercase hex digits of SHA-1(data).
std::string Sha1Hex(std::string_view data);

}  // namespace server::scripting
