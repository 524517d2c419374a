// Reply encoder for RESP2 and RESP3. It appends to a caller-owned std::string and knows nothing of
// commands: RESP3-only types (map, set, double, null, boolean, push, verbatim) degrade to their
// RESP2 shapes exactly as Redis 7 degrades them when the client speaks RESP2.
//
// Not thread-safe; cheap to construct (holds two words).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace resp {

class Writer {
 public:
  // REQUIRES: out outlives the writer; proto is 2 or 3.
  Writer(std::string* out, int proto) : out_(out), proto_(proto) {}

  int proto() const { return proto_; }
  std::string* buffer() { return out_; }

  void SimpleString(std::string_view s);  // +s
  void Ok() { out_->append("+OK\r\n"); }
  // -PREFIX message. `prefix` is the error code ("ERR", "WRONGTYPE", ...), written verbatim.
  void Error(std::string_view prefix, std::string_view message);
  void Integer(int64_t v);
  void Bulk(std::string_view s);
  void BulkInt(int64_t v);  // an integer written as a bulk string
  void Null();              // RESP2 `$-1`, RESP3 `_`
  void NullArray();         // RESP2 `*-1`, RESP3 `_`
  void ArrayHeader(int64_t n);
  void MapHeader(int64_t n);   // n pairs; RESP2 sends an array of 2n
  void SetHeader(int64_t n);   // RESP2 sends an array
  void PushHeader(int64_t n);  // RESP2 sends an array
  void Double(double d);       // RESP2 sends a bulk string of "%.17g"
  void Bool(bool b);           // RESP2 sends the integer 1 or 0
  void Verbatim(std::string_view format, std::string_view text);  // RESP2 sends a bulk string
  void BigNumber(std::string_view digits);                        // RESP2 sends a bulk string
  void Raw(std::string_view bytes) { out_->append(bytes); }

 private:
  void Header(char type, int64_t n);
  std::string* out_;
  int proto_;
};

// Formats a double as Redis 7.0 does in replies ("%.17g", "inf", "-inf").
std::string FormatDouble(double d);

}  // namespace resp
