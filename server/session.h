// The protocol state of one client: selected db, RESP version, MULTI queue, WATCHed keys, name,
// and the pending reply bytes. A Session knows nothing of sockets: the network layer owns one per
// connection, and tests and AOF replay drive one directly.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace server {

struct Command;

enum class ReplyMode { kOn, kOff, kSkipNext, kSkipThis };

struct WatchedKey {
  int db;
  std::string key;
  bool expired_at_watch;  // the key was already logically expired when WATCHed
};

struct Session {
  Session(uint64_t id_, int64_t now_ms)
      : id(id_), created_ms(now_ms), last_interaction_ms(now_ms) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  uint64_t id;
  int db = 0;
  int proto = 2;
  bool authenticated = false;
  std::string name;
  std::string lib_name;
  std::string lib_ver;
  std::string addr = "?:0";   // peer, "ip:port" or "/path:0"
  std::string laddr = "?:0";  // local side
  int fd = -1;
  int64_t created_ms;
  int64_t last_interaction_ms;
  const Command* last_command = nullptr;  // CLIENT LIST cmd=, "NULL" before the first

  // MULTI/EXEC
  bool in_multi = false;
  bool multi_error = false;  // a command failed to queue: EXEC answers EXECABORT
  bool dirty_cas = false;    // a WATCHed key changed: EXEC answers null
  std::vector<std::vector<std::string>> queued;
  std::vector<WatchedKey> watched;

  // Blocking commands (BLPOP ...): while blocked the client's further input waits unparsed, and
  // the command's arguments are kept here to run it again when a key it waits on changes.
  bool blocked = false;
  std::vector<std::string> blocked_argv;
  // Also retried when a key it waits on is deleted (XREADGROUP answers UNBLOCKED then).
  bool blocked_wake_on_delete = false;
  bool in_exec = false;  // running EXEC's queued commands: nothing may block

  ReplyMode reply_mode = ReplyMode::kOn;
  bool no_evict = false;
  bool monitor = false;
  bool close_after_reply = false;  // QUIT, protocol error, CLIENT KILL
  bool is_internal = false;        // AOF replay: no auth, no reply

  // Pub/Sub (server/pubsub.h): the channels, patterns and shard channels this client listens to.
  // Ordered, so UNSUBSCRIBE with no arguments answers in a stable order.
  std::set<std::string> channels;
  std::set<std::string> patterns;
  std::set<std::string> shard_channels;
  // Redis's CLIENT_PUBSUB flag: a RESP2 client in this state may only run (P|S)SUBSCRIBE,
  // (P|S)UNSUBSCRIBE, PING, QUIT and RESET, and its output buffer limit is the pubsub class's.
  bool subscribed() const {
    return !channels.empty() || !patterns.empty() || !shard_channels.empty();
  }

  // client-output-buffer-limit (server/output_limits.h): when the unsent output first went over
  // the soft limit (0 while under it), and whether the limit was crossed and the client must be
  // closed without flushing what it has not read.
  int64_t obuf_soft_since_ms = 0;
  bool close_asap = false;

  std::string out;  // encoded replies waiting to be written
  // Bytes handed to the socket but not yet acknowledged (for CLIENT LIST omem).
  size_t pending_write_bytes = 0;
  size_t query_buffer_bytes = 0;
};

}  // namespace server
