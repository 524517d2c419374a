#include "server/watch.h"

#include <algorithm>
#include <cstring>

namespace server {

std::string WatchRegistry::Slot(int db, std::string_view key) {
  std::string s(sizeof(db), '\0');
  std::memcpy(s.data(), &db, sizeof(db));
  s.append(key);
  return s;
}

void WatchRegistry::Watch(Session* s, int db, std::string_view key, bool expired_now) {
  for (const WatchedKey& w : s->watched) {
    if (w.db == db && w.key == key) return;
  }
  s->watched.push_back({db, std::string(key), expired_now});
  watchers_[Slot(db, key)].push_back(s);
}

void WatchRegistry::UnwatchAll(Session* s) {
  for (const WatchedKey& w : s->watched) {
    auto it = watchers_.find(Slot(w.db, w.key));
    if (it == watchers_.end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), s), v.end());
    if (v.empty()) watchers_.erase(it);
  }
  s->watched.clear();
  s->dirty_cas = false;
}

void WatchRegistry::OnKeyEvent(int db, std::string_view key, store::KeyEvent event) {
  if (watchers_.empty()) return;
  auto it = watchers_.find(Slot(db, key));
  if (it == watchers_.end()) return;
  for (Session* s : it->second) {
    for (WatchedKey& w : s->watched) {
      if (w.db != db || w.key != key) continue;
      // A key already expired at WATCH time that is now removed for good is no logical change.
      if (w.expired_at_watch && event == store::KeyEvent::kExpired) {
        w.expired_at_watch = false;
      } else {
        s->dirty_cas = true;
      }
    }
  }
}

void WatchRegistry::TouchDb(int db, const store::Db* before, const store::Db* after) {
  for (auto& [slot, sessions] : watchers_) {
    int slot_db;
    std::memcpy(&slot_db, slot.data(), sizeof(slot_db));
    if (slot_db != db) continue;
    std::string_view key = std::string_view(slot).substr(sizeof(slot_db));
    bool exists = (before != nullptr && before->Peek(key) != nullptr) ||
                  (after != nullptr && after->Peek(key) != nullptr);
    if (!exists) continue;
    for (Session* s : sessions) s->dirty_cas = true;
  }
}

}  // namespace server
