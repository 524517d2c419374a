// The expiry heap through Db, against a std::multimap model with a fixed seed: after every random
// TTL change, overwrite, delete, rename and move the soonest-expiring key and the count match the
// model, and active expiry then deletes keys in time order.
#include "store/expiry_heap.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "store/db.h"

namespace store {
namespace {

class ExpiredOrder : public KeyListener {
 public:
  explicit ExpiredOrder(const Db* db) : db_(db) {}
  void OnKeyEvent(int, std::string_view key, KeyEvent event) override {
    if (event != KeyEvent::kExpired) return;
    times.push_back(db_->Peek(key)->expire_at());
  }
  std::vector<int64_t> times;

 private:
  const Db* db_;
};

TEST(ExpiryHeapTest, MatchesAModelThroughEveryKindOfChange) {
  Clock clock;
  clock.now_ms = 1'000'000;
  Db db(0, &clock);
  Db other(1, &clock);
  std::map<std::string, int64_t> ttl;  // the model: key -> expiry (0 = none)
  std::mt19937 rng(7);
  auto key = [&] { return "k" + std::to_string(rng() % 300); };
  for (int step = 0; step < 20000; ++step) {
    const std::string k = key();
    Entry* e = db.Peek(k);
    const unsigned op = rng() % 6;
    switch (op) {
      case 0:
      case 1: {  // set or change a TTL
        if (e == nullptr) e = db.Insert(k, Value::Int(1));
        const int64_t at = clock.now_ms + 1 + static_cast<int64_t>(rng() % 100000);
        (void)db.SetExpire(e, at);
        ttl[k] = at;
        break;
      }
      case 2:  // overwrite: the TTL goes
        db.Set(k, Value::String("v"));
        ttl[k] = 0;
        break;
      case 3:  // persist
        if (e != nullptr) (void)db.SetExpire(e, 0);
        if (e != nullptr) ttl[k] = 0;
        break;
      case 4:  // delete
        db.Erase(k);
        ttl.erase(k);
        break;
      case 5: {  // rename (keeps the TTL), or move away and back
        const std::string to = key();
        if (e == nullptr || to == k) break;
        if (rng() % 2 == 0) {
          ASSERT_EQ(db.Rename(k, to, false), Status::kOk);
          ttl[to] = ttl[k];
          ttl.erase(k);
        } else if (db.MoveTo(k, other) == Status::kOk) {
          ASSERT_EQ(other.MoveTo(k, db), Status::kOk);
        }
        break;
      }
    }
    for (const auto& [name, at] : ttl) {
      const Entry* found = db.Peek(name);
      ASSERT_NE(found, nullptr) << name << " at step " << step;
      ASSERT_EQ(found->key(), name);
      ASSERT_EQ(found->expire_at(), at);
    }
    std::multimap<int64_t, std::string> by_time;
    for (const auto& [name, at] : ttl) {
      if (at != 0) by_time.emplace(at, name);
    }
    ASSERT_EQ(db.expires_size(), by_time.size()) << step;
    if (by_time.empty()) {
      ASSERT_EQ(db.SoonestExpiring(), nullptr);
    } else {
      ASSERT_EQ(db.NextExpiry(), by_time.begin()->first) << step;
      ASSERT_EQ(db.SoonestExpiring()->expire_at(), by_time.begin()->first) << step;
    }
  }
  // The skip list still holds exactly the model's keys, in order (nodes moved by SetExpire).
  std::vector<std::string> listed;
  for (Entry* e = db.First(); e != nullptr; e = e->next(0)) listed.emplace_back(e->key());
  std::vector<std::string> expected;
  for (const auto& [name, at] : ttl) expected.push_back(name);
  EXPECT_EQ(listed, expected);
  ExpiredOrder order(&db);
  db.set_listener(&order);
  clock.now_ms += 200000;
  const size_t with_ttl = db.expires_size();
  EXPECT_EQ(db.ActiveExpire(1'000'000), with_ttl);
  EXPECT_EQ(order.times.size(), with_ttl);
  EXPECT_TRUE(std::is_sorted(order.times.begin(), order.times.end()));
  EXPECT_EQ(db.expires_size(), 0u);
}

}  // namespace
}  // namespace store
