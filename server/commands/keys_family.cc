// Generic key commands: DEL UNLINK EXISTS TOUCH TYPE, the EXPIRE/TTL family, PERSIST, RENAME,
// RENAMENX, MOVE, COPY, RANDOMKEY and OBJECT, with Redis 7.0's replies. The ordered-keyspace
// commands (SCAN, KEYS, KRANGE, KDELRANGE) are in scan_family.cc.
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "server/commands/families.h"
#include "server/context.h"
#include "server/eviction.h"
#include "server/notify.h"
#include "server/server.h"

namespace server {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
// Redis shares one object for each integer value below this, and OBJECT REFCOUNT shows that.
constexpr int64_t kSharedIntegers = 10000;
constexpr int64_t kSharedRefcount = std::numeric_limits<int32_t>::max();

// A read that counts keyspace hits/misses but keeps the access time, as Redis's
// LOOKUP_NOTOUCH reads (EXISTS, TYPE, TTL, OBJECT) do. A miss is a `keymiss` event unless
// !notify_miss (OBJECT, as Redis's LOOKUP_NONOTIFY).
store::Entry* LookupReadNoTouch(CommandContext& ctx, std::string_view key,
                                bool notify_miss = true) {
  store::Entry* e = ctx.db->Find(key);
  if (e == nullptr) {
    ++ctx.server.stats().keyspace_misses;
    if (notify_miss) Notify(ctx, kNotifyKeyMiss, "keymiss", key);
  } else {
    ++ctx.server.stats().keyspace_hits;
  }
  return e;
}

// Parses a db index as Redis's getIntFromObjectOrReply followed by a range check.
bool ParseDbIndexOrReply(CommandContext& ctx, std::string_view s, int* out) {
  int64_t v;
  if (!ParseIntOrReply(ctx, s, &v)) return false;
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    ctx.Error(err::kNotInt32);
    return false;
  }
  if (v < 0 || v >= ctx.server.db_count()) {
    ctx.Error(err::kDbIndexOutOfRange);
    return false;
  }
  *out = static_cast<int>(v);
  return true;
}

// DEL key [key ...]  and  UNLINK key [key ...]
// UNLINK frees in the background in Redis; here freeing is synchronous, which only changes
// latency, not the reply.
void CmdDel(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    if (!ctx.db->Erase(ctx.arg(i))) continue;
    ++n;
    Notify(ctx, kNotifyGeneric, "del", ctx.arg(i));
  }
  ctx.out.Integer(n);
}

// EXISTS key [key ...]  (a key named twice counts twice)
void CmdExists(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) n += LookupReadNoTouch(ctx, ctx.arg(i)) ? 1 : 0;
  ctx.out.Integer(n);
}

// TOUCH key [key ...]
void CmdTouch(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) n += LookupRead(ctx, ctx.arg(i)) ? 1 : 0;
  ctx.out.Integer(n);
}

// TYPE key
void CmdType(CommandContext& ctx) {
  store::Entry* e = LookupReadNoTouch(ctx, ctx.arg(1));
  ctx.out.SimpleString(e == nullptr ? "none" : store::TypeName(e->value().type()));
}

enum ExpireFlag : unsigned { kExpireNx = 1, kExpireXx = 2, kExpireGt = 4, kExpireLt = 8 };

// Parses [NX | XX | GT | LT] from argv[3] on into a mask of ExpireFlag.
bool ParseExpireFlagsOrReply(CommandContext& ctx, unsigned* flags) {
  *flags = 0;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view a = ctx.arg(i);
    if (EqualsNoCase(a, "nx")) {
      *flags |= kExpireNx;
    } else if (EqualsNoCase(a, "xx")) {
      *flags |= kExpireXx;
    } else if (EqualsNoCase(a, "gt")) {
      *flags |= kExpireGt;
    } else if (EqualsNoCase(a, "lt")) {
      *flags |= kExpireLt;
    } else {
      std::string msg = "Unsupported option " + std::string(a);
      ctx.Error("ERR", msg);
      return false;
    }
  }
  if ((*flags & kExpireNx) && (*flags & (kExpireXx | kExpireGt | kExpireLt))) {
    ctx.Error(err::kExpireNxConflict);
    return false;
  }
  if ((*flags & kExpireGt) && (*flags & kExpireLt)) {
    ctx.Error(err::kExpireGtLtConflict);
    return false;
  }
  return true;
}

// Whether the NX/XX/GT/LT conditions allow replacing expiry `current` (0: none) by `when`.
bool ExpireAllowed(unsigned flags, int64_t current, int64_t when) {
  if ((flags & kExpireNx) && current != 0) return false;
  if ((flags & kExpireXx) && current == 0) return false;
  // No expiry counts as an infinite one: never less than `when`, always greater.
  if ((flags & kExpireGt) && (current == 0 || when <= current)) return false;
  if ((flags & kExpireLt) && current != 0 && when >= current) return false;
  return true;
}

// The shared body of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT. `basetime` is now for the relative
// forms and 0 for the absolute ones.
void ExpireGeneric(CommandContext& ctx, int64_t basetime, bool seconds) {
  unsigned flags;
  if (!ParseExpireFlagsOrReply(ctx, &flags)) return;
  int64_t when;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &when)) return;
  // Negative times are allowed (they delete the key), so only overflow is an error.
  const std::string invalid = "invalid expire time in '" + ctx.cmd.full_name + "' command";
  if (seconds) {
    if (when > kInt64Max / 1000 || when < kInt64Min / 1000) return ctx.Error("ERR", invalid);
    when *= 1000;
  }
  if (when > kInt64Max - basetime) return ctx.Error("ERR", invalid);
  when += basetime;
  store::Entry* e = LookupWrite(ctx, ctx.arg(1));
  if (e == nullptr || !ExpireAllowed(flags, e->expire_at(), when)) return ctx.out.Integer(0);
  const std::string_view key = ctx.arg(1);
  if (when <= ctx.server.clock().now_ms) {
    // A time already past deletes the key now, as Redis does, instead of storing a dead TTL.
    (void)ctx.db->Erase(key);
    ctx.PropagateAs({"DEL", key});
    Notify(ctx, kNotifyGeneric, "del", key);
  } else {
    e = ctx.db->SetExpire(e, when);
    // Every form is logged as the absolute time it set, its NX/XX/GT/LT already decided.
    ctx.PropagateAs({"PEXPIREAT", key, std::to_string(when)});
    Notify(ctx, kNotifyGeneric, "expire", key);
  }
  AddDirty(ctx);
  ctx.out.Integer(1);
}

// EXPIRE key seconds [NX | XX | GT | LT]
void CmdExpire(CommandContext& ctx) { ExpireGeneric(ctx, ctx.server.clock().now_ms, true); }
// PEXPIRE key milliseconds [NX | XX | GT | LT]
void CmdPExpire(CommandContext& ctx) { ExpireGeneric(ctx, ctx.server.clock().now_ms, false); }
// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
void CmdExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, 0, true); }
// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
void CmdPExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, 0, false); }

// The shared body of TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for no key, -1 for no expiry.
void TtlGeneric(CommandContext& ctx, bool ms, bool absolute) {
  store::Entry* e = LookupReadNoTouch(ctx, ctx.arg(1));
  if (e == nullptr) return ctx.out.Integer(-2);
  if (!e->has_expire()) return ctx.out.Integer(-1);
  int64_t t = absolute ? e->expire_at() : e->expire_at() - ctx.server.clock().now_ms;
  if (t < 0) t = 0;
  if (ms) return ctx.out.Integer(t);
  // Seconds round to nearest; unsigned so that a time near INT64_MAX rounds instead of wrapping.
  ctx.out.Integer(static_cast<int64_t>((static_cast<uint64_t>(t) + 500) / 1000));
}

// TTL key
void CmdTtl(CommandContext& ctx) { TtlGeneric(ctx, false, false); }
// PTTL key
void CmdPTtl(CommandContext& ctx) { TtlGeneric(ctx, true, false); }
// EXPIRETIME key
void CmdExpireTime(CommandContext& ctx) { TtlGeneric(ctx, false, true); }
// PEXPIRETIME key
void CmdPExpireTime(CommandContext& ctx) { TtlGeneric(ctx, true, true); }

// PERSIST key
void CmdPersist(CommandContext& ctx) {
  store::Entry* e = LookupWrite(ctx, ctx.arg(1));
  if (e == nullptr || !e->has_expire()) return ctx.out.Integer(0);
  e = ctx.db->SetExpire(e, 0);
  Notify(ctx, kNotifyGeneric, "persist", ctx.arg(1));
  ctx.out.Integer(1);
}

// The shared body of RENAME and RENAMENX.
void RenameGeneric(CommandContext& ctx, bool nx) {
  std::string_view src = ctx.arg(1), dst = ctx.arg(2);
  if (LookupWrite(ctx, src) == nullptr) return ctx.Error(err::kNoSuchKey);
  // Renaming a key to itself changes nothing (and reports nothing), but needs the key to exist.
  if (src == dst) return nx ? ctx.out.Integer(0) : ctx.out.Ok();
  store::Status s = ctx.db->Rename(src, dst, nx);
  if (s == store::Status::kExists) return ctx.out.Integer(0);
  Notify(ctx, kNotifyGeneric, "rename_from", src);
  Notify(ctx, kNotifyGeneric, "rename_to", dst);
  nx ? ctx.out.Integer(1) : ctx.out.Ok();
}

// RENAME key newkey
void CmdRename(CommandContext& ctx) { RenameGeneric(ctx, false); }
// RENAMENX key newkey
void CmdRenameNx(CommandContext& ctx) { RenameGeneric(ctx, true); }

// MOVE key db
void CmdMove(CommandContext& ctx) {
  int to;
  if (!ParseDbIndexOrReply(ctx, ctx.arg(2), &to)) return;
  store::Db& dst = ctx.server.db(to);
  if (&dst == ctx.db) return ctx.Error(err::kSameObject);
  if (LookupWrite(ctx, ctx.arg(1)) == nullptr) return ctx.out.Integer(0);
  store::Status s = ctx.db->MoveTo(ctx.arg(1), dst);
  if (s == store::Status::kOk) {
    Notify(ctx, kNotifyGeneric, "move_from", ctx.arg(1));
    NotifyKeyspaceEvent(ctx.server, kNotifyGeneric, "move_to", ctx.arg(1), to);
  }
  ctx.out.Integer(s == store::Status::kOk ? 1 : 0);
}

struct CopyParams {
  store::Db* dst = nullptr;
  bool replace = false;
};

// Parses COPY's [DB destination-db] [REPLACE].
bool ParseCopyOrReply(CommandContext& ctx, CopyParams* p) {
  p->dst = ctx.db;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view a = ctx.arg(i);
    if (EqualsNoCase(a, "replace")) {
      p->replace = true;
    } else if (EqualsNoCase(a, "db") && i + 1 < ctx.argc()) {
      int64_t v;
      if (!ParseIntOrReply(ctx, ctx.arg(++i), &v)) return false;
      if (v < 0 || v >= ctx.server.db_count()) {
        ctx.Error(err::kDbIndexOutOfRange);
        return false;
      }
      p->dst = &ctx.server.db(static_cast<int>(v));
    } else {
      ctx.Error(err::kSyntax);
      return false;
    }
  }
  return true;
}

// COPY source destination [DB destination-db] [REPLACE]
void CmdCopy(CommandContext& ctx) {
  CopyParams p;
  if (!ParseCopyOrReply(ctx, &p)) return;
  std::string_view src = ctx.arg(1), dst = ctx.arg(2);
  if (p.dst == ctx.db && src == dst) return ctx.Error(err::kSameObject);
  if (LookupRead(ctx, src) == nullptr) return ctx.out.Integer(0);
  if (ctx.db->CopyTo(src, *p.dst, dst, p.replace) != store::Status::kOk) {
    return ctx.out.Integer(0);
  }
  p.dst->Peek(dst)->set_lru(LruClock(ctx));
  NotifyKeyspaceEvent(ctx.server, kNotifyGeneric, "copy_to", dst, p.dst->index());
  ctx.out.Integer(1);
}

// RANDOMKEY
void CmdRandomKey(CommandContext& ctx) {
  store::Entry* e = ctx.db->RandomEntry(ctx.server.Random64());
  if (e == nullptr) return ctx.out.Null();
  ctx.out.Bulk(e->key());
}

// OBJECT ENCODING key
void CmdObjectEncoding(CommandContext& ctx) {
  store::Entry* e = LookupReadNoTouch(ctx, ctx.arg(2), /*notify_miss=*/false);
  if (e == nullptr) return ctx.out.Null();
  ctx.out.Bulk(e->value().Encoding());
}

// OBJECT FREQ key
void CmdObjectFreq(CommandContext& ctx) {
  store::Entry* e = LookupReadNoTouch(ctx, ctx.arg(2), /*notify_miss=*/false);
  if (e == nullptr) return ctx.out.Null();
  if (!ctx.server.lfu_tracking()) return ctx.Error(err::kFreqNotTracked);
  ctx.out.Integer(LfuFrequency(ctx.server.config(), ctx.server.clock().now_ms, e));
}

// OBJECT IDLETIME key
void CmdObjectIdleTime(CommandContext& ctx) {
  store::Entry* e = LookupReadNoTouch(ctx, ctx.arg(2), /*notify_miss=*/false);
  if (e == nullptr) return ctx.out.Null();
  if (ctx.server.lfu_tracking()) return ctx.Error(err::kIdleTimeNotTracked);
  // The clock wraps at 2^32 s; unsigned subtraction gives the elapsed time across a wrap.
  ctx.out.Integer(static_cast<int64_t>(static_cast<uint32_t>(LruClock(ctx) - e->lru())));
}

// OBJECT REFCOUNT key
// Values are never shared here, but Redis shares small integers unless an LRU/LFU policy with a
// memory limit needs per-key access times, and clients can see it, so we report the same.
void CmdObjectRefcount(CommandContext& ctx) {
  store::Entry* e = LookupReadNoTouch(ctx, ctx.arg(2), /*notify_miss=*/false);
  if (e == nullptr) return ctx.out.Null();
  const Config& c = ctx.server.config();
  bool sharing = c.maxmemory == 0 || (c.maxmemory_policy.find("lru") == std::string::npos &&
                                      c.maxmemory_policy.find("lfu") == std::string::npos);
  const store::Value& v = e->value();
  bool shared = sharing && v.is_int() && v.int_value() >= 0 && v.int_value() < kSharedIntegers;
  ctx.out.Integer(shared ? kSharedRefcount : 1);
}

// OBJECT HELP
void CmdObjectHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

}  // namespace

std::vector<CommandSpec> KeysCommands() {
  const uint64_t rd = kAclKeyspace | kAclRead;
  const uint64_t wr = kAclKeyspace | kAclWrite;
  return {
      {"del", -2, kWrite, 1, -1, 1, wr | kAclSlow, CmdDel, "generic", "1.0.0",
       "Deletes one or more keys."},
      {"unlink", -2, kWrite | kFast, 1, -1, 1, wr | kAclFast, CmdDel, "generic", "4.0.0",
       "Asynchronously deletes one or more keys."},
      {"exists", -2, kReadOnly | kFast, 1, -1, 1, rd | kAclFast, CmdExists, "generic", "1.0.0",
       "Determines whether one or more keys exist."},
      {"touch", -2, kReadOnly | kFast, 1, -1, 1, rd | kAclFast, CmdTouch, "generic", "3.2.1",
       "Returns the number of existing keys out of those specified after updating the time they "
       "were last accessed."},
      {"type", 2, kReadOnly | kFast, 1, 1, 1, rd | kAclFast, CmdType, "generic", "1.0.0",
       "Determines the type of value stored at a key."},
      {"expire", -3, kWrite | kFast, 1, 1, 1, wr | kAclFast, CmdExpire, "generic", "1.0.0",
       "Sets the expiration time of a key in seconds."},
      {"pexpire", -3, kWrite | kFast, 1, 1, 1, wr | kAclFast, CmdPExpire, "generic", "2.6.0",
       "Sets the expiration time of a key in milliseconds."},
      {"expireat", -3, kWrite | kFast, 1, 1, 1, wr | kAclFast, CmdExpireAt, "generic", "1.2.0",
       "Sets the expiration time of a key to a Unix timestamp."},
      {"pexpireat", -3, kWrite | kFast, 1, 1, 1, wr | kAclFast, CmdPExpireAt, "generic", "2.6.0",
       "Sets the expiration time of a key to a Unix milliseconds timestamp."},
      {"ttl", 2, kReadOnly | kFast, 1, 1, 1, rd | kAclFast, CmdTtl, "generic", "1.0.0",
       "Returns the expiration time in seconds of a key."},
      {"pttl", 2, kReadOnly | kFast, 1, 1, 1, rd | kAclFast, CmdPTtl, "generic", "2.6.0",
       "Returns the expiration time in milliseconds of a key."},
      {"expiretime", 2, kReadOnly | kFast, 1, 1, 1, rd | kAclFast, CmdExpireTime, "generic",
       "7.0.0", "Returns the expiration time of a key as a Unix timestamp."},
      {"pexpiretime", 2, kReadOnly | kFast, 1, 1, 1, rd | kAclFast, CmdPExpireTime, "generic",
       "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp."},
      {"persist", 2, kWrite | kFast, 1, 1, 1, wr | kAclFast, CmdPersist, "generic", "2.2.0",
       "Removes the expiration time of a key."},
      {"rename", 3, kWrite, 1, 2, 1, wr | kAclSlow, CmdRename, "generic", "1.0.0",
       "Renames a key and overwrites the destination."},
      {"renamenx", 3, kWrite | kFast, 1, 2, 1, wr | kAclFast, CmdRenameNx, "generic", "1.0.0",
       "Renames a key only when the target key name doesn't exist."},
      {"move", 3, kWrite | kFast, 1, 1, 1, wr | kAclFast, CmdMove, "generic", "1.0.0",
       "Moves a key to another database."},
      {"copy", -3, kWrite | kDenyOom, 1, 2, 1, wr | kAclSlow, CmdCopy, "generic", "6.2.0",
       "Copies the value of a key to a new key."},
      {"randomkey", 1, kReadOnly, 0, 0, 0, rd | kAclSlow, CmdRandomKey, "generic", "1.0.0",
       "Returns a random key name from the database."},
      {"object",
       -2,
       0,
       0,
       0,
       0,
       kAclSlow,
       nullptr,
       "generic",
       "2.2.3",
       "A container for object introspection commands.",
       {
           {"encoding", 3, kReadOnly, 2, 2, 1, rd | kAclSlow, CmdObjectEncoding, "generic", "2.2.3",
            "Returns the internal encoding of a Redis object."},
           {"freq", 3, kReadOnly, 2, 2, 1, rd | kAclSlow, CmdObjectFreq, "generic", "4.0.0",
            "Returns the logarithmic access frequency counter of a Redis object."},
           {"idletime", 3, kReadOnly, 2, 2, 1, rd | kAclSlow, CmdObjectIdleTime, "generic", "2.2.3",
            "Returns the time since the last access to a Redis object."},
           {"refcount", 3, kReadOnly, 2, 2, 1, rd | kAclSlow, CmdObjectRefcount, "generic", "2.2.3",
            "Returns the reference count of a value of a key."},
           {"help", 2, kLoading | kStale, 0, 0, 0, kAclKeyspace | kAclSlow, CmdObjectHelp,
            "generic", "6.2.0", "Returns helpful text about the different subcommands."},
       }},
  };
}

}  // namespace server
