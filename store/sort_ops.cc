#include "store/sort_ops.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <utility>

#include "store/hash_ops.h"
#include "store/hash_value.h"
#include "store/list_value.h"
#include "store/set_value.h"
#include "store/zset_ops.h"
#include "store/zset_value.h"

namespace store {
namespace {

// One element being sorted, with the weight it is ordered by.
struct SortItem {
  std::string elem;
  double score = 0;                // numeric sort: the weight (0 when a BY key is missing)
  std::optional<std::string> cmp;  // ALPHA with BY: the weight's bytes (nullopt when missing)
  // ALPHA: the bytes compared, viewing elem or *cmp (cut at the first NUL unless storing, see
  // AlphaKey), computed once rather than per comparison. Unset iff the BY weight is missing.
  std::optional<std::string_view> alpha_key;
};

// Redis parses a weight with strtod over the C string, so an empty string is 0, leading spaces
// are skipped, hex and "inf" are accepted, and anything after a NUL byte is ignored; trailing
// garbage, NaN and out-of-range values (overflow, and underflow to a denormal or zero) are not.
// Redis does not clear errno before the call, so after one out-of-range value its later numeric
// sorts on the same connection keep failing until something else resets errno; we clear it, as
// that stickiness is an accident, not behaviour anyone can rely on.
bool ParseWeight(std::string_view s, double* out) {
  const std::string buf(s);
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(buf.c_str(), &end);
  if (*end != '\0' || errno == ERANGE || std::isnan(d)) return false;
  *out = d;
  return true;
}

int CompareBytes(std::string_view a, std::string_view b) {
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// What ALPHA compares of s. Redis compares with strcoll unless it stores the result; under the C
// and C.UTF-8 locales it runs with, that is byte order of the C strings, so whatever follows a
// NUL byte is not compared. A stored result compares whole strings.
std::string_view AlphaKey(std::string_view s, bool store) {
  return store ? s : s.substr(0, s.find('\0'));
}

int CompareItems(const SortItem& a, const SortItem& b, const SortParams& p) {
  int c = 0;
  if (!p.alpha) {
    if (a.score < b.score) {
      c = -1;
    } else if (a.score > b.score) {
      c = 1;
    } else {
      c = CompareBytes(a.elem, b.elem);
    }
  } else if (!a.alpha_key.has_value() || !b.alpha_key.has_value()) {
    // A missing BY weight sorts first.
    c = a.alpha_key.has_value() == b.alpha_key.has_value() ? 0 : (a.alpha_key.has_value() ? 1 : -1);
  } else {
    c = CompareBytes(*a.alpha_key, *b.alpha_key);
  }
  return p.desc ? -c : c;
}

size_t CollectionSize(const Entry* e) {
  if (e == nullptr) return 0;
  const Collection* c = e->value().collection();
  switch (c->type()) {
    case ObjType::kList:
      return static_cast<const ListValue*>(c)->size();
    case ObjType::kSet:
      return static_cast<const SetValue*>(c)->size();
    case ObjType::kZSet:
      return static_cast<const ZSetValue*>(c)->size();
    default:
      return 0;
  }
}

// Every element in the source's own order: a list head to tail, a set as it iterates (an intset
// ascending), a sorted set by rank. REQUIRES: e is null or holds one of those types.
std::vector<std::string> LoadAll(const Entry* e) {
  std::vector<std::string> out;
  if (e == nullptr) return out;
  const Collection* c = e->value().collection();
  out.reserve(CollectionSize(e));
  if (c->type() == ObjType::kList) {
    const auto* list = static_cast<const ListValue*>(c);
    list->Visit(0, list->size(), false, [&](size_t, std::string_view v) {
      out.emplace_back(v);
      return true;
    });
  } else if (c->type() == ObjType::kSet) {
    static_cast<const SetValue*>(c)->ForEach([&](std::string_view m) { out.emplace_back(m); });
  } else {
    const auto* z = static_cast<const ZSetValue*>(c);
    if (z->size() > 0) {
      z->ForRange(0, z->size() - 1, false,
                  [&](double, std::string_view m) { out.emplace_back(m); });
    }
  }
  return out;
}

// Positions [first, first + count) of a list or sorted set read in its own order, or in reverse
// when desc. REQUIRES: first + count <= size.
std::vector<std::string> LoadOrderedRange(const Entry* e, size_t first, size_t count, bool desc) {
  std::vector<std::string> out;
  if (count == 0) return out;
  out.reserve(count);
  const Collection* c = e->value().collection();
  const size_t n = CollectionSize(e);
  // The reversed sequence's positions [first, first + count) are the elements
  // [n - first - count, n - first) read backwards.
  const size_t lo = desc ? n - first - count : first;
  if (c->type() == ObjType::kList) {
    static_cast<const ListValue*>(c)->Visit(lo, count, desc, [&](size_t, std::string_view v) {
      out.emplace_back(v);
      return true;
    });
  } else {
    static_cast<const ZSetValue*>(c)->ForRange(
        lo, lo + count - 1, desc, [&](double, std::string_view m) { out.emplace_back(m); });
  }
  return out;
}

// Bentley-McIlroy's median of three: the index whose item is the median of i, j and k.
template <typename Cmp>
size_t MedianOf3(size_t i, size_t j, size_t k, const Cmp& c) {
  if (c(i, j) < 0) {
    if (c(j, k) < 0) return j;
    return c(i, k) < 0 ? k : i;
  }
  if (c(j, k) > 0) return j;
  return c(i, k) < 0 ? i : k;
}

// The Bentley-McIlroy quicksort ("Engineering a Sort Function", 1993) that Redis's SORT uses
// when LIMIT selects part of a BY sort, pruned to the part that matters: afterwards
// order[first..last] hold what a full sort would put there, equal items in the order this
// algorithm leaves them (which the result then shows). As in Redis, there is no switch to
// insertion sort when a partition pass swaps nothing: only ranges under 7 items use it. `cmp`
// compares two items by the values in `order` and returns <0, 0 or >0. REQUIRES: first <= last <
// order.size().
template <typename Cmp>
void PartialQuickSort(std::span<size_t> order, size_t first, size_t last, const Cmp& cmp) {
  // Comparisons and swaps by position in `order`.
  auto c = [&](size_t i, size_t j) { return cmp(order[i], order[j]); };
  auto swap = [&](size_t i, size_t j) { std::swap(order[i], order[j]); };
  auto insertion_sort = [&](size_t a, size_t n) {
    for (size_t m = a + 1; m < a + n; ++m) {
      for (size_t l = m; l > a && c(l - 1, l) > 0; --l) swap(l, l - 1);
    }
  };
  // Whether positions [a, a + n) hold any of [first, last], the part the caller will read.
  auto wanted = [&](size_t a, size_t n) { return !(last < a || first > a + n - 1); };

  // Sorts positions [a, a + n) as far as [first, last] needs.
  auto sort = [&](auto& self, size_t a, size_t n) -> void {
    for (;;) {
      if (n < 7) return insertion_sort(a, n);
      size_t pm = a + n / 2;
      if (n > 7) {
        size_t pl = a;
        size_t pn = a + n - 1;
        if (n > 40) {
          const size_t d = n / 8;
          pl = MedianOf3(pl, pl + d, pl + 2 * d, c);
          pm = MedianOf3(pm - d, pm, pm + d, c);
          pn = MedianOf3(pn - 2 * d, pn - d, pn, c);
        }
        pm = MedianOf3(pl, pm, pn, c);
      }
      swap(a, pm);  // the pivot sits at a while the rest is partitioned
      // Split-end partitioning: items equal to the pivot gather at both ends ([a, pa) with the
      // pivot, and (pd, a + n)), smaller ones in [pa, pb), larger ones in (pc, pd].
      size_t pa = a + 1;
      size_t pb = a + 1;
      size_t pc = a + n - 1;
      size_t pd = a + n - 1;
      for (;;) {
        int r = 0;
        while (pb <= pc && (r = c(pb, a)) <= 0) {
          if (r == 0) swap(pa++, pb);
          ++pb;
        }
        while (pb <= pc && (r = c(pc, a)) >= 0) {
          if (r == 0) swap(pc, pd--);
          --pc;
        }
        if (pb > pc) break;
        swap(pb++, pc--);
      }
      // Bring the equal items from both ends into the middle.
      const size_t pn = a + n;
      size_t k = std::min(pa - a, pb - pa);
      for (size_t i = 0; i < k; ++i) swap(a + i, pb - k + i);
      k = std::min(pd - pc, pn - pd - 1);
      for (size_t i = 0; i < k; ++i) swap(pb + i, pn - k + i);
      // Left to sort: the items below the pivot, now at [a, a + (pb - pa)), and those above it,
      // at [pn - (pd - pc), pn); each only if it has two items or more and overlaps [first,
      // last]. The two are disjoint, so sorting them in either order gives the same result:
      // recursing into the shorter one and looping on the other bounds the depth by log n.
      struct Part {
        size_t at, n;
      };
      Part shorter{a, pb - pa};
      Part longer{pn - (pd - pc), pd - pc};
      if (shorter.n > longer.n) std::swap(shorter, longer);
      if (shorter.n > 1 && wanted(shorter.at, shorter.n)) self(self, shorter.at, shorter.n);
      if (longer.n <= 1 || !wanted(longer.at, longer.n)) return;
      a = longer.at;
      n = longer.n;
    }
  };
  if (!order.empty()) sort(sort, 0, order.size());
}

}  // namespace

SortPattern ParseSortPattern(std::string_view pattern) {
  SortPattern p;
  if (!pattern.empty() && pattern[0] == '#' && (pattern.size() == 1 || pattern[1] == '\0')) {
    p.kind = SortPattern::Kind::kSelf;
    return p;
  }
  // What Redis's strchr and strstr see: the bytes before the first NUL.
  const std::string_view c_str = pattern.substr(0, pattern.find('\0'));
  const size_t star = c_str.find('*');
  if (star == std::string_view::npos) {
    p.kind = SortPattern::Kind::kConstant;
    return p;
  }
  p.prefix = pattern.substr(0, star);
  const size_t arrow = c_str.find("->", star + 1);
  if (arrow != std::string_view::npos && arrow + 2 < pattern.size() && pattern[arrow + 2] != '\0') {
    p.kind = SortPattern::Kind::kHashField;
    p.suffix = pattern.substr(star + 1, arrow - star - 1);
    p.field = pattern.substr(arrow + 2);
  } else {
    p.kind = SortPattern::Kind::kKey;
    p.suffix = pattern.substr(star + 1);
  }
  return p;
}

std::optional<std::string> SortLookup(const SortPattern& p, std::string_view elem,
                                      const KeyReader& read) {
  if (p.kind == SortPattern::Kind::kSelf) return std::string(elem);
  if (p.kind == SortPattern::Kind::kConstant) return std::nullopt;
  std::string key;
  key.reserve(p.prefix.size() + elem.size() + p.suffix.size());
  key.append(p.prefix).append(elem).append(p.suffix);
  const Entry* e = read(key);
  if (e == nullptr) return std::nullopt;
  if (p.kind == SortPattern::Kind::kKey) {
    if (!e->value().is_string()) return std::nullopt;
    std::string scratch;
    return std::string(e->value().Str(&scratch));
  }
  Result<const HashValue*> h = ReadHash(e);
  if (!h.ok()) return std::nullopt;
  const std::optional<std::string_view> v = h.value()->Get(p.field);
  if (!v) return std::nullopt;
  return std::string(*v);
}

Result<std::vector<std::string>> SortElements(Entry* src, SortParams params,
                                              const KeyReader& read) {
  if (src != nullptr) {
    const ObjType t = src->value().type();
    if (t != ObjType::kList && t != ObjType::kSet && t != ObjType::kZSet) {
      return Status::kWrongType;
    }
    if (t == ObjType::kSet && params.dontsort && params.store) {
      params.dontsort = false;
      params.alpha = true;
      params.by.reset();
    }
    if (t == ObjType::kZSet) {
      Result<ZSetValue*> z = MutableZSetOf(src);
      if (z.ok()) z.value()->ConvertToSkipList();
    }
  }

  // LIMIT selects [first, first + count) of the n sorted elements.
  const size_t n = CollectionSize(src);
  const auto first = static_cast<size_t>(std::max<int64_t>(params.limit_offset, 0));
  size_t count = 0;
  if (first < n) {
    const size_t rest = n - first;
    count = params.limit_count < 0 || static_cast<uint64_t>(params.limit_count) > rest
                ? rest
                : static_cast<size_t>(params.limit_count);
  }

  if (params.dontsort) {
    // Lists and sorted sets keep their own order (reversed by DESC); a set keeps its iteration
    // order, and DESC does not apply to it.
    if (src != nullptr && src->value().type() != ObjType::kSet) {
      return LoadOrderedRange(src, first, count, params.desc);
    }
    if (count == 0) return std::vector<std::string>();
    std::vector<std::string> all = LoadAll(src);
    return std::vector<std::string>(std::make_move_iterator(all.begin() + first),
                                    std::make_move_iterator(all.begin() + first + count));
  }

  std::vector<std::string> elems = LoadAll(src);
  std::vector<SortItem> items(elems.size());
  bool bad_weight = false;
  for (size_t i = 0; i < elems.size(); ++i) {
    SortItem& it = items[i];
    it.elem = std::move(elems[i]);
    std::optional<std::string> weight;
    if (params.by.has_value()) {
      weight = SortLookup(*params.by, it.elem, read);
      if (!weight.has_value()) continue;
    }
    if (params.alpha) {
      if (params.by.has_value()) {
        it.cmp = std::move(weight);
        it.alpha_key = AlphaKey(*it.cmp, params.store);
      } else {
        it.alpha_key = AlphaKey(it.elem, params.store);
      }
    } else if (!ParseWeight(weight.has_value() ? *weight : it.elem, &it.score)) {
      bad_weight = true;  // reported after every weight was read, as Redis does
    }
  }
  if (bad_weight) return Status::kNotFloat;
  if (count == 0) return std::vector<std::string>();

  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (params.by.has_value() && count != n) {
    PartialQuickSort(order, first, first + count - 1,
                     [&](size_t a, size_t b) { return CompareItems(items[a], items[b], params); });
  } else {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return CompareItems(items[a], items[b], params) < 0;
    });
  }
  std::vector<std::string> out;
  out.reserve(count);
  for (size_t i = first; i < first + count; ++i) out.push_back(std::move(items[order[i]].elem));
  return out;
}

bool SortStore(Db& db, std::string_view dst, std::span<const std::string> values, int64_t fill) {
  if (values.empty()) return db.Erase(dst);
  auto list = std::make_unique<ListValue>(fill);
  for (const std::string& v : values) list->Push(ListEnd::kTail, v);
  db.Set(dst, Value::Of(std::move(list)));
  return true;
}

}  // namespace store
