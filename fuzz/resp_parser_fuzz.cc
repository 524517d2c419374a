// Fuzzes the RESP parser: arbitrary bytes, delivered in two pieces split at the first byte's value,
// must never crash, and a command must consume a non-empty prefix of what it was given. The
// pipelined look ahead (PeekKeys) runs on the same bytes and must agree with the parser.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "resp/parser.h"
#include "resp/peek.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view all(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t split = std::min<size_t>(data[0], all.size());
  // The look ahead over the whole input: its keys must lie inside it, and it may claim no more
  // commands than the parser finds complete (checked below).
  std::string_view peeked[64];
  const size_t npeek = resp::PeekKeys(all, peeked, 64);
  for (size_t i = 0; i < npeek; ++i) {
    if (!peeked[i].empty() && (peeked[i].data() < all.data() ||
                               peeked[i].data() + peeked[i].size() > all.data() + all.size())) {
      std::abort();
    }
  }
  size_t parsed = 0;
  resp::Parser p;
  p.set_max_bulk_len(1 << 20);
  std::vector<std::string_view> argv;
  size_t start = 0;
  for (size_t avail : {split, all.size()}) {
    while (start < avail) {
      std::string_view in = all.substr(start, avail - start);
      auto r = p.Parse(in, &argv);
      if (r.status == resp::Parser::Status::kNeedMore) break;
      if (r.status == resp::Parser::Status::kProtocolError) return 0;
      ++parsed;
      if (r.consumed == 0 || r.consumed > in.size()) std::abort();
      for (std::string_view a : argv) {
        // Views point into the input, or into the parser's storage for inline commands.
        if (a.size() > in.size() + 0) std::abort();
      }
      start += r.consumed;
    }
  }
  // Every command the look ahead counted is a complete multibulk the parser accepts.
  if (npeek > parsed) std::abort();
  return 0;
}
