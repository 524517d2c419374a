// ListValue and the list store operations. The value is checked against a std::deque model with
// random operations from a fixed seed; the operations are checked for their keyspace effects
// (creation, deletion of an emptied list, listener events).
#include "store/list_value.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include "store/clock.h"
#include "store/db.h"
#include "store/list_ops.h"

namespace store {
namespace {

std::vector<std::string> Items(const ListValue& l) {
  std::vector<std::string> out;
  l.Visit(0, l.size(), false, [&](size_t i, std::string_view s) {
    EXPECT_EQ(i, out.size());
    out.emplace_back(s);
    return true;
  });
  return out;
}

// Runs random operations against the model, with nodes bounded by `fill`.
void RunModel(int64_t fill, uint64_t seed) {
  std::mt19937_64 rng(seed);
  ListValue list(fill);
  std::deque<std::string> model;
  auto pick = [&](uint64_t n) { return static_cast<size_t>(rng() % n); };
  for (int step = 0; step < 20000; ++step) {
    // Few distinct values, so that Remove and equality searches find matches.
    const std::string v(1 + pick(3), static_cast<char>('a' + pick(4)));
    switch (pick(7)) {
      case 0:
        list.Push(ListEnd::kHead, v);
        model.push_front(v);
        break;
      case 1:
        list.Push(ListEnd::kTail, v);
        model.push_back(v);
        break;
      case 2:
        if (!model.empty()) {
          const bool head = pick(2) == 0;
          const std::string got = list.Pop(head ? ListEnd::kHead : ListEnd::kTail);
          EXPECT_EQ(got, head ? model.front() : model.back());
          head ? model.pop_front() : model.pop_back();
        }
        break;
      case 3: {
        const size_t i = pick(model.size() + 1);
        list.InsertAt(i, v);
        model.insert(model.begin() + static_cast<ptrdiff_t>(i), v);
        break;
      }
      case 4:
        if (!model.empty()) {
          const size_t i = pick(model.size());
          EXPECT_EQ(list.At(i), model[i]);
          list.SetAt(i, v);
          model[i] = v;
        }
        break;
      case 5: {
        const size_t limit = pick(3);
        const bool from_head = pick(2) == 0;
        size_t expect = 0;
        std::deque<std::string> next;
        if (from_head) {
          for (const std::string& s : model) {
            if (s == v && (limit == 0 || expect < limit)) {
              ++expect;
            } else {
              next.push_back(s);
            }
          }
        } else {
          for (auto it = model.rbegin(); it != model.rend(); ++it) {
            if (*it == v && (limit == 0 || expect < limit)) {
              ++expect;
            } else {
              next.push_front(*it);
            }
          }
        }
        EXPECT_EQ(list.Remove(v, limit, from_head), expect);
        model = std::move(next);
        break;
      }
      case 6:
        if (pick(8) == 0 && !model.empty()) {
          const size_t first = pick(model.size());
          const size_t count = pick(model.size() - first + 1);
          list.Keep(first, count);
          model = std::deque<std::string>(model.begin() + static_cast<ptrdiff_t>(first),
                                          model.begin() + static_cast<ptrdiff_t>(first + count));
        }
        break;
    }
    ASSERT_EQ(list.size(), model.size()) << "step " << step;
    if (step % 64 == 0) {
      ASSERT_EQ(Items(list), std::vector<std::string>(model.begin(), model.end()));
    }
  }
  EXPECT_EQ(Items(list), std::vector<std::string>(model.begin(), model.end()));
  std::vector<std::string> reversed;
  list.Visit(0, list.size(), true, [&](size_t i, std::string_view s) {
    EXPECT_EQ(i, list.size() - 1 - reversed.size());
    reversed.emplace_back(s);
    return true;
  });
  EXPECT_EQ(reversed, std::vector<std::string>(model.rbegin(), model.rend()));
}

TEST(ListValue, MatchesDequeModelOneEntryNodes) { RunModel(1, 1); }
TEST(ListValue, MatchesDequeModelCountBoundNodes) { RunModel(5, 2); }
TEST(ListValue, MatchesDequeModelDefaultFill) { RunModel(-2, 3); }
TEST(ListValue, MatchesDequeModelZeroFill) { RunModel(0, 4); }

TEST(ListValue, FillBoundsNodes) {
  ListValue counted(4);
  for (int i = 0; i < 10; ++i) counted.Push(ListEnd::kTail, "x");
  EXPECT_EQ(counted.node_count(), 3u);
  for (int i = 0; i < 10; ++i) counted.Push(ListEnd::kHead, "y");
  EXPECT_EQ(counted.node_count(), 6u);
  ListValue sized(-1);  // 4 KB nodes
  for (int i = 0; i < 100; ++i) sized.Push(ListEnd::kTail, std::string(100, 'x'));
  EXPECT_EQ(sized.node_count(), 3u);
  // An element bigger than a node gets a node of its own.
  sized.Push(ListEnd::kTail, std::string(10000, 'z'));
  sized.Push(ListEnd::kTail, "a");
  EXPECT_EQ(sized.node_count(), 5u);
  EXPECT_EQ(sized.At(100), std::string(10000, 'z'));
  EXPECT_EQ(sized.Pop(ListEnd::kTail), "a");
  EXPECT_EQ(sized.Pop(ListEnd::kTail), std::string(10000, 'z'));
  EXPECT_EQ(sized.node_count(), 3u);
  // Removing most elements joins the nodes left behind.
  ListValue sparse(3);
  for (int i = 0; i < 30; ++i) sparse.Push(ListEnd::kTail, i % 3 == 0 ? "keep" : "drop");
  EXPECT_EQ(sparse.node_count(), 10u);
  EXPECT_EQ(sparse.Remove("drop", 0, true), 20u);
  EXPECT_EQ(sparse.node_count(), 4u);
  EXPECT_EQ(Items(sparse), std::vector<std::string>(10, "keep"));
  // Inserting into a full node splits it.
  ListValue full(2);
  full.Push(ListEnd::kTail, "a");
  full.Push(ListEnd::kTail, "c");
  full.InsertAt(1, "b");
  EXPECT_EQ(full.node_count(), 2u);
  EXPECT_EQ(Items(full), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(ListValue, EncodingIsQuicklistAsRedis70) {
  ListValue list;
  list.Push(ListEnd::kTail, "a");
  EXPECT_EQ(list.encoding(), "quicklist");
  for (int i = 0; i < 10000; ++i) list.Push(ListEnd::kTail, std::string(100, 'x'));
  EXPECT_EQ(list.encoding(), "quicklist");
  std::unique_ptr<Collection> copy = list.Clone();
  EXPECT_EQ(static_cast<ListValue*>(copy.get())->size(), 10001u);
  EXPECT_EQ(copy->type(), ObjType::kList);
}

TEST(ListValue, ListIndex) {
  size_t i = 0;
  EXPECT_TRUE(ListIndex(0, 3, &i));
  EXPECT_EQ(i, 0u);
  EXPECT_TRUE(ListIndex(-1, 3, &i));
  EXPECT_EQ(i, 2u);
  EXPECT_TRUE(ListIndex(-3, 3, &i));
  EXPECT_EQ(i, 0u);
  EXPECT_FALSE(ListIndex(-4, 3, &i));
  EXPECT_FALSE(ListIndex(3, 3, &i));
  EXPECT_FALSE(ListIndex(INT64_MIN, 3, &i));
  EXPECT_FALSE(ListIndex(0, 0, &i));
}

class EventLog : public KeyListener {
 public:
  void OnKeyEvent(int, std::string_view key, KeyEvent ev) override {
    events.push_back(std::string(key) + (ev == KeyEvent::kDeleted ? ":del" : ":mod"));
  }
  std::vector<std::string> events;
};

class ListOpsTest : public ::testing::Test {
 protected:
  ListOpsTest() : db_(0, &clock_) { db_.set_listener(&log_); }
  Entry* Find(std::string_view key) { return db_.Find(key); }
  void PushAll(std::string_view key, std::vector<std::string_view> elems) {
    ASSERT_TRUE(Push(db_, key, Find(key), ListEnd::kTail, elems, false, 2).ok());
  }
  std::vector<std::string> All(std::string_view key) { return Range(Find(key), 0, -1); }
  // LRANGE's elements, copied out of the slice RangeSlice gives.
  static std::vector<std::string> Range(const Entry* e, int64_t start, int64_t stop) {
    Result<ListSlice> slice = RangeSlice(e, start, stop);
    EXPECT_TRUE(slice.ok());
    std::vector<std::string> out;
    const ListSlice& s = slice.value();
    if (s.list == nullptr) return out;
    s.list->Visit(s.first, s.count, false, [&](size_t, std::string_view elem) {
      out.emplace_back(elem);
      return true;
    });
    return out;
  }

  Clock clock_;
  Db db_;
  EventLog log_;
};

TEST_F(ListOpsTest, PushCreatesAndPopDeletes) {
  std::vector<std::string_view> abc = {"a", "b", "c"};
  EXPECT_EQ(Push(db_, "k", nullptr, ListEnd::kHead, abc, true, -2).value(), 0);
  EXPECT_EQ(Find("k"), nullptr);
  EXPECT_EQ(Push(db_, "k", nullptr, ListEnd::kHead, abc, false, -2).value(), 3);
  EXPECT_EQ(All("k"), (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(PopElements(db_, "k", Find("k"), ListEnd::kTail, 2).value(),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(PopElements(db_, "k", Find("k"), ListEnd::kHead, 0).value().size(), 0u);
  EXPECT_EQ(PopElements(db_, "k", Find("k"), ListEnd::kHead, 5).value(),
            (std::vector<std::string>{"c"}));
  EXPECT_EQ(Find("k"), nullptr);
  EXPECT_EQ(PopElements(db_, "k", nullptr, ListEnd::kHead, 1).status(), Status::kNotFound);
  EXPECT_EQ(log_.events, (std::vector<std::string>{"k:mod", "k:mod", "k:del"}));
}

TEST_F(ListOpsTest, WrongTypeChangesNothing) {
  db_.Set("s", Value::String("v"));
  std::vector<std::string_view> a = {"a"};
  EXPECT_EQ(Push(db_, "s", Find("s"), ListEnd::kHead, a, false, -2).status(), Status::kWrongType);
  EXPECT_EQ(SetIndex(db_, "s", Find("s"), 0, "x", -2), Status::kWrongType);
  EXPECT_EQ(Trim(db_, "s", Find("s"), 0, 1), Status::kWrongType);
  PushAll("l", {"x"});
  EXPECT_EQ(Move(db_, "l", Find("l"), "s", Find("s"), ListEnd::kHead, ListEnd::kHead, -2).status(),
            Status::kWrongType);
  EXPECT_EQ(All("l"), (std::vector<std::string>{"x"}));
}

TEST_F(ListOpsTest, MoveRotatesAndDeletesEmptiedSource) {
  PushAll("one", {"x"});
  Entry* e = Find("one");
  EXPECT_EQ(*Move(db_, "one", e, "one", e, ListEnd::kTail, ListEnd::kHead, -2).value(), "x");
  EXPECT_EQ(All("one"), (std::vector<std::string>{"x"}));
  EXPECT_EQ(
      *Move(db_, "one", Find("one"), "dst", nullptr, ListEnd::kTail, ListEnd::kHead, -2).value(),
      "x");
  EXPECT_EQ(Find("one"), nullptr);
  EXPECT_EQ(All("dst"), (std::vector<std::string>{"x"}));
  EXPECT_FALSE(Move(db_, "no", nullptr, "dst", Find("dst"), ListEnd::kTail, ListEnd::kHead, -2)
                   .value()
                   .has_value());
}

TEST_F(ListOpsTest, TrimRemoveAndRanges) {
  PushAll("l", {"a", "b", "a", "c", "a"});
  EXPECT_EQ(Range(Find("l"), -100, 1), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(Range(Find("l"), 3, 1).empty());
  EXPECT_TRUE(Range(Find("l"), INT64_MIN, INT64_MIN).empty());
  EXPECT_EQ(RemoveElements(db_, "l", Find("l"), INT64_MIN, "a").value(), 3);
  EXPECT_EQ(All("l"), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(Trim(db_, "l", Find("l"), 1, INT64_MAX), Status::kOk);
  EXPECT_EQ(All("l"), (std::vector<std::string>{"c"}));
  EXPECT_EQ(Trim(db_, "l", Find("l"), 1, 0), Status::kOk);
  EXPECT_EQ(Find("l"), nullptr);
}

TEST_F(ListOpsTest, Positions) {
  PushAll("l", {"a", "b", "a", "a"});
  PosParams p;
  EXPECT_EQ(Positions(Find("l"), "a", p).value(), (std::vector<int64_t>{0}));
  p.count = 0;
  EXPECT_EQ(Positions(Find("l"), "a", p).value(), (std::vector<int64_t>{0, 2, 3}));
  p.rank = -2;
  EXPECT_EQ(Positions(Find("l"), "a", p).value(), (std::vector<int64_t>{2, 0}));
  p.rank = INT64_MIN;
  EXPECT_EQ(Positions(Find("l"), "a", p).value(), (std::vector<int64_t>{3, 2, 0}));
  p.rank = 1;
  p.maxlen = 2;
  EXPECT_EQ(Positions(Find("l"), "a", p).value(), (std::vector<int64_t>{0}));
  EXPECT_TRUE(Positions(nullptr, "a", p).value().empty());
}

}  // namespace
}  // namespace store

namespace store {
namespace {

// Entries whose length prefix or back-length needs several bytes must pop from either end intact.
TEST(ListValue, MultiByteLengthsPopFromBothEnds) {
  const size_t sizes[] = {0, 1, 120, 125, 126, 127, 128, 300, 16383, 16384, 20000};
  for (int64_t fill : {-2, -5, 3}) {
    ListValue l(fill);
    std::deque<std::string> model;
    for (size_t n : sizes) {
      std::string s(n, static_cast<char>('a' + n % 26));
      l.Push(ListEnd::kTail, s);
      model.push_back(s);
      l.Push(ListEnd::kHead, s + "h");
      model.push_front(s + "h");
    }
    while (!model.empty()) {
      ASSERT_EQ(l.Pop(ListEnd::kTail), model.back()) << fill;
      model.pop_back();
      if (model.empty()) break;
      ASSERT_EQ(l.Pop(ListEnd::kHead), model.front()) << fill;
      model.pop_front();
    }
    EXPECT_TRUE(l.empty());
  }
}

}  // namespace
}  // namespace store
