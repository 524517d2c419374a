#include "persistence/aof_record.h"

#include <charconv>

#include "resp/parser.h"

namespace persistence {

void AppendRecord(const std::vector<std::string_view>& argv, std::string* out) {
  AppendRecord(std::span<const std::string_view>(argv), out);
}

void AppendRecord(std::span<const std::string_view> argv, std::string* out) {
  char num[24];
  auto header = [&](char type, size_t n) {
    out->push_back(type);
    auto r = std::to_chars(num, num + sizeof(num), n);
    out->append(num, static_cast<size_t>(r.ptr - num));
    out->append("\r\n");
  };
  header('*', argv.size());
  for (std::string_view a : argv) {
    header('$', a.size());
    out->append(a);
    out->append("\r\n");
  }
}

namespace detail {

long ParseOneRecord(std::string_view data, std::vector<std::string_view>* argv,
                    std::string* error) {
  if (data[0] != '*') {
    *error = "expected '*'";
    return -1;
  }
  resp::Parser parser;
  parser.set_max_bulk_len(INT64_MAX);
  resp::Parser::Result r = parser.Parse(data, argv);
  if (r.status == resp::Parser::Status::kNeedMore) return 0;
  if (r.status == resp::Parser::Status::kProtocolError) {
    *error = parser.error();
    return -1;
  }
  if (argv->empty()) {
    *error = "empty command";
    return -1;
  }
  // Unlike a client connection, a log must have CRLF after every payload: check the bytes
  // the parser skipped, so a flipped byte there is caught.
  for (std::string_view a : *argv) {
    size_t end = static_cast<size_t>(a.data() - data.data()) + a.size();
    if (data.substr(end, 2) != "\r\n") {
      *error = "missing CRLF after argument";
      return -1;
    }
  }
  return static_cast<long>(r.consumed);
}

size_t AnnotationLength(std::string_view data) {
  size_t nl = data.find('\n');
  return nl == std::string_view::npos ? 0 : nl + 1;
}

}  // namespace detail
}  // namespace persistence
