// A value in the keyspace: a tagged variant. Strings that are canonical 64-bit integers are kept
// as integers (as Redis's "int" encoding); other strings as bytes. Collections (issue #3) plug in
// through Collection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace store {

// In-memory type tags. On-disk codes live in persistence/, never here.
enum class ObjType : uint8_t { kString, kList, kSet, kZSet, kHash, kStream };

// Redis's name for a type, as TYPE answers ("string", "list", ...).
std::string_view TypeName(ObjType t);

// Base of every collection value. Owned by exactly one Value.
class Collection {
 public:
  virtual ~Collection() = default;
  virtual ObjType type() const = 0;
  virtual std::string_view encoding() const = 0;  // as OBJECT ENCODING names it
  virtual std::unique_ptr<Collection> Clone() const = 0;
};

class Value {
 public:
  Value() : rep_(std::string()) {}
  // A string value; stored as an integer iff `s` is a canonical int64 ("12", not "012" or "+1").
  static Value String(std::string_view s);
  // A string value kept as bytes even if it looks like an integer (APPEND, SETRANGE results).
  static Value RawString(std::string s);
  // A string value kept as bytes, never as an integer, but encoded by length like a fresh string
  // (embstr or raw): what Redis makes of a formatted number, e.g. INCRBYFLOAT's "10".
  static Value Bytes(std::string s);
  static Value Int(int64_t v) { return Value(Rep(v)); }
  static Value Of(std::unique_ptr<Collection> c) { return Value(Rep(std::move(c))); }

  Value(Value&&) = default;
  Value& operator=(Value&&) = default;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  Value Clone() const;

  ObjType type() const;
  bool is_string() const { return type() == ObjType::kString; }
  bool is_int() const { return std::holds_alternative<int64_t>(rep_); }
  // REQUIRES: is_int().
  int64_t int_value() const { return std::get<int64_t>(rep_); }

  // The string's bytes. REQUIRES: is_string(). `scratch` holds the digits of an integer and must
  // outlive the returned view.
  std::string_view Str(std::string* scratch) const;
  // Length in bytes of a string value. REQUIRES: is_string().
  size_t StrLen() const;
  // Converts to the byte representation (if integer) and returns it for in-place edits.
  // REQUIRES: is_string().
  std::string* MutableStr();

  // REQUIRES: !is_string().
  Collection* collection() { return std::get<std::unique_ptr<Collection>>(rep_).get(); }
  const Collection* collection() const { return std::get<std::unique_ptr<Collection>>(rep_).get(); }

  // As OBJECT ENCODING names it: int, embstr, raw, or the collection's.
  std::string_view Encoding() const;

 private:
  using Rep = std::variant<int64_t, std::string, std::unique_ptr<Collection>>;
  explicit Value(Rep r) : rep_(std::move(r)) {}
  Rep rep_;
  bool raw_ = false;  // created by an in-place edit, so Redis would report "raw"
};

// Parses a canonical int64 (no sign '+', no leading zeros, no spaces), as Redis's string2ll.
bool ParseInt64(std::string_view s, int64_t* out);
// Parses a double as Redis's getDoubleFromObject (strtod, whole string, no NaN, no spaces).
bool ParseDouble(std::string_view s, double* out);
// Decimal digits of v.
std::string FormatInt64(int64_t v);

}  // namespace store
