// Sorted set commands (non-blocking). Store operations live in store/zset_ops.h; handlers here
// parse arguments and write replies. Checks run in Redis 7.0's order (ranges are parsed before
// the key is looked up, ZADD validates its flags before its scores), because that order decides
// which error a client sees. ZUNION/ZINTER/ZDIFF, ZMPOP, ZRANDMEMBER and ZSCAN are in
// zset_setops_family.cc.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "server/commands/families.h"
#include "server/commands/zset_common.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "server/session.h"
#include "store/zset_ops.h"

namespace server {

std::vector<CommandSpec> ZSetSetOpsCommands();  // zset_setops_family.cc

namespace {

// The sorted set at key for reading; false iff WRONGTYPE was sent. *z is null if absent.
bool ReadZSetOrReply(CommandContext& ctx, std::string_view key, const store::ZSetValue** z) {
  store::Result<const store::ZSetValue*> r = store::ZSetOf(LookupRead(ctx, key));
  if (!r.ok()) {
    ctx.Error(r.status());
    return false;
  }
  *z = r.value();
  return true;
}

// A score bound as Redis's range parser reads it: strtod over the whole rest of the argument
// (so "" is 0), '(' for exclusive, NaN refused.
bool ParseScoreBound(std::string_view s, store::ZScoreBound* b) {
  b->exclusive = !s.empty() && s[0] == '(';
  std::string buf(b->exclusive ? s.substr(1) : s);
  char* end = nullptr;
  b->value = std::strtod(buf.c_str(), &end);
  return end == buf.c_str() + buf.size() && !std::isnan(b->value);
}

bool ParseLexBound(std::string_view s, store::ZLexBound* b) {
  if (s == "+") {
    b->kind = store::ZLexBound::kMax;
    return true;
  }
  if (s == "-") {
    b->kind = store::ZLexBound::kMin;
    return true;
  }
  if (s.empty() || (s[0] != '(' && s[0] != '[')) return false;
  b->kind = store::ZLexBound::kValue;
  b->exclusive = s[0] == '(';
  b->value = std::string(s.substr(1));
  return true;
}

bool ParseScoreRangeOrReply(CommandContext& ctx, std::string_view min, std::string_view max,
                            store::ZScoreBound* lo, store::ZScoreBound* hi) {
  if (!ParseScoreBound(min, lo) || !ParseScoreBound(max, hi)) {
    ctx.Error(err::kZMinMaxNotFloat);
    return false;
  }
  return true;
}

bool ParseLexRangeOrReply(CommandContext& ctx, std::string_view min, std::string_view max,
                          store::ZLexBound* lo, store::ZLexBound* hi) {
  if (!ParseLexBound(min, lo) || !ParseLexBound(max, hi)) {
    ctx.Error(err::kLexRange);
    return false;
  }
  return true;
}

// Resolves a rank range as Redis: negative counts from the end; false iff empty.
bool ResolveRankRange(int64_t start, int64_t end, size_t size, size_t* s, size_t* e) {
  const auto n = static_cast<int64_t>(size);
  if (start < 0) start += n;
  if (end < 0) end += n;
  if (start < 0) start = 0;
  if (start > end || start >= n) return false;
  if (end >= n) end = n - 1;
  *s = static_cast<size_t>(start);
  *e = static_cast<size_t>(end);
  return true;
}

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
void ZAddGeneric(CommandContext& ctx, bool incr_cmd) {
  store::ZAddFlags f;
  f.incr = incr_cmd;
  bool ch = false;
  size_t i = 2;
  if (!incr_cmd) {
    for (; i < ctx.argc(); ++i) {
      std::string_view a = ctx.arg(i);
      if (EqualsNoCase(a, "nx")) {
        f.nx = true;
      } else if (EqualsNoCase(a, "xx")) {
        f.xx = true;
      } else if (EqualsNoCase(a, "gt")) {
        f.gt = true;
      } else if (EqualsNoCase(a, "lt")) {
        f.lt = true;
      } else if (EqualsNoCase(a, "ch")) {
        ch = true;
      } else if (EqualsNoCase(a, "incr")) {
        f.incr = true;
      } else {
        break;
      }
    }
  }
  const size_t rest = ctx.argc() - i;
  if (rest == 0 || rest % 2 != 0) return ctx.Error(err::kSyntax);
  if (f.nx && f.xx) return ctx.Error(err::kZAddXxNx);
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) return ctx.Error(err::kZAddGtLtNx);
  if (f.incr && !incr_cmd && rest > 2) return ctx.Error(err::kZAddIncrPairs);
  std::vector<std::pair<double, std::string_view>> elements;
  elements.reserve(rest / 2);
  for (; i < ctx.argc(); i += 2) {
    double score;
    if (!store::ParseDouble(ctx.arg(i), &score)) return ctx.Error(err::kNotFloat);
    elements.emplace_back(score, ctx.arg(i + 1));
  }
  std::string_view key = ctx.arg(1);
  store::Result<store::ZAddOutcome> r =
      store::ZAdd(*ctx.db, key, LookupWrite(ctx, key), f, elements, detail::ZSetLimitsOf(ctx));
  if (!r.ok()) {
    if (r.status() == store::Status::kNanOrInf) return ctx.Error(err::kZScoreNan);
    return ctx.Error(r.status());
  }
  const store::ZAddOutcome& o = r.value();
  AddDirty(ctx, static_cast<uint64_t>(o.added + o.updated));
  if (o.added + o.updated > 0) Notify(ctx, kNotifyZset, f.incr ? "zincr" : "zadd", key);
  if (f.incr) {
    if (o.score.has_value()) {
      ctx.out.Double(*o.score);
    } else {
      ctx.out.Null();
    }
  } else {
    ctx.out.Integer(ch ? o.added + o.updated : o.added);
  }
}

void CmdZAdd(CommandContext& ctx) { ZAddGeneric(ctx, false); }

// ZINCRBY key increment member
void CmdZIncrBy(CommandContext& ctx) { ZAddGeneric(ctx, true); }

// ZCARD key
void CmdZCard(CommandContext& ctx) {
  const store::ZSetValue* z;
  if (!ReadZSetOrReply(ctx, ctx.arg(1), &z)) return;
  ctx.out.Integer(z == nullptr ? 0 : static_cast<int64_t>(z->size()));
}

// ZSCORE key member
void CmdZScore(CommandContext& ctx) {
  const store::ZSetValue* z;
  if (!ReadZSetOrReply(ctx, ctx.arg(1), &z)) return;
  std::optional<double> s = z == nullptr ? std::nullopt : z->Score(ctx.arg(2));
  if (s.has_value()) {
    ctx.out.Double(*s);
  } else {
    ctx.out.Null();
  }
}

// ZMSCORE key member [member ...]
void CmdZMScore(CommandContext& ctx) {
  const store::ZSetValue* z;
  if (!ReadZSetOrReply(ctx, ctx.arg(1), &z)) return;
  ctx.out.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::optional<double> s = z == nullptr ? std::nullopt : z->Score(ctx.arg(i));
    if (s.has_value()) {
      ctx.out.Double(*s);
    } else {
      ctx.out.Null();
    }
  }
}

// ZRANK / ZREVRANK key member
void ZRankGeneric(CommandContext& ctx, bool rev) {
  const store::ZSetValue* z;
  if (!ReadZSetOrReply(ctx, ctx.arg(1), &z)) return;
  std::optional<size_t> r = z == nullptr ? std::nullopt : z->Rank(ctx.arg(2));
  if (!r.has_value()) return ctx.out.Null();
  ctx.out.Integer(static_cast<int64_t>(rev ? z->size() - 1 - *r : *r));
}
void CmdZRank(CommandContext& ctx) { ZRankGeneric(ctx, false); }
void CmdZRevRank(CommandContext& ctx) { ZRankGeneric(ctx, true); }

// ZREM key member [member ...]
void CmdZRem(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  store::Result<int64_t> r = store::ZRem(*ctx.db, key, LookupWrite(ctx, key), ctx.argv.subspan(2));
  if (!r.ok()) return ctx.Error(r.status());
  AddDirty(ctx, static_cast<uint64_t>(r.value()));
  if (r.value() > 0) NotifyMaybeDeleted(ctx, kNotifyZset, "zrem", key);
  ctx.out.Integer(r.value());
}

// ZCOUNT key min max
void CmdZCount(CommandContext& ctx) {
  store::ZScoreBound lo, hi;
  if (!ParseScoreRangeOrReply(ctx, ctx.arg(2), ctx.arg(3), &lo, &hi)) return;
  const store::ZSetValue* z;
  if (!ReadZSetOrReply(ctx, ctx.arg(1), &z)) return;
  if (z == nullptr) return ctx.out.Integer(0);
  size_t a = z->ScoreLowerRank(lo), b = z->ScoreUpperRank(hi);
  ctx.out.Integer(b > a ? static_cast<int64_t>(b - a) : 0);
}

// ZLEXCOUNT key min max
void CmdZLexCount(CommandContext& ctx) {
  store::ZLexBound lo, hi;
  if (!ParseLexRangeOrReply(ctx, ctx.arg(2), ctx.arg(3), &lo, &hi)) return;
  const store::ZSetValue* z;
  if (!ReadZSetOrReply(ctx, ctx.arg(1), &z)) return;
  if (z == nullptr) return ctx.out.Integer(0);
  auto [a, b] = z->LexRange(lo, hi);
  ctx.out.Integer(b > a ? static_cast<int64_t>(b - a) : 0);
}

enum class RangeType { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

// The ranks [start, end] a score or lex range selects on z, after LIMIT; false iff empty.
struct RangeSpec {
  RangeType type = RangeType::kAuto;
  Direction dir = Direction::kAuto;
  bool withscores = false;
  int64_t offset = 0;
  int64_t limit = -1;
  bool has_limit = false;
  int64_t start = 0, end = 0;
  store::ZScoreBound score_lo, score_hi;
  store::ZLexBound lex_lo, lex_hi;
};

// The selected elements in reply order.
std::vector<store::ZEntry> SelectRange(const store::ZSetValue& z, const RangeSpec& p) {
  std::vector<store::ZEntry> out;
  const bool rev = p.dir == Direction::kReverse;
  size_t a, b;  // ranks [a, b)
  if (p.type == RangeType::kRank) {
    size_t s, e;
    if (!ResolveRankRange(p.start, p.end, z.size(), &s, &e)) return out;
    // REV ranks count from the top.
    a = rev ? z.size() - 1 - e : s;
    b = (rev ? z.size() - 1 - s : e) + 1;
  } else {
    if (p.type == RangeType::kScore) {
      a = z.ScoreLowerRank(p.score_lo);
      b = z.ScoreUpperRank(p.score_hi);
    } else {
      std::tie(a, b) = z.LexRange(p.lex_lo, p.lex_hi);
    }
    if (b <= a || p.offset < 0) return out;
    if (p.offset >= static_cast<int64_t>(b - a)) return out;
    size_t take = b - a - static_cast<size_t>(p.offset);
    if (p.limit >= 0) take = std::min(take, static_cast<size_t>(p.limit));
    if (take == 0) return out;
    if (rev) {
      b -= static_cast<size_t>(p.offset);
      a = b - take;
    } else {
      a += static_cast<size_t>(p.offset);
      b = a + take;
    }
  }
  if (b <= a) return out;
  out.reserve(b - a);
  z.ForRange(a, b - 1, rev, [&](double s, std::string_view m) {
    out.push_back({s, std::string(m)});
  });
  return out;
}

// The shared body of ZRANGE, ZRANGESTORE and the legacy range commands: argv[src_idx] is the
// source key, followed by min max and options. Presets fix the type/direction for the legacy
// forms (so e.g. REV is then a syntax error).
void ZRangeGeneric(CommandContext& ctx, size_t src_idx, std::string_view dst, bool store,
                   RangeType preset_type, Direction preset_dir) {
  RangeSpec p;
  p.type = preset_type;
  p.dir = preset_dir;
  for (size_t j = src_idx + 3; j < ctx.argc(); ++j) {
    std::string_view a = ctx.arg(j);
    const size_t left = ctx.argc() - j - 1;
    if (!store && EqualsNoCase(a, "withscores")) {
      p.withscores = true;
    } else if (EqualsNoCase(a, "limit") && left >= 2) {
      if (!ParseIntOrReply(ctx, ctx.arg(j + 1), &p.offset) ||
          !ParseIntOrReply(ctx, ctx.arg(j + 2), &p.limit)) {
        return;
      }
      p.has_limit = true;
      j += 2;
    } else if (p.dir == Direction::kAuto && EqualsNoCase(a, "rev")) {
      p.dir = Direction::kReverse;
    } else if (p.type == RangeType::kAuto && EqualsNoCase(a, "bylex")) {
      p.type = RangeType::kLex;
    } else if (p.type == RangeType::kAuto && EqualsNoCase(a, "byscore")) {
      p.type = RangeType::kScore;
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  if (p.dir == Direction::kAuto) p.dir = Direction::kForward;
  if (p.type == RangeType::kAuto) p.type = RangeType::kRank;
  // Redis tests "a limit was given" as limit != -1.
  if (p.has_limit && p.limit != -1 && p.type == RangeType::kRank) {
    return ctx.Error(err::kZRangeLimit);
  }
  if (p.withscores && p.type == RangeType::kLex) return ctx.Error(err::kZRangeWithScoresLex);
  size_t min_idx = src_idx + 1, max_idx = src_idx + 2;
  if (p.dir == Direction::kReverse && p.type != RangeType::kRank) std::swap(min_idx, max_idx);
  switch (p.type) {
    case RangeType::kAuto:
    case RangeType::kRank:
      if (!ParseIntOrReply(ctx, ctx.arg(min_idx), &p.start) ||
          !ParseIntOrReply(ctx, ctx.arg(max_idx), &p.end)) {
        return;
      }
      break;
    case RangeType::kScore:
      if (!ParseScoreRangeOrReply(ctx, ctx.arg(min_idx), ctx.arg(max_idx), &p.score_lo,
                                  &p.score_hi)) {
        return;
      }
      break;
    case RangeType::kLex:
      if (!ParseLexRangeOrReply(ctx, ctx.arg(min_idx), ctx.arg(max_idx), &p.lex_lo, &p.lex_hi)) {
        return;
      }
      break;
  }
  const store::ZSetValue* z;
  if (!ReadZSetOrReply(ctx, ctx.arg(src_idx), &z)) return;
  std::vector<store::ZEntry> v;
  if (z != nullptr) v = SelectRange(*z, p);
  if (store) {
    // A destination built from nothing deletes dst (and Redis counts that as a change only if
    // something was deleted).
    const bool existed = ctx.db->Find(dst) != nullptr;
    int64_t n = store::ZStore(*ctx.db, dst, std::move(v), detail::ZSetLimitsOf(ctx));
    if (n > 0 || existed) AddDirty(ctx);
    if (n > 0) {
      Notify(ctx, kNotifyZset, "zrangestore", dst);
    } else if (existed) {
      Notify(ctx, kNotifyGeneric, "del", dst);
    }
    return ctx.out.Integer(n);
  }
  detail::ReplyZEntries(ctx, v, p.withscores);
}

void CmdZRange(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, {}, false, RangeType::kAuto, Direction::kAuto);
}
void CmdZRangeStore(CommandContext& ctx) {
  ZRangeGeneric(ctx, 2, ctx.arg(1), true, RangeType::kAuto, Direction::kAuto);
}
void CmdZRevRange(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, {}, false, RangeType::kRank, Direction::kReverse);
}
void CmdZRangeByScore(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, {}, false, RangeType::kScore, Direction::kForward);
}
void CmdZRevRangeByScore(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, {}, false, RangeType::kScore, Direction::kReverse);
}
void CmdZRangeByLex(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, {}, false, RangeType::kLex, Direction::kForward);
}
void CmdZRevRangeByLex(CommandContext& ctx) {
  ZRangeGeneric(ctx, 1, {}, false, RangeType::kLex, Direction::kReverse);
}

// ZREMRANGEBY{RANK,SCORE,LEX} key min max: the range is parsed before the key is looked up.
void ZRemRangeGeneric(CommandContext& ctx, RangeType type) {
  RangeSpec p;
  p.type = type;
  p.dir = Direction::kForward;
  if (type == RangeType::kRank) {
    if (!ParseIntOrReply(ctx, ctx.arg(2), &p.start) || !ParseIntOrReply(ctx, ctx.arg(3), &p.end)) {
      return;
    }
  } else if (type == RangeType::kScore) {
    if (!ParseScoreRangeOrReply(ctx, ctx.arg(2), ctx.arg(3), &p.score_lo, &p.score_hi)) return;
  } else if (!ParseLexRangeOrReply(ctx, ctx.arg(2), ctx.arg(3), &p.lex_lo, &p.lex_hi)) {
    return;
  }
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Result<store::ZSetValue*> r = store::MutableZSetOf(e);
  if (!r.ok()) return ctx.Error(r.status());
  if (r.value() == nullptr) return ctx.out.Integer(0);
  const store::ZSetValue& z = *r.value();
  size_t a = 0, b = 0;  // ranks [a, b)
  if (type == RangeType::kRank) {
    size_t s, en;
    if (ResolveRankRange(p.start, p.end, z.size(), &s, &en)) {
      a = s;
      b = en + 1;
    }
  } else if (type == RangeType::kScore) {
    a = z.ScoreLowerRank(p.score_lo);
    b = z.ScoreUpperRank(p.score_hi);
  } else {
    std::tie(a, b) = z.LexRange(p.lex_lo, p.lex_hi);
  }
  if (b <= a) return ctx.out.Integer(0);
  int64_t n = store::ZRemRankRange(*ctx.db, key, e, a, b - 1);
  AddDirty(ctx, static_cast<uint64_t>(n));
  if (n > 0) {
    NotifyMaybeDeleted(ctx, kNotifyZset,
                       type == RangeType::kRank    ? "zremrangebyrank"
                       : type == RangeType::kScore ? "zremrangebyscore"
                                                   : "zremrangebylex",
                       key);
  }
  ctx.out.Integer(n);
}
void CmdZRemRangeByRank(CommandContext& ctx) { ZRemRangeGeneric(ctx, RangeType::kRank); }
void CmdZRemRangeByScore(CommandContext& ctx) { ZRemRangeGeneric(ctx, RangeType::kScore); }
void CmdZRemRangeByLex(CommandContext& ctx) { ZRemRangeGeneric(ctx, RangeType::kLex); }

// ZPOPMIN / ZPOPMAX key [count]
void ZPopGeneric(CommandContext& ctx, bool max) {
  if (ctx.argc() > 3) return ctx.Error(err::kSyntax);
  int64_t count = 1;
  const bool has_count = ctx.argc() == 3;
  if (has_count) {
    if (!ParseIntOrReply(ctx, ctx.arg(2), &count, err::kZNotPositive)) return;
    if (count < 0) return ctx.Error(err::kZNotPositive);
  }
  std::string_view key = ctx.arg(1);
  store::Entry* e = LookupWrite(ctx, key);
  store::Result<store::ZSetValue*> r = store::MutableZSetOf(e);
  if (!r.ok()) return ctx.Error(r.status());
  if (r.value() == nullptr || count == 0) return ctx.out.ArrayHeader(0);
  std::vector<store::ZEntry> v = store::ZPop(*ctx.db, key, e, max, static_cast<size_t>(count));
  AddDirty(ctx, v.size());
  NotifyMaybeDeleted(ctx, kNotifyZset, max ? "zpopmax" : "zpopmin", key);
  // Without a count RESP3 still gets the flat [member, score] pair.
  if (!has_count) {
    ctx.out.ArrayHeader(2);
    ctx.out.Bulk(v[0].member);
    ctx.out.Double(v[0].score);
    return;
  }
  detail::ReplyZEntries(ctx, v, true);
}
void CmdZPopMin(CommandContext& ctx) { ZPopGeneric(ctx, false); }
void CmdZPopMax(CommandContext& ctx) { ZPopGeneric(ctx, true); }

}  // namespace

std::vector<CommandSpec> ZSetCommands() {
  const uint64_t read_fast = kAclRead | kAclSortedSet | kAclFast;
  const uint64_t read_slow = kAclRead | kAclSortedSet | kAclSlow;
  const uint64_t write_fast = kAclWrite | kAclSortedSet | kAclFast;
  const uint64_t write_slow = kAclWrite | kAclSortedSet | kAclSlow;
  const uint32_t rw_fast = kWrite | kDenyOom | kFast;
  std::vector<CommandSpec> v = {
      {"zadd", -4, rw_fast, 1, 1, 1, write_fast, CmdZAdd, "sorted-set", "1.2.0",
       "Add one or more members to a sorted set, or update its score if it already exists"},
      {"zcard", 2, kReadOnly | kFast, 1, 1, 1, read_fast, CmdZCard, "sorted-set", "1.2.0",
       "Get the number of members in a sorted set"},
      {"zcount", 4, kReadOnly | kFast, 1, 1, 1, read_fast, CmdZCount, "sorted-set", "2.0.0",
       "Count the members in a sorted set with scores within the given values"},
      {"zincrby", 4, rw_fast, 1, 1, 1, write_fast, CmdZIncrBy, "sorted-set", "1.2.0",
       "Increment the score of a member in a sorted set"},
      {"zlexcount", 4, kReadOnly | kFast, 1, 1, 1, read_fast, CmdZLexCount, "sorted-set", "2.8.9",
       "Count the number of members in a sorted set between a given lexicographical range"},
      {"zmscore", -3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdZMScore, "sorted-set", "6.2.0",
       "Get the score associated with the given members in a sorted set"},
      {"zpopmax", -2, kWrite | kFast, 1, 1, 1, write_fast, CmdZPopMax, "sorted-set", "5.0.0",
       "Remove and return members with the highest scores in a sorted set"},
      {"zpopmin", -2, kWrite | kFast, 1, 1, 1, write_fast, CmdZPopMin, "sorted-set", "5.0.0",
       "Remove and return members with the lowest scores in a sorted set"},
      {"zrange", -4, kReadOnly, 1, 1, 1, read_slow, CmdZRange, "sorted-set", "1.2.0",
       "Return a range of members in a sorted set"},
      {"zrangebylex", -4, kReadOnly, 1, 1, 1, read_slow, CmdZRangeByLex, "sorted-set", "2.8.9",
       "Return a range of members in a sorted set, by lexicographical range"},
      {"zrangebyscore", -4, kReadOnly, 1, 1, 1, read_slow, CmdZRangeByScore, "sorted-set", "1.0.5",
       "Return a range of members in a sorted set, by score"},
      {"zrangestore", -5, kWrite | kDenyOom, 1, 2, 1, write_slow, CmdZRangeStore, "sorted-set",
       "6.2.0", "Store a range of members from sorted set into another key"},
      {"zrank", 3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdZRank, "sorted-set", "2.0.0",
       "Determine the index of a member in a sorted set"},
      {"zrem", -3, kWrite | kFast, 1, 1, 1, write_fast, CmdZRem, "sorted-set", "1.2.0",
       "Remove one or more members from a sorted set"},
      {"zremrangebylex", 4, kWrite, 1, 1, 1, write_slow, CmdZRemRangeByLex, "sorted-set", "2.8.9",
       "Remove all members in a sorted set between the given lexicographical range"},
      {"zremrangebyrank", 4, kWrite, 1, 1, 1, write_slow, CmdZRemRangeByRank, "sorted-set", "2.0.0",
       "Remove all members in a sorted set within the given indexes"},
      {"zremrangebyscore", 4, kWrite, 1, 1, 1, write_slow, CmdZRemRangeByScore, "sorted-set",
       "1.2.0", "Remove all members in a sorted set within the given scores"},
      {"zrevrange", -4, kReadOnly, 1, 1, 1, read_slow, CmdZRevRange, "sorted-set", "1.2.0",
       "Return a range of members in a sorted set, by index, with scores ordered from high to low"},
      {"zrevrangebylex", -4, kReadOnly, 1, 1, 1, read_slow, CmdZRevRangeByLex, "sorted-set",
       "2.8.9",
       "Return a range of members in a sorted set, by lexicographical range, ordered from higher "
       "to lower strings."},
      {"zrevrangebyscore", -4, kReadOnly, 1, 1, 1, read_slow, CmdZRevRangeByScore, "sorted-set",
       "2.2.0",
       "Return a range of members in a sorted set, by score, with scores ordered from high to low"},
      {"zrevrank", 3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdZRevRank, "sorted-set", "2.0.0",
       "Determine the index of a member in a sorted set, with scores ordered from high to low"},
      {"zscore", 3, kReadOnly | kFast, 1, 1, 1, read_fast, CmdZScore, "sorted-set", "1.2.0",
       "Get the score associated with the given member in a sorted set"},
  };
  for (CommandSpec& s : ZSetSetOpsCommands()) v.push_back(std::move(s));
  return v;
}

}  // namespace server
