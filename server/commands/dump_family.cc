// DUMP and RESTORE: a value serialized as in an RDB file, with a version and a CRC-64, so
// payloads move between Fickle and Redis 7.0 (persistence/dump_payload.h). Checks run in Redis
// 7.0's order: RESTORE's options, then the key's existence (BUSYKEY), then the TTL, then the
// payload's version and checksum, then its contents.
#include <cstdint>
#include <string>
#include <vector>

#include "persistence/crc64.h"
#include "persistence/dump_payload.h"
#include "server/commands/families.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "server/snapshot.h"

namespace server {
namespace {

constexpr int kNewestRdbVersion = 11;

// DUMP key
void CmdDump(CommandContext& ctx) {
  const store::Entry* e = LookupRead(ctx, ctx.arg(1));
  if (e == nullptr) return ctx.out.Null();
  persistence::EncodeOptions opts;
  opts.compression = ctx.server.config().rdbcompression;
  opts.list_fill = ctx.server.config().list_max_listpack_size;
  ctx.out.Bulk(persistence::DumpValue(e->value(), opts));
}

// Whether the payload's footer holds a version we read and a matching CRC-64.
bool FooterOk(std::string_view p) {
  if (p.size() < 10) return false;
  const auto* b = reinterpret_cast<const unsigned char*>(p.data() + p.size() - 10);
  const int version = b[0] | (b[1] << 8);
  uint64_t crc = 0;
  for (int i = 0; i < 8; ++i) crc |= static_cast<uint64_t>(b[2 + i]) << (8 * i);
  return version <= kNewestRdbVersion && persistence::Crc64(0, p.substr(0, p.size() - 8)) == crc;
}

struct RestoreParams {
  bool replace = false;
  bool absttl = false;
  int64_t idle_s = -1;  // IDLETIME, or -1
};

bool ParseRestoreOrReply(CommandContext& ctx, RestoreParams* p) {
  for (size_t j = 4; j < ctx.argc(); ++j) {
    const bool has_next = j + 1 < ctx.argc();
    if (EqualsNoCase(ctx.arg(j), "replace")) {
      p->replace = true;
    } else if (EqualsNoCase(ctx.arg(j), "absttl")) {
      p->absttl = true;
    } else if (EqualsNoCase(ctx.arg(j), "idletime") && has_next) {
      if (!ParseIntOrReply(ctx, ctx.arg(++j), &p->idle_s)) return false;
      if (p->idle_s < 0) {
        ctx.Error("ERR", "Invalid IDLETIME value, must be >= 0");
        return false;
      }
    } else if (EqualsNoCase(ctx.arg(j), "freq") && has_next) {
      // Kept for the syntax; eviction by LFU is issue #6, so the counter has nowhere to go.
      int64_t freq;
      if (!ParseIntOrReply(ctx, ctx.arg(++j), &freq)) return false;
      if (freq < 0 || freq > 255) {
        ctx.Error("ERR", "Invalid FREQ value, must be >= 0 and <= 255");
        return false;
      }
    } else {
      ctx.Error(err::kSyntax);
      return false;
    }
  }
  return true;
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
void CmdRestore(CommandContext& ctx) {
  RestoreParams p;
  if (!ParseRestoreOrReply(ctx, &p)) return;
  const std::string key(ctx.arg(1));
  if (!p.replace && LookupWrite(ctx, key) != nullptr) {
    return ctx.Error("BUSYKEY", "Target key name already exists.");
  }
  int64_t ttl;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &ttl)) return;
  if (ttl < 0) return ctx.Error("ERR", "Invalid TTL value, must be >= 0");
  if (!FooterOk(ctx.arg(3))) return ctx.Error("ERR", "DUMP payload version or checksum are wrong");
  persistence::RdbResult<store::Value> v =
      persistence::ParseDumpPayload(ctx.arg(3), LoadLimitsFrom(ctx.server));
  if (!v.ok()) return ctx.Error("ERR", "Bad data format");
  const int64_t now = ctx.server.clock().now_ms;
  int64_t at = ttl;
  if (ttl != 0 && !p.absttl && __builtin_add_overflow(ttl, now, &at)) at = INT64_MAX;
  bool existed = false;
  if (p.replace) existed = ctx.db->Erase(key);
  AddDirty(ctx);
  if (ttl != 0 && at <= now) {
    // Already expired: nothing is stored, and a replaced key is simply gone.
    if (existed) {
      ctx.PropagateAs({"DEL", key});
      Notify(ctx, kNotifyGeneric, "del", key);
    }
    return ctx.out.Ok();
  }
  store::Entry* e = ctx.db->Insert(key, std::move(v.value()), /*expire_slot=*/ttl != 0);
  if (ttl != 0) e = ctx.db->SetExpire(e, at);
  if (p.idle_s >= 0) e->set_lru(LruClock(ctx) - static_cast<uint32_t>(p.idle_s));
  Notify(ctx, kNotifyGeneric, "restore", key);
  // A relative TTL is logged as the absolute time it became (IDLETIME and FREQ touch no data).
  if (ttl != 0 && !p.absttl) {
    const std::string abs = std::to_string(at);
    if (p.replace) {
      ctx.PropagateAs({"RESTORE", key, abs, ctx.arg(3), "ABSTTL", "REPLACE"});
    } else {
      ctx.PropagateAs({"RESTORE", key, abs, ctx.arg(3), "ABSTTL"});
    }
  }
  ctx.out.Ok();
}

}  // namespace

std::vector<CommandSpec> DumpCommands() {
  return {
      {"dump", 2, kReadOnly, 1, 1, 1, kAclKeyspace | kAclRead | kAclSlow, CmdDump, "generic",
       "2.6.0", "Returns a serialized representation of the value stored at a key."},
      {"restore", -4, kWrite | kDenyOom, 1, 1, 1,
       kAclKeyspace | kAclWrite | kAclSlow | kAclDangerous, CmdRestore, "generic", "2.6.0",
       "Creates a key from the serialized representation of a value."},
  };
}

}  // namespace server
