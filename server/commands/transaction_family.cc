// Transactions: MULTI EXEC DISCARD WATCH UNWATCH, with Redis 7.0's semantics: commands queue
// with +QUEUED; a command that fails to queue makes EXEC answer EXECABORT; runtime errors inside
// EXEC do not stop the rest; a WATCHed key that changed (or expired) makes EXEC answer null.
#include "server/commands/families.h"
#include "server/context.h"
#include "server/server.h"

namespace server {
namespace {

// A watched key that was alive when WATCHed and has since expired fails the EXEC, even if no
// one has touched it yet (Redis 7.0's isWatchedKeyExpired).
bool WatchedKeyExpired(Server& srv, const Session& s) {
  for (const WatchedKey& w : s.watched) {
    if (w.expired_at_watch) continue;
    const store::Db& db = srv.db(w.db);
    const store::Entry* e = db.Peek(w.key);
    if (e != nullptr && db.IsExpired(e)) return true;
  }
  return false;
}

// MULTI
void CmdMulti(CommandContext& ctx) {
  if (ctx.session.in_multi) return ctx.Error(err::kMultiNested);
  ctx.session.in_multi = true;
  ctx.out.Ok();
}

// EXEC
void CmdExec(CommandContext& ctx) {
  Session& s = ctx.session;
  Server& srv = ctx.server;
  if (!s.in_multi) return ctx.Error(err::kExecWithoutMulti);
  if (s.multi_error) {
    srv.DiscardTransaction(s);
    return ctx.Error(err::kExecAbort);
  }
  if (s.dirty_cas || WatchedKeyExpired(srv, s)) {
    srv.DiscardTransaction(s);
    return ctx.out.NullArray();
  }
  // Unwatch before running: the transaction's own writes must not mark itself dirty.
  std::vector<std::vector<std::string>> queued = std::move(s.queued);
  srv.DiscardTransaction(s);
  resp::Writer(&s.out, s.proto).ArrayHeader(static_cast<int64_t>(queued.size()));
  // Blocking commands answer at once inside a transaction, as if they timed out.
  s.in_exec = true;
  std::vector<std::string_view> argv;
  for (const auto& q : queued) {
    argv.assign(q.begin(), q.end());
    // Queued commands passed lookup and arity checks when they were queued.
    srv.Call(s, *srv.registry().Resolve(argv), argv);
  }
  s.in_exec = false;
}

// DISCARD
void CmdDiscard(CommandContext& ctx) {
  if (!ctx.session.in_multi) return ctx.Error(err::kDiscardWithoutMulti);
  ctx.server.DiscardTransaction(ctx.session);
  ctx.out.Ok();
}

// WATCH key [key ...]
void CmdWatch(CommandContext& ctx) {
  if (ctx.session.in_multi) return ctx.Error(err::kWatchInMulti);
  for (size_t i = 1; i < ctx.argc(); ++i) {
    const store::Entry* e = ctx.db->Peek(ctx.arg(i));
    bool expired = e != nullptr && ctx.db->IsExpired(e);
    ctx.server.watches().Watch(&ctx.session, ctx.session.db, ctx.arg(i), expired);
  }
  ctx.out.Ok();
}

// UNWATCH
void CmdUnwatch(CommandContext& ctx) {
  ctx.server.watches().UnwatchAll(&ctx.session);
  ctx.out.Ok();
}

}  // namespace

std::vector<CommandSpec> TransactionCommands() {
  const uint32_t f = kNoScript | kLoading | kStale | kFast | kAllowBusy;
  const uint64_t acl = kAclFast | kAclTransaction;
  return {
      {"multi", 1, f, 0, 0, 0, acl, CmdMulti, "transactions", "1.2.0", "Starts a transaction."},
      {"exec", 1, kNoScript | kLoading | kStale | kSkipSlowlog, 0, 0, 0, kAclSlow | kAclTransaction,
       CmdExec, "transactions", "1.2.0", "Executes all commands in a transaction."},
      {"discard", 1, f, 0, 0, 0, acl, CmdDiscard, "transactions", "2.0.0",
       "Discards a transaction."},
      {"watch", -2, f, 1, -1, 1, acl, CmdWatch, "transactions", "2.2.0",
       "Monitors changes to keys to determine the execution of a transaction."},
      {"unwatch", 1, f, 0, 0, 0, acl, CmdUnwatch, "transactions", "2.2.0",
       "Forgets about watched keys of a transaction."},
  };
}

}  // namespace server
