#include "store/zset_ops.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>

namespace store {

Result<const ZSetValue*> ZSetOf(const Entry* e) {
  if (e == nullptr) return static_cast<const ZSetValue*>(nullptr);
  if (e->value().type() != ObjType::kZSet) return Status::kWrongType;
  return static_cast<const ZSetValue*>(e->value().collection());
}

Result<ZSetValue*> MutableZSetOf(Entry* e) {
  if (e == nullptr) return static_cast<ZSetValue*>(nullptr);
  if (e->value().type() != ObjType::kZSet) return Status::kWrongType;
  return static_cast<ZSetValue*>(e->value().collection());
}

size_t ZSource::size() const {
  if (zset != nullptr) return zset->size();
  return set == nullptr ? 0 : set->size();
}

std::optional<double> ZSource::Score(std::string_view member) const {
  if (zset != nullptr) return zset->Score(member);
  if (set != nullptr && set->Contains(member)) return 1.0;
  return std::nullopt;
}

void ZSource::ForEach(const std::function<void(double, std::string_view)>& fn) const {
  if (zset != nullptr && zset->size() > 0) {
    zset->ForRange(0, zset->size() - 1, false, fn);
  } else if (set != nullptr) {
    set->ForEach([&](std::string_view m) { fn(1.0, m); });
  }
}

Result<ZSource> ZSourceOf(const Entry* e) {
  ZSource src;
  if (e == nullptr) return src;
  if (e->value().type() == ObjType::kZSet) {
    src.zset = static_cast<const ZSetValue*>(e->value().collection());
  } else if (e->value().type() == ObjType::kSet) {
    src.set = static_cast<const SetValue*>(e->value().collection());
  } else {
    return Status::kWrongType;
  }
  return src;
}

Result<ZAddOutcome> ZAdd(Db& db, std::string_view key, Entry* e, const ZAddFlags& flags,
                         std::span<const std::pair<double, std::string_view>> elements,
                         const ZSetLimits& limits) {
  Result<ZSetValue*> z = MutableZSetOf(e);
  if (!z.ok()) return z.status();
  ZAddOutcome out;
  ZSetValue* zs = z.value();
  if (zs == nullptr) {
    if (flags.xx) return out;
    // As Redis 7.0, the new set's encoding looks only at the first member; later members
    // convert it as they are added.
    const bool lp = limits.max_entries != 0 &&
                    static_cast<int64_t>(elements.front().second.size()) <= limits.max_value;
    e = db.Insert(key, Value::Of(std::make_unique<ZSetValue>(lp)));
    zs = static_cast<ZSetValue*>(e->value().collection());
  }
  bool changed = false;
  Status status = Status::kOk;
  for (const auto& [score_arg, member] : elements) {
    std::optional<double> cur = zs->Score(member);
    double score = score_arg;
    if (cur.has_value()) {
      if (flags.nx) continue;
      if (flags.incr) {
        score = *cur + score_arg;
        if (std::isnan(score)) {
          status = Status::kNanOrInf;
          break;
        }
      }
      if ((flags.gt && score <= *cur) || (flags.lt && score >= *cur)) continue;
      if (flags.incr) out.score = score;
      if (score != *cur) {
        zs->Set(member, score, limits.max_entries, limits.max_value);
        ++out.updated;
        changed = true;
      }
    } else {
      if (flags.xx) continue;
      zs->Set(member, score, limits.max_entries, limits.max_value);
      if (flags.incr) out.score = score;
      ++out.added;
      changed = true;
    }
  }
  if (zs->size() == 0) {
    db.Erase(key);
  } else if (changed) {
    db.Touched(key);
  }
  if (status != Status::kOk) return status;
  return out;
}

Result<int64_t> ZRem(Db& db, std::string_view key, Entry* e,
                     std::span<const std::string_view> members) {
  Result<ZSetValue*> z = MutableZSetOf(e);
  if (!z.ok()) return z.status();
  if (z.value() == nullptr) return int64_t{0};
  int64_t n = 0;
  for (std::string_view m : members) n += z.value()->Remove(m) ? 1 : 0;
  if (z.value()->size() == 0) {
    db.Erase(key);
  } else if (n > 0) {
    db.Touched(key);
  }
  return n;
}

int64_t ZRemRankRange(Db& db, std::string_view key, Entry* e, size_t start, size_t end) {
  auto* zs = static_cast<ZSetValue*>(e->value().collection());
  zs->RemoveRange(start, end);
  if (zs->size() == 0) {
    db.Erase(key);
  } else {
    db.Touched(key);
  }
  return static_cast<int64_t>(end - start + 1);
}

std::vector<ZEntry> ZPop(Db& db, std::string_view key, Entry* e, bool max, size_t count) {
  auto* zs = static_cast<ZSetValue*>(e->value().collection());
  std::vector<ZEntry> out;
  count = std::min(count, zs->size());
  if (count == 0) return out;
  const size_t n = zs->size();
  const size_t start = max ? n - count : 0;
  const size_t end = max ? n - 1 : count - 1;
  zs->ForRange(start, end, max, [&](double s, std::string_view m) {
    out.push_back(ZEntry{s, std::string(m)});
  });
  zs->RemoveRange(start, end);
  if (zs->size() == 0) {
    db.Erase(key);
  } else {
    db.Touched(key);
  }
  return out;
}

int64_t ZStore(Db& db, std::string_view dst, std::vector<ZEntry> elements,
               const ZSetLimits& limits) {
  if (elements.empty()) {
    db.Erase(dst);
    return 0;
  }
  size_t longest = 0;
  for (const ZEntry& el : elements) longest = std::max(longest, el.member.size());
  const bool lp = static_cast<int64_t>(elements.size()) <= limits.max_entries &&
                  static_cast<int64_t>(longest) <= limits.max_value;
  auto zs = std::make_unique<ZSetValue>(lp);
  // Unlimited thresholds here: the encoding was decided above for the whole result.
  for (const ZEntry& el : elements) zs->Set(el.member, el.score, INT64_MAX, INT64_MAX);
  const auto n = static_cast<int64_t>(zs->size());
  db.Set(dst, Value::Of(std::move(zs)));
  return n;
}

std::vector<ZEntry> ZCombine(ZSetOp op, std::span<const ZSource> inputs,
                             std::span<const double> weights, ZAggregate agg) {
  std::vector<ZEntry> out;
  if (inputs.empty()) return out;
  auto weighted = [&](size_t i, double s) {
    double w = i < weights.size() ? weights[i] : 1.0;
    double r = s * w;
    // inf * 0 is NaN; Redis makes it 0.
    return std::isnan(r) ? 0.0 : r;
  };
  auto combine = [&](double a, double b) {
    switch (agg) {
      case ZAggregate::kSum: {
        double r = a + b;
        return std::isnan(r) ? 0.0 : r;  // inf + -inf: Redis stores 0
      }
      case ZAggregate::kMin:
        return std::min(a, b);
      case ZAggregate::kMax:
        return std::max(a, b);
    }
    return a;
  };
  // Inputs are visited smallest first (missing keys count as empty), as Redis does; with SUM
  // the order of the floating-point additions shows in the last digits of a score.
  std::vector<size_t> order(inputs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto card = [&](size_t i) { return inputs[i].size(); };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return card(a) < card(b); });
  if (op == ZSetOp::kUnion) {
    std::unordered_map<std::string, double> acc;
    for (size_t i : order) {
      inputs[i].ForEach([&](double s, std::string_view m) {
        double v = weighted(i, s);
        auto [it, fresh] = acc.try_emplace(std::string(m), v);
        if (!fresh) it->second = combine(it->second, v);
      });
    }
    out.reserve(acc.size());
    for (auto& [m, s] : acc) out.push_back(ZEntry{s, m});
  } else if (op == ZSetOp::kInter) {
    // Walk the smallest input and probe the others, as the result is a subset of it.
    for (const ZSource& in : inputs) {
      if (in.zset == nullptr && in.set == nullptr) return out;
    }
    inputs[order[0]].ForEach([&](double, std::string_view m) {
      double acc = 0;
      for (size_t k = 0; k < order.size(); ++k) {
        const size_t i = order[k];
        std::optional<double> s = inputs[i].Score(m);
        if (!s.has_value()) return;
        // Only the first input's product is cleaned of NaN (inf * 0); a later NaN reaches the
        // aggregate, where SUM turns it into 0 and MIN/MAX ignore it, as Redis does.
        double v = k == 0 ? weighted(i, *s) : *s * (i < weights.size() ? weights[i] : 1.0);
        acc = k == 0 ? v : combine(acc, v);
      }
      out.push_back(ZEntry{acc, std::string(m)});
    });
  } else {
    inputs[0].ForEach([&](double s, std::string_view m) {
      for (size_t i = 1; i < inputs.size(); ++i) {
        if (inputs[i].Score(m).has_value()) return;
      }
      out.push_back(ZEntry{s, std::string(m)});
    });
  }
  std::sort(out.begin(), out.end(), [](const ZEntry& a, const ZEntry& b) {
    return ZLess(a.score, a.member, b.score, b.member);
  });
  return out;
}

}  // namespace store
