// Server commands: DBSIZE FLUSHDB FLUSHALL SWAPDB SHUTDOWN TIME LASTSAVE MONITOR SLOWLOG.
// INFO is in info.cc, CONFIG in config_family.cc, DEBUG and MEMORY in debug_family.cc.
//
// Persistence does not exist yet (issue #4), and these handlers say so instead of pretending:
// - SHUTDOWN SAVE fails as Redis fails when its save fails ("Errors trying to SHUTDOWN. Check
//   logs."), unless FORCE is given, which in Redis too means "exit even if saving failed".
// - A plain SHUTDOWN does not save. In Redis it would save when save points are configured, but
//   the `save` directive is accepted and not acted on (docs/configuration.md), so there is no
//   snapshot to lose that SHUTDOWN could have written; the log says that nothing was saved.
// - FLUSHDB/FLUSHALL ASYNC free synchronously: the keys are gone before the reply either way.
#include <algorithm>
#include <string>

#include "server/aof.h"
#include "server/commands/families.h"
#include "server/context.h"
#include "server/log.h"
#include "server/server.h"

namespace server {
namespace {

constexpr ErrorReply kShutdownFailed{"ERR", "Errors trying to SHUTDOWN. Check logs."};
constexpr ErrorReply kNoShutdownInProgress{"ERR", "No shutdown in progress."};
constexpr ErrorReply kSlowlogCount{"ERR", "count should be greater than or equal to -1"};
constexpr int64_t kSlowlogDefaultCount = 10;

// Parses the optional ASYNC|SYNC argument of FLUSHDB/FLUSHALL. Both free synchronously.
bool ParseFlushModeOrReply(CommandContext& ctx) {
  if (ctx.argc() == 1) return true;
  if (ctx.argc() == 2 && (EqualsNoCase(ctx.arg(1), "async") || EqualsNoCase(ctx.arg(1), "sync"))) {
    return true;
  }
  ctx.Error(err::kSyntax);
  return false;
}

// DBSIZE
void CmdDbSize(CommandContext& ctx) { ctx.out.Integer(static_cast<int64_t>(ctx.db->size())); }

// FLUSHDB [ASYNC|SYNC]
void CmdFlushDb(CommandContext& ctx) {
  if (!ParseFlushModeOrReply(ctx)) return;
  ctx.server.stats().dirty += ctx.db->size();
  ctx.server.watches().TouchDb(ctx.db->index(), ctx.db, nullptr);
  ctx.db->Clear();
  ctx.server.WakeWaitersOfDb(ctx.db->index());
  ctx.out.Ok();
}

// FLUSHALL [ASYNC|SYNC]
void CmdFlushAll(CommandContext& ctx) {
  if (!ParseFlushModeOrReply(ctx)) return;
  for (int i = 0; i < ctx.server.db_count(); ++i)
    ctx.server.stats().dirty += ctx.server.db(i).size();
  ctx.server.FlushAll();
  ctx.out.Ok();
}

// SWAPDB index1 index2
void CmdSwapDb(CommandContext& ctx) {
  int64_t a, b;
  if (!ParseIntOrReply(ctx, ctx.arg(1), &a, {"ERR", "invalid first DB index"})) return;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &b, {"ERR", "invalid second DB index"})) return;
  const int64_t n = ctx.server.db_count();
  if (a < 0 || a >= n || b < 0 || b >= n) return ctx.Error(err::kDbIndexOutOfRange);
  if (a != b) {
    store::Db& da = ctx.server.db(static_cast<int>(a));
    store::Db& db = ctx.server.db(static_cast<int>(b));
    // A watched key is touched iff it exists on either side: after the swap its db shows the
    // other side's value (or no value), which is a change for WATCH purposes.
    ctx.server.watches().TouchDb(da.index(), &da, &db);
    ctx.server.watches().TouchDb(db.index(), &db, &da);
    da.SwapContents(db);
    ctx.server.WakeWaitersOfDb(da.index());
    ctx.server.WakeWaitersOfDb(db.index());
    ++ctx.server.stats().dirty;
  }
  ctx.out.Ok();
}

struct ShutdownParams {
  bool nosave = false;
  bool save = false;
  bool now = false;
  bool force = false;
  bool abort = false;
};

// Flags may repeat; NOSAVE with SAVE, and ABORT with anything, are syntax errors (as Redis).
bool ParseShutdownOrReply(CommandContext& ctx, ShutdownParams* p) {
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view a = ctx.arg(i);
    if (EqualsNoCase(a, "nosave")) {
      p->nosave = true;
    } else if (EqualsNoCase(a, "save")) {
      p->save = true;
    } else if (EqualsNoCase(a, "now")) {
      p->now = true;
    } else if (EqualsNoCase(a, "force")) {
      p->force = true;
    } else if (EqualsNoCase(a, "abort")) {
      p->abort = true;
    } else {
      ctx.Error(err::kSyntax);
      return false;
    }
  }
  if ((p->nosave && p->save) || (p->abort && ctx.argc() > 2)) {
    ctx.Error(err::kSyntax);
    return false;
  }
  return true;
}

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
void CmdShutdown(CommandContext& ctx) {
  ShutdownParams p;
  if (!ParseShutdownOrReply(ctx, &p)) return;
  // Shutdown is immediate (no replicas to wait for), so there is never one to abort.
  if (p.abort) return ctx.Error(kNoShutdownInProgress);
  // A busy script can only be abandoned: SHUTDOWN NOSAVE exits at once (server/net.cc).
  if (ctx.server.script_busy() && !p.nosave) {
    return ctx.Error(ctx.server.running_script()->is_eval ? err::kBusyEval : err::kBusyFunction);
  }
  if (!ctx.server.SaveForShutdown(p.save, p.nosave)) {
    if (!p.force) {
      LogWarning("Errors trying to shut down the server. Check the logs for more information.");
      return ctx.Error(kShutdownFailed);
    }
    LogWarning("SHUTDOWN FORCE: exiting without a successful save.");
  }
  LogNotice("User requested shutdown...");
  ctx.server.RequestShutdown();
  // Redis closes the connection without a reply on success.
  ctx.session.close_after_reply = true;
}

// TIME
void CmdTime(CommandContext& ctx) {
  const int64_t us = NowUs();
  ctx.out.ArrayHeader(2);
  ctx.out.BulkInt(us / 1000000);
  ctx.out.BulkInt(us % 1000000);
}

// SAVE
void CmdSave(CommandContext& ctx) {
  if (ctx.server.snapshots().bgsave_in_progress) {
    return ctx.Error("ERR", "Background save already in progress");
  }
  std::string error;
  if (!SaveRdbNow(ctx.server, &error)) return ctx.Error("ERR", "");
  ctx.out.Ok();
}

// BGSAVE [SCHEDULE]
void CmdBgSave(CommandContext& ctx) {
  if (ctx.argc() > 2 || (ctx.argc() == 2 && !EqualsNoCase(ctx.arg(1), "schedule"))) {
    return ctx.Error(err::kSyntax);
  }
  std::string error;
  if (!StartBackgroundSave(ctx.server, &error)) return ctx.Error("ERR", error);
  ctx.out.SimpleString("Background saving started");
}

// BGREWRITEAOF
void CmdBgRewriteAof(CommandContext& ctx) {
  Aof* aof = ctx.server.aof();
  std::string error;
  const bool started =
      aof != nullptr ? aof->StartRewrite(&error) : StartRewriteWithoutAof(ctx.server, &error);
  if (!started) return ctx.Error("ERR", error);
  ctx.out.SimpleString("Background append only file rewriting started");
}

// LASTSAVE
void CmdLastSave(CommandContext& ctx) { ctx.out.Integer(ctx.server.snapshots().last_save_s); }

// MONITOR
void CmdMonitor(CommandContext& ctx) {
  // A second MONITOR on a monitoring connection gets no reply, as in Redis.
  if (ctx.session.monitor) return;
  ctx.server.SetMonitor(&ctx.session, true);
  ctx.out.Ok();
}

// SLOWLOG GET [count]
void CmdSlowlogGet(CommandContext& ctx) {
  int64_t count = kSlowlogDefaultCount;
  if (ctx.argc() == 3) {
    if (!store::ParseInt64(ctx.arg(2), &count) || count < -1) return ctx.Error(kSlowlogCount);
  } else if (ctx.argc() > 3) {
    return ctx.Error("ERR", SubcommandSyntaxMessage(ctx.arg(1), "slowlog"));
  }
  const auto& log = ctx.server.slowlog();
  size_t n = count == -1 ? log.size() : std::min(log.size(), static_cast<size_t>(count));
  ctx.out.ArrayHeader(static_cast<int64_t>(n));
  for (size_t i = 0; i < n; ++i) {
    const SlowlogEntry& e = log[i];
    ctx.out.ArrayHeader(6);
    ctx.out.Integer(static_cast<int64_t>(e.id));
    ctx.out.Integer(e.time_s);
    ctx.out.Integer(e.duration_us);
    ctx.out.ArrayHeader(static_cast<int64_t>(e.argv.size()));
    for (const std::string& a : e.argv) ctx.out.Bulk(a);
    ctx.out.Bulk(e.peer);
    ctx.out.Bulk(e.name);
  }
}

// SLOWLOG LEN
void CmdSlowlogLen(CommandContext& ctx) {
  ctx.out.Integer(static_cast<int64_t>(ctx.server.slowlog().size()));
}

// SLOWLOG RESET
void CmdSlowlogReset(CommandContext& ctx) {
  ctx.server.slowlog().clear();
  ctx.out.Ok();
}

// SLOWLOG HELP
void CmdSlowlogHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET [<count>]",
      "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
      "    Entries are made of:",
      "    id, timestamp, time in microseconds, arguments array, client IP and port,",
      "    client name",
      "LEN",
      "    Return the length of the slowlog.",
      "RESET",
      "    Reset the slowlog.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

constexpr uint32_t kAdminFlags = kAdmin | kNoScript | kLoading | kStale;
constexpr uint64_t kAdminAcl = kAclAdmin | kAclSlow | kAclDangerous;

}  // namespace

std::vector<CommandSpec> ServerCommands() {
  return {
      {"dbsize", 1, kReadOnly | kFast, 0, 0, 0, kAclKeyspace | kAclRead | kAclFast, CmdDbSize,
       "server", "1.0.0", "Return the number of keys in the selected database"},
      {"flushdb", -1, kWrite, 0, 0, 0, kAclKeyspace | kAclWrite | kAclSlow | kAclDangerous,
       CmdFlushDb, "server", "1.0.0", "Remove all keys from the current database"},
      {"flushall", -1, kWrite, 0, 0, 0, kAclKeyspace | kAclWrite | kAclSlow | kAclDangerous,
       CmdFlushAll, "server", "1.0.0", "Remove all keys from all databases"},
      {"swapdb", 3, kWrite | kFast, 0, 0, 0, kAclKeyspace | kAclWrite | kAclFast | kAclDangerous,
       CmdSwapDb, "server", "4.0.0", "Swaps two Redis databases"},
      {"shutdown", -1, kAdmin | kNoScript | kLoading | kStale | kNoMulti | kAllowBusy, 0, 0, 0,
       kAdminAcl, CmdShutdown, "server", "1.0.0",
       "Synchronously save the dataset to disk and then shut down the server"},
      {"time", 1, kLoading | kStale | kFast, 0, 0, 0, kAclFast, CmdTime, "server", "2.6.0",
       "Return the current server time"},
      {"save", 1, kAdmin | kNoScript | kNoMulti, 0, 0, 0, kAclAdmin | kAclSlow | kAclDangerous,
       CmdSave, "server", "1.0.0", "Synchronously saves the database(s) to disk."},
      {"bgsave", -1, kAdmin | kNoScript, 0, 0, 0, kAclAdmin | kAclSlow | kAclDangerous, CmdBgSave,
       "server", "1.0.0", "Asynchronously saves the database(s) to disk."},
      {"bgrewriteaof", 1, kAdmin | kNoScript, 0, 0, 0, kAclAdmin | kAclSlow | kAclDangerous,
       CmdBgRewriteAof, "server", "1.0.0", "Asynchronously rewrites the append-only file to disk."},
      {"lastsave", 1, kLoading | kStale | kFast, 0, 0, 0, kAclAdmin | kAclFast | kAclDangerous,
       CmdLastSave, "server", "1.0.0",
       "Get the UNIX time stamp of the last successful save to disk"},
      {"monitor", 1, kAdminFlags, 0, 0, 0, kAdminAcl, CmdMonitor, "server", "1.0.0",
       "Listen for all requests received by the server in real time"},
      {"slowlog",
       -2,
       0,
       0,
       0,
       0,
       kAclSlow,
       nullptr,
       "server",
       "2.2.12",
       "A container for slow log commands",
       {
           {"get", -2, kAdmin | kLoading | kStale, 0, 0, 0, kAdminAcl, CmdSlowlogGet, "server",
            "2.2.12", "Get the slow log's entries"},
           {"len", 2, kAdmin | kLoading | kStale, 0, 0, 0, kAdminAcl, CmdSlowlogLen, "server",
            "2.2.12", "Get the slow log's length"},
           {"reset", 2, kAdmin | kLoading | kStale, 0, 0, 0, kAdminAcl, CmdSlowlogReset, "server",
            "2.2.12", "Clear all entries from the slow log"},
           {"help", 2, kLoading | kStale, 0, 0, 0, kAclSlow, CmdSlowlogHelp, "server", "6.2.0",
            "Show helpful text about the different subcommands"},
       }},
  };
}

}  // namespace server
