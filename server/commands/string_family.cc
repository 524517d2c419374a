// String commands. Store operations live in store/string_ops.h; handlers here parse arguments and
// write replies. Argument checks run in Redis 7.0's order (for example SET validates its options,
// then GET reads the old value; GETEX looks the key up before it validates the expiry), because
// that order decides which error a client sees.
#include <optional>
#include <string>
#include <vector>

#include "server/commands/families.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "store/string_ops.h"

namespace server {
namespace {

int64_t MaxLen(const CommandContext& ctx) { return ctx.server.config().proto_max_bulk_len; }

// Replies with the string value of e, null if absent. False iff e holds another type (and the
// WRONGTYPE error was sent).
bool ReplyStringOrReply(CommandContext& ctx, const store::Entry* e) {
  if (e == nullptr) {
    ctx.out.Null();
    return true;
  }
  std::string scratch;
  store::Result<std::string_view> s = store::StringBytes(e->value(), &scratch);
  if (!s.ok()) {
    ctx.Error(s.status());
    return false;
  }
  ctx.out.Bulk(s.value());
  return true;
}

// The options SET and GETEX share, as Redis's parseExtendedStringArgumentsOrReply accepts them.
struct ExtendedOptions {
  bool nx = false;
  bool xx = false;
  bool get = false;
  bool keep_ttl = false;
  bool persist = false;
  enum class Expire { kNone, kEx, kPx, kExAt, kPxAt } expire = Expire::kNone;
  std::string_view expire_arg;
};

// Parses argv[first..] as SET (for_getex false) or GETEX options. Only the shape is checked
// here; the expiry's number is converted later by ExpireAtOrReply. A repeated option is allowed
// (the last expiry wins); conflicting ones are a syntax error.
bool ParseExtendedOptionsOrReply(CommandContext& ctx, size_t first, bool for_getex,
                                 ExtendedOptions* o) {
  using Expire = ExtendedOptions::Expire;
  for (size_t j = first; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.arg(j);
    const bool has_next = j + 1 < ctx.argc();
    // An expiry of one kind excludes the other kinds, KEEPTTL and PERSIST.
    auto expire_ok = [&](Expire kind) {
      return has_next && !o->keep_ttl && !o->persist &&
             (o->expire == Expire::kNone || o->expire == kind);
    };
    Expire kind = Expire::kNone;
    if (EqualsNoCase(opt, "ex")) {
      kind = Expire::kEx;
    } else if (EqualsNoCase(opt, "px")) {
      kind = Expire::kPx;
    } else if (EqualsNoCase(opt, "exat")) {
      kind = Expire::kExAt;
    } else if (EqualsNoCase(opt, "pxat")) {
      kind = Expire::kPxAt;
    }
    if (kind != Expire::kNone && expire_ok(kind)) {
      o->expire = kind;
      o->expire_arg = ctx.arg(++j);
    } else if (!for_getex && EqualsNoCase(opt, "nx") && !o->xx) {
      o->nx = true;
    } else if (!for_getex && EqualsNoCase(opt, "xx") && !o->nx) {
      o->xx = true;
    } else if (!for_getex && EqualsNoCase(opt, "get")) {
      o->get = true;
    } else if (!for_getex && EqualsNoCase(opt, "keepttl") && o->expire == Expire::kNone) {
      o->keep_ttl = true;
    } else if (for_getex && EqualsNoCase(opt, "persist") && o->expire == Expire::kNone) {
      o->persist = true;
    } else {
      ctx.Error(err::kSyntax);
      return false;
    }
  }
  return true;
}

// Converts an expiry argument to absolute Unix ms as Redis's getExpireMillisecondsOrReply does:
// the number must be positive, and neither the unit conversion nor adding the current time may
// overflow. `invalid` is the command's "invalid expire time" error.
bool ExpireAtOrReply(CommandContext& ctx, std::string_view arg, bool seconds, bool relative,
                     ErrorReply invalid, int64_t* at_ms) {
  int64_t v;
  if (!ParseIntOrReply(ctx, arg, &v)) return false;
  if (v <= 0 || (seconds && __builtin_mul_overflow(v, int64_t{1000}, &v)) ||
      (relative && __builtin_add_overflow(v, ctx.server.clock().now_ms, &v))) {
    ctx.Error(invalid);
    return false;
  }
  *at_ms = v;
  return true;
}

bool ExtendedExpireAtOrReply(CommandContext& ctx, const ExtendedOptions& o, ErrorReply invalid,
                             int64_t* at_ms) {
  using Expire = ExtendedOptions::Expire;
  const bool seconds = o.expire == Expire::kEx || o.expire == Expire::kExAt;
  const bool relative = o.expire == Expire::kEx || o.expire == Expire::kPx;
  return ExpireAtOrReply(ctx, o.expire_arg, seconds, relative, invalid, at_ms);
}

// Propagates SET key value PXAT at_ms (server/propagation.h).
void PropagateSetPxAt(CommandContext& ctx, std::string_view key, std::string_view value,
                      int64_t at_ms) {
  ctx.PropagateAs({"SET", key, value, "PXAT", std::to_string(at_ms)});
}

// GET key
void CmdGet(CommandContext& ctx) { ReplyStringOrReply(ctx, LookupRead(ctx, ctx.arg(1))); }

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//     PXAT unix-time-milliseconds | KEEPTTL]
void CmdSet(CommandContext& ctx) {
  ExtendedOptions o;
  if (!ParseExtendedOptionsOrReply(ctx, 3, /*for_getex=*/false, &o)) return;
  store::SetParams p;
  if (o.expire != ExtendedOptions::Expire::kNone &&
      !ExtendedExpireAtOrReply(ctx, o, err::kInvalidExpire, &p.expire_at_ms)) {
    return;
  }
  std::string_view key = ctx.arg(1);
  // GET replies with the old value (a read, counted as a hit or miss) before anything is written.
  if (o.get && !ReplyStringOrReply(ctx, LookupRead(ctx, key))) return;
  p.condition = o.nx   ? store::SetCondition::kIfAbsent
                : o.xx ? store::SetCondition::kIfExists
                       : store::SetCondition::kAlways;
  p.keep_ttl = o.keep_ttl;
  const bool done = store::SetString(*ctx.db, key, LookupWrite(ctx, key), ctx.arg(2), p);
  if (done) {
    AddDirty(ctx);
    Notify(ctx, kNotifyString, "set", key);
    if (o.expire != ExtendedOptions::Expire::kNone) Notify(ctx, kNotifyGeneric, "expire", key);
  }
  // A relative or second-based expiry is logged as the absolute ms it became.
  using Expire = ExtendedOptions::Expire;
  if (done && o.expire != Expire::kNone && o.expire != Expire::kPxAt) {
    PropagateSetPxAt(ctx, key, ctx.arg(2), p.expire_at_ms);
  }
  if (o.get) return;
  if (done) return ctx.out.Ok();
  ctx.out.Null();
}

// SETNX key value
void CmdSetNx(CommandContext& ctx) {
  store::SetParams p;
  p.condition = store::SetCondition::kIfAbsent;
  std::string_view key = ctx.arg(1);
  const bool done = store::SetString(*ctx.db, key, LookupWrite(ctx, key), ctx.arg(2), p);
  if (done) {
    AddDirty(ctx);
    Notify(ctx, kNotifyString, "set", key);
  }
  ctx.out.Integer(done ? 1 : 0);
}

void SetWithExpiry(CommandContext& ctx, bool seconds, ErrorReply invalid) {
  store::SetParams p;
  if (!ExpireAtOrReply(ctx, ctx.arg(2), seconds, /*relative=*/true, invalid, &p.expire_at_ms)) {
    return;
  }
  std::string_view key = ctx.arg(1);
  (void)store::SetString(*ctx.db, key, LookupWrite(ctx, key), ctx.arg(3), p);
  AddDirty(ctx);
  Notify(ctx, kNotifyString, "set", key);
  Notify(ctx, kNotifyGeneric, "expire", key);
  PropagateSetPxAt(ctx, key, ctx.arg(3), p.expire_at_ms);
  ctx.out.Ok();
}

// SETEX key seconds value
void CmdSetEx(CommandContext& ctx) {
  SetWithExpiry(ctx, /*seconds=*/true, err::kInvalidExpireSetex);
}

// PSETEX key milliseconds value
void CmdPSetEx(CommandContext& ctx) {
  SetWithExpiry(ctx, /*seconds=*/false, err::kInvalidExpirePsetex);
}

// GETSET key value
void CmdGetSet(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  if (!ReplyStringOrReply(ctx, LookupRead(ctx, key))) return;
  (void)store::SetString(*ctx.db, key, LookupWrite(ctx, key), ctx.arg(2), store::SetParams());
  AddDirty(ctx);
  Notify(ctx, kNotifyString, "set", key);
}

// GETDEL key
void CmdGetDel(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  store::Result<std::string> r = store::GetDel(*ctx.db, key, LookupRead(ctx, key));
  if (r.status() == store::Status::kNotFound) return ctx.out.Null();
  if (!r.ok()) return ctx.Error(r.status());
  AddDirty(ctx);
  Notify(ctx, kNotifyGeneric, "del", key);
  ctx.out.Bulk(r.value());
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//     PXAT unix-time-milliseconds | PERSIST]
void CmdGetEx(CommandContext& ctx) {
  ExtendedOptions o;
  if (!ParseExtendedOptionsOrReply(ctx, 2, /*for_getex=*/true, &o)) return;
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupRead(ctx, key);
  if (e == nullptr) return ctx.out.Null();
  if (!e->value().is_string()) return ctx.Error(err::kWrongType);
  store::ExpiryChange change = store::ExpiryChange::kKeep;
  int64_t at_ms = 0;
  if (o.persist) {
    change = store::ExpiryChange::kPersist;
  } else if (o.expire != ExtendedOptions::Expire::kNone) {
    if (!ExtendedExpireAtOrReply(ctx, o, err::kInvalidExpireGetex, &at_ms)) return;
    change = store::ExpiryChange::kSetAt;
  }
  const bool had_ttl = e->has_expire();
  store::Result<std::string> r = store::GetEx(*ctx.db, key, e, change, at_ms);
  if (!r.ok()) return ctx.Error(r.status());
  if (change == store::ExpiryChange::kSetAt || (o.persist && had_ttl)) AddDirty(ctx);
  if (change == store::ExpiryChange::kSetAt) {
    // An expiry in the past deleted the key.
    if (ctx.db->Peek(key) == nullptr) {
      ctx.PropagateAs({"DEL", key});
      Notify(ctx, kNotifyGeneric, "del", key);
    } else {
      ctx.PropagateAs({"PEXPIREAT", key, std::to_string(at_ms)});
      Notify(ctx, kNotifyGeneric, "expire", key);
    }
  } else if (o.persist && had_ttl) {
    ctx.PropagateAs({"PERSIST", key});
    Notify(ctx, kNotifyGeneric, "persist", key);
  }
  ctx.out.Bulk(r.value());
}

// GETRANGE key start end  (SUBSTR key start end is the same command under its old name)
void CmdGetRange(CommandContext& ctx) {
  int64_t start, end;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &start) || !ParseIntOrReply(ctx, ctx.arg(3), &end)) return;
  store::Entry* e = LookupRead(ctx, ctx.arg(1));
  if (e == nullptr) return ctx.out.Bulk("");
  std::string scratch;
  store::Result<std::string_view> s = store::StringBytes(e->value(), &scratch);
  if (!s.ok()) return ctx.Error(s.status());
  ctx.out.Bulk(store::GetRange(s.value(), start, end));
}

// STRLEN key
void CmdStrLen(CommandContext& ctx) {
  store::Entry* e = LookupRead(ctx, ctx.arg(1));
  if (e == nullptr) return ctx.out.Integer(0);
  if (!e->value().is_string()) return ctx.Error(err::kWrongType);
  ctx.out.Integer(static_cast<int64_t>(e->value().StrLen()));
}

void IncrDecr(CommandContext& ctx, int64_t delta) {
  std::string_view key = ctx.arg(1);
  store::Result<int64_t> r = store::IncrBy(*ctx.db, key, LookupWrite(ctx, key), delta);
  if (!r.ok()) return ctx.Error(r.status());
  AddDirty(ctx);
  Notify(ctx, kNotifyString, "incrby", key);
  ctx.out.Integer(r.value());
}

// INCR key
void CmdIncr(CommandContext& ctx) { IncrDecr(ctx, 1); }

// DECR key
void CmdDecr(CommandContext& ctx) { IncrDecr(ctx, -1); }

// INCRBY key increment
void CmdIncrBy(CommandContext& ctx) {
  int64_t delta;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &delta)) return;
  IncrDecr(ctx, delta);
}

// DECRBY key decrement
void CmdDecrBy(CommandContext& ctx) {
  int64_t delta;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &delta)) return;
  // The one decrement that cannot be negated.
  if (delta == INT64_MIN) return ctx.Error(err::kDecrOverflow);
  IncrDecr(ctx, -delta);
}

// INCRBYFLOAT key increment
void CmdIncrByFloat(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  // Redis checks the stored value before the increment; both fail with the same text.
  if (e != nullptr && !e->value().is_string()) return ctx.Error(err::kWrongType);
  long double delta;
  if (!store::ParseLongDouble(ctx.arg(2), &delta)) return ctx.Error(err::kNotFloat);
  store::Result<std::string> r = store::IncrByFloat(*ctx.db, key, e, delta);
  if (!r.ok()) return ctx.Error(r.status());
  AddDirty(ctx);
  Notify(ctx, kNotifyString, "incrbyfloat", key);
  // Float formatting may differ between builds: log the result, not the increment.
  ctx.PropagateAs({"SET", key, r.value(), "KEEPTTL"});
  ctx.out.Bulk(r.value());
}

// APPEND key value
void CmdAppend(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  store::Result<int64_t> r =
      store::Append(*ctx.db, key, LookupWrite(ctx, key), ctx.arg(2), MaxLen(ctx));
  if (!r.ok()) return ctx.Error(r.status());
  AddDirty(ctx);
  Notify(ctx, kNotifyString, "append", key);
  ctx.out.Integer(r.value());
}

// SETRANGE key offset value
void CmdSetRange(CommandContext& ctx) {
  int64_t offset;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &offset)) return;
  if (offset < 0) return ctx.Error(err::kOffsetOutOfRange);
  std::string_view key = ctx.arg(1);
  std::string_view data = ctx.arg(3);
  store::Result<int64_t> r =
      store::SetRange(*ctx.db, key, LookupWrite(ctx, key), offset, data, MaxLen(ctx));
  if (!r.ok()) return ctx.Error(r.status());
  if (!data.empty()) {
    AddDirty(ctx);
    Notify(ctx, kNotifyString, "setrange", key);
  }
  ctx.out.Integer(r.value());
}

// MGET key [key ...]
void CmdMGet(CommandContext& ctx) {
  ctx.out.ArrayHeader(static_cast<int64_t>(ctx.argc() - 1));
  std::string scratch;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    store::Entry* e = LookupRead(ctx, ctx.arg(i));
    // A key of another type reads as missing rather than failing the whole reply.
    if (e == nullptr || !e->value().is_string()) {
      ctx.out.Null();
      continue;
    }
    ctx.out.Bulk(e->value().Str(&scratch));
  }
}

// Arity -3 admits an even argc, which is wrong for key/value pairs; Redis reports it as arity.
bool PairsOrReply(CommandContext& ctx) {
  if (ctx.argc() % 2 == 1) return true;
  ctx.ErrorArity();
  return false;
}

void SetPairs(CommandContext& ctx) {
  for (size_t i = 1; i + 1 < ctx.argc(); i += 2) {
    std::string_view key = ctx.arg(i);
    (void)store::SetString(*ctx.db, key, LookupWrite(ctx, key), ctx.arg(i + 1), store::SetParams());
    Notify(ctx, kNotifyString, "set", key);
  }
  AddDirty(ctx, (ctx.argc() - 1) / 2);
}

// MSET key value [key value ...]
void CmdMSet(CommandContext& ctx) {
  if (!PairsOrReply(ctx)) return;
  SetPairs(ctx);
  ctx.out.Ok();
}

// MSETNX key value [key value ...]
void CmdMSetNx(CommandContext& ctx) {
  if (!PairsOrReply(ctx)) return;
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    if (LookupWrite(ctx, ctx.arg(i)) != nullptr) return ctx.out.Integer(0);
  }
  SetPairs(ctx);
  ctx.out.Integer(1);
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
void CmdLcs(CommandContext& ctx) {
  store::Entry* ea = LookupRead(ctx, ctx.arg(1));
  store::Entry* eb = LookupRead(ctx, ctx.arg(2));
  if ((ea != nullptr && !ea->value().is_string()) || (eb != nullptr && !eb->value().is_string())) {
    return ctx.Error(err::kLcsWrongType);
  }
  bool want_len = false, want_idx = false, with_match_len = false;
  int64_t min_match_len = 0;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.arg(j);
    if (EqualsNoCase(opt, "idx")) {
      want_idx = true;
    } else if (EqualsNoCase(opt, "len")) {
      want_len = true;
    } else if (EqualsNoCase(opt, "withmatchlen")) {
      with_match_len = true;
    } else if (EqualsNoCase(opt, "minmatchlen") && j + 1 < ctx.argc()) {
      if (!ParseIntOrReply(ctx, ctx.arg(++j), &min_match_len)) return;
      if (min_match_len < 0) min_match_len = 0;
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  if (want_idx && want_len) return ctx.Error(err::kLcsIdxAndLen);
  std::string sa, sb;
  std::string_view a = ea == nullptr ? std::string_view() : ea->value().Str(&sa);
  std::string_view b = eb == nullptr ? std::string_view() : eb->value().Str(&sb);
  const bool want_text = !want_idx && !want_len;
  store::Result<store::LcsResult> r =
      store::Lcs(a, b, want_text, want_idx, min_match_len, MaxLen(ctx));
  if (!r.ok()) return ctx.Error(err::kLcsTooBig);
  const store::LcsResult& lcs = r.value();
  if (want_len) return ctx.out.Integer(lcs.len);
  if (want_text) return ctx.out.Bulk(lcs.text);
  ctx.out.MapHeader(2);
  ctx.out.Bulk("matches");
  ctx.out.ArrayHeader(static_cast<int64_t>(lcs.matches.size()));
  for (const store::LcsMatch& m : lcs.matches) {
    ctx.out.ArrayHeader(with_match_len ? 3 : 2);
    ctx.out.ArrayHeader(2);
    ctx.out.Integer(m.a_start);
    ctx.out.Integer(m.a_end);
    ctx.out.ArrayHeader(2);
    ctx.out.Integer(m.b_start);
    ctx.out.Integer(m.b_end);
    if (with_match_len) ctx.out.Integer(m.len);
  }
  ctx.out.Bulk("len");
  ctx.out.Integer(lcs.len);
}

}  // namespace

std::vector<CommandSpec> StringCommands() {
  const uint64_t read_fast = kAclRead | kAclString | kAclFast;
  const uint64_t read_slow = kAclRead | kAclString | kAclSlow;
  const uint64_t write_fast = kAclWrite | kAclString | kAclFast;
  const uint64_t write_slow = kAclWrite | kAclString | kAclSlow;
  const uint32_t rw_fast = kWrite | kDenyOom | kFast;
  return {
      {"append", 3, rw_fast, 1, 1, 1, write_fast, CmdAppend, "string", "2.0.0",
       "Append a value to a key"},
      {"decr", 2, rw_fast, 1, 1, 1, write_fast, CmdDecr, "string", "1.0.0",
       "Decrement the integer value of a key by one"},
      {"decrby", 3, rw_fast, 1, 1, 1, write_fast, CmdDecrBy, "string", "1.0.0",
       "Decrement the integer value of a key by the given number"},
      {"get", 2, kReadOnly | kFast, 1, 1, 1, read_fast, CmdGet, "string", "1.0.0",
       "Get the value of a key"},
      {"getdel", 2, kWrite | kFast, 1, 1, 1, write_fast, CmdGetDel, "string", "6.2.0",
       "Get the value of a key and delete the key"},
      {"getex", -2, kWrite | kFast, 1, 1, 1, write_fast, CmdGetEx, "string", "6.2.0",
       "Get the value of a key and optionally set its expiration"},
      {"getrange", 4, kReadOnly, 1, 1, 1, read_slow, CmdGetRange, "string", "2.4.0",
       "Get a substring of the string stored at a key"},
      {"getset", 3, rw_fast, 1, 1, 1, write_fast, CmdGetSet, "string", "1.0.0",
       "Set the string value of a key and return its old value"},
      {"incr", 2, rw_fast, 1, 1, 1, write_fast, CmdIncr, "string", "1.0.0",
       "Increment the integer value of a key by one"},
      {"incrby", 3, rw_fast, 1, 1, 1, write_fast, CmdIncrBy, "string", "1.0.0",
       "Increment the integer value of a key by the given amount"},
      {"incrbyfloat", 3, rw_fast, 1, 1, 1, write_fast, CmdIncrByFloat, "string", "2.6.0",
       "Increment the float value of a key by the given amount"},
      {"lcs", -3, kReadOnly, 1, 2, 1, read_slow, CmdLcs, "string", "7.0.0",
       "Find longest common substring"},
      {"mget", -2, kReadOnly | kFast, 1, -1, 1, read_fast, CmdMGet, "string", "1.0.0",
       "Get the values of all the given keys"},
      {"mset", -3, kWrite | kDenyOom, 1, -1, 2, write_slow, CmdMSet, "string", "1.0.1",
       "Set multiple keys to multiple values"},
      {"msetnx", -3, kWrite | kDenyOom, 1, -1, 2, write_slow, CmdMSetNx, "string", "1.0.1",
       "Set multiple keys to multiple values, only if none of the keys exist"},
      {"psetex", 4, kWrite | kDenyOom, 1, 1, 1, write_slow, CmdPSetEx, "string", "2.6.0",
       "Set the value and expiration in milliseconds of a key"},
      {"set", -3, kWrite | kDenyOom, 1, 1, 1, write_slow, CmdSet, "string", "1.0.0",
       "Set the string value of a key"},
      {"setex", 4, kWrite | kDenyOom, 1, 1, 1, write_slow, CmdSetEx, "string", "2.0.0",
       "Set the value and expiration of a key"},
      {"setnx", 3, rw_fast, 1, 1, 1, write_fast, CmdSetNx, "string", "1.0.0",
       "Set the value of a key, only if the key does not exist"},
      {"setrange", 4, kWrite | kDenyOom, 1, 1, 1, write_slow, CmdSetRange, "string", "2.2.0",
       "Overwrite part of a string at key starting at the specified offset"},
      {"strlen", 2, kReadOnly | kFast, 1, 1, 1, read_fast, CmdStrLen, "string", "2.2.0",
       "Get the length of the value stored in a key"},
      {"substr", 4, kReadOnly, 1, 1, 1, read_slow, CmdGetRange, "string", "1.0.0",
       "Get a substring of the string stored at a key"},
  };
}

}  // namespace server
