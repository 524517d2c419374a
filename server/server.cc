#include "server/server.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "resp/writer.h"
#include "server/aof.h"
#include "server/background_snapshot.h"
#include "server/context.h"
#include "server/errors.h"
#include "server/eviction.h"
#include "server/log.h"
#include "server/notify.h"
#include "server/scripting/engine.h"
#include "server/scripting/functions.h"

namespace server {
namespace {

constexpr size_t kSlowlogMaxArgc = 32;
constexpr size_t kSlowlogMaxString = 128;
// Active expiry: keys deleted per cron tick at most, spread over the databases.
constexpr size_t kActiveExpireKeysPerTick = 2000;
// Hash index slots a cron tick moves for a resize in progress (on top of the per-write steps).
constexpr size_t kRehashSlotsPerTick = 64 * 1024;

// Quotes a string as Redis's sdscatrepr does, for MONITOR lines.
void AppendRepr(std::string* out, std::string_view s) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '"':
        out->append("\\\"");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\a':
        out->append("\\a");
        break;
      case '\b':
        out->append("\\b");
        break;
      default:
        if (c >= 32 && c < 127) {
          out->push_back(static_cast<char>(c));
        } else {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", c);
          out->append(buf);
        }
    }
  }
  out->push_back('"');
}

// Commands that run even inside MULTI instead of being queued.
bool RunsInsideMulti(const Command& c) {
  const std::string_view n = c.spec.name;
  return n == "exec" || n == "discard" || n == "multi" || n == "watch" || n == "quit" ||
         n == "reset";
}

// The commands a RESP2 client may run while subscribed (Redis's CLIENT_PUBSUB context).
bool AllowedWhenSubscribed(const Command& c) {
  if (c.parent != nullptr) return false;
  const std::string_view n = c.spec.name;
  return n == "ping" || n == "subscribe" || n == "ssubscribe" || n == "unsubscribe" ||
         n == "sunsubscribe" || n == "psubscribe" || n == "punsubscribe" || n == "quit" ||
         n == "reset";
}

}  // namespace

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t NowUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Server::Server(Config config)
    : config_(std::move(config)), registry_(BuildRegistry()), rng_(std::random_device{}()) {
  clock_.now_ms = NowMs();
  CacheEvictionPolicy();
  stats_.start_ms = clock_.now_ms;
  snapshots_.last_save_s = clock_.now_ms / 1000;
  stats_.ops_sample_ms = clock_.now_ms;
  for (int i = 0; i < config_.databases; ++i) {
    dbs_.push_back(std::make_unique<store::Db>(i, &clock_));
    dbs_.back()->set_listener(this);
  }
  scripts_ = std::make_unique<scripting::Engine>(*this);
  functions_ = std::make_unique<scripting::Functions>(*this);
}

Server::~Server() = default;

void Server::UpdateClock() { clock_.now_ms = NowMs(); }

void Server::BeginBatch() {
  chain_us_ = NowUs();
  clock_.now_ms = chain_us_ / 1000;
}

void Server::RemoveSession(Session* s) {
  pubsub_.UnsubscribeAll(s);
  watches_.UnwatchAll(s);
  blocking_.Unblock(s);
  SetMonitor(s, false);
  sessions_.erase(s->id);
}

void Server::Execute(Session& s, std::span<const std::string_view> argv) {
  if (argv.empty()) return;
  if (s.reply_mode == ReplyMode::kSkipNext) s.reply_mode = ReplyMode::kSkipThis;
  const size_t out_mark = s.out.size();
  Dispatch(s, argv);
  if (blocking_.has_ready()) ServeBlockedClients();
  // CLIENT REPLY OFF|SKIP: the reply was produced (so stats are right) and is dropped here.
  if (s.reply_mode == ReplyMode::kOff || s.reply_mode == ReplyMode::kSkipThis) {
    s.out.resize(out_mark);
    if (s.reply_mode == ReplyMode::kSkipThis) s.reply_mode = ReplyMode::kOn;
  }
}

void Server::Reject(Session& s, ErrorReply e, Command* cmd) {
  if (cmd != nullptr && cmd->parent == nullptr && cmd->spec.name == "exec") {
    // Redis turns any refusal of EXEC into EXECABORT and drops the transaction. Formatted
    // refusals (arity, ...) carry no "ERR" in the quoted reason; shared errors keep their code.
    std::string reason = e.prefix == "ERR" ? std::string(e.message)
                                           : std::string(e.prefix) + " " + std::string(e.message);
    DiscardTransaction(s);
    resp::Writer(&s.out, s.proto).Error("EXECABORT", "Transaction discarded because of: " + reason);
    ++stats_.total_error_replies;
    ++stats_.errorstats["EXECABORT"];
    ++cmd->rejected_calls;
    return;
  }
  resp::Writer(&s.out, s.proto).Error(e.prefix, e.message);
  ++stats_.total_error_replies;
  ++stats_.errorstats[std::string(e.prefix)];
  if (cmd != nullptr) ++cmd->rejected_calls;
  if (s.in_multi) s.multi_error = true;
}

void Server::Dispatch(Session& s, std::span<const std::string_view> argv) {
  Command* cmd = registry_->Resolve(argv);
  if (cmd != nullptr && !cmd->subcommands.empty() && argv.size() >= 2) {
    return Reject(s, {"ERR", UnknownSubcommandMessage(argv[1], argv[0])}, nullptr);
  }
  if (cmd == nullptr) {
    return Reject(s, {"ERR", UnknownCommandMessage(argv[0], argv.data() + 1, argv.size() - 1)},
                  nullptr);
  }
  if (!cmd->arity_ok(argv.size()) || cmd->spec.handler == nullptr) {
    return Reject(s, {"ERR", WrongArityMessage(cmd->full_name)}, cmd);
  }
  if (!config_.requirepass.empty() && !s.authenticated && !cmd->is(kNoAuth) && !s.is_internal) {
    return Reject(s, err::kNoAuth, cmd);
  }
  // EVAL of a script with a shebang (and FCALL) take their write / deny-oom flags from it.
  const uint32_t flags = cmd->spec.dynamic_flags != nullptr
                             ? cmd->spec.dynamic_flags(*this, argv, cmd->spec.flags)
                             : cmd->spec.flags;
  if ((flags & kWrite) != 0) {
    std::string refusal;
    if (WritesRefused(&refusal)) {
      const std::string_view r = refusal;
      const size_t sp = r.find(' ');
      return Reject(s, {r.substr(0, sp), r.substr(sp + 1)}, cmd);
    }
  }
  if (s.proto == 2 && s.subscribed() && !AllowedWhenSubscribed(*cmd)) {
    return Reject(s,
                  {"ERR", "Can't execute '" + cmd->full_name +
                              "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
                              "are allowed in this context"},
                  cmd);
  }
  // A busy script's memory is left alone: no evictions under its feet.
  if (!script_busy()) {
    pre_command_oom_ = false;
    if (config_.maxmemory > 0 && !MemoryAllows(s, cmd, flags)) return Reject(s, err::kOom, cmd);
  }
  // EXEC is allow_busy, yet Redis refuses it during a busy script (so it becomes EXECABORT).
  if (script_busy() && !s.is_internal &&
      (!cmd->is(kAllowBusy) || (cmd->parent == nullptr && cmd->spec.name == "exec"))) {
    return Reject(s, running_script_->is_eval ? err::kBusyEval : err::kBusyFunction, cmd);
  }
  if (s.in_multi && !RunsInsideMulti(*cmd)) {
    if (cmd->is(kNoMulti)) {
      return Reject(s, {"ERR", "Command not allowed inside a transaction"}, cmd);
    }
    s.queued.emplace_back(argv.begin(), argv.end());
    resp::Writer(&s.out, s.proto).SimpleString("QUEUED");
    return;
  }
  Call(s, *cmd, argv);
}

void Server::Call(Session& s, Command& cmd, std::span<const std::string_view> argv, CallMode mode) {
  CommandContext ctx{
      *this, s, cmd, argv, resp::Writer(&s.out, s.proto), dbs_[static_cast<size_t>(s.db)].get()};
  ctx.may_block = !s.in_exec && !s.is_internal;
  ctx.propagating = !sinks_.empty();
  ctx.retry = mode == CallMode::kRetry;
  ctx.timed_out = mode == CallMode::kTimeout;
  s.last_command = &cmd;
  const uint64_t dirty_before = stats_.dirty;
  const uint64_t changes_before = key_changes_;
  const bool chained = call_depth_ == 0 && chain_us_ != 0;
  const int64_t start = chained ? chain_us_ : NowUs();
  if (!snapshot_jobs_.empty() && (cmd.is(kWrite) || cmd.spec.name == "debug")) {
    BeforeWriteForSnapshots(cmd, argv, s.db);
  }
  ++call_depth_;
  cmd.spec.handler(ctx);
  --call_depth_;
  const int64_t end = NowUs();
  // A nested ProcessInput (a busy script's pump) ends its own batch: chain only if still on.
  if (chained && chain_us_ != 0) chain_us_ = end;
  const int64_t elapsed = end > start ? end - start : 0;  // the wall clock may step back
  if (!sinks_.empty() && cmd.is(kWrite)) {
    if (ctx.propagate_replaced) {
      for (auto& a : ctx.propagate_as) Propagate(s.db, std::move(a));
    } else if (stats_.dirty != dirty_before || key_changes_ != changes_before) {
      Propagate(s.db, argv);
    }
  }
  if (call_depth_ == 0) EmitPropagated();
  ++cmd.calls;
  cmd.usec += static_cast<uint64_t>(elapsed);
  if (ctx.failed) ++cmd.failed_calls;
  if (ctx.block_requested && ctx.may_block && !ctx.timed_out) {
    if (mode == CallMode::kNormal) {  // a retry that blocks again keeps its place in line
      int64_t deadline = ctx.block_timeout_ms > 0 ? clock_.now_ms + ctx.block_timeout_ms : 0;
      blocking_.Block(&s, s.db, ctx.block_keys, deadline);
      s.blocked = true;
      if (ctx.block_argv.empty()) {
        s.blocked_argv.assign(argv.begin(), argv.end());
      } else {
        s.blocked_argv = std::move(ctx.block_argv);
      }
      s.blocked_wake_on_delete = ctx.block_wake_on_delete;
    }
    return;  // no reply yet, and not counted until it is served
  }
  if (mode != CallMode::kNormal) {
    blocking_.Unblock(&s);
    s.blocked = false;
    s.blocked_argv.clear();
    s.blocked_wake_on_delete = false;
    if (on_async_output) on_async_output(&s);
  }
  ++stats_.total_commands_processed;
  if (!cmd.is(kSkipSlowlog)) RecordSlowlog(s, argv, elapsed);
  if (!cmd.is(kSkipMonitor) && !cmd.is(kAdmin)) FeedMonitors(s, argv);
}

void Server::SetMonitor(Session* s, bool on) {
  s->monitor = on;
  auto it = std::find(monitors_.begin(), monitors_.end(), s);
  if (on && it == monitors_.end()) monitors_.push_back(s);
  if (!on && it != monitors_.end()) monitors_.erase(it);
}

void Server::OnKeyEvent(int db, std::string_view key, store::KeyEvent event) {
  watches_.OnKeyEvent(db, key, event);
  // An expired key leaves the log as an explicit DEL, so replay never depends on the clock.
  if (event == store::KeyEvent::kExpired) {
    const std::string_view del[] = {"DEL", key};
    Propagate(db, del);
    NotifyKeyspaceEvent(*this, kNotifyExpired, "expired", key, db);
  } else {
    ++key_changes_;
  }
  // A deleted or expired key wakes only the waiters that asked for it (ServeBlockedClients).
  blocking_.KeyModified(db, key);
}

void Server::OnKeyCreated(int db, std::string_view key) {
  // The store stamps a new key with the LRU clock; an LFU policy wants its own stamp.
  if (lfu_tracking_) {
    if (store::Entry* e = dbs_[static_cast<size_t>(db)]->Peek(key))
      InitAccess(true, clock_.now_ms, e);
  }
  NotifyKeyspaceEvent(*this, kNotifyNew, "new", key, db);
}

void Server::CacheEvictionPolicy() {
  eviction_policy_ = PolicyFromName(config_.maxmemory_policy);
  lfu_tracking_ = IsLfu(eviction_policy_);
}

bool Server::MemoryAllows(Session& s, Command* cmd, uint32_t flags) {
  const bool within = EvictIfNeeded(*this);
  if (call_depth_ == 0) EmitPropagated();  // the evictions' DELs, ahead of the command
  pre_command_oom_ = !within;
  if (within) return true;
  if ((flags & kDenyOom) != 0) return false;
  if (cmd->parent == nullptr && cmd->spec.name == "exec") {
    for (const auto& argv : s.queued) {
      std::vector<std::string_view> v(argv.begin(), argv.end());
      const Command* q = registry_->Resolve(v);
      if (q != nullptr && q->is(kDenyOom)) return false;
    }
  }
  return true;
}

void Server::EvictKey(int db, const std::string& key) {
  ++stats_.evicted_keys;
  const std::string_view del[] = {"DEL", key};
  Propagate(db, del);
  dbs_[static_cast<size_t>(db)]->Erase(key);
  NotifyKeyspaceEvent(*this, kNotifyEvicted, "evicted", key, db);
}

void Server::RunBlocked(Session& s, CallMode mode) {
  // Copy: serving the command clears blocked_argv.
  std::vector<std::string> args = s.blocked_argv;
  std::vector<std::string_view> argv(args.begin(), args.end());
  Call(s, *registry_->Resolve(argv), argv, mode);
}

void Server::ServeBlockedClients() {
  // Serving one client may make other keys ready (BLMOVE pushes), so loop until quiet.
  while (blocking_.has_ready()) {
    for (const BlockingRegistry::Key& k : blocking_.TakeReady()) {
      for (Session* w : blocking_.Waiters(k)) {
        // A missing key (deleted, or emptied by earlier waiters) serves nobody, but clients that
        // must learn of the deletion (XREADGROUP) are retried to say so.
        if (db(k.first).Find(k.second) == nullptr && !w->blocked_wake_on_delete) continue;
        if (w->blocked) RunBlocked(*w, CallMode::kRetry);
      }
    }
  }
}

void Server::WakeWaitersOfDb(int index) {
  // Missing keys too: their XREADGROUP waiters must hear that the key went.
  for (const std::string& k : blocking_.WaitedKeys(index)) blocking_.KeyModified(index, k);
}

bool Server::UnblockClient(Session& s, bool with_error) {
  if (!s.blocked) return false;
  if (!with_error) {
    RunBlocked(s, CallMode::kTimeout);
    return true;
  }
  // Counted as a failed call of the blocked command, as Redis does.
  std::vector<std::string_view> argv(s.blocked_argv.begin(), s.blocked_argv.end());
  if (Command* cmd = registry_->Resolve(argv)) {
    ++cmd->calls;
    ++cmd->failed_calls;
  }
  blocking_.Unblock(&s);
  s.blocked = false;
  s.blocked_argv.clear();
  s.blocked_wake_on_delete = false;
  resp::Writer(&s.out, s.proto).Error("UNBLOCKED", "client unblocked via CLIENT UNBLOCK");
  ++stats_.total_error_replies;
  ++stats_.errorstats["UNBLOCKED"];
  if (on_async_output) on_async_output(&s);
  return true;
}

void Server::ExpireBlockedClients() {
  for (Session* s : blocking_.TimedOut(clock_.now_ms)) RunBlocked(*s, CallMode::kTimeout);
}

void Server::FeedMonitors(const Session& s, std::span<const std::string_view> argv) {
  if (monitors_.empty()) return;
  int64_t us = NowUs();
  char head[64];
  std::snprintf(head, sizeof(head), "%lld.%06lld [%d ", static_cast<long long>(us / 1000000),
                static_cast<long long>(us % 1000000), s.db);
  std::string line = head;
  line += s.is_internal ? "lua" : s.addr;
  line += "]";
  for (std::string_view a : argv) {
    line += ' ';
    AppendRepr(&line, a);
  }
  for (Session* m : monitors_) {
    resp::Writer(&m->out, m->proto).SimpleString(line);
    if (on_async_output && m != &s) on_async_output(m);
  }
}

void Server::RecordSlowlog(const Session& s, std::span<const std::string_view> argv, int64_t us) {
  if (config_.slowlog_log_slower_than < 0 || us < config_.slowlog_log_slower_than) return;
  SlowlogEntry e{NextSlowlogId(), clock_.now_ms / 1000, us, {}, s.addr, s.name};
  size_t n = std::min(argv.size(), kSlowlogMaxArgc);
  for (size_t i = 0; i < n; ++i) {
    if (i == kSlowlogMaxArgc - 1 && argv.size() > kSlowlogMaxArgc) {
      e.argv.push_back("... (" + std::to_string(argv.size() - kSlowlogMaxArgc + 1) +
                       " more arguments)");
      break;
    }
    std::string_view a = argv[i];
    if (a.size() > kSlowlogMaxString) {
      e.argv.push_back(std::string(a.substr(0, kSlowlogMaxString)) + "... (" +
                       std::to_string(a.size() - kSlowlogMaxString) + " more bytes)");
    } else {
      e.argv.emplace_back(a);
    }
  }
  slowlog_.push_front(std::move(e));
  while (slowlog_.size() > static_cast<size_t>(config_.slowlog_max_len)) slowlog_.pop_back();
}

void Server::Cron() {
  UpdateClock();
  std::erase_if(snapshot_jobs_, [](const auto& j) { return j->finished(); });
  // Active expiry: the soonest-expiring keys first, a bounded number per tick so the loop stays
  // responsive; each db gets a turn.
  size_t budget = active_expire_enabled_ ? kActiveExpireKeysPerTick : 0;
  for (size_t i = 0; i < dbs_.size() && budget > 0; ++i) {
    size_t db = (expire_db_cursor_ + i) % dbs_.size();
    budget -= dbs_[db]->ActiveExpire(budget);
  }
  expire_db_cursor_ = (expire_db_cursor_ + 1) % dbs_.size();
  if (blocking_.has_ready()) ServeBlockedClients();  // XREADGROUP waiters of expired keys
  EmitPropagated();  // the DELs of keys that expired just now, one group per tick
  BeforeReplies();   // everysec writes even when idle, and retries after a write error
  if (aof_ != nullptr && aof_->RewriteDue()) {
    std::string error;
    LogNotice("Starting automatic rewriting of AOF on growth");
    if (!aof_->StartRewrite(&error)) LogWarning("Automatic AOF rewrite failed to start: " + error);
  }
  if (SavePointDue(*this)) {
    std::string error;
    if (!StartBackgroundSave(*this, &error)) LogWarning("Background save failed: " + error);
  }
  for (auto& db : dbs_) db->RehashStep(kRehashSlotsPerTick);
  int64_t dt = clock_.now_ms - stats_.ops_sample_ms;
  if (dt >= 1000) {
    uint64_t ops = stats_.total_commands_processed - stats_.ops_sample_commands;
    stats_.instantaneous_ops = static_cast<double>(ops) * 1000.0 / static_cast<double>(dt);
    stats_.ops_sample_commands = stats_.total_commands_processed;
    stats_.ops_sample_ms = clock_.now_ms;
  }
}

bool Server::StartAof(std::string* error) { return InstallAof(/*from_memory=*/false, error); }

bool Server::InstallAof(bool from_memory, std::string* error) {
  if (aof_ != nullptr) return true;
  auto aof = std::make_unique<Aof>(this);
  if (!(from_memory ? aof->StartFromMemory(error) : aof->Start(error))) return false;
  aof_ = std::move(aof);
  AddPropagationSink(aof_.get());
  return true;
}

void Server::StopAof() {
  if (aof_ == nullptr) return;
  EmitPropagated();
  RemovePropagationSink(aof_.get());
  aof_->Stop();
  // A rewrite's background write still refers to it: keep it until the process ends.
  if (aof_->rewrite_in_progress()) retired_aofs_.push_back(std::move(aof_));
  aof_.reset();
}

void Server::RunInBackground(std::function<void()> work, std::function<void()> after) {
  if (background_runner) return background_runner(std::move(work), std::move(after));
  work();
  after();
}

void Server::AddSnapshotJob(std::shared_ptr<BackgroundSnapshot> job) {
  if (!job->finished()) snapshot_jobs_.push_back(std::move(job));
}

bool Server::wants_snapshot_steps() const {
  for (const auto& j : snapshot_jobs_) {
    if (j->wants_step()) return true;
  }
  return false;
}

void Server::StepSnapshots(size_t max_keys) {
  // Indexes, not iterators: a step may finish a job whose callback starts another.
  for (size_t i = 0; i < snapshot_jobs_.size(); ++i) {
    std::shared_ptr<BackgroundSnapshot> job = snapshot_jobs_[i];
    job->Step(max_keys);
  }
  std::erase_if(snapshot_jobs_, [](const auto& j) { return j->finished(); });
}

Server::SnapshotProgress Server::snapshot_progress() const {
  SnapshotProgress p;
  for (const auto& j : snapshot_jobs_) {
    if (!j->walking()) continue;
    p.cow_bytes += j->cow_bytes();
    p.keys_written += j->keys_written();
    p.keys_total += j->keys_total();
  }
  return p;
}

void Server::CancelSnapshots() {
  for (const auto& j : snapshot_jobs_) j->Cancel();
  snapshot_jobs_.clear();
}

void Server::BeforeWriteForSnapshots(const Command& cmd, std::span<const std::string_view> argv,
                                     int db) {
  std::erase_if(snapshot_jobs_, [](const auto& j) { return j->finished(); });
  bool any = false;
  for (const auto& j : snapshot_jobs_) any = any || j->walking();
  if (!any) return;
  // Commands whose changes are not the keys they name (whole dbs, another db, a key range, DEBUG
  // POPULATE): the walks finish now, before the change, rather than track it.
  const std::string_view name = cmd.parent != nullptr ? cmd.parent->spec.name : cmd.spec.name;
  const bool names_its_keys = (cmd.spec.first_key > 0 || cmd.spec.find_keys != nullptr) &&
                              name != "move" && name != "copy" && name != "kdelrange" &&
                              name != "debug";
  if (!names_its_keys) {
    for (size_t i = 0; i < snapshot_jobs_.size(); ++i) snapshot_jobs_[i]->FinishWalk();
    return;
  }
  for (size_t p : KeyPositions(cmd, argv)) {
    for (const auto& j : snapshot_jobs_) {
      if (j->walking()) j->BeforeWrite(db, argv[p]);
    }
  }
}

bool Server::WritesRefused(std::string* error) const {
  if (config_.stop_writes_on_bgsave_error && !config_.save.empty() && !snapshots_.last_bgsave_ok) {
    *error =
        std::string(err::kMisconfBgsave.prefix) + " " + std::string(err::kMisconfBgsave.message);
    return true;
  }
  if (aof_ != nullptr && !aof_->write_ok()) {
    *error = "MISCONF Errors writing to the AOF file: " + aof_->last_write_error();
    return true;
  }
  return false;
}

bool Server::SaveForShutdown(bool force_save, bool nosave) {
  if (nosave || (!force_save && config_.save.empty())) return true;
  std::string error;
  return SaveRdbNow(*this, &error);
}

void Server::BeforeReplies() {
  if (aof_ != nullptr) aof_->Flush();
}

void Server::OnConfigChanged() {
  CacheEvictionPolicy();
  if (aof_ != nullptr) aof_->SetPolicy(config_.appendfsync);
  if (!config_.appendonly && aof_ != nullptr) StopAof();
  std::string error;
  // Turned on at runtime: the data in memory becomes the AOF's base, as Redis does.
  if (config_.appendonly && !InstallAof(/*from_memory=*/true, &error)) {
    LogWarning("Can't turn the AOF on: " + error);
    config_.appendonly = false;
  }
}

void Server::RemovePropagationSink(PropagationSink* sink) {
  sinks_.erase(std::remove(sinks_.begin(), sinks_.end(), sink), sinks_.end());
}

PropagatedCommand& Server::NextPropagationSlot(int db) {
  if (pending_count_ == pending_propagation_.size()) pending_propagation_.emplace_back();
  PropagatedCommand& slot = pending_propagation_[pending_count_++];
  slot.db = db;
  return slot;
}

void Server::Propagate(int db, std::vector<std::string> argv) {
  if (sinks_.empty()) return;
  NextPropagationSlot(db).argv = std::move(argv);
}

void Server::Propagate(int db, std::span<const std::string_view> argv) {
  if (sinks_.empty()) return;
  std::vector<std::string>& out = NextPropagationSlot(db).argv;
  out.resize(argv.size());
  for (size_t i = 0; i < argv.size(); ++i) out[i].assign(argv[i]);
}

void Server::EmitPropagated() {
  if (pending_count_ == 0) return;
  const std::span<const PropagatedCommand> group(pending_propagation_.data(), pending_count_);
  pending_count_ = 0;  // before Feed: nothing a sink does may queue into the group it reads
  for (PropagationSink* sink : sinks_) sink->Feed(group);
}

void Server::DiscardTransaction(Session& s) {
  s.in_multi = false;
  s.multi_error = false;
  s.queued.clear();
  watches_.UnwatchAll(&s);
}

void Server::FlushAll() {
  for (auto& db : dbs_) {
    watches_.TouchDb(db->index(), db.get(), nullptr);
    db->Clear();
    WakeWaitersOfDb(db->index());
  }
}

void CommandContext::Error(ErrorReply e) {
  out.Error(e.prefix, e.message);
  failed = true;
  ++server.stats().total_error_replies;
  ++server.stats().errorstats[std::string(e.prefix)];
}

uint32_t LruClock(const CommandContext& ctx) {
  return static_cast<uint32_t>(ctx.server.clock().now_ms / 1000);
}

namespace {
void Touch(CommandContext& ctx, store::Entry* e) {
  if (ctx.server.lfu_tracking()) {
    TouchAccess(ctx.server.config(), true, ctx.server.clock().now_ms, e, ctx.server.Random64());
  } else {
    e->set_lru(LruClock(ctx));
  }
}
}  // namespace

store::Entry* LookupRead(CommandContext& ctx, std::string_view key) {
  store::Entry* e = ctx.db->Find(key);
  if (e == nullptr) {
    ++ctx.server.stats().keyspace_misses;
    Notify(ctx, kNotifyKeyMiss, "keymiss", key);
    return nullptr;
  }
  ++ctx.server.stats().keyspace_hits;
  Touch(ctx, e);
  return e;
}

store::Entry* LookupWrite(CommandContext& ctx, std::string_view key) {
  store::Entry* e = ctx.db->Find(key);
  if (e != nullptr) Touch(ctx, e);
  return e;
}

bool ParseIntOrReply(CommandContext& ctx, std::string_view s, int64_t* out) {
  return ParseIntOrReply(ctx, s, out, err::kNotInteger);
}

bool ParseIntOrReply(CommandContext& ctx, std::string_view s, int64_t* out, ErrorReply e) {
  if (store::ParseInt64(s, out)) return true;
  ctx.Error(e);
  return false;
}

bool ParseDoubleOrReply(CommandContext& ctx, std::string_view s, double* out) {
  if (store::ParseDouble(s, out)) return true;
  ctx.Error(err::kNotFloat);
  return false;
}

void CommandContext::PropagateInBatches(std::initializer_list<std::string_view> head,
                                        std::span<const std::string> items) {
  propagate_replaced = true;
  if (!propagating) return;
  constexpr size_t kBatch = 1024;
  for (size_t i = 0; i < items.size(); i += kBatch) {
    std::vector<std::string>& record = propagate_as.emplace_back(head.begin(), head.end());
    const auto batch = items.subspan(i, std::min(kBatch, items.size() - i));
    record.insert(record.end(), batch.begin(), batch.end());
  }
}

void AddDirty(CommandContext& ctx, uint64_t n) { ctx.server.stats().dirty += n; }

void ReplyHelp(CommandContext& ctx, std::span<const char* const> lines) {
  ctx.out.ArrayHeader(static_cast<int64_t>(lines.size()));
  for (const char* l : lines) ctx.out.SimpleString(l);
}

bool EqualsNoCase(std::string_view a, std::string_view lower_literal) {
  if (a.size() != lower_literal.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_literal[i]) return false;
  }
  return true;
}

}  // namespace server
