#include "server/commands/key_finders.h"

#include <cstdint>

#include "server/context.h"
#include "store/string_ops.h"

namespace server {
namespace {

// The positions after a numkeys argument at argv[at]; empty unless numkeys is a positive
// integer and that many keys follow.
std::vector<size_t> KeysAfterNumKeys(std::span<const std::string_view> argv, size_t at,
                                     std::vector<size_t> fixed) {
  int64_t n;
  if (at >= argv.size() || !store::ParseInt64(argv[at], &n) || n < 1 ||
      static_cast<uint64_t>(n) > argv.size() - at - 1) {
    return {};
  }
  for (size_t i = 1; i <= static_cast<size_t>(n); ++i) fixed.push_back(at + i);
  return fixed;
}

}  // namespace

std::vector<size_t> NumKeysAt1(std::span<const std::string_view> argv) {
  return KeysAfterNumKeys(argv, 1, {});
}

std::vector<size_t> NumKeysAt2(std::span<const std::string_view> argv) {
  return KeysAfterNumKeys(argv, 2, {});
}

std::vector<size_t> DestThenNumKeys(std::span<const std::string_view> argv) {
  return KeysAfterNumKeys(argv, 2, {1});
}

std::vector<size_t> SortKeys(std::span<const std::string_view> argv) {
  std::vector<size_t> r{1};
  size_t store_at = 0;
  // Step over each option's arguments so that a pattern or a LIMIT number spelled "store" is
  // not taken for the option.
  for (size_t i = 2; i < argv.size(); ++i) {
    if (EqualsNoCase(argv[i], "limit")) {
      i += 2;
    } else if (EqualsNoCase(argv[i], "get") || EqualsNoCase(argv[i], "by")) {
      i += 1;
    } else if (EqualsNoCase(argv[i], "store") && i + 1 < argv.size()) {
      store_at = ++i;
    }
  }
  if (store_at != 0) r.push_back(store_at);
  return r;
}

std::vector<size_t> SortRoKeys(std::span<const std::string_view>) { return {1}; }

}  // namespace server
