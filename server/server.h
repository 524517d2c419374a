// The server's logical state: configuration, databases, command table, sessions, statistics, and
// the dispatcher that runs one command for one session. It owns no libuv handle (net/ does), so
// tests drive it directly through Execute().
//
// Threading: everything here runs on the loop thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "persistence/aof_writer.h"
#include "server/blocking.h"
#include "server/command.h"
#include "server/config.h"
#include "server/errors.h"
#include "server/propagation.h"
#include "server/pubsub.h"
#include "server/scripting/watchdog.h"
#include "server/session.h"
#include "server/snapshot.h"
#include "server/watch.h"
#include "store/clock.h"
#include "store/db.h"

namespace server {

namespace scripting {
class Engine;
class Functions;
}  // namespace scripting

struct SlowlogEntry {
  uint64_t id;
  int64_t time_s;
  int64_t duration_us;
  std::vector<std::string> argv;
  std::string peer;
  std::string name;
};

struct Stats {
  int64_t start_ms = 0;
  uint64_t total_connections_received = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_commands_processed = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t dirty = 0;  // changes since the last save
  // Sum of Db::expired_keys() at the last CONFIG RESETSTAT; INFO reports the difference.
  uint64_t expired_keys_base = 0;
  uint64_t evicted_keys = 0;                   // maxmemory evictions (server/eviction.h)
  std::map<std::string, uint64_t> errorstats;  // error prefix -> count
  // Instantaneous ops/sec, sampled by the cron.
  uint64_t ops_sample_commands = 0;
  int64_t ops_sample_ms = 0;
  double instantaneous_ops = 0;
};

// How Call runs a command: normally, or again for a blocked client (see server/blocking.h).
enum class CallMode { kNormal, kRetry, kTimeout };

class Aof;
class BackgroundSnapshot;
enum class EvictionPolicy;

class Server : public store::KeyListener {
 public:
  explicit Server(Config config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Runs one command (argv[0] is its name) for the session, appending the reply to session.out.
  // The whole of processCommand: lookup, arity, auth, MULTI queueing, then the handler.
  void Execute(Session& s, std::span<const std::string_view> argv);
  // Runs a command that passed every check (EXEC uses it for queued commands).
  void Call(Session& s, Command& cmd, std::span<const std::string_view> argv,
            CallMode mode = CallMode::kNormal);

  // Store events: WATCH bookkeeping and keys blocked clients wait for.
  void OnKeyEvent(int db, std::string_view key, store::KeyEvent event) override;
  // Keyspace notifications' `new` event.
  void OnKeyCreated(int db, std::string_view key) override;
  BlockingRegistry& blocking() { return blocking_; }
  // Serves blocked clients whose keys became ready (after each top-level command).
  void ServeBlockedClients();
  // Answers blocked clients whose timeout passed.
  void ExpireBlockedClients();
  // After a db's contents were replaced wholesale (SWAPDB, FLUSHDB, FLUSHALL): every waited key
  // is ready, as Redis rescans such a db for its blocked clients (a key that is gone serves only
  // XREADGROUP waiters, who are told so).
  void WakeWaitersOfDb(int db);
  // CLIENT UNBLOCK: answers a blocked client now, as on timeout or with -UNBLOCKED. False iff
  // s was not blocked.
  bool UnblockClient(Session& s, bool with_error);

  Config& config() { return config_; }
  const Config& config() const { return config_; }
  store::Clock& clock() { return clock_; }
  // Sets the store clock from the system clock.
  void UpdateClock();
  // Around the commands of one read (Connection::ProcessInput): BeginBatch updates the clock and
  // starts a chain of timestamps, so each top-level command of the batch costs one clock read for
  // its duration, not two: it runs from the previous one's end (its own parsing included, a few
  // hundred ns at most). Reading the clock is a system call on some virtual machines.
  void BeginBatch();
  void EndBatch() { chain_us_ = 0; }
  store::Db& db(int i) { return *dbs_[static_cast<size_t>(i)]; }
  int db_count() const { return static_cast<int>(dbs_.size()); }
  CommandRegistry& registry() { return *registry_; }
  WatchRegistry& watches() { return watches_; }
  Stats& stats() { return stats_; }
  const Stats& stats() const { return stats_; }
  std::deque<SlowlogEntry>& slowlog() { return slowlog_; }
  uint64_t NextSlowlogId() { return slowlog_next_id_++; }
  uint64_t Random64() { return rng_(); }
  // The server's generator itself, for store operations that draw several numbers (seeding a
  // fresh mt19937_64 per command costs more than SPOP itself).
  std::mt19937_64& rng() { return rng_; }

  // Sessions: the network layer registers each connection's session.
  uint64_t NextClientId() { return next_client_id_++; }
  void AddSession(Session* s) { sessions_[s->id] = s; }
  void RemoveSession(Session* s);
  const std::map<uint64_t, Session*>& sessions() const { return sessions_; }
  // Pub/Sub (server/pubsub.h).
  PubSub& pubsub() { return pubsub_; }
  // The Lua engine of EVAL and SCRIPT (server/scripting/engine.h).
  scripting::Engine& scripts() { return *scripts_; }
  const scripting::Engine& scripts() const { return *scripts_; }
  // The script (EVAL or FCALL) running now, or null; set by its scripting::Watchdog.
  scripting::RunningScript* running_script() const { return running_script_; }
  void set_running_script(scripting::RunningScript* s) { running_script_ = s; }
  // True while a script past busy-reply-threshold lets other clients in: they get -BUSY for
  // every command not flagged allow_busy.
  bool script_busy() const { return running_script_ != nullptr && running_script_->busy; }
  // Called by a busy script's watchdog between instructions: the network layer serves whatever
  // the other clients sent (without waiting) and returns. Set by the network layer.
  std::function<void()> on_busy_pump;
  void PumpWhileBusy() {
    if (on_busy_pump) on_busy_pump();
  }
  // Whether the current top-level command found memory over maxmemory after evicting; scripts
  // refuse deny-oom commands then, until their first write (as Redis's do).
  bool pre_command_oom() const { return pre_command_oom_; }
  // True with *error ("MISCONF ...", the whole error line) while writes are refused: the last
  // BGSAVE failed (stop-writes-on-bgsave-error) or the AOF cannot be written.
  bool WritesRefused(std::string* error) const;
  // The function libraries of FCALL and FUNCTION (server/scripting/functions.h).
  scripting::Functions& functions() { return *functions_; }
  const scripting::Functions& functions() const { return *functions_; }
  // Delivers a message to the subscribers of channel (PUBLISH, SPUBLISH, keyspace events), has
  // their output flushed before the loop sleeps and enforces their output buffer limit.
  // Returns the number of receivers. Defined in pubsub.cc.
  int64_t Publish(std::string_view channel, std::string_view message, bool shard);
  // client-output-buffer-limit: if s's unsent output (plus `incoming` bytes about to be added)
  // is past its class's hard limit, or past the soft limit for longer than allowed, marks s
  // close_asap, drops its output, logs it and asks the network layer to close it. Defined in
  // output_limits.cc.
  void CheckOutputLimit(Session& s, size_t incoming = 0);

  // MONITOR on/off for a session; kept as a list so commands pay nothing when nobody monitors.
  void SetMonitor(Session* s, bool on);
  // Shows a command to the MONITOR clients. Call() does it after each command that is not
  // skip_monitor or admin; EVAL does it itself before its script's commands, as Redis does.
  void FeedMonitors(const Session& s, std::span<const std::string_view> argv);
  // Called when a session other than the one running has new output (MONITOR, CLIENT KILL).
  std::function<void(Session*)> on_async_output;

  // Shutdown request from SHUTDOWN or a signal; the network layer acts on it.
  bool shutdown_requested() const { return shutdown_requested_; }
  void RequestShutdown() { shutdown_requested_ = true; }

  // Cron work (hz times a second): active expiry, stats sampling.
  void Cron();
  // DEBUG SET-ACTIVE-EXPIRE: whether Cron deletes expired keys (lazy expiry always runs).
  bool active_expire_enabled() const { return active_expire_enabled_; }
  void set_active_expire_enabled(bool on) { active_expire_enabled_ = on; }

  // Leaves MULTI: drops queued commands and the queueing-error flag, and unwatches every key.
  void DiscardTransaction(Session& s);

  // Deletes every key of every db (FLUSHALL), telling WATCH.
  void FlushAll();

  // The AOF (server/aof.h), when appendonly is on. StartAof loads an existing AOF and opens it
  // for appending; false with *error if that fails.
  bool StartAof(std::string* error);
  void StopAof();
  Aof* aof() { return aof_.get(); }
  // A test seam: the system calls of the AOF files the server opens (null: the real ones).
  // REQUIRES: outlives the AOF.
  persistence::FileOps* aof_file_ops = nullptr;
  // Before replies leave (after each batch of commands, and before the loop sleeps): writes the
  // AOF records of the writes being answered, fsynced under appendfsync always.
  void BeforeReplies();
  // After CONFIG SET: applies what must change at runtime (appendfsync ...).
  void OnConfigChanged();

  // Snapshots (server/snapshot.h).
  SnapshotStats& snapshots() { return snapshots_; }
  const SnapshotStats& snapshots() const { return snapshots_; }
  // Runs `work` off the loop thread, then `after` on it. The network layer installs a uv_queue_work
  // runner; without one (tests) both run at once, in order.
  std::function<void(std::function<void()> work, std::function<void()> after)> background_runner;
  void RunInBackground(std::function<void()> work, std::function<void()> after);
  // maxmemory (server/eviction.h): the policy in force, cached from the config.
  EvictionPolicy eviction_policy() const { return eviction_policy_; }
  bool lfu_tracking() const { return lfu_tracking_; }
  // Deletes a key for maxmemory: propagated as DEL, counted, published as `evicted`.
  void EvictKey(int db, const std::string& key);
  // Tests replace the memory figure eviction goes by (null: what the process allocated).
  std::function<int64_t()> used_memory_for_tests;

  // Background snapshots being written (BGSAVE, AOF rewrites; server/background_snapshot.h).
  // Call() tells each one about every write before it runs, which keeps them point in time.
  void AddSnapshotJob(std::shared_ptr<BackgroundSnapshot> job);
  // True when the network layer steps the jobs (StepSnapshots) whenever the loop has nothing
  // else to do; false (unit tests) makes a job walk the whole keyspace when it starts.
  bool incremental_snapshots = false;
  bool wants_snapshot_steps() const;
  // One slice (up to max_keys keys) of each job that can make progress; forgets finished jobs.
  static constexpr size_t kSnapshotSliceKeys = 4096;
  void StepSnapshots(size_t max_keys = kSnapshotSliceKeys);
  // Drops every job without finishing it (shutdown).
  void CancelSnapshots();
  // Summed over the jobs still walking, for INFO persistence's current_* fields.
  struct SnapshotProgress {
    uint64_t cow_bytes = 0;
    uint64_t keys_written = 0;
    uint64_t keys_total = 0;
  };
  SnapshotProgress snapshot_progress() const;
  // The save SHUTDOWN and SIGTERM do when save points are configured: false if it failed.
  bool SaveForShutdown(bool force_save, bool nosave);

  // Propagation (server/propagation.h). Sinks are not owned and must outlive their registration.
  void AddPropagationSink(PropagationSink* sink) { sinks_.push_back(sink); }
  void RemovePropagationSink(PropagationSink* sink);
  // Queues a command for the current group (nothing happens while no sink listens). The
  // string_view form copies into a pooled slot that keeps its capacity: no allocation once warm.
  void Propagate(int db, std::vector<std::string> argv);
  void Propagate(int db, std::span<const std::string_view> argv);
  // Hands the queued group to the sinks. Call() does it after each top-level command; the cron
  // after active expiry.
  // Forgets the commands waiting to be propagated (a script abandoned by SHUTDOWN NOSAVE: none
  // of its writes may reach the AOF).
  void DiscardPendingPropagation() { pending_count_ = 0; }
  void EmitPropagated();

 private:
  void Dispatch(Session& s, std::span<const std::string_view> argv);
  // Creates the AOF (loading the directory, or from the data in memory) and makes it a sink.
  bool InstallAof(bool from_memory, std::string* error);
  // Runs a blocked client's command again.
  void RunBlocked(Session& s, CallMode mode);
  // Replies with an error before the command runs (unknown, arity, auth, ...).
  void Reject(Session& s, ErrorReply e, Command* cmd);
  void RecordSlowlog(const Session& s, std::span<const std::string_view> argv, int64_t us);

  Config config_;
  store::Clock clock_;
  std::vector<std::unique_ptr<store::Db>> dbs_;
  std::unique_ptr<CommandRegistry> registry_;
  WatchRegistry watches_;
  BlockingRegistry blocking_;
  Stats stats_;
  std::deque<SlowlogEntry> slowlog_;
  uint64_t slowlog_next_id_ = 0;
  std::map<uint64_t, Session*> sessions_;
  std::vector<Session*> monitors_;
  PubSub pubsub_;
  std::unique_ptr<scripting::Engine> scripts_;
  std::unique_ptr<scripting::Functions> functions_;
  uint64_t next_client_id_ = 1;
  bool shutdown_requested_ = false;
  bool active_expire_enabled_ = true;
  std::mt19937_64 rng_;
  size_t expire_db_cursor_ = 0;
  std::vector<PropagationSink*> sinks_;
  std::unique_ptr<Aof> aof_;
  std::vector<std::unique_ptr<Aof>> retired_aofs_;
  std::vector<std::shared_ptr<BackgroundSnapshot>> snapshot_jobs_;
  EvictionPolicy eviction_policy_;
  bool lfu_tracking_ = false;
  void CacheEvictionPolicy();
  // Over maxmemory after evicting what it could, a command that may grow memory (flags: its
  // flags for these arguments) is refused (an EXEC too, if its transaction holds one). True iff
  // cmd may run. Sets pre_command_oom_.
  bool MemoryAllows(Session& s, Command* cmd, uint32_t flags);
  scripting::RunningScript* running_script_ = nullptr;
  bool pre_command_oom_ = false;
  // Before a write command runs: lets each walking snapshot keep the old values of its keys.
  void BeforeWriteForSnapshots(const Command& cmd, std::span<const std::string_view> argv, int db);
  SnapshotStats snapshots_;
  // A pool: the first pending_count_ are the group being built; the rest keep their capacity.
  std::vector<PropagatedCommand> pending_propagation_;
  size_t pending_count_ = 0;
  PropagatedCommand& NextPropagationSlot(int db);
  int call_depth_ = 0;    // > 0 while a command runs (EXEC's queued commands are nested)
  int64_t chain_us_ = 0;  // BeginBatch: when the batch's next command is taken to start; 0 = none
  // Modified/deleted key events: a write changed data even if it did not count itself dirty.
  uint64_t key_changes_ = 0;
};

// Milliseconds / microseconds since the Unix epoch, from the system clock.
int64_t NowMs();
int64_t NowUs();

}  // namespace server
