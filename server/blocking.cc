#include "server/blocking.h"

#include <algorithm>

namespace server {

void BlockingRegistry::Block(Session* s, int db, const std::vector<std::string>& keys,
                             int64_t deadline_ms) {
  Unblock(s);
  for (const std::string& k : keys) {
    auto& q = waiters_[{db, k}];
    if (std::find(q.begin(), q.end(), s) == q.end()) q.push_back(s);
  }
  blocked_[s] = {db, keys, deadline_ms};
  if (deadline_ms != 0) deadlines_.insert({deadline_ms, s});
}

void BlockingRegistry::Unblock(Session* s) {
  auto it = blocked_.find(s);
  if (it == blocked_.end()) return;
  for (const std::string& k : it->second.keys) {
    auto w = waiters_.find({it->second.db, k});
    if (w == waiters_.end()) continue;
    auto& q = w->second;
    q.erase(std::remove(q.begin(), q.end(), s), q.end());
    if (q.empty()) waiters_.erase(w);
  }
  if (it->second.deadline_ms != 0) deadlines_.erase({it->second.deadline_ms, s});
  blocked_.erase(it);
}

void BlockingRegistry::KeyModified(int db, std::string_view key) {
  if (waiters_.empty()) return;
  Key k{db, std::string(key)};
  if (waiters_.count(k) == 0 || ready_set_.count(k) != 0) return;
  ready_set_.insert(k);
  ready_.push_back(std::move(k));
}

std::vector<std::string> BlockingRegistry::WaitedKeys(int db) const {
  std::vector<std::string> r;
  for (auto it = waiters_.lower_bound({db, std::string()}); it != waiters_.end(); ++it) {
    if (it->first.first != db) break;
    r.push_back(it->first.second);
  }
  return r;
}

std::vector<BlockingRegistry::Key> BlockingRegistry::TakeReady() {
  std::vector<Key> r;
  r.swap(ready_);
  ready_set_.clear();
  return r;
}

std::vector<Session*> BlockingRegistry::Waiters(const Key& k) const {
  auto it = waiters_.find(k);
  if (it == waiters_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<Session*> BlockingRegistry::TimedOut(int64_t now_ms) const {
  std::vector<Session*> r;
  for (const auto& [deadline, s] : deadlines_) {
    if (deadline > now_ms) break;
    r.push_back(s);
  }
  return r;
}

}  // namespace server
