// The order of a sorted set, shared by both of its encodings: by score, then by member bytes.
#pragma once

#include <string_view>

namespace store {

// Whether (s1, m1) sorts before (s2, m2). REQUIRES: neither score is NaN (a zset never holds one).
inline bool ZLess(double s1, std::string_view m1, double s2, std::string_view m2) {
  return s1 < s2 || (s1 == s2 && m1 < m2);
}

}  // namespace store
