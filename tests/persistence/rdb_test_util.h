// Helpers shared by the persistence tests: a canonical text for any Value (so two values compare
// as strings in failure messages) and a keyspace of several Dbs.
#pragma once

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/clock.h"
#include "store/db.h"
#include "store/hash_value.h"
#include "store/list_value.h"
#include "store/persist_api.h"
#include "store/set_value.h"
#include "store/value.h"
#include "store/zset_value.h"

namespace persistence::testing {

inline std::string Score(double d) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.17g", d);
  return buf;
}

// "type:[elements]" with hash fields and set members sorted, sorted sets in rank order.
inline std::string Canonical(const store::Value& v) {
  std::string out;
  auto add = [&](std::string_view s) {
    out.append(s);
    out.push_back(',');
  };
  switch (v.type()) {
    case store::ObjType::kString: {
      std::string scratch;
      return "string:" + std::string(v.Str(&scratch));
    }
    case store::ObjType::kList: {
      const auto& l = static_cast<const store::ListValue&>(*v.collection());
      l.Visit(0, l.size(), false, [&](size_t, std::string_view e) {
        add(e);
        return true;
      });
      return "list:[" + out + "]";
    }
    case store::ObjType::kHash: {
      const auto& h = static_cast<const store::HashValue&>(*v.collection());
      std::map<std::string, std::string> m;
      h.ForEach([&](std::string_view f, std::string_view x) { m[std::string(f)] = x; });
      for (const auto& [f, x] : m) add(f + "=" + x);
      return "hash:[" + out + "]";
    }
    case store::ObjType::kSet: {
      const auto& s = static_cast<const store::SetValue&>(*v.collection());
      std::vector<std::string> m = s.Members();
      std::sort(m.begin(), m.end());
      for (const auto& x : m) add(x);
      return "set:[" + out + "]";
    }
    case store::ObjType::kZSet: {
      const auto& z = static_cast<const store::ZSetValue&>(*v.collection());
      if (z.size() > 0) {
        z.ForRange(0, z.size() - 1, false,
                   [&](double sc, std::string_view m) { add(std::string(m) + "=" + Score(sc)); });
      }
      return "zset:[" + out + "]";
    }
    default:
      return "?";
  }
}

// Several Dbs sharing one clock, as the server holds them.
struct Keyspace {
  explicit Keyspace(int n = 16, int64_t now_ms = 1'700'000'000'000) {
    clock.now_ms = now_ms;
    for (int i = 0; i < n; ++i) dbs.push_back(std::make_unique<store::Db>(i, &clock));
  }
  store::SnapshotView View() const {
    views.clear();
    for (const auto& d : dbs) views.push_back(d.get());
    return store::SnapshotView(views);
  }
  store::DbSink Sink() {
    ptrs.clear();
    for (const auto& d : dbs) ptrs.push_back(d.get());
    return store::DbSink(ptrs);
  }
  // db -> key -> "canonical|encoding|expire_at".
  std::map<int, std::map<std::string, std::string>> Dump() const {
    std::map<int, std::map<std::string, std::string>> m;
    for (size_t i = 0; i < dbs.size(); ++i) {
      for (const store::Entry* e = dbs[i]->First(); e != nullptr; e = e->next(0)) {
        m[static_cast<int>(i)][std::string(e->key())] = Canonical(e->value()) + "|" +
                                                        std::string(e->value().Encoding()) + "|" +
                                                        std::to_string(e->expire_at());
      }
    }
    return m;
  }
  store::Clock clock;
  std::vector<std::unique_ptr<store::Db>> dbs;
  mutable std::vector<const store::Db*> views;
  std::vector<store::Db*> ptrs;
};

}  // namespace persistence::testing
