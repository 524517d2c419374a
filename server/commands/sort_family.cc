// SORT and SORT_RO. The ordering itself, pattern lookups and the stored list live in
// store/sort_ops.h; this file parses the options into SortArgs before the store is touched and
// writes the reply.
//
// Redis 7.0's order of checks, which decides the error a client sees: options are parsed first
// (a syntax error or a bad LIMIT number wins over everything), then the source key is looked up
// (WRONGTYPE), then the weights are read (a weight that is not a double fails the whole command,
// and STORE then stores nothing).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/commands/families.h"
#include "server/commands/key_finders.h"
#include "server/context.h"
#include "server/notify.h"
#include "server/server.h"
#include "store/sort_ops.h"

namespace server {
namespace {

constexpr ErrorReply kScoresNotDouble{"ERR", "One or more scores can't be converted into double"};

struct SortArgs {
  store::SortParams sort;
  std::vector<store::SortPattern> gets;
  std::optional<std::string_view> store_key;
};

// Parses argv[2..] as Redis does: options in any order and repeatable, the last LIMIT, BY and
// STORE winning; ASC/DESC/ALPHA take no argument. One quirk is kept: once a BY without '*' has
// been seen ("BY nosort"), a later BY pattern still sets the weights but the result stays
// unsorted. SORT_RO does not know STORE, so there it is a syntax error. False iff an error was
// sent.
bool ParseSortOrReply(CommandContext& ctx, bool readonly, SortArgs* a) {
  for (size_t j = 2; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.arg(j);
    const size_t left = ctx.argc() - j - 1;  // arguments after this one
    if (EqualsNoCase(opt, "asc")) {
      a->sort.desc = false;
    } else if (EqualsNoCase(opt, "desc")) {
      a->sort.desc = true;
    } else if (EqualsNoCase(opt, "alpha")) {
      a->sort.alpha = true;
    } else if (EqualsNoCase(opt, "limit") && left >= 2) {
      if (!ParseIntOrReply(ctx, ctx.arg(j + 1), &a->sort.limit_offset) ||
          !ParseIntOrReply(ctx, ctx.arg(j + 2), &a->sort.limit_count)) {
        return false;
      }
      j += 2;
    } else if (!readonly && EqualsNoCase(opt, "store") && left >= 1) {
      a->store_key = ctx.arg(++j);
    } else if (EqualsNoCase(opt, "by") && left >= 1) {
      a->sort.by = store::ParseSortPattern(ctx.arg(++j));
      using Kind = store::SortPattern::Kind;
      if (a->sort.by->kind == Kind::kSelf || a->sort.by->kind == Kind::kConstant) {
        a->sort.dontsort = true;
      }
    } else if (EqualsNoCase(opt, "get") && left >= 1) {
      a->gets.push_back(store::ParseSortPattern(ctx.arg(++j)));
    } else {
      ctx.Error(err::kSyntax);
      return false;
    }
  }
  a->sort.store = a->store_key.has_value();
  return true;
}

// What the sorted elements turn into: themselves, or for each one the value of every GET
// pattern in order (nullopt where the pattern names nothing).
std::vector<std::optional<std::string>> Project(CommandContext& ctx, const SortArgs& a,
                                                std::vector<std::string> elems) {
  std::vector<std::optional<std::string>> out;
  if (a.gets.empty()) {
    out.reserve(elems.size());
    for (std::string& e : elems) out.emplace_back(std::move(e));
    return out;
  }
  out.reserve(elems.size() * a.gets.size());
  const store::KeyReader read = [&ctx](std::string_view k) { return LookupRead(ctx, k); };
  for (const std::string& e : elems) {
    for (const store::SortPattern& p : a.gets) out.push_back(store::SortLookup(p, e, read));
  }
  return out;
}

void SortGeneric(CommandContext& ctx, bool readonly) {
  SortArgs a;
  if (!ParseSortOrReply(ctx, readonly, &a)) return;
  store::Entry* src = LookupRead(ctx, ctx.arg(1));
  const store::KeyReader read = [&ctx](std::string_view k) { return LookupRead(ctx, k); };
  store::Result<std::vector<std::string>> sorted = store::SortElements(src, a.sort, read);
  if (!sorted.ok()) {
    if (sorted.status() == store::Status::kNotFloat) return ctx.Error(kScoresNotDouble);
    return ctx.Error(sorted.status());
  }
  std::vector<std::optional<std::string>> values = Project(ctx, a, std::move(sorted.value()));

  if (!a.store_key.has_value()) {
    ctx.out.ArrayHeader(static_cast<int64_t>(values.size()));
    for (const std::optional<std::string>& v : values) {
      if (v.has_value()) {
        ctx.out.Bulk(*v);
      } else {
        ctx.out.Null();
      }
    }
    return;
  }
  // A stored list has no nils: a GET that names nothing stores an empty string.
  std::vector<std::string> list;
  list.reserve(values.size());
  for (std::optional<std::string>& v : values) list.push_back(v.has_value() ? std::move(*v) : "");
  // Expire the destination lazily first, so an expired key does not count as deleted.
  LookupWrite(ctx, *a.store_key);
  const bool changed =
      store::SortStore(*ctx.db, *a.store_key, list, ctx.server.config().list_max_listpack_size);
  if (!list.empty()) {
    AddDirty(ctx, list.size());
    Notify(ctx, kNotifyList, "sortstore", *a.store_key);
  } else if (changed) {
    AddDirty(ctx);
    Notify(ctx, kNotifyGeneric, "del", *a.store_key);
  }
  ctx.out.Integer(static_cast<int64_t>(list.size()));
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]
//      [STORE destination]
void CmdSort(CommandContext& ctx) { SortGeneric(ctx, false); }

// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC]
//         [ALPHA]
void CmdSortRo(CommandContext& ctx) { SortGeneric(ctx, true); }

}  // namespace

std::vector<CommandSpec> SortCommands() {
  const uint64_t acl = kAclSet | kAclSortedSet | kAclList | kAclSlow | kAclDangerous;
  return {
      {"sort",
       -2,
       kWrite | kDenyOom,
       1,
       1,
       1,
       acl | kAclWrite,
       CmdSort,
       "generic",
       "1.0.0",
       "Sort the elements in a list, set or sorted set",
       {},
       SortKeys},
      {"sort_ro",
       -2,
       kReadOnly,
       1,
       1,
       1,
       acl | kAclRead,
       CmdSortRo,
       "generic",
       "7.0.0",
       "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
       {},
       SortRoKeys},
  };
}

}  // namespace server
