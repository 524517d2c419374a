// SetValue against a std::set model (fixed seed), with the intset -> hashtable conversions, and
// the set store operations' notifications (WATCH relies on every change being reported).
#include "store/set_value.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/clock.h"
#include "store/db.h"
#include "store/set_ops.h"

namespace store {
namespace {

std::set<std::string> AsSet(const SetValue& s) {
  std::vector<std::string> m = s.Members();
  std::set<std::string> out(m.begin(), m.end());
  EXPECT_EQ(out.size(), m.size()) << "duplicate members";
  return out;
}

TEST(SetValue, IntsetStaysSortedAndConverts) {
  SetValue s;
  EXPECT_EQ(s.encoding(), "intset");
  EXPECT_TRUE(s.Add("3", 4));
  EXPECT_TRUE(s.Add("-7", 4));
  EXPECT_TRUE(s.Add("10", 4));
  EXPECT_FALSE(s.Add("3", 4));
  EXPECT_EQ(s.Members(), (std::vector<std::string>{"-7", "3", "10"}));
  EXPECT_TRUE(s.Contains("-7"));
  EXPECT_FALSE(s.Contains("03"));  // another spelling is another member
  EXPECT_TRUE(s.Add("03", 4));     // not canonical: the set becomes a hashtable
  EXPECT_EQ(s.encoding(), "hashtable");
  EXPECT_TRUE(s.Contains("3"));
  EXPECT_TRUE(s.Contains("03"));
  EXPECT_EQ(s.size(), 4u);
  // Conversion is one way.
  EXPECT_TRUE(s.Remove("03"));
  EXPECT_EQ(s.encoding(), "hashtable");
}

TEST(SetValue, IntsetLimit) {
  SetValue s;
  EXPECT_TRUE(s.Add("1", 2));
  EXPECT_TRUE(s.Add("2", 2));
  EXPECT_EQ(s.encoding(), "intset");
  EXPECT_TRUE(s.Add("3", 2));  // the third member is over the limit of 2
  EXPECT_EQ(s.encoding(), "hashtable");
  SetValue z;
  EXPECT_TRUE(z.Add("1", 0));
  EXPECT_EQ(z.encoding(), "hashtable");
  SetValue big;
  EXPECT_TRUE(big.Add("9223372036854775807", 10));
  EXPECT_TRUE(big.Add("-9223372036854775808", 10));
  EXPECT_EQ(big.encoding(), "intset");
  EXPECT_TRUE(big.Add("9223372036854775808", 10));  // out of int64 range
  EXPECT_EQ(big.encoding(), "hashtable");
}

TEST(SetValue, IntsetWidensAndKeepsOrder) {
  SetValue s;
  for (const char* m : {"1", "-1", "300", "-40000", "5000000000", "-9223372036854775808",
                        "9223372036854775807", "0"}) {
    EXPECT_TRUE(s.Add(m, 512));
  }
  EXPECT_EQ(s.encoding(), "intset");
  EXPECT_EQ(s.Members(), (std::vector<std::string>{"-9223372036854775808", "-40000", "-1", "0", "1",
                                                   "300", "5000000000", "9223372036854775807"}));
  EXPECT_TRUE(s.Contains("-40000"));
  EXPECT_FALSE(s.Add("300", 512));
  EXPECT_TRUE(s.Remove("5000000000"));
  EXPECT_FALSE(s.Contains("5000000000"));
  auto c = s.Clone();
  EXPECT_EQ(AsSet(*static_cast<SetValue*>(c.get())), AsSet(s));
  s.ConvertToHashtable();
  EXPECT_EQ(s.encoding(), "hashtable");
  EXPECT_EQ(s.size(), 7u);
  EXPECT_TRUE(s.Contains("-9223372036854775808"));
  EXPECT_EQ(static_cast<SetValue*>(c.get())->encoding(), "intset");
}

TEST(SetValue, ObjectFitsThirtyTwoBytes) {
  // The vtable pointer, the intset's state and a pointer to the hashtable: one small block per
  // key (docs/memory.md, dataset d2).
  EXPECT_LE(sizeof(SetValue), 32u);
}

TEST(SetValue, ModelRandomOps) {
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 20; ++round) {
    SetValue s;
    std::set<std::string> model;
    const size_t limit = round % 4 == 0 ? 0 : 5 + round * 3;
    bool converted = false;
    for (int i = 0; i < 2000; ++i) {
      // Mostly integers, sometimes words, so both encodings and the switch are exercised.
      std::string m = rng() % 10 < 8 ? std::to_string(static_cast<int64_t>(rng() % 100) - 50)
                                     : "w" + std::to_string(rng() % 40);
      switch (rng() % 6) {
        case 0:
        case 1:
        case 2: {
          bool added = model.insert(m).second;
          EXPECT_EQ(s.Add(m, limit), added);
          break;
        }
        case 3:
          EXPECT_EQ(s.Remove(m), model.erase(m) == 1);
          break;
        case 4:
          EXPECT_EQ(s.Contains(m), model.count(m) == 1);
          break;
        case 5:
          if (!model.empty()) {
            std::string p = s.PopRandom(rng);
            EXPECT_EQ(model.erase(p), 1u) << p;
          }
          break;
      }
      ASSERT_EQ(s.size(), model.size());
      // An intset holds only canonical integers, within the limit; once converted it stays so.
      if (converted) {
        EXPECT_EQ(s.encoding(), "hashtable");
      }
      if (s.is_intset()) {
        EXPECT_LE(s.size(), limit);
        EXPECT_TRUE(std::all_of(model.begin(), model.end(), [](const std::string& x) {
          int64_t v;
          return ParseInt64(x, &v);
        }));
      }
      converted = !s.is_intset();
      if (i % 100 == 0) {
        ASSERT_EQ(AsSet(s), model);
        std::unique_ptr<Collection> c = s.Clone();
        EXPECT_EQ(AsSet(*static_cast<SetValue*>(c.get())), model);
        EXPECT_EQ(c->encoding(), s.encoding());
        if (!model.empty()) {
          EXPECT_EQ(model.count(s.Random(rng)), 1u);
        }
      }
    }
    EXPECT_EQ(AsSet(s), model);
  }
}

TEST(SetValue, RandomReachesEveryMember) {
  std::mt19937_64 rng(7);
  for (size_t limit : {size_t{512}, size_t{0}}) {
    SetValue s;
    for (int i = 0; i < 50; ++i) s.Add(std::to_string(i), limit);
    // Removing most members leaves sparse buckets; Random must still find the rest.
    for (int i = 0; i < 45; ++i) s.Remove(std::to_string(i));
    std::set<std::string> seen;
    for (int i = 0; i < 2000; ++i) seen.insert(s.Random(rng));
    EXPECT_EQ(seen, AsSet(s));
  }
}

// Records the listener's events, to check that every modification is reported.
class EventLog : public KeyListener {
 public:
  void OnKeyEvent(int, std::string_view key, KeyEvent ev) override {
    events.push_back(std::string(key) + (ev == KeyEvent::kDeleted ? ":del" : ":mod"));
  }
  std::vector<std::string> events;
};

class SetOpsTest : public ::testing::Test {
 protected:
  SetOpsTest() : db_(0, &clock_) { db_.set_listener(&log_); }
  int64_t Add(std::string_view key, std::vector<std::string_view> m, size_t limit = 512) {
    Result<int64_t> r = SetAdd(db_, key, db_.Find(key), m, limit);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : -1;
  }
  std::set<std::string> Members(std::string_view key) {
    Entry* e = db_.Find(key);
    if (e == nullptr) return {};
    Result<const SetValue*> s = SetOf(e);
    EXPECT_TRUE(s.ok());
    return AsSet(*s.value());
  }
  Clock clock_;
  Db db_;
  EventLog log_;
};

TEST_F(SetOpsTest, AddRemoveNotify) {
  EXPECT_EQ(Add("s", {"a", "b", "a"}), 2);
  EXPECT_EQ(Add("s", {"a"}), 0);  // no change, no event
  std::string_view rm[] = {"a", "b", "c"};
  Result<int64_t> r = SetRemove(db_, "s", db_.Find("s"), rm);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), 2);
  EXPECT_EQ(db_.Find("s"), nullptr);  // an empty set is deleted
  EXPECT_EQ(log_.events, (std::vector<std::string>{"s:mod", "s:del"}));
  db_.Set("str", Value::String("x"));
  EXPECT_EQ(SetAdd(db_, "str", db_.Find("str"), rm, 512).status(), Status::kWrongType);
  EXPECT_EQ(SetRemove(db_, "str", db_.Find("str"), rm).status(), Status::kWrongType);
}

TEST_F(SetOpsTest, Move) {
  Add("a", {"1", "2"});
  Add("b", {"x"});
  Result<bool> r = SetMove(db_, "a", db_.Find("a"), "b", db_.Find("b"), "1", 512);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value());
  EXPECT_EQ(Members("a"), (std::set<std::string>{"2"}));
  EXPECT_EQ(Members("b"), (std::set<std::string>{"1", "x"}));
  r = SetMove(db_, "a", db_.Find("a"), "c", db_.Find("c"), "2", 512);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value());
  EXPECT_EQ(db_.Find("a"), nullptr);
  EXPECT_EQ(Members("c"), (std::set<std::string>{"2"}));
  EXPECT_EQ(db_.Find("c")->value().Encoding(), "intset");
  // Absent source: false before any type check.
  db_.Set("str", Value::String("x"));
  r = SetMove(db_, "none", nullptr, "str", db_.Find("str"), "1", 512);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value());
  EXPECT_EQ(SetMove(db_, "b", db_.Find("b"), "str", db_.Find("str"), "1", 512).status(),
            Status::kWrongType);
}

TEST_F(SetOpsTest, AlgebraAndStore) {
  Add("a", {"1", "2", "3", "x"});
  Add("b", {"2", "3", "4"});
  auto combine = [&](std::vector<std::string_view> keys, SetAlgebra op, size_t limit = 512) {
    std::vector<const Entry*> es;
    for (std::string_view k : keys) es.push_back(db_.Find(k));
    Result<std::unique_ptr<SetValue>> r = SetCombine(es, op, limit);
    EXPECT_TRUE(r.ok());
    return std::move(r.value());
  };
  EXPECT_EQ(AsSet(*combine({"a", "b"}, SetAlgebra::kInter)), (std::set<std::string>{"2", "3"}));
  EXPECT_EQ(AsSet(*combine({"a", "b"}, SetAlgebra::kDiff)), (std::set<std::string>{"1", "x"}));
  EXPECT_EQ(AsSet(*combine({"a", "none"}, SetAlgebra::kUnion)),
            (std::set<std::string>{"1", "2", "3", "x"}));
  EXPECT_EQ(combine({"a", "none"}, SetAlgebra::kInter)->size(), 0u);
  // A stored result starts as an intset, whatever the sources' encodings.
  std::unique_ptr<SetValue> inter = combine({"a", "b"}, SetAlgebra::kInter);
  EXPECT_EQ(inter->encoding(), "intset");
  EXPECT_EQ(combine({"a", "b"}, SetAlgebra::kInter, 1)->encoding(), "hashtable");
  db_.Set("d", Value::String("old"));
  (void)db_.SetExpire(db_.Find("d"), 5000);
  EXPECT_EQ(SetStore(db_, "d", std::move(inter)), 2);
  EXPECT_FALSE(db_.Find("d")->has_expire());
  EXPECT_EQ(SetStore(db_, "d", combine({"a", "a"}, SetAlgebra::kDiff)), 0);
  EXPECT_EQ(db_.Find("d"), nullptr);
  std::vector<const Entry*> es = {db_.Find("a"), db_.Find("b")};
  EXPECT_EQ(SetInterCard(es, 0).value(), 2);
  EXPECT_EQ(SetInterCard(es, 1).value(), 1);
  db_.Set("str", Value::String("x"));
  es = {nullptr, db_.Find("str")};
  EXPECT_EQ(SetInterCard(es, 0).status(), Status::kWrongType);
  EXPECT_EQ(SetCombine(es, SetAlgebra::kInter, 512).status(), Status::kWrongType);
}

TEST_F(SetOpsTest, PopAndRandom) {
  std::mt19937_64 rng(99);
  for (size_t limit : {size_t{512}, size_t{0}}) {
    db_.Erase("s");
    std::vector<std::string> owned;
    for (int i = 0; i < 30; ++i) owned.push_back(std::to_string(i));
    std::vector<std::string_view> m(owned.begin(), owned.end());
    Add("s", m, limit);
    std::set<std::string> all = Members("s");
    for (int64_t count : {0, 1, 5, 20, 29, 30, 100}) {
      Result<std::vector<std::string>> r = SetRandomMembers(db_.Find("s"), count, rng);
      ASSERT_TRUE(r.ok());
      std::set<std::string> distinct(r.value().begin(), r.value().end());
      EXPECT_EQ(r.value().size(), std::min<size_t>(count, 30));
      EXPECT_EQ(distinct.size(), r.value().size());
      for (const std::string& x : distinct) EXPECT_EQ(all.count(x), 1u);
    }
    Result<std::vector<std::string>> neg = SetRandomMembers(db_.Find("s"), -100, rng);
    ASSERT_TRUE(neg.ok());
    EXPECT_EQ(neg.value().size(), 100u);
    for (const std::string& x : neg.value()) EXPECT_EQ(all.count(x), 1u);
    Result<std::vector<std::string>> popped = SetPop(db_, "s", db_.Find("s"), 12, rng);
    ASSERT_TRUE(popped.ok());
    std::set<std::string> p(popped.value().begin(), popped.value().end());
    EXPECT_EQ(p.size(), 12u);
    std::set<std::string> rest = Members("s");
    EXPECT_EQ(rest.size(), 18u);
    for (const std::string& x : p) EXPECT_EQ(rest.count(x), 0u);
    popped = SetPop(db_, "s", db_.Find("s"), 18, rng);
    ASSERT_TRUE(popped.ok());
    EXPECT_EQ(std::set<std::string>(popped.value().begin(), popped.value().end()), rest);
    EXPECT_EQ(db_.Find("s"), nullptr);
  }
}

}  // namespace
}  // namespace store
