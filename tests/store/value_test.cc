// store::Value's compact representation: each kind (integer, inline string, heap string, string
// edited in place, collection) round-trips its bytes, moves leave an empty string behind, clones
// are deep, and OBJECT ENCODING's names come out as Redis's.
#include "store/value.h"

#include <gtest/gtest.h>

#include <string>

#include "store/hash_value.h"

namespace store {
namespace {

std::string Bytes(const Value& v) {
  std::string scratch;
  return std::string(v.Str(&scratch));
}

TEST(ValueTest, IntegersAreKeptAsIntegers) {
  Value v = Value::String("-9223372036854775808");
  ASSERT_TRUE(v.is_int());
  EXPECT_EQ(v.int_value(), INT64_MIN);
  EXPECT_EQ(v.StrLen(), 20u);
  EXPECT_EQ(v.Encoding(), "int");
  EXPECT_FALSE(Value::String("012").is_int());
  EXPECT_FALSE(Value::Bytes("12").is_int());
  EXPECT_EQ(v.ExternalStringBytes(), 0u);
}

TEST(ValueTest, StringsAtEveryLengthAroundTheInlineCapacity) {
  for (size_t n = 0; n <= Value::kInlineCapacity + 30; ++n) {
    std::string s(n, 'x');
    for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
    Value v = Value::String(s);
    EXPECT_EQ(Bytes(v), s) << n;
    EXPECT_EQ(v.StrLen(), n);
    EXPECT_EQ(v.ExternalStringBytes(), n <= Value::kInlineCapacity ? 0u : n) << n;
    EXPECT_EQ(v.Encoding(), n <= 44 ? "embstr" : "raw") << n;
    Value moved(std::move(v));
    EXPECT_EQ(Bytes(moved), s);
    EXPECT_EQ(Bytes(v), "");  // NOLINT(bugprone-use-after-move): moved-from is empty
    Value clone = moved.Clone();
    moved = Value::Int(7);  // frees the original; the clone owns its own bytes
    EXPECT_EQ(Bytes(clone), s);
  }
}

TEST(ValueTest, RawStringsReportRawWhateverTheirLength) {
  EXPECT_EQ(Value::RawString("12").Encoding(), "raw");
  EXPECT_FALSE(Value::RawString("12").is_int());
  EXPECT_EQ(Value::Bytes("1.5").Encoding(), "embstr");
  EXPECT_EQ(Value::RawString(std::string(30, 'r')).Clone().Encoding(), "raw");
}

TEST(ValueTest, MutableStrConvertsEveryStringKind) {
  Value i = Value::Int(42);
  i.MutableStr()->append("x");
  EXPECT_EQ(Bytes(i), "42x");
  EXPECT_EQ(i.Encoding(), "raw");
  Value small = Value::String("abc");
  small.MutableStr()->append(100, 'z');
  EXPECT_EQ(small.StrLen(), 103u);
  EXPECT_GT(small.ExternalStringBytes(), 103u);
  Value big = Value::String(std::string(50, 'b'));
  *big.MutableStr() = "short";
  EXPECT_EQ(Bytes(big), "short");
  Value clone = big.Clone();
  big.MutableStr()->append("!");
  EXPECT_EQ(Bytes(clone), "short");
  EXPECT_EQ(clone.Encoding(), "raw");
}

TEST(ValueTest, CollectionsMoveAndCloneDeeply) {
  auto h = std::make_unique<HashValue>();
  Value v = Value::Of(std::move(h));
  EXPECT_FALSE(v.is_string());
  EXPECT_EQ(v.type(), ObjType::kHash);
  Value w = std::move(v);
  EXPECT_TRUE(v.is_string());  // NOLINT(bugprone-use-after-move)
  Value c = w.Clone();
  EXPECT_EQ(c.type(), ObjType::kHash);
  EXPECT_NE(c.collection(), w.collection());
  w = Value::String("gone");  // frees the hash; c keeps its own
  EXPECT_EQ(c.type(), ObjType::kHash);
}

}  // namespace
}  // namespace store
