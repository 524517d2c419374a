// Glob-style matching with Redis's rules (KEYS, SCAN MATCH, CONFIG GET): `*`, `?`, `[abc]`,
// `[^a]`, `[a-z]`, and `\x` to match x literally.
#pragma once

#include <string>
#include <string_view>

namespace store {

bool GlobMatch(std::string_view pattern, std::string_view s, bool nocase = false);

// The longest literal prefix every match of the pattern starts with ("user:1*" -> "user:1";
// "a\*b*" -> "a*b"). Used to seek in the ordered keyspace instead of walking all of it.
std::string LiteralPrefix(std::string_view pattern);

}  // namespace store
