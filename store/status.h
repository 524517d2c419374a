// Expected failures of store operations, as values. Handlers map each code to Redis's reply text
// in exactly one place (server/errors.h). We never throw.
#pragma once

#include <cassert>
#include <optional>
#include <utility>

namespace store {

enum class Status {
  kOk,
  kNotFound,    // the key (or member) does not exist
  kWrongType,   // the key holds another type
  kNotInteger,  // a value that must be an integer is not one (or is out of range)
  kNotFloat,    // a value that must be a float is not one
  kOverflow,    // the result of increment or decrement would overflow
  kNanOrInf,    // the result would be NaN or infinity
  kSyntax,      // malformed arguments
  kOutOfRange,  // an index or offset is out of range
  kTooBig,      // the result would exceed proto-max-bulk-len (512 MB)
  kExists,      // the target exists (NX-style refusal)
};

// A Status or a value. REQUIRES: value() only when ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T v) : status_(Status::kOk), value_(std::move(v)) {}  // NOLINT: implicit by design
  Result(Status s) : status_(s) { assert(s != Status::kOk); }  // NOLINT
  bool ok() const { return status_ == Status::kOk; }
  Status status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace store
