// INFO [section [section ...]]: the sections and field names of Redis 7.0, so that tools which
// parse INFO (redis-cli, exporters, client libraries gating on redis_version) work unchanged.
//
// Values are measured where Fickle has the thing measured, and are the constant Redis reports for
// a feature Fickle lacks (no replicas: connected_slaves:0; no forks: total_forks:0). Fields of
// Redis subsystems that do not exist here at all are left out rather than faked. The Latencystats
// section is omitted: no per-command latency histograms are kept.
#include "server/commands/info.h"

#include <malloc.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "server/aof.h"
#include "server/commands/families.h"
#include "server/context.h"
#include "server/memory_counter.h"
#include "server/scripting/engine.h"
#include "server/scripting/functions.h"
#include "server/server.h"
#include "server/version.h"

// mimalloc is linked into the executable only (release builds), not into this library or the
// tests. Weak references resolve to it when it is there and to null when it is not, so the same
// code reports mimalloc's numbers in the server and glibc's elsewhere.
extern "C" {
void mi_process_info(size_t* elapsed_msecs, size_t* user_msecs, size_t* system_msecs,
                     size_t* current_rss, size_t* peak_rss, size_t* current_commit,
                     size_t* peak_commit, size_t* page_faults) __attribute__((weak));
void mi_stats_print_out(void (*out)(const char* msg, void* arg), void* arg) __attribute__((weak));
void mi_collect(bool force) __attribute__((weak));
}

namespace server {
namespace detail {

MemorySample SampleMemory(Server& srv) {
  static int64_t peak = 0;
  static int64_t startup = 0;
  MemorySample m;
  const int64_t page = sysconf(_SC_PAGESIZE);
  std::ifstream statm("/proc/self/statm");
  int64_t size_pages = 0, rss_pages = 0;
  if (statm >> size_pages >> rss_pages) m.rss = rss_pages * page;
  if (memory::counting_enabled()) {
    // The executable counts every operator new block (server/memory_counter.h).
    m.used = memory::AllocatedBytes();
  } else if (mi_process_info != nullptr) {
    // mimalloc 2.0 release builds count no allocated bytes (its heap stats are not maintained)
    // and commit a whole arena up front, so the resident set is the honest figure.
    m.used = m.rss;
  } else {
    struct mallinfo2 mi = mallinfo2();
    m.used = static_cast<int64_t>(mi.uordblks + mi.hblkhd);
  }
  m.total_system = static_cast<int64_t>(sysconf(_SC_PHYS_PAGES)) * page;
  if (startup == 0) startup = m.used;
  if (m.used > peak) peak = m.used;
  m.peak = peak;
  m.startup = startup;
  for (int i = 0; i < srv.db_count(); ++i) {
    m.overhead += static_cast<int64_t>(srv.db(i).IndexMemoryBytes());
  }
  for (const auto& [id, s] : srv.sessions()) {
    m.clients_normal += static_cast<int64_t>(s->out.capacity() + s->query_buffer_bytes);
  }
  m.overhead += m.clients_normal;
  return m;
}

std::string BytesToHuman(int64_t n) {
  static const char kUnits[] = "KMGTPE";
  char buf[64];
  if (n < 1024) {
    std::snprintf(buf, sizeof(buf), "%" PRId64 "B", n);
    return buf;
  }
  double d = static_cast<double>(n);
  int unit = -1;
  while (d >= 1024 && unit < 5) {
    d /= 1024;
    ++unit;
  }
  std::snprintf(buf, sizeof(buf), "%.2f%c", d, kUnits[unit]);
  return buf;
}

std::string AllocatorStats() {
  if (mi_stats_print_out == nullptr) return "";
  std::string text;
  mi_stats_print_out(
      [](const char* msg, void* arg) { static_cast<std::string*>(arg)->append(msg); }, &text);
  return text;
}

void PurgeAllocator() {
  if (mi_collect != nullptr) {
    mi_collect(true);
  } else {
    malloc_trim(0);
  }
}

}  // namespace detail

namespace {

// A 40-hex-digit id, fixed for the life of the process (run_id, master_replid).
const std::string& ProcessId40(int which) {
  static const std::array<std::string, 2> ids = [] {
    std::random_device rd;
    std::array<std::string, 2> r;
    for (auto& id : r) {
      static const char kHex[] = "0123456789abcdef";
      for (int i = 0; i < 40; ++i) id.push_back(kHex[rd() % 16]);
    }
    return r;
  }();
  return ids[static_cast<size_t>(which)];
}

std::string ExecutablePath() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

// Accumulates "name:value\r\n" lines.
class Section {
 public:
  explicit Section(std::string_view title) { text_ = "# " + std::string(title) + "\r\n"; }
  void Add(std::string_view name, std::string_view value) {
    text_.append(name);
    text_.push_back(':');
    text_.append(value);
    text_.append("\r\n");
  }
  void Add(std::string_view name, int64_t v) { Add(name, std::to_string(v)); }
  void Add(std::string_view name, uint64_t v) { Add(name, std::to_string(v)); }
  void Add(std::string_view name, int v) { Add(name, std::to_string(v)); }
  void AddFixed(std::string_view name, double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    Add(name, buf);
  }
  std::string& text() { return text_; }

 private:
  std::string text_;
};

// "99.50%", as Redis prints the *_perc memory fields.
std::string Percent(double v) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.2f%%", v);
  return buf;
}

std::string CpuSeconds(const timeval& tv) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%ld.%06ld", static_cast<long>(tv.tv_sec),
                static_cast<long>(tv.tv_usec));
  return buf;
}

std::string ServerSection(Server& srv) {
  Section s("Server");
  const int64_t now_ms = NowMs();
  utsname un{};
  uname(&un);
  s.Add("redis_version", kRedisVersion);
  s.Add("fickle_version", kFickleVersion);
  s.Add("redis_git_sha1", "00000000");
  s.Add("redis_git_dirty", 0);
  s.Add("redis_build_id", "0");
  s.Add("redis_mode", "standalone");
  s.Add("os", std::string(un.sysname) + " " + un.release + " " + un.machine);
  s.Add("arch_bits", static_cast<int>(sizeof(void*) * 8));
  s.Add("monotonic_clock", "POSIX clock_gettime");
  s.Add("multiplexing_api", "epoll");
  s.Add("atomicvar_api", "c11-builtin");
#if defined(__clang__)
  s.Add("gcc_version", std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__) +
                           "." + std::to_string(__clang_patchlevel__));
#elif defined(__GNUC__)
  s.Add("gcc_version", std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
                           std::to_string(__GNUC_PATCHLEVEL__));
#endif
  s.Add("process_id", static_cast<int64_t>(getpid()));
  s.Add("process_supervised", "no");
  s.Add("run_id", ProcessId40(0));
  s.Add("tcp_port", srv.config().port);
  s.Add("server_time_usec", NowUs());
  const int64_t uptime = (now_ms - srv.stats().start_ms) / 1000;
  s.Add("uptime_in_seconds", uptime);
  s.Add("uptime_in_days", uptime / 86400);
  s.Add("hz", srv.config().hz);
  s.Add("configured_hz", srv.config().hz);
  s.Add("lru_clock", static_cast<int64_t>((now_ms / 1000) & ((1 << 24) - 1)));
  s.Add("executable", ExecutablePath());
  s.Add("config_file", srv.config().config_file);
  s.Add("io_threads_active", 0);
  return s.text();
}

std::string ClientsSection(Server& srv) {
  Section s("Clients");
  uint64_t max_in = 0, max_out = 0;
  for (const auto& [id, c] : srv.sessions()) {
    max_in = std::max<uint64_t>(max_in, c->query_buffer_bytes);
    max_out = std::max<uint64_t>(max_out, c->out.size() + c->pending_write_bytes);
  }
  s.Add("connected_clients", static_cast<uint64_t>(srv.sessions().size()));
  s.Add("cluster_connections", 0);
  s.Add("maxclients", srv.config().maxclients);
  s.Add("client_recent_max_input_buffer", max_in);
  s.Add("client_recent_max_output_buffer", max_out);
  s.Add("blocked_clients", static_cast<int64_t>(srv.blocking().blocked_clients()));
  s.Add("tracking_clients", 0);
  s.Add("clients_in_timeout_table", 0);
  return s.text();
}

std::string MemorySection(Server& srv) {
  Section s("Memory");
  const detail::MemorySample m = detail::SampleMemory(srv);
  const int64_t dataset = std::max<int64_t>(0, m.used - m.overhead - m.startup);
  const int64_t net = m.used - m.startup;
  s.Add("used_memory", m.used);
  s.Add("used_memory_human", detail::BytesToHuman(m.used));
  s.Add("used_memory_rss", m.rss);
  s.Add("used_memory_rss_human", detail::BytesToHuman(m.rss));
  s.Add("used_memory_peak", m.peak);
  s.Add("used_memory_peak_human", detail::BytesToHuman(m.peak));
  s.Add("used_memory_peak_perc", Percent(m.peak ? 100.0 * m.used / m.peak : 0.0));
  s.Add("used_memory_overhead", m.overhead);
  s.Add("used_memory_startup", m.startup);
  s.Add("used_memory_dataset", dataset);
  s.Add("used_memory_dataset_perc", Percent(net > 0 ? 100.0 * dataset / net : 0.0));
  s.Add("total_system_memory", m.total_system);
  s.Add("total_system_memory_human", detail::BytesToHuman(m.total_system));
  // Scripting memory, split as Redis 7.0 splits it: EVAL's Lua heap and cached scripts (bodies
  // and SHAs), the functions' own Lua heap and their libraries' bookkeeping; the totals add both.
  const scripting::Engine& lua = srv.scripts();
  const scripting::Functions& fns = srv.functions();
  const int64_t eval_vm = lua.LuaMemoryBytes();
  const int64_t fn_vm = fns.LuaMemoryBytes();
  const int64_t lua_bytes = eval_vm;
  const int64_t vm_total = eval_vm + fn_vm;
  const int64_t fn_bytes = fns.OverheadBytes();
  const int64_t script_bytes = static_cast<int64_t>(lua.cached_bytes()) + fn_bytes;
  s.Add("used_memory_lua", lua_bytes);
  s.Add("used_memory_vm_eval", eval_vm);
  s.Add("used_memory_lua_human", detail::BytesToHuman(lua_bytes));
  s.Add("used_memory_scripts_eval", static_cast<int64_t>(lua.cached_bytes()));
  s.Add("number_of_cached_scripts", static_cast<int64_t>(lua.cached_scripts()));
  s.Add("number_of_functions", static_cast<int64_t>(fns.function_count()));
  s.Add("number_of_libraries", static_cast<int64_t>(fns.libraries().size()));
  s.Add("used_memory_vm_functions", fn_vm);
  s.Add("used_memory_vm_total", vm_total);
  s.Add("used_memory_vm_total_human", detail::BytesToHuman(vm_total));
  s.Add("used_memory_functions", fn_bytes);
  s.Add("used_memory_scripts", script_bytes);
  s.Add("used_memory_scripts_human", detail::BytesToHuman(script_bytes));
  s.Add("maxmemory", srv.config().maxmemory);
  s.Add("maxmemory_human", detail::BytesToHuman(srv.config().maxmemory));
  s.Add("maxmemory_policy", srv.config().maxmemory_policy);
  s.AddFixed("mem_fragmentation_ratio",
             m.used > 0 ? static_cast<double>(m.rss) / static_cast<double>(m.used) : 0.0, 2);
  s.Add("mem_fragmentation_bytes", m.rss - m.used);
  s.Add("mem_not_counted_for_evict", 0);
  s.Add("mem_replication_backlog", 0);
  s.Add("mem_total_replication_buffers", 0);
  s.Add("mem_clients_slaves", 0);
  s.Add("mem_clients_normal", m.clients_normal);
  s.Add("mem_cluster_links", 0);
  s.Add("mem_aof_buffer", 0);
  s.Add("mem_allocator", kAllocator);
  s.Add("active_defrag_running", 0);
  s.Add("lazyfree_pending_objects", 0);
  s.Add("lazyfreed_objects", 0);
  return s.text();
}

std::string PersistenceSection(Server& srv) {
  // Nothing is saved or loaded yet (issue #4): these are the values of a server that has never
  // saved, which is the truth.
  Section s("Persistence");
  s.Add("loading", 0);
  s.Add("async_loading", 0);
  // Fickle does not fork: the "cow" fields report copy-before-write, the encoded old values a
  // background snapshot kept for keys written ahead of its walk.
  const Server::SnapshotProgress progress = srv.snapshot_progress();
  s.Add("current_cow_peak", progress.cow_bytes);
  s.Add("current_cow_size", progress.cow_bytes);
  s.Add("current_cow_size_age", 0);
  s.Add("current_fork_perc", "0.00");
  s.Add("current_save_keys_processed", progress.keys_written);
  s.Add("current_save_keys_total", progress.keys_total);
  s.Add("rdb_changes_since_last_save", srv.stats().dirty);
  const SnapshotStats& snap = srv.snapshots();
  s.Add("rdb_bgsave_in_progress", snap.bgsave_in_progress ? 1 : 0);
  s.Add("rdb_last_save_time", snap.last_save_s);
  s.Add("rdb_last_bgsave_status", snap.last_bgsave_ok ? "ok" : "err");
  s.Add("rdb_last_bgsave_time_sec", snap.last_bgsave_ms < 0 ? -1 : snap.last_bgsave_ms / 1000);
  s.Add("rdb_current_bgsave_time_sec",
        snap.bgsave_in_progress ? (NowMs() - snap.bgsave_started_ms) / 1000 : -1);
  s.Add("rdb_saves", snap.saves);
  s.Add("rdb_last_cow_size", snap.last_cow_bytes);
  s.Add("rdb_last_load_keys_expired", snap.last_load_keys_expired);
  s.Add("rdb_last_load_keys_loaded", snap.last_load_keys_loaded);
  s.Add("aof_enabled", srv.aof() != nullptr ? 1 : 0);
  const Aof* aof = srv.aof();
  const bool rewriting =
      (aof != nullptr && aof->rewrite_in_progress()) || snap.aof_rewrite_without_aof;
  s.Add("aof_rewrite_in_progress", rewriting ? 1 : 0);
  s.Add("aof_rewrite_scheduled", 0);
  s.Add("aof_last_rewrite_time_sec",
        aof == nullptr || aof->last_rewrite_ms() < 0 ? -1 : aof->last_rewrite_ms() / 1000);
  // A BGREWRITEAOF with the AOF off has no Aof object (nor a start time): it counts as 0 s.
  s.Add("aof_current_rewrite_time_sec", !rewriting ? -1
                                        : aof == nullptr
                                            ? 0
                                            : (NowMs() - aof->rewrite_started_ms()) / 1000);
  s.Add("aof_last_bgrewrite_status", aof == nullptr || aof->last_rewrite_ok() ? "ok" : "err");
  s.Add("aof_rewrites", aof == nullptr ? 0 : aof->rewrites());
  s.Add("aof_rewrites_consecutive_failures", aof == nullptr ? 0 : aof->rewrite_failures());
  s.Add("aof_last_write_status", srv.aof() == nullptr || srv.aof()->write_ok() ? "ok" : "err");
  s.Add("aof_last_cow_size", aof == nullptr ? 0 : aof->last_cow_bytes());
  s.Add("module_fork_in_progress", 0);
  s.Add("module_fork_last_cow_size", 0);
  if (aof != nullptr) {
    // Redis adds these only while the AOF is on.
    s.Add("aof_current_size", aof->current_size());
    s.Add("aof_base_size", aof->base_size());
    s.Add("aof_pending_rewrite", 0);
    s.Add("aof_buffer_length", aof->buffer_length());
    s.Add("aof_pending_bio_fsync", 0);
    s.Add("aof_delayed_fsync", aof->delayed_fsyncs());
  }
  return s.text();
}

std::string StatsSection(Server& srv) {
  const Stats& st = srv.stats();
  uint64_t expired = 0;
  for (int i = 0; i < srv.db_count(); ++i) expired += srv.db(i).expired_keys();
  Section s("Stats");
  s.Add("total_connections_received", st.total_connections_received);
  s.Add("total_commands_processed", st.total_commands_processed);
  s.Add("instantaneous_ops_per_sec", static_cast<int64_t>(st.instantaneous_ops));
  s.Add("total_net_input_bytes", st.total_net_input_bytes);
  s.Add("total_net_output_bytes", st.total_net_output_bytes);
  s.Add("total_net_repl_input_bytes", 0);
  s.Add("total_net_repl_output_bytes", 0);
  s.Add("rejected_connections", st.rejected_connections);
  s.Add("sync_full", 0);
  s.Add("sync_partial_ok", 0);
  s.Add("sync_partial_err", 0);
  s.Add("expired_keys", expired - st.expired_keys_base);
  s.Add("expired_stale_perc", "0.00");
  s.Add("expired_time_cap_reached_count", 0);
  s.Add("evicted_keys", st.evicted_keys);
  s.Add("evicted_clients", 0);
  s.Add("keyspace_hits", st.keyspace_hits);
  s.Add("keyspace_misses", st.keyspace_misses);
  s.Add("pubsub_channels", static_cast<uint64_t>(srv.pubsub().num_channels()));
  s.Add("pubsub_patterns", static_cast<uint64_t>(srv.pubsub().num_patterns()));
  s.Add("pubsubshard_channels", static_cast<uint64_t>(srv.pubsub().num_shard_channels()));
  s.Add("latest_fork_usec", 0);
  s.Add("total_forks", 0);
  s.Add("migrate_cached_sockets", 0);
  s.Add("tracking_total_keys", 0);
  s.Add("tracking_total_items", 0);
  s.Add("tracking_total_prefixes", 0);
  s.Add("unexpected_error_replies", st.unexpected_error_replies);
  s.Add("total_error_replies", st.total_error_replies);
  s.Add("dump_payload_sanitizations", 0);
  return s.text();
}

std::string ReplicationSection() {
  Section s("Replication");
  s.Add("role", "master");
  s.Add("connected_slaves", 0);
  s.Add("master_failover_state", "no-failover");
  s.Add("master_replid", ProcessId40(1));
  s.Add("master_replid2", std::string(40, '0'));
  s.Add("master_repl_offset", 0);
  s.Add("second_repl_offset", -1);
  s.Add("repl_backlog_active", 0);
  s.Add("repl_backlog_size", 1048576);
  s.Add("repl_backlog_first_byte_offset", 0);
  s.Add("repl_backlog_histlen", 0);
  return s.text();
}

std::string CpuSection() {
  Section s("CPU");
  rusage self{}, children{}, thread{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  getrusage(RUSAGE_THREAD, &thread);
  s.Add("used_cpu_sys", CpuSeconds(self.ru_stime));
  s.Add("used_cpu_user", CpuSeconds(self.ru_utime));
  s.Add("used_cpu_sys_children", CpuSeconds(children.ru_stime));
  s.Add("used_cpu_user_children", CpuSeconds(children.ru_utime));
  s.Add("used_cpu_sys_main_thread", CpuSeconds(thread.ru_stime));
  s.Add("used_cpu_user_main_thread", CpuSeconds(thread.ru_utime));
  return s.text();
}

void AddCommandStat(Section* s, const Command& c) {
  if (c.calls == 0 && c.failed_calls == 0 && c.rejected_calls == 0) return;
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                "calls=%" PRIu64 ",usec=%" PRIu64 ",usec_per_call=%.2f,rejected_calls=%" PRIu64
                ",failed_calls=%" PRIu64,
                c.calls, c.usec,
                c.calls ? static_cast<double>(c.usec) / static_cast<double>(c.calls) : 0.0,
                c.rejected_calls, c.failed_calls);
  s->Add("cmdstat_" + c.full_name, buf);
}

std::string CommandstatsSection(Server& srv) {
  Section s("Commandstats");
  for (const auto& [name, c] : srv.registry().all()) {
    AddCommandStat(&s, *c);
    for (const auto& [sub, sc] : c->subcommands) AddCommandStat(&s, *sc);
  }
  return s.text();
}

std::string ErrorstatsSection(Server& srv) {
  Section s("Errorstats");
  for (const auto& [prefix, count] : srv.stats().errorstats) {
    s.Add("errorstat_" + prefix, "count=" + std::to_string(count));
  }
  return s.text();
}

// Redis estimates avg_ttl from the keys its expire cycle samples; this samples the first keys
// with a TTL in key order, so INFO stays cheap on a large keyspace.
int64_t AverageTtl(const store::Db& db, int64_t now_ms) {
  constexpr size_t kMaxScan = 10000;
  if (db.expires_size() == 0) return 0;
  int64_t sum = 0, n = 0;
  size_t scanned = 0;
  for (store::Entry* e = db.First(); e != nullptr && scanned < kMaxScan; e = e->next(0)) {
    ++scanned;
    if (e->has_expire() && e->expire_at() > now_ms) {
      sum += e->expire_at() - now_ms;
      ++n;
    }
  }
  return n ? sum / n : 0;
}

std::string KeyspaceSection(Server& srv) {
  Section s("Keyspace");
  for (int i = 0; i < srv.db_count(); ++i) {
    const store::Db& db = srv.db(i);
    if (db.size() == 0) continue;
    s.Add("db" + std::to_string(i),
          "keys=" + std::to_string(db.size()) + ",expires=" + std::to_string(db.expires_size()) +
              ",avg_ttl=" + std::to_string(AverageTtl(db, srv.clock().now_ms)));
  }
  return s.text();
}

enum InfoSection : uint32_t {
  kServer = 1u << 0,
  kClients = 1u << 1,
  kMemory = 1u << 2,
  kPersistence = 1u << 3,
  kStats = 1u << 4,
  kReplication = 1u << 5,
  kCpu = 1u << 6,
  kModules = 1u << 7,
  kCommandstats = 1u << 8,
  kErrorstats = 1u << 9,
  kCluster = 1u << 10,
  kKeyspace = 1u << 11,
};

constexpr uint32_t kDefaultSections = kServer | kClients | kMemory | kPersistence | kStats |
                                      kReplication | kCpu | kModules | kErrorstats | kCluster |
                                      kKeyspace;
constexpr uint32_t kAllSections = kDefaultSections | kCommandstats;

uint32_t SectionBit(std::string_view name) {
  static const std::pair<std::string_view, uint32_t> kNames[] = {
      {"server", kServer},
      {"clients", kClients},
      {"memory", kMemory},
      {"persistence", kPersistence},
      {"stats", kStats},
      {"replication", kReplication},
      {"cpu", kCpu},
      {"modules", kModules},
      {"commandstats", kCommandstats},
      {"errorstats", kErrorstats},
      {"cluster", kCluster},
      {"keyspace", kKeyspace},
      {"default", kDefaultSections},
      {"all", kAllSections},
      {"everything", kAllSections},
  };
  for (const auto& [n, bit] : kNames) {
    if (EqualsNoCase(name, n)) return bit;
  }
  return 0;  // unknown sections are ignored, as in Redis
}

// INFO [section [section ...]]
void CmdInfo(CommandContext& ctx) {
  uint32_t want = ctx.argc() == 1 ? kDefaultSections : 0;
  for (size_t i = 1; i < ctx.argc(); ++i) want |= SectionBit(ctx.arg(i));
  Server& srv = ctx.server;
  std::string text;
  // Sections always come in Redis's order, separated by an empty line, whatever the order asked.
  auto add = [&](uint32_t bit, auto&& make) {
    if ((want & bit) == 0) return;
    if (!text.empty()) text.append("\r\n");
    text.append(make());
  };
  add(kServer, [&] { return ServerSection(srv); });
  add(kClients, [&] { return ClientsSection(srv); });
  add(kMemory, [&] { return MemorySection(srv); });
  add(kPersistence, [&] { return PersistenceSection(srv); });
  add(kStats, [&] { return StatsSection(srv); });
  add(kReplication, [&] { return ReplicationSection(); });
  add(kCpu, [&] { return CpuSection(); });
  add(kModules, [&] { return std::string("# Modules\r\n"); });
  add(kCommandstats, [&] { return CommandstatsSection(srv); });
  add(kErrorstats, [&] { return ErrorstatsSection(srv); });
  add(kCluster, [&] { return std::string("# Cluster\r\ncluster_enabled:0\r\n"); });
  add(kKeyspace, [&] { return KeyspaceSection(srv); });
  ctx.out.Verbatim("txt", text);
}

}  // namespace

std::vector<CommandSpec> InfoCommands() {
  return {
      {"info", -1, kLoading | kStale, 0, 0, 0, kAclSlow | kAclDangerous, CmdInfo, "server", "1.0.0",
       "Get information and statistics about the server"},
  };
}

}  // namespace server
