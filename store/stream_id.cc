#include "store/stream_id.h"

#include <cerrno>
#include <cstdlib>

#include "store/value.h"

namespace store {

bool StreamId::Incr() {
  if (seq != std::numeric_limits<uint64_t>::max()) {
    ++seq;
    return true;
  }
  if (ms == std::numeric_limits<uint64_t>::max()) return false;
  ++ms;
  seq = 0;
  return true;
}

bool StreamId::Decr() {
  if (seq != 0) {
    --seq;
    return true;
  }
  if (ms == 0) return false;
  --ms;
  seq = std::numeric_limits<uint64_t>::max();
  return true;
}

std::string StreamId::ToString() const { return std::to_string(ms) + "-" + std::to_string(seq); }

bool ParseStreamU64(std::string_view s, uint64_t* out) {
  int64_t ll;
  if (ParseInt64(s, &ll)) {
    if (ll < 0) return false;
    *out = static_cast<uint64_t>(ll);
    return true;
  }
  if (s.empty()) return false;
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(buf.c_str(), &end, 10);
  if (errno == EINVAL || errno == ERANGE || end != buf.c_str() + buf.size()) return false;
  *out = v;
  return true;
}

bool ParseStreamId(std::string_view s, const StreamIdSyntax& syntax, StreamId* id) {
  if (s.size() > 127) return false;
  if (!syntax.strict && s == "-") {
    *id = StreamId::Min();
    return true;
  }
  if (!syntax.strict && s == "+") {
    *id = StreamId::Max();
    return true;
  }
  const size_t dash = s.find('-');
  if (dash == std::string_view::npos) {
    if (!ParseStreamU64(s, &id->ms)) return false;
    id->seq = syntax.missing_seq;
    if (syntax.seq_given != nullptr) *syntax.seq_given = true;
    return true;
  }
  if (!ParseStreamU64(s.substr(0, dash), &id->ms)) return false;
  std::string_view seq = s.substr(dash + 1);
  if (syntax.seq_given != nullptr && seq == "*") {
    id->seq = 0;
    *syntax.seq_given = false;
    return true;
  }
  if (!ParseStreamU64(seq, &id->seq)) return false;
  if (syntax.seq_given != nullptr) *syntax.seq_given = true;
  return true;
}

}  // namespace store
