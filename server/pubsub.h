// The Pub/Sub registry: who listens to which channel, pattern and shard channel, and the delivery
// of one published message to every listener's output buffer.
//
// Invariants:
//   - s is in channels_[c] iff c is in s->channels (likewise patterns and shard channels), so the
//     registry and the sessions always agree, and a map entry exists iff it has a subscriber.
//   - Subscribers of a name are kept in subscription order; delivery follows that order, channel
//     subscribers first, then pattern subscribers, as Redis does.
//
// Delivery appends to Session::out only; it never writes to a socket. The caller decides how the
// bytes leave (Server::Publish asks the network layer to flush them before the loop sleeps) and
// whether a subscriber has gone past its output buffer limit.
//
// Threading: loop thread only. Sessions are not owned; a session must be removed (UnsubscribeAll)
// before it is destroyed.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/session.h"

namespace server {

enum class SubKind { kChannel, kPattern, kShard };

class PubSub {
 public:
  PubSub() = default;
  PubSub(const PubSub&) = delete;
  PubSub& operator=(const PubSub&) = delete;

  // Adds s as a subscriber of name. True iff s was not subscribed to it already.
  bool Subscribe(Session* s, SubKind kind, std::string_view name);
  // Removes s from name. True iff s was subscribed to it.
  bool Unsubscribe(Session* s, SubKind kind, std::string_view name);
  // Removes every subscription of s, without replies (disconnect, RESET).
  void UnsubscribeAll(Session* s);

  // Appends the message to the output of every subscriber of channel (shard channels when
  // `shard`; otherwise channel subscribers, then subscribers of each matching pattern). Before
  // each append it calls admit(s, encoded size of that message), if given; false skips s.
  // Returns the number of receivers, PUBLISH's reply: a
  // client subscribed to the channel and to a matching pattern counts (and gets it) twice, and a
  // subscriber already marked close_asap is counted but sent nothing, as in Redis.
  int64_t Publish(std::string_view channel, std::string_view message, bool shard,
                  const std::function<bool(Session*, size_t)>& admit);

  // Active channel names (shard channels when `shard`) matching the glob pattern; all when the
  // pattern is empty.
  std::vector<std::string> Channels(std::string_view pattern, bool shard) const;
  // Subscribers of one channel, not counting pattern subscribers (PUBSUB NUMSUB).
  int64_t NumSub(std::string_view channel, bool shard) const;
  // Distinct patterns with at least one subscriber (PUBSUB NUMPAT, INFO pubsub_patterns).
  size_t num_patterns() const { return patterns_.size(); }
  size_t num_channels() const { return channels_.size(); }
  size_t num_shard_channels() const { return shard_channels_.size(); }

 private:
  using Subscribers = std::vector<Session*>;
  using Table = std::unordered_map<std::string, Subscribers>;
  Table& TableFor(SubKind kind);
  static std::set<std::string>& SetFor(Session* s, SubKind kind);

  Table channels_;
  Table shard_channels_;
  Table patterns_;
  // Patterns in the order they were first subscribed, so delivery order is stable.
  std::vector<std::string> pattern_order_;
};

// The three-element reply or push a (un)subscribe answers with: kind name ("subscribe"), the
// channel (null when there was none to unsubscribe from) and the client's subscription count
// (channels plus patterns, or shard channels for the shard commands).
void WriteSubscriptionReply(Session& s, std::string_view kind, const std::string* channel,
                            int64_t count);

}  // namespace server
