// Keyspace notifications (notify-keyspace-events): event classes, the config string's parser and
// formatter, and the one function that publishes an event.
//
// A command that changes a key calls Notify(ctx, class, "event", key) after the change; expired
// keys are reported by the server's key listener. Each event is published to
// `__keyspace@<db>__:<key>` (message: the event name) when K is on, and to
// `__keyevent@<db>__:<event>` (message: the key) when E is on, as Redis does, and only when the
// event's class is enabled. With notifications off (the default) Notify costs one branch.
#pragma once

#include <string>
#include <string_view>

namespace server {

class Server;
struct CommandContext;

// Bits of Config::notify_keyspace_events; values as Redis's NOTIFY_* so masks read the same.
enum NotifyFlag : int {
  kNotifyKeyspace = 1 << 0,  // K: __keyspace@<db>__ channel
  kNotifyKeyevent = 1 << 1,  // E: __keyevent@<db>__ channel
  kNotifyGeneric = 1 << 2,   // g: DEL, EXPIRE, RENAME, ...
  kNotifyString = 1 << 3,    // $
  kNotifyList = 1 << 4,      // l
  kNotifySet = 1 << 5,       // s
  kNotifyHash = 1 << 6,      // h
  kNotifyZset = 1 << 7,      // z
  kNotifyExpired = 1 << 8,   // x: a key expired
  kNotifyEvicted = 1 << 9,   // e: a key was evicted for maxmemory
  kNotifyStream = 1 << 10,   // t
  kNotifyKeyMiss = 1 << 11,  // m: a read found no key (not part of A)
  kNotifyModule = 1 << 13,   // d: module events
  kNotifyNew = 1 << 14,      // n: a key was created (not part of A)
  // A: every class except m and n.
  kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash |
               kNotifyZset | kNotifyExpired | kNotifyEvicted | kNotifyStream | kNotifyModule,
};

// Parses a notify-keyspace-events value ("KEA", "Elg", ""). Returns false iff a character is not
// one of "Ag$lshzxeKEtmdn".
bool ParseNotifyFlags(std::string_view s, int* flags);
// The normalised string CONFIG GET answers: "A" for every class of A, else the class letters in
// Redis's order, then K, E and m.
std::string FormatNotifyFlags(int flags);

// Publishes one event for key in db if its class (one NotifyFlag) is enabled.
void NotifyKeyspaceEvent(Server& server, int type, std::string_view event, std::string_view key,
                         int db);
// The same for the key of the running command, in the session's database.
void Notify(CommandContext& ctx, int type, std::string_view event, std::string_view key);
// Notify, then a generic `del` if the key is gone: a collection command that removed the last
// element deletes its key, and Redis reports both (`lpop` then `del`).
void NotifyMaybeDeleted(CommandContext& ctx, int type, std::string_view event,
                        std::string_view key);
// A list move (RPOPLPUSH, LMOVE, BLMOVE): Redis reports the push on the destination first, then
// the pop on the source (and its `del` if that emptied it).
void NotifyListMove(CommandContext& ctx, std::string_view src, std::string_view dst, bool from_head,
                    bool to_head);

}  // namespace server
