// KeyListener::OnKeyCreated: reported once for each key added where none was, by every path that
// adds one, and never for an overwrite. (Keyspace notifications' `new` event relies on it.)
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "store/db.h"
#include "store/value.h"

namespace store {
namespace {

class CreatedRecorder : public KeyListener {
 public:
  void OnKeyEvent(int, std::string_view, KeyEvent) override {}
  void OnKeyCreated(int db, std::string_view key) override {
    created.push_back(std::to_string(db) + ":" + std::string(key));
  }
  std::vector<std::string> Take() { return std::exchange(created, {}); }
  std::vector<std::string> created;
};

using Keys = std::vector<std::string>;

TEST(KeyCreated, EveryPathThatAddsAKeyReportsItOnce) {
  Clock clock;
  clock.now_ms = 1000;
  Db a(0, &clock), b(1, &clock);
  CreatedRecorder rec;
  a.set_listener(&rec);
  b.set_listener(&rec);
  a.Set("k", Value::String("v"));
  EXPECT_EQ(rec.Take(), (Keys{"0:k"}));
  a.Set("k", Value::String("w"));  // an overwrite creates nothing
  EXPECT_EQ(rec.Take(), Keys{});
  ASSERT_EQ(a.Rename("k", "r", false), Status::kOk);
  EXPECT_EQ(rec.Take(), (Keys{"0:r"}));
  ASSERT_EQ(a.CopyTo("r", b, "c", false), Status::kOk);
  EXPECT_EQ(rec.Take(), (Keys{"1:c"}));
  ASSERT_EQ(a.MoveTo("r", b), Status::kOk);
  EXPECT_EQ(rec.Take(), (Keys{"1:r"}));
  // An expired key is replaced by a new one.
  Entry* e = a.Set("t", Value::String("v"));
  e = a.SetExpire(e, 1500);
  rec.Take();
  clock.now_ms = 2000;
  a.Set("t", Value::String("again"));
  EXPECT_EQ(rec.Take(), (Keys{"0:t"}));
}

}  // namespace
}  // namespace store
