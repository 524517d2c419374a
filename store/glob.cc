#include "store/glob.h"

#include <cctype>
#include <string>

namespace store {
namespace {

inline char Fold(char c, bool nocase) {
  return nocase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// Recursion is bounded by the number of '*' in the pattern; consecutive stars collapse first.
bool Match(const char* p, const char* pend, const char* s, const char* send, bool nocase,
           int depth) {
  if (depth > 1000) return false;  // pathological patterns: refuse rather than recurse forever
  while (p < pend) {
    switch (*p) {
      case '*': {
        while (p + 1 < pend && p[1] == '*') ++p;
        if (p + 1 == pend) return true;
        for (const char* t = s; t <= send; ++t) {
          if (Match(p + 1, pend, t, send, nocase, depth + 1)) return true;
        }
        return false;
      }
      case '?':
        if (s == send) return false;
        ++s;
        break;
      case '[': {
        if (s == send) return false;
        ++p;
        bool negate = p < pend && *p == '^';
        if (negate) ++p;
        bool matched = false;
        while (p < pend && *p != ']') {
          if (*p == '\\' && p + 1 < pend) {
            ++p;
            if (Fold(*p, nocase) == Fold(*s, nocase)) matched = true;
          } else if (p + 2 < pend && p[1] == '-' && p[2] != ']') {
            char lo = Fold(p[0], nocase), hi = Fold(p[2], nocase), c = Fold(*s, nocase);
            if (lo > hi) std::swap(lo, hi);
            if (c >= lo && c <= hi) matched = true;
            p += 2;
          } else if (Fold(*p, nocase) == Fold(*s, nocase)) {
            matched = true;
          }
          ++p;
        }
        // An unterminated class ends at the end of the pattern, as in Redis.
        if (p == pend) --p;
        if (negate) matched = !matched;
        if (!matched) return false;
        ++s;
        break;
      }
      case '\\':
        if (p + 1 < pend) ++p;
        [[fallthrough]];
      default:
        if (s == send || Fold(*p, nocase) != Fold(*s, nocase)) return false;
        ++s;
        break;
    }
    ++p;
  }
  return s == send;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view s, bool nocase) {
  return Match(pattern.data(), pattern.data() + pattern.size(), s.data(), s.data() + s.size(),
               nocase, 0);
}

std::string LiteralPrefix(std::string_view pattern) {
  std::string prefix;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '*' || c == '?' || c == '[') break;
    if (c == '\\') {
      if (i + 1 == pattern.size()) break;
      c = pattern[++i];
    }
    prefix.push_back(c);
  }
  return prefix;
}

}  // namespace store
