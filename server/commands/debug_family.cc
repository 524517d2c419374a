// DEBUG and MEMORY: introspection for operators and tests.
//
// DEBUG is refused unless `enable-debug-command` allows it, as in Redis 7.0 (default "no"), because
// DEBUG SLEEP stalls the whole server. Only the subcommands that make sense without Redis's
// internals are implemented: OBJECT, SLEEP, SET-ACTIVE-EXPIRE, LOG, ERROR, POPULATE, PROTOCOL.
#include <time.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "server/commands/families.h"
#include "server/commands/info.h"
#include "server/context.h"
#include "server/log.h"
#include "server/server.h"

namespace server {
namespace {

// Redis shares the integer objects 0..9999 and reports their refcount as INT_MAX.
constexpr int64_t kSharedIntegers = 10000;
constexpr int64_t kSharedRefcount = 2147483647;
constexpr uint32_t kLruClockMask = (1u << 24) - 1;  // Redis's LRU clock has 24 bits

void DebugSyntaxError(CommandContext& ctx) {
  ctx.Error("ERR", "unknown subcommand or wrong number of arguments for '" +
                       std::string(ctx.arg(1)) + "'. Try DEBUG HELP.");
}

bool DebugAllowed(const CommandContext& ctx) {
  const std::string& mode = ctx.server.config().enable_debug_command;
  if (mode == "yes" || ctx.session.is_internal) return true;
  if (mode != "local") return false;
  const std::string& a = ctx.session.addr;
  return a.rfind("127.", 0) == 0 || a.rfind("::1", 0) == 0 || a.rfind("[::1]", 0) == 0 ||
         a.rfind("/", 0) == 0;
}

// Bytes of an RDB length prefix (1, 2, 5 or 9).
size_t RdbLenBytes(uint64_t len) {
  if (len < (1u << 6)) return 1;
  if (len < (1u << 14)) return 2;
  if (len <= UINT32_MAX) return 5;
  return 9;
}

// The size of a string value in an RDB file, without LZF compression (which Fickle's RDB writer,
// issue #4, decides): integers that fit 32 bits take a type byte and 1, 2 or 4 bytes.
size_t SerializedStringLength(const store::Value& v) {
  if (v.is_int()) {
    int64_t i = v.int_value();
    if (i >= INT8_MIN && i <= INT8_MAX) return 2;
    if (i >= INT16_MIN && i <= INT16_MAX) return 3;
    if (i >= INT32_MIN && i <= INT32_MAX) return 5;
    std::string digits = store::FormatInt64(i);
    return RdbLenBytes(digits.size()) + digits.size();
  }
  return RdbLenBytes(v.StrLen()) + v.StrLen();
}

// DEBUG OBJECT key
void DebugObject(CommandContext& ctx) {
  store::Entry* e = ctx.db->Find(ctx.arg(2));
  if (e == nullptr) return ctx.Error(err::kNoSuchKey);
  const store::Value& v = e->value();
  int64_t refcount = 1;
  if (v.is_int() && v.int_value() >= 0 && v.int_value() < kSharedIntegers) {
    refcount = kSharedRefcount;
  }
  // Collections have no RDB encoding yet (issues #3 and #4), so their length is reported as 0.
  size_t serialized = v.is_string() ? SerializedStringLength(v) : 0;
  uint32_t now_s = LruClock(ctx);
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                "Value at:%p refcount:%" PRId64
                " encoding:%s serializedlength:%zu lru:%u "
                "lru_seconds_idle:%u",
                static_cast<const void*>(&v), refcount, std::string(v.Encoding()).c_str(),
                serialized, e->lru() & kLruClockMask, now_s - e->lru());
  ctx.out.SimpleString(buf);
}

// DEBUG SLEEP seconds: blocks the loop on purpose (tests use it to simulate a slow command).
void DebugSleep(CommandContext& ctx) {
  // Redis reads the argument with atof: anything unparsable sleeps 0 seconds.
  double secs = std::atof(std::string(ctx.arg(2)).c_str());
  if (secs > 0) {
    timespec ts;
    ts.tv_sec = static_cast<time_t>(secs);
    ts.tv_nsec = static_cast<long>((secs - static_cast<double>(ts.tv_sec)) * 1e9);
    nanosleep(&ts, nullptr);
  }
  ctx.out.Ok();
}

// DEBUG POPULATE count [prefix] [size]
void DebugPopulate(CommandContext& ctx) {
  constexpr ErrorReply kNotPositive{"ERR", "value is out of range, must be positive"};
  int64_t count = 0, size = 0;
  if (!store::ParseInt64(ctx.arg(2), &count) || count < 0) return ctx.Error(kNotPositive);
  std::string prefix = ctx.argc() >= 4 ? std::string(ctx.arg(3)) : "key";
  if (ctx.argc() == 5 && (!store::ParseInt64(ctx.arg(4), &size) || size < 0)) {
    return ctx.Error(kNotPositive);
  }
  for (int64_t j = 0; j < count; ++j) {
    std::string key = prefix + ":" + std::to_string(j);
    if (ctx.db->Find(key) != nullptr) continue;  // existing keys are left alone
    std::string val = "value:" + std::to_string(j);
    // With a size, the value is cut to it or padded with zero bytes, as Redis does.
    if (size > 0) val.resize(static_cast<size_t>(size), '\0');
    ctx.db->Insert(key, store::Value::String(val));
  }
  ctx.out.Ok();
}

// DEBUG PROTOCOL type: one reply of each RESP type, for client library tests.
void DebugProtocol(CommandContext& ctx) {
  std::string_view t = ctx.arg(2);
  resp::Writer& o = ctx.out;
  const bool resp3 = o.proto() == 3;
  if (EqualsNoCase(t, "string")) {
    o.Bulk("Hello World");
  } else if (EqualsNoCase(t, "integer")) {
    o.Integer(12345);
  } else if (EqualsNoCase(t, "double")) {
    // A literal: Redis prints 3.141 with the shortest representation.
    resp3 ? o.Raw(",3.141\r\n") : o.Bulk("3.141");
  } else if (EqualsNoCase(t, "bignum")) {
    o.BigNumber("1234567999999999999999999999999999999");
  } else if (EqualsNoCase(t, "null")) {
    o.Null();
  } else if (EqualsNoCase(t, "array") || EqualsNoCase(t, "set")) {
    EqualsNoCase(t, "set") ? o.SetHeader(3) : o.ArrayHeader(3);
    for (int i = 0; i < 3; ++i) o.Integer(i);
  } else if (EqualsNoCase(t, "map")) {
    o.MapHeader(3);
    for (int i = 0; i < 3; ++i) {
      o.Integer(i);
      o.Bool(i == 1);
    }
  } else if (EqualsNoCase(t, "attrib")) {
    if (resp3) {
      // The writer has no attribute type; this is its one use.
      o.Raw("|1\r\n");
      o.Bulk("key-popularity");
      o.ArrayHeader(2);
      o.Bulk("key:123");
      o.Integer(90);
    }
    o.Bulk("Some real reply following the attribute");
  } else if (EqualsNoCase(t, "push")) {
    if (!resp3) return ctx.Error("ERR", "RESP2 is not supported by this command");
    o.PushHeader(2);
    o.Bulk("server-cpu-usage");
    o.Integer(42);
    o.Bulk("Some real reply following the push reply");
  } else if (EqualsNoCase(t, "verbatim")) {
    o.Verbatim("txt", "This is a verbatim\nstring");
  } else if (EqualsNoCase(t, "true") || EqualsNoCase(t, "false")) {
    o.Bool(EqualsNoCase(t, "true"));
  } else {
    ctx.Error("ERR",
              "Wrong protocol type name. Please use one of the following: "
              "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
  }
}

void DebugHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ERROR <string>",
      "    Return a Redis protocol error with <string> as message. Useful for clients",
      "    unit tests to simulate Redis errors.",
      "LOG <message>",
      "    Write <message> to the server log.",
      "OBJECT <key>",
      "    Show low level info about `key` and associated value.",
      "POPULATE <count> [<prefix>] [<size>]",
      "    Create <count> string keys named key:<num>. If <prefix> is specified then",
      "    it is used instead of the 'key' prefix.",
      "PROTOCOL <type>",
      "    Reply with a test value of the specified type. <type> can be: string,",
      "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
      "    true, false.",
      "SET-ACTIVE-EXPIRE <0|1>",
      "    Setting it to 0 disables expiring keys in background when they are not",
      "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
      "    default.",
      "SLEEP <seconds>",
      "    Stop the server for <seconds>. Decimals allowed.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

// DEBUG subcommand [argument ...]
void CmdDebug(CommandContext& ctx) {
  if (!DebugAllowed(ctx)) {
    return ctx.Error("ERR",
                     "DEBUG command not allowed. If the enable-debug-command option is set to "
                     "\"local\", you can run it from a local connection, otherwise you need to "
                     "set this option in the configuration file, and then restart the server.");
  }
  std::string_view sub = ctx.arg(1);
  const size_t n = ctx.argc();
  if (EqualsNoCase(sub, "help") && n == 2) {
    DebugHelp(ctx);
  } else if (EqualsNoCase(sub, "object") && n == 3) {
    DebugObject(ctx);
  } else if (EqualsNoCase(sub, "sleep") && n == 3) {
    DebugSleep(ctx);
  } else if (EqualsNoCase(sub, "set-active-expire") && n == 3) {
    ctx.server.set_active_expire_enabled(std::atoi(std::string(ctx.arg(2)).c_str()) != 0);
    ctx.out.Ok();
  } else if (EqualsNoCase(sub, "log") && n == 3) {
    LogWarning("DEBUG LOG: " + std::string(ctx.arg(2)));
    ctx.out.Ok();
  } else if (EqualsNoCase(sub, "error") && n == 3) {
    // The argument is the whole error line: its first word is the code.
    std::string_view line = ctx.arg(2);
    size_t sp = line.find(' ');
    std::string_view prefix = line.substr(0, sp);
    std::string_view msg = sp == std::string_view::npos ? "" : line.substr(sp + 1);
    ctx.Error(prefix, msg);
  } else if (EqualsNoCase(sub, "populate") && n >= 3 && n <= 5) {
    DebugPopulate(ctx);
  } else if (EqualsNoCase(sub, "protocol") && n == 3) {
    DebugProtocol(ctx);
  } else {
    DebugSyntaxError(ctx);
  }
}

// An estimate of the bytes one key costs, from what Fickle allocates for it: the skip-list node
// (header, one link, the 18-byte value, the expiry slot of a key that has had a TTL, the key;
// see store/entry.h), rounded to the allocator's 16-byte classes, plus a third of a link (heights
// are geometric with p = 1/4), two hash-index slots (the table runs between half and
// three-quarters full), a heap slot for a key with a TTL, and the heap bytes of a string longer
// than the value's inline capacity. Collections count their node only until they can report
// their size (issue #3).
size_t EstimateKeyBytes(const store::Entry& e) {
  auto round16 = [](size_t n) { return (n + 15) & ~static_cast<size_t>(15); };
  constexpr size_t kExpirySlot = sizeof(int64_t) + sizeof(uint32_t);
  constexpr size_t kExpiryHeapItem = sizeof(int64_t) + sizeof(void*);
  size_t bytes = round16(sizeof(store::Entry) + sizeof(store::Value) + e.key().size() +
                         (e.has_expire() ? kExpirySlot : 0)) +
                 sizeof(void*) / 3 + 2 * sizeof(void*);
  const store::Value& v = e.value();
  if (v.is_string() && v.ExternalStringBytes() > 0) bytes += round16(v.ExternalStringBytes());
  if (e.has_expire()) bytes += kExpiryHeapItem;
  return bytes;
}

// MEMORY USAGE key [SAMPLES count]
void CmdMemoryUsage(CommandContext& ctx) {
  if (ctx.argc() != 3 && ctx.argc() != 5) return ctx.Error(err::kSyntax);
  if (ctx.argc() == 5) {
    if (!EqualsNoCase(ctx.arg(3), "samples")) return ctx.Error(err::kSyntax);
    int64_t samples;
    if (!ParseIntOrReply(ctx, ctx.arg(4), &samples)) return;
    if (samples < 0) return ctx.Error(err::kSyntax);
  }
  store::Entry* e = ctx.db->Find(ctx.arg(2));
  if (e == nullptr) return ctx.out.Null();
  ctx.out.Integer(static_cast<int64_t>(EstimateKeyBytes(*e)));
}

// MEMORY STATS
void CmdMemoryStats(CommandContext& ctx) {
  Server& srv = ctx.server;
  const detail::MemorySample m = detail::SampleMemory(srv);
  int64_t keys = 0;
  int dbs_with_keys = 0;
  for (int i = 0; i < srv.db_count(); ++i) {
    keys += static_cast<int64_t>(srv.db(i).size());
    if (srv.db(i).size() > 0) ++dbs_with_keys;
  }
  const int64_t dataset = std::max<int64_t>(0, m.used - m.overhead - m.startup);
  const int64_t net = m.used - m.startup;
  resp::Writer& o = ctx.out;
  o.MapHeader(17 + dbs_with_keys);
  auto kv = [&](std::string_view k, int64_t v) {
    o.Bulk(k);
    o.Integer(v);
  };
  kv("peak.allocated", m.peak);
  kv("total.allocated", m.used);
  kv("startup.allocated", m.startup);
  kv("replication.backlog", 0);
  kv("clients.slaves", 0);
  kv("clients.normal", m.clients_normal);
  kv("cluster.links", 0);
  kv("aof.buffer", 0);
  kv("lua.caches", 0);
  kv("functions.caches", 0);
  for (int i = 0; i < srv.db_count(); ++i) {
    const store::Db& db = srv.db(i);
    if (db.size() == 0) continue;
    o.Bulk("db." + std::to_string(i));
    o.MapHeader(3);
    kv("overhead.hashtable.main", static_cast<int64_t>(db.IndexMemoryBytes()));
    kv("overhead.hashtable.expires", static_cast<int64_t>(db.expires_size() * 48));
    kv("overhead.hashtable.slot-to-keys", 0);
  }
  kv("overhead.total", m.overhead + m.startup);
  kv("keys.count", keys);
  kv("keys.bytes-per-key", keys ? net / keys : 0);
  kv("dataset.bytes", dataset);
  o.Bulk("dataset.percentage");
  o.Double(net > 0 ? 100.0 * static_cast<double>(dataset) / static_cast<double>(net) : 0.0);
  o.Bulk("peak.percentage");
  o.Double(m.peak > 0 ? 100.0 * static_cast<double>(m.used) / static_cast<double>(m.peak) : 0.0);
  o.Bulk("fragmentation");
  o.Double(m.used > 0 ? static_cast<double>(m.rss) / static_cast<double>(m.used) : 0.0);
  kv("fragmentation.bytes", m.rss - m.used);
}

// MEMORY DOCTOR
void CmdMemoryDoctor(CommandContext& ctx) {
  constexpr int64_t kTooLittle = 5 * 1024 * 1024;
  const detail::MemorySample m = detail::SampleMemory(ctx.server);
  std::string report;
  if (m.used < kTooLittle) {
    report =
        "Hi Sam, this instance is empty or is using very little memory, my issues detector can't "
        "be used in these conditions. Please, leave for your mission on Earth and fill it with "
        "some data. The new Sam and I will be back to our programming as soon as I finished "
        "rebooting.\n";
  } else {
    std::string issues;
    if (m.peak > m.used + m.used / 2) {
      issues +=
          " * Peak memory: at some point the allocated memory was more than 150% of what "
          "is used now. The RSS may stay high until the allocator returns the pages; "
          "MEMORY PURGE asks it to.\n\n";
    }
    if (m.rss > m.used + m.used / 2 && m.rss - m.used > 10 * 1024 * 1024) {
      issues +=
          " * High fragmentation: the resident set is more than 150% of the allocated "
          "memory.\n\n";
    }
    if (m.clients_normal > 200 * 1024 * 1024) {
      issues += " * Big client buffers: clients hold more than 200MB of buffers.\n\n";
    }
    report = issues.empty() ? "Hi Sam, I can't find any memory issue in your instance. I can "
                              "only account for what occurs on this base.\n"
                            : "Sam, I detected a few issues in this Fickle instance memory "
                              "implants:\n\n" +
                                  issues;
  }
  ctx.out.Verbatim("txt", report);
}

// MEMORY MALLOC-STATS
void CmdMemoryMallocStats(CommandContext& ctx) {
  std::string stats = detail::AllocatorStats();
  ctx.out.Verbatim("txt", stats.empty() ? "Stats not supported for the current allocator" : stats);
}

// MEMORY PURGE
void CmdMemoryPurge(CommandContext& ctx) {
  detail::PurgeAllocator();
  ctx.out.Ok();
}

// MEMORY HELP
void CmdMemoryHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return memory problems reports.",
      "MALLOC-STATS",
      "    Return internal statistics report from the memory allocator.",
      "PURGE",
      "    Attempt to purge dirty pages for reclamation by the allocator.",
      "STATS",
      "    Return information about the memory usage of the server.",
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> DebugCommands() {
  return {
      {"debug", -2, kAdmin | kNoScript | kLoading | kStale, 0, 0, 0,
       kAclAdmin | kAclSlow | kAclDangerous, CmdDebug, "server", "1.0.0",
       "A container for debugging commands"},
      {"memory",
       -2,
       0,
       0,
       0,
       0,
       kAclSlow,
       nullptr,
       "server",
       "4.0.0",
       "A container for memory diagnostics commands",
       {
           {"doctor", 2, 0, 0, 0, 0, kAclSlow, CmdMemoryDoctor, "server", "4.0.0",
            "Outputs memory problems report"},
           {"malloc-stats", 2, 0, 0, 0, 0, kAclSlow, CmdMemoryMallocStats, "server", "4.0.0",
            "Show allocator internal stats"},
           {"purge", 2, 0, 0, 0, 0, kAclSlow, CmdMemoryPurge, "server", "4.0.0",
            "Ask the allocator to release memory"},
           {"stats", 2, 0, 0, 0, 0, kAclSlow, CmdMemoryStats, "server", "4.0.0",
            "Show memory usage details"},
           {"usage", -3, kReadOnly, 2, 2, 1, kAclRead | kAclSlow, CmdMemoryUsage, "server", "4.0.0",
            "Estimate the memory usage of a key"},
           {"help", 2, kLoading | kStale, 0, 0, 0, kAclSlow, CmdMemoryHelp, "server", "4.0.0",
            "Show helpful text about the different subcommands"},
       }},
  };
}

}  // namespace server
