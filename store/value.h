// A value in the keyspace: a tagged variant. Strings that are canonical 64-bit integers are kept
// as integers (as Redis's "int" encoding); other strings as bytes. Collections (issue #3) plug in
// through Collection.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

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

// 18 bytes, byte-aligned, with no allocation for integers and strings up to kInlineCapacity
// bytes: most values of a small keyspace live inside the skip-list node, next to their key (see
// store/entry.h for why 18). The layout (fields read and written with memcpy, so no alignment):
//   byte 17: the kind (low 3 bits) and the raw flag (bit 3);
//   kInline: bytes 0..15 the string, byte 16 its length;
//   kInt:    bytes 0..7 the int64;
//   kHeap:   bytes 0..7 a pointer to exactly len bytes (new char[]), bytes 8..15 len;
//   kEdited: bytes 0..7 a std::string* (a string edited in place: APPEND, SETRANGE, SETBIT ...);
//   kColl:   bytes 0..7 the Collection*.
// Moves copy the bytes and leave the source an empty string.
class Value {
 public:
  static constexpr size_t kInlineCapacity = 16;

  Value() { SetInline({}); }
  ~Value() { Release(); }
  // A string value; stored as an integer iff `s` is a canonical int64 ("12", not "012" or "+1").
  static Value String(std::string_view s);
  // A string value kept as bytes even if it looks like an integer (APPEND, SETRANGE results).
  static Value RawString(std::string s);
  // A string value kept as bytes, never as an integer, but encoded by length like a fresh string
  // (embstr or raw): what Redis makes of a formatted number, e.g. INCRBYFLOAT's "10".
  static Value Bytes(std::string s);
  static Value Int(int64_t v);
  static Value Of(std::unique_ptr<Collection> c);

  Value(Value&& other) noexcept;
  Value& operator=(Value&& other) noexcept;
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  Value Clone() const;

  ObjType type() const;
  bool is_string() const { return kind() != kColl; }
  bool is_int() const { return kind() == kInt; }
  // REQUIRES: is_int().
  int64_t int_value() const { return Load<int64_t>(0); }

  // The string's bytes. REQUIRES: is_string(). `scratch` holds the digits of an integer and must
  // outlive the returned view.
  std::string_view Str(std::string* scratch) const;
  // Length in bytes of a string value. REQUIRES: is_string().
  size_t StrLen() const;
  // Converts to the byte representation (if integer) and returns it for in-place edits.
  // REQUIRES: is_string().
  std::string* MutableStr();
  // Bytes a string value holds outside these 18 (its heap buffer), for MEMORY USAGE.
  size_t ExternalStringBytes() const;

  // REQUIRES: !is_string().
  Collection* collection() { return Load<Collection*>(0); }
  const Collection* collection() const { return Load<Collection*>(0); }

  // As OBJECT ENCODING names it: int, embstr, raw, or the collection's.
  std::string_view Encoding() const;

 private:
  enum Kind : uint8_t { kInt, kInline, kHeap, kEdited, kColl };
  static constexpr uint8_t kKindMask = 7;
  static constexpr uint8_t kRawFlag = 8;
  static constexpr size_t kTag = 17;
  static constexpr size_t kInlineLen = 16;

  Kind kind() const { return static_cast<Kind>(bytes_[kTag] & kKindMask); }
  bool raw() const { return (bytes_[kTag] & kRawFlag) != 0; }
  void SetTag(Kind k, bool raw) { bytes_[kTag] = static_cast<uint8_t>(k | (raw ? kRawFlag : 0)); }
  template <typename T>
  T Load(size_t offset) const {
    T v;
    std::memcpy(&v, bytes_ + offset, sizeof(T));
    return v;
  }
  template <typename T>
  void Store(size_t offset, T v) {
    std::memcpy(bytes_ + offset, &v, sizeof(T));
  }
  // Sets a string (inline if it fits, else a heap copy). REQUIRES: nothing owned (released).
  void SetBytes(std::string_view s, bool raw);
  void SetInline(std::string_view s);
  // Frees what the value owns (its heap string or collection); leaves the bytes stale.
  void Release();

  unsigned char bytes_[18];
};
static_assert(sizeof(Value) == 18 && alignof(Value) == 1);

// Parses a canonical int64 (no sign '+', no leading zeros, no spaces), as Redis's string2ll.
bool ParseInt64(std::string_view s, int64_t* out);
// Parses a double as Redis's getDoubleFromObject (strtod, whole string, no NaN, no spaces).
bool ParseDouble(std::string_view s, double* out);
// Decimal digits of v.
std::string FormatInt64(int64_t v);

}  // namespace store
