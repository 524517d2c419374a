// WATCH bookkeeping: which sessions watch which keys. Key events from the store mark watchers
// dirty, so their EXEC fails, exactly when Redis 7.0 would fail it.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/session.h"
#include "store/db.h"

namespace server {

class WatchRegistry : public store::KeyListener {
 public:
  // REQUIRES: s is not in MULTI. `expired_now` says whether the key is logically expired.
  void Watch(Session* s, int db, std::string_view key, bool expired_now);
  void UnwatchAll(Session* s);
  // A key changed (store event).
  void OnKeyEvent(int db, std::string_view key, store::KeyEvent event) override;
  // FLUSHDB/FLUSHALL/SWAPDB: every watched key of `db` that exists in `before` or `after` (either
  // may be null) marks its watchers dirty.
  void TouchDb(int db, const store::Db* before, const store::Db* after);
  bool empty() const { return watchers_.empty(); }

 private:
  static std::string Slot(int db, std::string_view key);
  std::unordered_map<std::string, std::vector<Session*>> watchers_;
};

}  // namespace server
