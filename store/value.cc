#include "store/value.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace store {
namespace {
// Redis keeps strings up to this length in one allocation with their header ("embstr").
constexpr size_t kEmbstrMaxLen = 44;
}  // namespace

std::string_view TypeName(ObjType t) {
  switch (t) {
    case ObjType::kString:
      return "string";
    case ObjType::kList:
      return "list";
    case ObjType::kSet:
      return "set";
    case ObjType::kZSet:
      return "zset";
    case ObjType::kHash:
      return "hash";
    case ObjType::kStream:
      return "stream";
  }
  return "none";
}

Value Value::String(std::string_view s) {
  int64_t v;
  if (s.size() <= 20 && ParseInt64(s, &v)) return Int(v);
  Value out;
  out.SetBytes(s, /*raw=*/false);
  return out;
}

Value Value::RawString(std::string s) {
  Value out;
  out.SetBytes(s, /*raw=*/true);
  return out;
}

Value Value::Bytes(std::string s) {
  Value out;
  out.SetBytes(s, /*raw=*/false);
  return out;
}

Value Value::Int(int64_t v) {
  Value out;
  out.Store<int64_t>(0, v);
  out.SetTag(kInt, false);
  return out;
}

Value Value::Of(std::unique_ptr<Collection> c) {
  Value out;
  out.Store<Collection*>(0, c.release());
  out.SetTag(kColl, false);
  return out;
}

Value::Value(Value&& other) noexcept {
  std::memcpy(bytes_, other.bytes_, sizeof(bytes_));
  other.SetInline({});
}

Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) {
    Release();
    std::memcpy(bytes_, other.bytes_, sizeof(bytes_));
    other.SetInline({});
  }
  return *this;
}

void Value::SetInline(std::string_view s) {
  if (!s.empty()) std::memcpy(bytes_, s.data(), s.size());
  bytes_[kInlineLen] = static_cast<unsigned char>(s.size());
  SetTag(kInline, false);
}

void Value::SetBytes(std::string_view s, bool raw) {
  if (s.size() <= kInlineCapacity) {
    SetInline(s);
  } else {
    char* p = new char[s.size()];
    std::memcpy(p, s.data(), s.size());
    Store<char*>(0, p);
    Store<uint64_t>(8, s.size());
    SetTag(kHeap, false);
  }
  SetTag(kind(), raw);
}

void Value::Release() {
  switch (kind()) {
    case kHeap:
      delete[] Load<char*>(0);
      break;
    case kEdited:
      delete Load<std::string*>(0);
      break;
    case kColl:
      delete Load<Collection*>(0);
      break;
    case kInt:
    case kInline:
      break;
  }
}

Value Value::Clone() const {
  switch (kind()) {
    case kInt:
      return Int(int_value());
    case kColl:
      return Of(collection()->Clone());
    case kEdited: {
      Value v;
      v.Store<std::string*>(0, new std::string(*Load<std::string*>(0)));
      v.SetTag(kEdited, true);
      return v;
    }
    case kInline:
    case kHeap:
      break;
  }
  Value v;
  std::string scratch;
  v.SetBytes(Str(&scratch), raw());
  return v;
}

ObjType Value::type() const { return kind() == kColl ? collection()->type() : ObjType::kString; }

std::string_view Value::Str(std::string* scratch) const {
  switch (kind()) {
    case kInt:
      *scratch = FormatInt64(int_value());
      return *scratch;
    case kInline:
      return {reinterpret_cast<const char*>(bytes_), bytes_[kInlineLen]};
    case kHeap:
      return {Load<const char*>(0), static_cast<size_t>(Load<uint64_t>(8))};
    case kEdited:
      return *Load<std::string*>(0);
    case kColl:
      break;
  }
  return {};
}

size_t Value::StrLen() const {
  switch (kind()) {
    case kInt: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof(buf), int_value());
      return static_cast<size_t>(r.ptr - buf);
    }
    case kInline:
      return bytes_[kInlineLen];
    case kHeap:
      return static_cast<size_t>(Load<uint64_t>(8));
    case kEdited:
      return Load<std::string*>(0)->size();
    case kColl:
      break;
  }
  return 0;
}

std::string* Value::MutableStr() {
  if (kind() != kEdited) {
    std::string scratch;
    auto* s = new std::string(Str(&scratch));
    Release();
    Store<std::string*>(0, s);
  }
  SetTag(kEdited, true);
  return Load<std::string*>(0);
}

size_t Value::ExternalStringBytes() const {
  switch (kind()) {
    case kHeap:
      return static_cast<size_t>(Load<uint64_t>(8));
    case kEdited:
      return sizeof(std::string) + Load<std::string*>(0)->capacity() + 1;
    default:
      return 0;
  }
}

std::string_view Value::Encoding() const {
  switch (kind()) {
    case kInt:
      return "int";
    case kColl:
      return collection()->encoding();
    default:
      return (!raw() && StrLen() <= kEmbstrMaxLen) ? "embstr" : "raw";
  }
}

bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  size_t i = s[0] == '-' ? 1 : 0;
  if (i >= s.size() || s[i] < '1' || s[i] > '9') return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* out) {
  // strtod needs a terminated string; values this long are not valid numbers anyway.
  if (s.empty() || s.size() > 5 * 1024 || std::isspace(static_cast<unsigned char>(s[0]))) {
    return false;
  }
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || std::isnan(v)) return false;
  if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0)) return false;
  *out = v;
  return true;
}

std::string FormatInt64(int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, static_cast<size_t>(r.ptr - buf));
}

}  // namespace store
