#include "resp/writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace resp {

void Writer::Header(char type, int64_t n) {
  char buf[24];
  buf[0] = type;
  auto [end, ec] = std::to_chars(buf + 1, buf + sizeof(buf) - 2, n);
  (void)ec;
  *end++ = '\r';
  *end++ = '\n';
  out_->append(buf, static_cast<size_t>(end - buf));
}

void Writer::SimpleString(std::string_view s) {
  out_->push_back('+');
  out_->append(s);
  out_->append("\r\n");
}

void Writer::Error(std::string_view prefix, std::string_view message) {
  out_->push_back('-');
  out_->append(prefix);
  if (!message.empty()) {
    out_->push_back(' ');
    // Newlines would break the protocol; Redis replaces them with spaces.
    size_t start = out_->size();
    out_->append(message);
    for (size_t i = start; i < out_->size(); ++i) {
      if ((*out_)[i] == '\r' || (*out_)[i] == '\n') (*out_)[i] = ' ';
    }
  }
  out_->append("\r\n");
}

void Writer::Integer(int64_t v) { Header(':', v); }

void Writer::Bulk(std::string_view s) {
  Header('$', static_cast<int64_t>(s.size()));
  out_->append(s);
  out_->append("\r\n");
}

void Writer::BulkInt(int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  (void)ec;
  Bulk(std::string_view(buf, static_cast<size_t>(end - buf)));
}

void Writer::Null() { out_->append(proto_ == 3 ? "_\r\n" : "$-1\r\n"); }
void Writer::NullArray() { out_->append(proto_ == 3 ? "_\r\n" : "*-1\r\n"); }
void Writer::ArrayHeader(int64_t n) { Header('*', n); }
void Writer::MapHeader(int64_t n) { proto_ == 3 ? Header('%', n) : Header('*', 2 * n); }
void Writer::SetHeader(int64_t n) { Header(proto_ == 3 ? '~' : '*', n); }
void Writer::PushHeader(int64_t n) { Header(proto_ == 3 ? '>' : '*', n); }

void Writer::Double(double d) {
  std::string s = FormatDouble(d);
  if (proto_ == 3) {
    out_->push_back(',');
    out_->append(s);
    out_->append("\r\n");
  } else {
    Bulk(s);
  }
}

void Writer::Bool(bool b) {
  if (proto_ == 3) {
    out_->append(b ? "#t\r\n" : "#f\r\n");
  } else {
    out_->append(b ? ":1\r\n" : ":0\r\n");
  }
}

void Writer::Verbatim(std::string_view format, std::string_view text) {
  if (proto_ != 3) return Bulk(text);
  Header('=', static_cast<int64_t>(text.size() + 4));
  out_->append(format.substr(0, 3));
  out_->push_back(':');
  out_->append(text);
  out_->append("\r\n");
}

void Writer::BigNumber(std::string_view digits) {
  if (proto_ != 3) return Bulk(digits);
  out_->push_back('(');
  out_->append(digits);
  out_->append("\r\n");
}

std::string FormatDouble(double d) {
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (std::isnan(d)) return "nan";
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), "%.17g", d);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace resp
