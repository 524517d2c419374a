// A look ahead into a pipelined batch: the keys of the commands that follow, found without
// parsing them for real, so the server can start the cache misses of their keyspace lookups
// before it runs them (a batch of 16 GETs then waits for memory about once, not 16 times).
//
// It is only a hint. It validates nothing, consumes nothing and keeps no state: it stops at the
// first command it cannot read cheaply (inline, incomplete, more than kPeekMaxArgs arguments, a
// header that is not plain digits), and the real parser still decides what every byte means.
#pragma once

#include <cstddef>
#include <string_view>

namespace resp {

// Commands with more arguments than this end the look ahead (they gain nothing from it).
inline constexpr size_t kPeekMaxArgs = 64;

// Scans up to `max` complete multibulk commands at the front of buf. For the i-th, keys[i] is its
// second argument (the first key of most commands), or empty if it has fewer than two. Returns
// how many commands were scanned.
size_t PeekKeys(std::string_view buf, std::string_view* keys, size_t max);

}  // namespace resp
