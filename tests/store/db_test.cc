#include "store/db.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "store/keyspace_ops.h"

namespace store {
namespace {

// Records every event, as "db:key:event".
class Recorder : public KeyListener {
 public:
  void OnKeyEvent(int db, std::string_view key, KeyEvent event) override {
    static const char* kNames[] = {"mod", "del", "exp"};
    events.push_back(std::to_string(db) + ":" + std::string(key) + ":" +
                     kNames[static_cast<int>(event)]);
  }
  std::vector<std::string> Take() { return std::exchange(events, {}); }
  std::vector<std::string> events;
};

using Events = std::vector<std::string>;

class DbTest : public ::testing::Test {
 protected:
  DbTest() : db_(0, &clock_), other_(1, &clock_) {
    clock_.now_ms = 1'000'000;
    db_.set_listener(&rec_);
    other_.set_listener(&rec_);
  }
  std::vector<std::string> Keys() {
    std::vector<std::string> keys;
    for (Entry* e = db_.First(); e != nullptr; e = e->next(0)) keys.emplace_back(e->key());
    return keys;
  }

  Clock clock_;
  Recorder rec_;
  Db db_;
  Db other_;
};

TEST_F(DbTest, LazyExpiryOnFind) {
  Entry* e = db_.Insert("k", Value::String("v"));
  e = db_.SetExpire(e, clock_.now_ms + 100);
  rec_.Take();
  clock_.now_ms += 99;
  EXPECT_NE(db_.Find("k"), nullptr);
  clock_.now_ms += 1;
  // The key's time is "now": expired, as Redis counts expire_at <= now.
  EXPECT_NE(db_.Peek("k"), nullptr);
  EXPECT_EQ(db_.Find("k"), nullptr);
  EXPECT_EQ(db_.Peek("k"), nullptr);
  EXPECT_EQ(db_.expired_keys(), 1u);
  EXPECT_EQ(rec_.Take(), Events({"0:k:exp"}));
}

TEST_F(DbTest, ActiveExpiryTakesSoonestFirst) {
  for (int i = 0; i < 5; ++i) {
    Entry* e = db_.Insert("k" + std::to_string(i), Value::Int(i));
    e = db_.SetExpire(e, clock_.now_ms + 10 * (5 - i));
  }
  db_.Insert("forever", Value::Int(0));
  rec_.Take();
  clock_.now_ms += 25;  // k4 (10 ms) and k3 (20 ms) are due
  EXPECT_EQ(db_.ActiveExpire(100), 2u);
  EXPECT_EQ(rec_.Take(), Events({"0:k4:exp", "0:k3:exp"}));
  clock_.now_ms += 1000;
  EXPECT_EQ(db_.ActiveExpire(2), 2u);  // the budget bounds the work
  EXPECT_EQ(db_.ActiveExpire(100), 1u);
  EXPECT_EQ(db_.size(), 1u);
  EXPECT_EQ(db_.expires_size(), 0u);
  EXPECT_EQ(db_.NextExpiry(), 0);
}

TEST_F(DbTest, SetClearsTtlUnlessKept) {
  Entry* e = db_.Insert("k", Value::String("v"));
  e = db_.SetExpire(e, clock_.now_ms + 100);
  db_.Set("k", Value::String("w"), /*keep_ttl=*/true);
  EXPECT_EQ(db_.Peek("k")->expire_at(), clock_.now_ms + 100);
  db_.Set("k", Value::String("x"));
  EXPECT_FALSE(db_.Peek("k")->has_expire());
  EXPECT_EQ(db_.expires_size(), 0u);
}

TEST_F(DbTest, EraseReportsDeletedAndSkipsExpired) {
  Entry* e = db_.Insert("a", Value::Int(1));
  db_.Insert("b", Value::Int(2));
  e = db_.SetExpire(e, clock_.now_ms);
  rec_.Take();
  EXPECT_FALSE(db_.Erase("a"));  // already expired: reported as such, not as a delete
  EXPECT_TRUE(db_.Erase("b"));
  EXPECT_FALSE(db_.Erase("zz"));
  EXPECT_EQ(rec_.Take(), Events({"0:a:exp", "0:b:del"}));
}

TEST_F(DbTest, RenameMovesValueTtlAndAccessTime) {
  Entry* e = db_.Insert("src", Value::String("v"));
  e = db_.SetExpire(e, clock_.now_ms + 500);
  e->set_lru(77);
  db_.Insert("dst", Value::String("old"));
  rec_.Take();
  ASSERT_EQ(db_.Rename("src", "dst", false), Status::kOk);
  EXPECT_EQ(rec_.Take(), Events({"0:src:del", "0:dst:mod"}));
  EXPECT_EQ(db_.Peek("src"), nullptr);
  Entry* d = db_.Peek("dst");
  ASSERT_NE(d, nullptr);
  std::string scratch;
  EXPECT_EQ(d->value().Str(&scratch), "v");
  EXPECT_EQ(d->expire_at(), clock_.now_ms + 500);
  EXPECT_EQ(d->lru(), 77u);
  EXPECT_EQ(db_.expires_size(), 1u);
  EXPECT_EQ(db_.size(), 1u);
  // The TTL index follows the node: expiring it removes "dst".
  clock_.now_ms += 500;
  EXPECT_EQ(db_.ActiveExpire(10), 1u);
  EXPECT_EQ(db_.size(), 0u);
}

TEST_F(DbTest, RenameNxAndMissing) {
  db_.Insert("a", Value::Int(1));
  db_.Insert("b", Value::Int(2));
  rec_.Take();
  EXPECT_EQ(db_.Rename("a", "b", true), Status::kExists);
  EXPECT_EQ(db_.Rename("nope", "b", false), Status::kNotFound);
  EXPECT_TRUE(rec_.Take().empty());
  EXPECT_EQ(db_.Rename("a", "c", true), Status::kOk);
  EXPECT_EQ(Keys(), (std::vector<std::string>{"b", "c"}));
}

TEST_F(DbTest, RenameOverExpiredDestination) {
  db_.Insert("a", Value::Int(1));
  Entry* b = db_.Insert("b", Value::Int(2));
  b = db_.SetExpire(b, clock_.now_ms);
  rec_.Take();
  // The destination is logically gone, so NX succeeds.
  EXPECT_EQ(db_.Rename("a", "b", true), Status::kOk);
  EXPECT_EQ(rec_.Take(), Events({"0:b:exp", "0:a:del", "0:b:mod"}));
  EXPECT_EQ(db_.expires_size(), 0u);
}

TEST_F(DbTest, MoveToOtherDb) {
  Entry* e = db_.Insert("k", Value::Int(5));
  e = db_.SetExpire(e, clock_.now_ms + 10);
  other_.Insert("taken", Value::Int(0));
  db_.Insert("taken", Value::Int(1));
  rec_.Take();
  EXPECT_EQ(db_.MoveTo("taken", other_), Status::kExists);
  EXPECT_EQ(db_.MoveTo("nope", other_), Status::kNotFound);
  ASSERT_EQ(db_.MoveTo("k", other_), Status::kOk);
  EXPECT_EQ(rec_.Take(), Events({"0:k:del", "1:k:mod"}));
  EXPECT_EQ(db_.Peek("k"), nullptr);
  EXPECT_EQ(other_.Peek("k")->expire_at(), clock_.now_ms + 10);
  EXPECT_EQ(db_.expires_size(), 0u);
  EXPECT_EQ(other_.expires_size(), 1u);
}

TEST_F(DbTest, CopyToClonesValueAndTtl) {
  Entry* e = db_.Insert("k", Value::String("hello"));
  e = db_.SetExpire(e, clock_.now_ms + 10);
  db_.Insert("exists", Value::Int(1));
  rec_.Take();
  EXPECT_EQ(db_.CopyTo("k", db_, "exists", false), Status::kExists);
  EXPECT_EQ(db_.CopyTo("nope", db_, "x", false), Status::kNotFound);
  ASSERT_EQ(db_.CopyTo("k", db_, "exists", true), Status::kOk);
  ASSERT_EQ(db_.CopyTo("k", other_, "k", false), Status::kOk);
  EXPECT_EQ(rec_.Take(), Events({"0:exists:mod", "1:k:mod"}));
  std::string scratch;
  EXPECT_EQ(db_.Peek("exists")->value().Str(&scratch), "hello");
  EXPECT_EQ(db_.Peek("exists")->expire_at(), clock_.now_ms + 10);
  EXPECT_EQ(db_.Peek("k")->value().Str(&scratch), "hello");  // the source stays
  EXPECT_EQ(other_.Peek("k")->expire_at(), clock_.now_ms + 10);
  EXPECT_EQ(db_.expires_size(), 2u);
}

TEST_F(DbTest, SkipExpiredDeletesNothing) {
  db_.Insert("a", Value::Int(1));
  Entry* b = db_.Insert("b", Value::Int(2));
  db_.Insert("c", Value::Int(3));
  b = db_.SetExpire(b, clock_.now_ms - 1);
  EXPECT_EQ(db_.SkipExpired(db_.LowerBound("b"))->key(), "c");
  EXPECT_EQ(db_.SkipExpired(db_.First())->key(), "a");
  EXPECT_EQ(db_.size(), 3u);
}

TEST_F(DbTest, RandomEntrySkipsExpired) {
  EXPECT_EQ(db_.RandomEntry(uint64_t{1}), nullptr);
  Entry* dead = db_.Insert("dead", Value::Int(1));
  dead = db_.SetExpire(dead, clock_.now_ms);
  db_.Insert("live", Value::Int(2));
  // Slot placement depends on the per-process hash seed, so sample enough that the expired key
  // (which owns at least one slot in the table) is certainly hit and reclaimed.
  for (uint64_t seed = 0; seed < 1000; ++seed) EXPECT_EQ(db_.RandomEntry(seed)->key(), "live");
  EXPECT_EQ(db_.Peek("dead"), nullptr);
}

TEST_F(DbTest, KeyBoundParsing) {
  KeyBound b;
  EXPECT_TRUE(ParseKeyBound("[a", &b));
  EXPECT_EQ(b.kind, KeyBound::Kind::kInclusive);
  EXPECT_EQ(b.key, "a");
  EXPECT_TRUE(ParseKeyBound("(", &b));
  EXPECT_EQ(b.kind, KeyBound::Kind::kExclusive);
  EXPECT_EQ(b.key, "");
  EXPECT_TRUE(ParseKeyBound("-", &b));
  EXPECT_EQ(b.kind, KeyBound::Kind::kMin);
  EXPECT_TRUE(ParseKeyBound("+", &b));
  EXPECT_EQ(b.kind, KeyBound::Kind::kMax);
  EXPECT_FALSE(ParseKeyBound("a", &b));
  EXPECT_FALSE(ParseKeyBound("", &b));
  EXPECT_FALSE(ParseKeyBound("--", &b));
}

TEST_F(DbTest, RangeKeysAndDeleteRange) {
  for (const char* k : {"a", "b", "ba", "bb", "c", "d"}) db_.Insert(k, Value::Int(0));
  (void)db_.SetExpire(db_.Peek("bb"), clock_.now_ms);
  KeyBound lo, hi;
  ASSERT_TRUE(ParseKeyBound("(a", &lo));
  ASSERT_TRUE(ParseKeyBound("[c", &hi));
  auto keys = RangeKeys(db_, lo, hi, 0, -1);
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.end()),
            (std::vector<std::string>{"b", "ba", "c"}));
  keys = RangeKeys(db_, lo, hi, 1, 1);
  EXPECT_EQ(std::vector<std::string>(keys.begin(), keys.end()), (std::vector<std::string>{"ba"}));
  EXPECT_TRUE(RangeKeys(db_, hi, lo, 0, -1).empty());
  rec_.Take();
  EXPECT_EQ(DeleteRange(db_, lo, hi).size(), 3u);
  EXPECT_EQ(rec_.Take(), Events({"0:b:del", "0:ba:del", "0:bb:exp", "0:c:del"}));
  EXPECT_EQ(Keys(), (std::vector<std::string>{"a", "d"}));
}

}  // namespace
}  // namespace store

namespace store {
namespace {

// Bulk loading: keys inserted in any order are found at once and, after FinishLoad, iterate in
// key order with their TTLs, exactly as if inserted one by one; no events are reported.
TEST(DbLoadTest, LoadInsertInRandomOrderMatchesOrderedInserts) {
  Clock clock;
  clock.now_ms = 1000;
  Db loaded(0, &clock), model(0, &clock);
  Recorder rec;
  loaded.set_listener(&rec);
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("key:" + std::to_string(i * 7919 % 100003));
  // Shared 16-byte prefixes, zero bytes and the empty key exercise the sort's tie-breaks.
  using namespace std::string_literals;
  for (std::string k :
       {"aaaaaaaaaaaaaaaa1"s, "aaaaaaaaaaaaaaaa"s, "aaaaaaaaaaaaaaaa\0"s, "ab\0"s, "ab"s, ""s}) {
    keys.push_back(k);
  }
  std::mt19937_64 rng(3);
  std::shuffle(keys.begin(), keys.end(), rng);
  loaded.ReserveForLoad(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const int64_t at = i % 3 == 0 ? 5000 + static_cast<int64_t>(i) : 0;
    ASSERT_EQ(loaded.LoadInsert(keys[i], Value::String("v" + std::to_string(i)), at), Status::kOk);
    Entry* e = model.Insert(keys[i], Value::String("v" + std::to_string(i)));
    if (at != 0) e = model.SetExpire(e, at);
  }
  EXPECT_EQ(loaded.FinishLoad(), Status::kOk);
  EXPECT_TRUE(rec.Take().empty());
  for (const std::string& k : keys) ASSERT_NE(loaded.Peek(k), nullptr) << k;
  ASSERT_EQ(loaded.size(), model.size());
  EXPECT_EQ(loaded.expires_size(), model.expires_size());
  std::string scratch_a, scratch_b;
  for (Entry *a = loaded.First(), *b = model.First(); b != nullptr;
       a = a->next(0), b = b->next(0)) {
    ASSERT_NE(a, nullptr);
    ASSERT_EQ(a->key(), b->key());
    EXPECT_EQ(a->value().Str(&scratch_a), b->value().Str(&scratch_b));
    EXPECT_EQ(a->expire_at(), b->expire_at());
  }
  // An ordinary keyspace afterwards: inserts, erases and expiry work.
  EXPECT_TRUE(loaded.Erase(keys[0]));
  loaded.Insert("zzz", Value::String("x"));
  clock.now_ms = 1'000'000;
  const size_t ttl_keys = loaded.expires_size();
  EXPECT_EQ(loaded.ActiveExpire(SIZE_MAX), ttl_keys);
  EXPECT_EQ(loaded.expires_size(), 0u);
  EXPECT_EQ(loaded.size(), model.size() - model.expires_size() + 1 -
                               (model.Peek(keys[0])->expire_at() == 0 ? 1 : 0));
}

// A file that holds a key twice is corrupt: a repeat of the previous key or of a key already in
// the db is refused at once, any other repeat when the load finishes, which keeps the first.
TEST(DbLoadTest, DuplicatesAreReported) {
  Clock clock;
  Db db(0, &clock);
  EXPECT_EQ(db.LoadInsert("b", Value::String("1"), 0), Status::kOk);
  EXPECT_EQ(db.LoadInsert("b", Value::String("2"), 0), Status::kExists);
  EXPECT_EQ(db.LoadInsert("a", Value::String("3"), 0), Status::kOk);
  EXPECT_EQ(db.LoadInsert("b", Value::String("4"), 500), Status::kOk);  // found at the end
  std::string dup;
  EXPECT_EQ(db.FinishLoad(&dup), Status::kExists);
  EXPECT_EQ(dup, "b");
  EXPECT_EQ(db.size(), 2u);
  EXPECT_EQ(db.expires_size(), 0u);  // the dropped repeat's TTL went with it
  std::string scratch;
  EXPECT_EQ(db.Peek("b")->value().Str(&scratch), "1");
  // Loading into a db that has keys checks against them.
  EXPECT_EQ(db.LoadInsert("a", Value::String("5"), 0), Status::kExists);
  EXPECT_EQ(db.LoadInsert("c", Value::String("6"), 0), Status::kOk);
  EXPECT_EQ(db.FinishLoad(), Status::kOk);
  EXPECT_EQ(db.size(), 3u);
  EXPECT_EQ(db.First()->next(0)->next(0)->key(), "c");
}

}  // namespace
}  // namespace store
