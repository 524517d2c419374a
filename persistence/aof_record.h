// AOF records: each is the RESP array of one command as it ran, e.g.
//
//   log        := { record | annotation }
//   record     := '*' <argc> CRLF { '$' <len> CRLF <bytes> CRLF }{argc}      argc >= 1
//   annotation := '#' <text> LF        e.g. "#TS:1700000000\r\n" (aof-timestamp-enabled); skipped
//
// This is the grammar of Redis's appendonly files, so redis-check-aof reads ours and we read
// Redis's. Writers append records; the reader yields argv vectors and stops at a torn tail, telling
// the caller where the last whole record ended (for the aof-load-truncated policy, issue #4).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace persistence {

// Appends the record for argv to *out.
void AppendRecord(const std::vector<std::string_view>& argv, std::string* out);
void AppendRecord(std::span<const std::string_view> argv, std::string* out);

struct ReadResult {
  enum class Status { kOk, kTruncated, kCorrupt };
  Status status;
  size_t valid_bytes;  // length of the prefix made of whole records
  std::string error;   // for kCorrupt: what was wrong
};

// Calls `apply(argv)` for each whole record of `data`, in order, skipping annotations. Stops at
// the first record that is cut short (kTruncated) or malformed (kCorrupt). Inline commands are
// not valid in a log.
template <typename Apply>
ReadResult ReadRecords(std::string_view data, Apply&& apply);

namespace detail {
// Parses one record at the front of data. Returns bytes used, 0 if truncated, or -1 if corrupt.
long ParseOneRecord(std::string_view data, std::vector<std::string_view>* argv, std::string* error);
// REQUIRES: data starts with '#'. Returns the length of the annotation line including its LF, or
// 0 if the LF is missing (truncated).
size_t AnnotationLength(std::string_view data);
}  // namespace detail

template <typename Apply>
ReadResult ReadRecords(std::string_view data, Apply&& apply) {
  size_t pos = 0;
  std::vector<std::string_view> argv;
  std::string error;
  while (pos < data.size()) {
    if (data[pos] == '#') {
      size_t len = detail::AnnotationLength(data.substr(pos));
      if (len == 0) return {ReadResult::Status::kTruncated, pos, ""};
      pos += len;
      continue;
    }
    long n = detail::ParseOneRecord(data.substr(pos), &argv, &error);
    if (n == 0) return {ReadResult::Status::kTruncated, pos, ""};
    if (n < 0) return {ReadResult::Status::kCorrupt, pos, error};
    apply(argv);
    pos += static_cast<size_t>(n);
  }
  return {ReadResult::Status::kOk, pos, ""};
}

}  // namespace persistence
