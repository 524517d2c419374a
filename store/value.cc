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
  return Value(Rep(std::string(s)));
}

Value Value::RawString(std::string s) {
  Value v{Rep(std::move(s))};
  v.raw_ = true;
  return v;
}

Value Value::Bytes(std::string s) { return Value(Rep(std::move(s))); }

Value Value::Clone() const {
  if (auto* i = std::get_if<int64_t>(&rep_)) return Int(*i);
  if (auto* s = std::get_if<std::string>(&rep_)) {
    Value v{Rep(*s)};
    v.raw_ = raw_;
    return v;
  }
  return Of(std::get<std::unique_ptr<Collection>>(rep_)->Clone());
}

ObjType Value::type() const {
  if (auto* c = std::get_if<std::unique_ptr<Collection>>(&rep_)) return (*c)->type();
  return ObjType::kString;
}

std::string_view Value::Str(std::string* scratch) const {
  if (auto* i = std::get_if<int64_t>(&rep_)) {
    *scratch = FormatInt64(*i);
    return *scratch;
  }
  return std::get<std::string>(rep_);
}

size_t Value::StrLen() const {
  if (auto* i = std::get_if<int64_t>(&rep_)) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof(buf), *i);
    return static_cast<size_t>(r.ptr - buf);
  }
  return std::get<std::string>(rep_).size();
}

std::string* Value::MutableStr() {
  if (auto* i = std::get_if<int64_t>(&rep_)) rep_ = FormatInt64(*i);
  raw_ = true;
  return &std::get<std::string>(rep_);
}

std::string_view Value::Encoding() const {
  if (std::holds_alternative<int64_t>(rep_)) return "int";
  if (auto* s = std::get_if<std::string>(&rep_)) {
    return (!raw_ && s->size() <= kEmbstrMaxLen) ? "embstr" : "raw";
  }
  return std::get<std::unique_ptr<Collection>>(rep_)->encoding();
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
