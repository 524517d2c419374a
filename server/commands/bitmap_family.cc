// Bitmap commands over string values: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.
// Store operations live in store/bitops.h; handlers here parse arguments and write replies, in
// Redis 7.0's order of checks (BITCOUNT and BITPOS answer for a missing key before they parse
// their ranges, so `BITCOUNT nokey a b` is 0, not an error).
#include <optional>
#include <string>
#include <vector>

#include "server/commands/families.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "store/bitops.h"

namespace server {
namespace {

// Parses a bit offset as Redis's getBitOffsetFromArgument does: a non-negative integer whose byte
// lies below proto-max-bulk-len. With field_bits > 0 (BITFIELD) "#n" means the n-th field of that
// width, i.e. n * field_bits.
bool BitOffsetOrReply(CommandContext& ctx, std::string_view arg, int field_bits, uint64_t* out) {
  const bool hashed = field_bits > 0 && !arg.empty() && arg[0] == '#';
  int64_t v;
  if (!store::ParseInt64(hashed ? arg.substr(1) : arg, &v) ||
      (hashed && __builtin_mul_overflow(v, int64_t{field_bits}, &v)) || v < 0 ||
      (v >> 3) >= ctx.server.config().proto_max_bulk_len) {
    ctx.Error(err::kBitOffset);
    return false;
  }
  *out = static_cast<uint64_t>(v);
  return true;
}

// Parses BYTE or BIT (case-insensitive). False iff neither (and a syntax error was sent).
bool BitUnitOrReply(CommandContext& ctx, std::string_view arg, bool* bit_unit) {
  if (EqualsNoCase(arg, "bit")) {
    *bit_unit = true;
  } else if (EqualsNoCase(arg, "byte")) {
    *bit_unit = false;
  } else {
    ctx.Error(err::kSyntax);
    return false;
  }
  return true;
}

// The string value of e for reading. False iff e holds another type (WRONGTYPE was sent).
// REQUIRES: e != nullptr.
bool ReadStringOrReply(CommandContext& ctx, const store::Entry* e, std::string* scratch,
                       std::string_view* out) {
  if (!e->value().is_string()) {
    ctx.Error(err::kWrongType);
    return false;
  }
  *out = e->value().Str(scratch);
  return true;
}

// SETBIT key offset value
void CmdSetBit(CommandContext& ctx) {
  uint64_t offset;
  if (!BitOffsetOrReply(ctx, ctx.arg(2), 0, &offset)) return;
  int64_t bit;
  if (!ParseIntOrReply(ctx, ctx.arg(3), &bit, err::kBitValue)) return;
  if (bit != 0 && bit != 1) return ctx.Error(err::kBitValue);
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  const int64_t len_before =
      e != nullptr && e->value().is_string() ? static_cast<int64_t>(e->value().StrLen()) : -1;
  store::Result<int> r = store::SetBit(*ctx.db, key, e, offset, static_cast<int>(bit));
  if (!r.ok()) return ctx.Error(r.status());
  ctx.server.stats().dirty += 1;
  // As Redis 7.0: an event iff the key was created or grown, or the bit changed.
  if (r.value() != bit || static_cast<int64_t>(ctx.db->Peek(key)->value().StrLen()) != len_before) {
    Notify(ctx, kNotifyString, "setbit", key);
  }
  ctx.out.Integer(r.value());
}

// GETBIT key offset
void CmdGetBit(CommandContext& ctx) {
  uint64_t offset;
  if (!BitOffsetOrReply(ctx, ctx.arg(2), 0, &offset)) return;
  store::Entry* e = LookupRead(ctx, ctx.arg(1));
  if (e == nullptr) return ctx.out.Integer(0);
  std::string scratch;
  std::string_view s;
  if (!ReadStringOrReply(ctx, e, &scratch, &s)) return;
  ctx.out.Integer(store::GetBit(s, offset));
}

// BITCOUNT key [start end [BYTE | BIT]]
void CmdBitCount(CommandContext& ctx) {
  store::Entry* e = LookupRead(ctx, ctx.arg(1));
  if (e == nullptr) return ctx.out.Integer(0);
  std::string scratch;
  std::string_view s;
  if (!ReadStringOrReply(ctx, e, &scratch, &s)) return;
  if (ctx.argc() == 2) return ctx.out.Integer(store::BitCount(s));
  if (ctx.argc() != 4 && ctx.argc() != 5) return ctx.Error(err::kSyntax);
  int64_t start, end;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &start) || !ParseIntOrReply(ctx, ctx.arg(3), &end)) return;
  bool bit_unit = false;
  if (ctx.argc() == 5 && !BitUnitOrReply(ctx, ctx.arg(4), &bit_unit)) return;
  ctx.out.Integer(store::BitCount(s, start, end, bit_unit));
}

// BITPOS key bit [start [end [BYTE | BIT]]]
void CmdBitPos(CommandContext& ctx) {
  int64_t bit;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &bit)) return;
  if (bit != 0 && bit != 1) return ctx.Error(err::kBitArgument);
  store::Entry* e = LookupRead(ctx, ctx.arg(1));
  // A missing key is an endless run of zeros.
  if (e == nullptr) return ctx.out.Integer(bit == 1 ? -1 : 0);
  std::string scratch;
  std::string_view s;
  if (!ReadStringOrReply(ctx, e, &scratch, &s)) return;
  if (ctx.argc() > 6) return ctx.Error(err::kSyntax);
  std::optional<int64_t> start, end;
  bool bit_unit = false;
  if (ctx.argc() >= 4) {
    int64_t v;
    if (!ParseIntOrReply(ctx, ctx.arg(3), &v)) return;
    start = v;
  }
  if (ctx.argc() >= 5) {
    // Redis reads the unit before the end, which decides the error for two bad arguments.
    if (ctx.argc() == 6 && !BitUnitOrReply(ctx, ctx.arg(5), &bit_unit)) return;
    int64_t v;
    if (!ParseIntOrReply(ctx, ctx.arg(4), &v)) return;
    end = v;
  }
  ctx.out.Integer(store::BitPos(s, static_cast<int>(bit), start, end, bit_unit));
}

// BITOP <AND | OR | XOR | NOT> destkey key [key ...]
void CmdBitOp(CommandContext& ctx) {
  std::string_view name = ctx.arg(1);
  store::BitOpKind op;
  if (EqualsNoCase(name, "and")) {
    op = store::BitOpKind::kAnd;
  } else if (EqualsNoCase(name, "or")) {
    op = store::BitOpKind::kOr;
  } else if (EqualsNoCase(name, "xor")) {
    op = store::BitOpKind::kXor;
  } else if (EqualsNoCase(name, "not")) {
    op = store::BitOpKind::kNot;
  } else {
    return ctx.Error(err::kSyntax);
  }
  if (op == store::BitOpKind::kNot && ctx.argc() != 4) return ctx.Error(err::kBitopNotArgs);
  const size_t n = ctx.argc() - 3;
  // One scratch string per source, sized up front so the views into them stay valid.
  std::vector<std::string> scratch(n);
  std::vector<std::string_view> sources(n);
  for (size_t i = 0; i < n; ++i) {
    store::Entry* e = LookupRead(ctx, ctx.arg(3 + i));
    if (e == nullptr) continue;  // a missing key is an empty string
    if (!ReadStringOrReply(ctx, e, &scratch[i], &sources[i])) return;
  }
  const bool dest_existed = ctx.db->Peek(ctx.arg(2)) != nullptr;
  const int64_t len = store::BitOp(*ctx.db, ctx.arg(2), op, sources);
  ctx.server.stats().dirty += 1;
  if (len > 0) {
    Notify(ctx, kNotifyString, "set", ctx.arg(2));
  } else if (dest_existed) {
    Notify(ctx, kNotifyGeneric, "del", ctx.arg(2));
  }
  ctx.out.Integer(len);
}

// Parses "i<bits>" (1..64) or "u<bits>" (1..63), lowercase only as Redis accepts them.
bool BitfieldTypeOrReply(CommandContext& ctx, std::string_view arg, store::BitfieldOp* op) {
  int64_t bits = 0;
  const bool ok = arg.size() >= 2 && (arg[0] == 'i' || arg[0] == 'u') &&
                  store::ParseInt64(arg.substr(1), &bits) && bits >= 1 &&
                  bits <= (arg[0] == 'i' ? 64 : 63);
  if (!ok) {
    ctx.Error(err::kBitfieldType);
    return false;
  }
  op->is_signed = arg[0] == 'i';
  op->bits = static_cast<int>(bits);
  return true;
}

// Parses BITFIELD's operations from argv[2..]. OVERFLOW applies to the operations after it.
bool ParseBitfieldOrReply(CommandContext& ctx, std::vector<store::BitfieldOp>* ops) {
  using Kind = store::BitfieldOp::Kind;
  store::BitfieldOverflow overflow = store::BitfieldOverflow::kWrap;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    std::string_view sub = ctx.arg(j);
    const size_t remaining = ctx.argc() - j - 1;
    store::BitfieldOp op;
    if (EqualsNoCase(sub, "get") && remaining >= 2) {
      op.kind = Kind::kGet;
    } else if (EqualsNoCase(sub, "set") && remaining >= 3) {
      op.kind = Kind::kSet;
    } else if (EqualsNoCase(sub, "incrby") && remaining >= 3) {
      op.kind = Kind::kIncrBy;
    } else if (EqualsNoCase(sub, "overflow") && remaining >= 1) {
      std::string_view how = ctx.arg(++j);
      if (EqualsNoCase(how, "wrap")) {
        overflow = store::BitfieldOverflow::kWrap;
      } else if (EqualsNoCase(how, "sat")) {
        overflow = store::BitfieldOverflow::kSat;
      } else if (EqualsNoCase(how, "fail")) {
        overflow = store::BitfieldOverflow::kFail;
      } else {
        ctx.Error(err::kBitfieldOverflowType);
        return false;
      }
      continue;
    } else {
      ctx.Error(err::kSyntax);
      return false;
    }
    if (!BitfieldTypeOrReply(ctx, ctx.arg(j + 1), &op)) return false;
    if (!BitOffsetOrReply(ctx, ctx.arg(j + 2), op.bits, &op.offset)) return false;
    if (op.kind != Kind::kGet && !ParseIntOrReply(ctx, ctx.arg(j + 3), &op.value)) return false;
    op.overflow = overflow;
    ops->push_back(op);
    j += op.kind == Kind::kGet ? 2 : 3;
  }
  return true;
}

void Bitfield(CommandContext& ctx, bool read_only_command) {
  std::vector<store::BitfieldOp> ops;
  if (!ParseBitfieldOrReply(ctx, &ops)) return;
  bool writes = false;
  for (const store::BitfieldOp& op : ops) writes |= op.kind != store::BitfieldOp::Kind::kGet;
  if (writes && read_only_command) return ctx.Error(err::kBitfieldRoWrite);
  std::string_view key = ctx.arg(1);
  // Only GETs make it a read (counted as a hit or miss); any write looks the key up for writing.
  store::Entry* e = writes ? LookupWrite(ctx, key) : LookupRead(ctx, key);
  store::Result<std::vector<std::optional<int64_t>>> r = store::Bitfield(*ctx.db, key, e, ops);
  if (!r.ok()) return ctx.Error(r.status());
  if (writes) {
    ctx.server.stats().dirty += 1;
    // Redis reports `setbit` iff some write took effect (a FAIL overflow answers nil).
    for (size_t i = 0; i < ops.size(); ++i) {
      if (ops[i].kind != store::BitfieldOp::Kind::kGet && r.value()[i].has_value()) {
        Notify(ctx, kNotifyString, "setbit", key);
        break;
      }
    }
  }
  ctx.out.ArrayHeader(static_cast<int64_t>(r.value().size()));
  for (const std::optional<int64_t>& v : r.value()) {
    if (v.has_value()) {
      ctx.out.Integer(*v);
    } else {
      ctx.out.Null();
    }
  }
}

// BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
//     <SET encoding offset value | INCRBY encoding offset increment> ...]
void CmdBitfield(CommandContext& ctx) { Bitfield(ctx, /*read_only_command=*/false); }

// BITFIELD_RO key [GET encoding offset ...]
void CmdBitfieldRo(CommandContext& ctx) { Bitfield(ctx, /*read_only_command=*/true); }

}  // namespace

std::vector<CommandSpec> BitmapCommands() {
  const uint64_t read_fast = kAclRead | kAclBitmap | kAclFast;
  const uint64_t read_slow = kAclRead | kAclBitmap | kAclSlow;
  const uint64_t write_slow = kAclWrite | kAclBitmap | kAclSlow;
  return {
      {"bitcount", -2, kReadOnly, 1, 1, 1, read_slow, CmdBitCount, "bitmap", "2.6.0",
       "Count set bits in a string"},
      {"bitfield", -2, kWrite | kDenyOom, 1, 1, 1, write_slow, CmdBitfield, "bitmap", "3.2.0",
       "Perform arbitrary bitfield integer operations on strings"},
      {"bitfield_ro", -2, kReadOnly | kFast, 1, 1, 1, read_fast, CmdBitfieldRo, "bitmap", "6.0.0",
       "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD"},
      {"bitop", -4, kWrite | kDenyOom, 2, -1, 1, write_slow, CmdBitOp, "bitmap", "2.6.0",
       "Perform bitwise operations between strings"},
      {"bitpos", -3, kReadOnly, 1, 1, 1, read_slow, CmdBitPos, "bitmap", "2.8.7",
       "Find first bit set or clear in a string"},
      {"getbit", 3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdGetBit, "bitmap", "2.2.0",
       "Returns the bit value at offset in the string value stored at key"},
      {"setbit", 4, kWrite | kDenyOom, 1, 1, 1, write_slow, CmdSetBit, "bitmap", "2.2.0",
       "Sets or clears the bit at offset in the string value stored at key"},
  };
}

}  // namespace server
