// Incremental RESP request parser: multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) and inline
// (`GET k\r\n`, as redis-cli and telnet send) commands.
//
// The parser never writes replies and never touches a connection: it reports kOk with a command,
// kNeedMore, or kProtocolError with the exact text Redis replies (without the "ERR " prefix).
//
// Resumable: after kNeedMore the caller may append bytes and call Parse() again with a buffer that
// starts at the same first unconsumed byte (the buffer may have moved in memory); work already done
// on the prefix is not repeated, because positions are kept as offsets, not pointers.
//
// Lifetime of argv: for a multibulk command the views point into the caller's buffer and stay valid
// until the caller modifies or compacts those bytes. For an inline command they point into storage
// owned by the parser and stay valid until the next call of Parse(). Callers copy what they keep.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "resp/limits.h"

namespace resp {

class Parser {
 public:
  enum class Status { kOk, kNeedMore, kProtocolError };
  struct Result {
    Status status;
    size_t consumed;  // bytes of the buffer used by the command; 0 unless kOk
  };

  Parser() = default;
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Parses at most one command from the front of `buf` into *argv (cleared first).
  // kOk with an empty argv means a command Redis ignores (`*0`, `*-1`, an empty inline line):
  // skip `consumed` bytes and go on.
  Result Parse(std::string_view buf, std::vector<std::string_view>* argv);

  // After kProtocolError: the message, e.g. "Protocol error: invalid bulk length".
  const std::string& error() const { return error_; }

  // Bulks longer than n are a protocol error; n is capped at kMaxBulkLenCap, so every accepted
  // length fits in size_t.
  void set_max_bulk_len(int64_t n) { max_bulk_len_ = n < kMaxBulkLenCap ? n : kMaxBulkLenCap; }

  // Forgets any partial command. Needed only if the caller drops its buffer.
  void Reset();

 private:
  Result ParseMultibulk(std::string_view buf, std::vector<std::string_view>* argv);
  Result ParseInline(std::string_view buf, std::vector<std::string_view>* argv);
  Result Fail(std::string msg);

  enum class Mode { kStart, kMultibulk, kInline };
  Mode mode_ = Mode::kStart;
  int64_t remaining_ = 0;  // multibulk: arguments still to read
  int64_t bulk_len_ = -1;  // multibulk: length of the bulk being read, -1 while reading its header
  size_t pos_ = 0;         // offset of the next byte to look at
  std::vector<std::pair<size_t, size_t>> spans_;  // offset, length of each argument read so far
  std::vector<std::string> inline_args_;
  int64_t max_bulk_len_ = kDefaultMaxBulkLen;
  std::string error_;
};

// Splits an inline command line as redis-cli quoting rules do: whitespace separates arguments,
// "double quotes" accept \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes' accept \'.
// A closing quote must be followed by whitespace or the end. Returns false on unbalanced quotes.
bool SplitInlineArgs(std::string_view line, std::vector<std::string>* out);

}  // namespace resp
