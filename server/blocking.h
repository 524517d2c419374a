// Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK ...): who waits for which key, in
// arrival order, and which keys became ready since the last time they were served.
//
// The protocol with handlers is generic: a blocking handler that finds nothing to serve calls
// CommandContext::BlockOn(keys, timeout) instead of replying. When one of those keys is modified
// the server runs the same command again for the first waiter (CommandContext::retry is true);
// if it still finds nothing it blocks again, keeping its place. On timeout the server runs it
// once more with CommandContext::timed_out, and the handler writes its timeout reply.
// First come, first served: waiters of a key are served in the order they blocked.
// A deleted key serves nobody, except waiters that blocked with
// CommandContext::block_wake_on_delete (XREADGROUP), which are retried to report the deletion.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server/session.h"

namespace server {

class BlockingRegistry {
 public:
  using Key = std::pair<int, std::string>;  // db, key

  // Registers s as waiting on keys of db until deadline_ms (0 = forever).
  void Block(Session* s, int db, const std::vector<std::string>& keys, int64_t deadline_ms);
  // Forgets s everywhere (served, timed out, disconnected).
  void Unblock(Session* s);
  // A key changed: if someone waits on it, it is ready to be served.
  void KeyModified(int db, std::string_view key);

  // The keys of db that someone waits on, in key order.
  std::vector<std::string> WaitedKeys(int db) const;

  bool has_ready() const { return !ready_.empty(); }
  // Takes the keys that became ready, in the order they did.
  std::vector<Key> TakeReady();
  // Waiters of a key, first come first.
  std::vector<Session*> Waiters(const Key& k) const;
  // Sessions whose deadline is at or before now_ms, soonest first.
  std::vector<Session*> TimedOut(int64_t now_ms) const;
  // The soonest deadline, or 0 if no blocked client has one.
  int64_t NextDeadline() const { return deadlines_.empty() ? 0 : deadlines_.begin()->first; }
  size_t blocked_clients() const { return blocked_.size(); }
  bool empty() const { return blocked_.empty(); }

 private:
  struct Blocked {
    int db;
    std::vector<std::string> keys;
    int64_t deadline_ms;
  };
  std::map<Key, std::deque<Session*>> waiters_;
  std::map<Session*, Blocked> blocked_;
  std::set<std::pair<int64_t, Session*>> deadlines_;
  std::vector<Key> ready_;
  std::set<Key> ready_set_;
};

}  // namespace server
