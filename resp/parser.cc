#include "resp/parser.h"

#include <cstring>

namespace resp {
namespace {

// Strict decimal: optional '-', no '+', no leading zeros, no spaces; fits in int64. Lengths in a
// request are short, so the common case (at most 18 digits, which cannot overflow) is a plain loop.
bool ParseStrictInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-') {
    neg = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  if (s[i] == '0' && s.size() > i + 1) return false;
  uint64_t v = 0;
  if (s.size() - i <= 18) {
    for (; i < s.size(); ++i) {
      unsigned d = static_cast<unsigned char>(s[i]) - '0';
      if (d > 9) return false;
      v = v * 10 + d;
    }
    *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    return true;
  }
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

// Finds the "\r" that ends a header line starting at `from`. Returns npos when absent.
size_t FindCR(std::string_view buf, size_t from) {
  if (from >= buf.size()) return std::string_view::npos;
  const void* p = std::memchr(buf.data() + from, '\r', buf.size() - from);
  return p ? static_cast<size_t>(static_cast<const char*>(p) - buf.data()) : std::string_view::npos;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}

}  // namespace

void Parser::Reset() {
  mode_ = Mode::kStart;
  remaining_ = 0;
  bulk_len_ = -1;
  pos_ = 0;
  spans_.clear();
}

Parser::Result Parser::Fail(std::string msg) {
  Reset();
  error_ = std::move(msg);
  return {Status::kProtocolError, 0};
}

Parser::Result Parser::Parse(std::string_view buf, std::vector<std::string_view>* argv) {
  argv->clear();
  if (mode_ == Mode::kStart) {
    if (buf.empty()) return {Status::kNeedMore, 0};
    mode_ = buf[0] == '*' ? Mode::kMultibulk : Mode::kInline;
    pos_ = 0;
  }
  return mode_ == Mode::kMultibulk ? ParseMultibulk(buf, argv) : ParseInline(buf, argv);
}

Parser::Result Parser::ParseMultibulk(std::string_view buf, std::vector<std::string_view>* argv) {
  if (pos_ == 0) {  // the "*N\r\n" header
    size_t cr = FindCR(buf, 1);
    if (cr == std::string_view::npos) {
      if (buf.size() > kMaxInlineSize) return Fail("Protocol error: too big mbulk count string");
      return {Status::kNeedMore, 0};
    }
    if (cr + 1 >= buf.size()) return {Status::kNeedMore, 0};  // '\n' not here yet
    int64_t n = 0;
    if (!ParseStrictInt(buf.substr(1, cr - 1), &n) || n > kMaxMultibulkLen) {
      return Fail("Protocol error: invalid multibulk length");
    }
    if (n <= 0) {  // `*0` and `*-1` are no-ops, as in Redis.
      size_t consumed = cr + 2;
      Reset();
      return {Status::kOk, consumed};
    }
    remaining_ = n;
    bulk_len_ = -1;
    spans_.clear();
    // Do not trust a huge count for reservation; grow as arguments arrive.
    spans_.reserve(static_cast<size_t>(n < 1024 ? n : 1024));
    pos_ = cr + 2;
  }
  while (remaining_ > 0) {
    if (bulk_len_ < 0) {  // the "$len\r\n" header
      if (pos_ >= buf.size()) return {Status::kNeedMore, 0};
      if (buf[pos_] != '$') {
        return Fail(std::string("Protocol error: expected '$', got '") + buf[pos_] + "'");
      }
      size_t cr = FindCR(buf, pos_ + 1);
      if (cr == std::string_view::npos) {
        if (buf.size() - pos_ > kMaxInlineSize) {
          return Fail("Protocol error: too big bulk count string");
        }
        return {Status::kNeedMore, 0};
      }
      if (cr + 1 >= buf.size()) return {Status::kNeedMore, 0};
      int64_t len = 0;
      if (!ParseStrictInt(buf.substr(pos_ + 1, cr - pos_ - 1), &len) || len < 0 ||
          len > max_bulk_len_) {
        return Fail("Protocol error: invalid bulk length");
      }
      bulk_len_ = len;
      pos_ = cr + 2;
    }
    // The payload and its trailing CRLF (whose bytes, like Redis, we skip without checking).
    if (buf.size() - pos_ < static_cast<uint64_t>(bulk_len_) + 2) return {Status::kNeedMore, 0};
    spans_.emplace_back(pos_, static_cast<size_t>(bulk_len_));
    pos_ += static_cast<size_t>(bulk_len_) + 2;
    bulk_len_ = -1;
    --remaining_;
  }
  argv->reserve(spans_.size());
  for (const auto& [off, len] : spans_) argv->emplace_back(buf.data() + off, len);
  size_t consumed = pos_;
  Reset();
  return {Status::kOk, consumed};
}

Parser::Result Parser::ParseInline(std::string_view buf, std::vector<std::string_view>* argv) {
  const void* nl =
      pos_ < buf.size() ? std::memchr(buf.data() + pos_, '\n', buf.size() - pos_) : nullptr;
  if (nl == nullptr) {
    if (buf.size() > kMaxInlineSize) return Fail("Protocol error: too big inline request");
    pos_ = buf.size();  // resume the search where this one ended
    return {Status::kNeedMore, 0};
  }
  size_t end = static_cast<size_t>(static_cast<const char*>(nl) - buf.data());
  size_t consumed = end + 1;
  if (end > 0 && buf[end - 1] == '\r') --end;
  Reset();
  inline_args_.clear();
  if (!SplitInlineArgs(buf.substr(0, end), &inline_args_)) {
    return Fail("Protocol error: unbalanced quotes in request");
  }
  argv->reserve(inline_args_.size());
  for (const std::string& a : inline_args_) argv->emplace_back(a);
  return {Status::kOk, consumed};
}

bool SplitInlineArgs(std::string_view line, std::vector<std::string>* out) {
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && IsSpace(line[i])) ++i;
    if (i >= n) return true;
    std::string arg;
    bool in_dq = false, in_sq = false, done = false;
    while (!done) {
      if (in_dq) {
        if (i >= n) return false;
        char c = line[i];
        if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && HexValue(line[i + 2]) >= 0 &&
            HexValue(line[i + 3]) >= 0) {
          arg.push_back(static_cast<char>(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3])));
          i += 3;
        } else if (c == '\\' && i + 1 < n) {
          ++i;
          switch (line[i]) {
            case 'n':
              arg.push_back('\n');
              break;
            case 'r':
              arg.push_back('\r');
              break;
            case 't':
              arg.push_back('\t');
              break;
            case 'b':
              arg.push_back('\b');
              break;
            case 'a':
              arg.push_back('\a');
              break;
            default:
              arg.push_back(line[i]);
              break;
          }
        } else if (c == '"') {
          // The closing quote must be followed by a space or nothing.
          if (i + 1 < n && !IsSpace(line[i + 1])) return false;
          done = true;
        } else {
          arg.push_back(c);
        }
      } else if (in_sq) {
        if (i >= n) return false;
        char c = line[i];
        if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
          ++i;
          arg.push_back('\'');
        } else if (c == '\'') {
          if (i + 1 < n && !IsSpace(line[i + 1])) return false;
          done = true;
        } else {
          arg.push_back(c);
        }
      } else {
        if (i >= n) break;
        char c = line[i];
        if (IsSpace(c)) {
          done = true;
        } else if (c == '"') {
          in_dq = true;
        } else if (c == '\'') {
          in_sq = true;
        } else {
          arg.push_back(c);
        }
      }
      if (i < n) ++i;
    }
    out->push_back(std::move(arg));
  }
}

}  // namespace resp
