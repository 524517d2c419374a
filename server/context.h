// What a handler sees: the server, the calling session, its arguments and the reply writer.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resp/writer.h"
#include "server/command.h"
#include "server/errors.h"
#include "store/db.h"

namespace server {

class Server;
struct Session;

struct CommandContext {
  Server& server;
  Session& session;
  Command& cmd;
  std::span<const std::string_view> argv;
  resp::Writer out;
  store::Db* db;        // the session's selected database
  bool failed = false;  // an error reply was sent (commandstats failed_calls)
  // Blocking commands (see server/blocking.h). may_block is false inside MULTI/EXEC and replay,
  // where a blocking command must answer at once as if it had timed out.
  bool may_block = true;
  bool retry = false;      // run again because a key it waits on changed
  bool timed_out = false;  // run again because its timeout passed: write the timeout reply
  bool block_requested = false;
  std::vector<std::string> block_keys = {};
  int64_t block_timeout_ms = 0;
  // When non-empty, the arguments kept for the retries of a blocked command instead of argv
  // (XREAD BLOCK replaces "$" by the ID it stood for when the client blocked).
  std::vector<std::string> block_argv = {};
  // Set with BlockOn: retry this client also when a key it waits on is deleted.
  bool block_wake_on_delete = false;

  // Propagation (server/propagation.h): the deterministic commands that stand for this one, in
  // this db. Empty: a write that changed the dataset propagates as its argv. While no sink
  // listens (`propagating` false) PropagateAs copies nothing.
  bool propagating = false;
  std::vector<std::vector<std::string>> propagate_as = {};
  bool propagate_replaced = false;
  void PropagateAs(std::initializer_list<std::string_view> command) {
    propagate_replaced = true;
    if (propagating) propagate_as.emplace_back(command.begin(), command.end());
  }
  // `head` followed by `items`, 1024 items per command (SPOP's SREMs, KDELRANGE's DELs), so a
  // huge result never becomes one huge record.
  void PropagateInBatches(std::initializer_list<std::string_view> head,
                          std::span<const std::string> items);

  // Blocks the client on keys for timeout_ms (0 = forever) instead of replying.
  // REQUIRES: may_block, !timed_out.
  void BlockOn(std::span<const std::string_view> keys, int64_t timeout_ms) {
    block_requested = true;
    block_keys.assign(keys.begin(), keys.end());
    block_timeout_ms = timeout_ms;
  }

  void Error(ErrorReply e);
  void Error(std::string_view prefix, std::string_view message) { Error({prefix, message}); }
  void Error(store::Status s) { Error(StatusError(s)); }
  void ErrorArity() { Error({"ERR", WrongArityMessage(cmd.full_name)}); }
  // The argument at i. REQUIRES: i < argv.size().
  std::string_view arg(size_t i) const { return argv[i]; }
  size_t argc() const { return argv.size(); }
};

// Key lookups for handlers. LookupRead counts keyspace hits/misses (INFO stats) and refreshes the
// key's access time (OBJECT IDLETIME); LookupWrite only refreshes it. Both apply lazy expiry.
// nullptr iff the key does not exist.
store::Entry* LookupRead(CommandContext& ctx, std::string_view key);
store::Entry* LookupWrite(CommandContext& ctx, std::string_view key);
// The seconds clock stored in Entry::lru (wraps at 2^32 s).
uint32_t LruClock(const CommandContext& ctx);

// Argument helpers that reply on failure ("OrReply": false means an error was sent).
bool ParseIntOrReply(CommandContext& ctx, std::string_view s, int64_t* out);
bool ParseIntOrReply(CommandContext& ctx, std::string_view s, int64_t* out, ErrorReply err);
bool ParseDoubleOrReply(CommandContext& ctx, std::string_view s, double* out);
// Counts n changes towards the next save point (INFO rdb_changes_since_last_save), as Redis's
// server.dirty.
void AddDirty(CommandContext& ctx, uint64_t n = 1);
// Replies to a HELP subcommand: an array of status lines, as Redis's addReplyHelp.
void ReplyHelp(CommandContext& ctx, std::span<const char* const> lines);
// Case-insensitive equality with a lowercase literal.
bool EqualsNoCase(std::string_view a, std::string_view lower_literal);

}  // namespace server
