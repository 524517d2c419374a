// Server configuration: redis.conf syntax, command-line overrides (`--port 7000`), and the table
// behind CONFIG GET/SET/REWRITE. Names, defaults and value syntax follow Redis 7.0.
//
// Every directive is a row in one table (config.cc); a directive not in the table is an error,
// never a silent default. Directives that Fickle accepts but does not act on yet say so in the
// table's `note`, which docs/configuration.md lists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace server {

// Output buffer limit classes, in the order CONFIG GET client-output-buffer-limit lists them.
enum class ClientClass { kNormal = 0, kReplica = 1, kPubSub = 2 };

// One class's client-output-buffer-limit: a client whose unsent output reaches `hard` bytes, or
// stays at or above `soft` bytes for more than `soft_seconds`, is disconnected. 0 turns a limit
// off.
struct OutputBufferLimit {
  int64_t hard = 0;
  int64_t soft = 0;
  int64_t soft_seconds = 0;
};

struct Config {
  // network
  std::vector<std::string> bind = {"127.0.0.1", "-::1"};
  int port = 6379;
  bool protected_mode = true;
  int tcp_backlog = 511;
  int timeout = 0;
  int tcp_keepalive = 300;
  int maxclients = 10000;
  std::string unixsocket;
  int unixsocketperm = 0;
  std::string requirepass;
  // general
  int databases = 16;
  int hz = 10;
  bool daemonize = false;
  std::string pidfile;
  std::string loglevel = "notice";
  std::string logfile;
  std::string config_file;                  // absolute path of the file loaded, if any
  std::string enable_debug_command = "no";  // no | yes | local (connections from this host)
  // limits
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  // Indexed by ClientClass; Redis's defaults.
  OutputBufferLimit client_output_buffer_limit[3] = {{0, 0, 0},
                                                     {256LL * 1024 * 1024, 64LL * 1024 * 1024, 60},
                                                     {32LL * 1024 * 1024, 8LL * 1024 * 1024, 60}};
  int64_t maxmemory = 0;
  std::string maxmemory_policy = "noeviction";
  int maxmemory_samples = 5;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;
  // scripting: after this many ms a running script lets other clients in (they get -BUSY);
  // 0 never does (server/scripting/watchdog.h)
  int64_t busy_reply_threshold = 5000;
  // slow log
  int64_t slowlog_log_slower_than = 10000;
  int64_t slowlog_max_len = 128;
  // persistence (server/snapshot.h, server/aof.h)
  std::string dir;  // empty: the working directory at start
  std::string dbfilename = "dump.rdb";
  std::string save = "3600 1 300 100 60 10000";
  bool appendonly = false;
  std::string appendfilename = "appendonly.aof";
  std::string appenddirname = "appendonlydir";
  std::string appendfsync = "everysec";
  bool rdbcompression = true;
  bool rdbchecksum = true;
  bool stop_writes_on_bgsave_error = true;
  bool aof_load_truncated = true;
  int64_t auto_aof_rewrite_percentage = 100;
  int64_t auto_aof_rewrite_min_size = 64LL * 1024 * 1024;
  // collection encodings
  int64_t hash_max_listpack_entries = 512;
  int64_t hash_max_listpack_value = 64;
  int64_t list_max_listpack_size = -2;
  int64_t set_max_intset_entries = 512;
  int64_t set_max_listpack_entries = 128;
  int64_t set_max_listpack_value = 64;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;
  // notify-keyspace-events as a bitmask of NotifyFlag (server/notify.h); "" is 0.
  int notify_keyspace_events = 0;
  int64_t stream_node_max_bytes = 4096;
  int64_t stream_node_max_entries = 100;
};

// Splits a config line as redis.conf does (quotes and escapes as in inline commands).
// Returns false on unbalanced quotes.
bool SplitConfigLine(std::string_view line, std::vector<std::string>* out);

// Applies one directive (name lowercased by the callee). Returns "" on success, or the error
// message Redis would give ("Bad directive or wrong number of arguments", "argument must be ...").
// `at_startup` allows immutable directives.
std::string ApplyDirective(Config* c, const std::vector<std::string>& args, bool at_startup);

// Loads a redis.conf-style text (file contents, then command-line options). On error returns false
// and fills *error with a multi-line message naming the line, as redis-server prints it.
bool LoadConfigText(Config* c, std::string_view text, std::string* error);

// Parses `fickle-server [config-file] [--name value ...] [-]` arguments into *c.
// Returns false and fills *error on failure.
bool LoadConfigFromArgs(Config* c, int argc, char** argv, std::string* error);

struct ConfigEntry {
  std::string name;
  std::string value;
};
// Every directive whose name matches the glob pattern, in table order, each once.
std::vector<ConfigEntry> ConfigGet(const Config& c, std::string_view pattern);

// CONFIG SET of several name/value pairs, atomically: all or none apply. Returns "" or the
// error message (without "ERR ").
std::string ConfigSet(Config* c, const std::vector<std::pair<std::string, std::string>>& pairs);

// Writes the current configuration back into `path` (CONFIG REWRITE): lines of known directives
// are updated in place, others kept. Returns "" or an error message.
std::string ConfigRewrite(const Config& c, const std::string& path);

// Parses a memory amount: "100", "1k", "5mb", "1gb" (k = 1000, kb = 1024, as Redis's memtoull).
bool ParseMemory(std::string_view s, int64_t* out);

}  // namespace server
