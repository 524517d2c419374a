// Helpers shared by the persistence tests: a canonical text for any Value (so two values compare
// as strings in failure messages) and a keyspace of several Dbs.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
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

inline void AddString(store::Db& db, std::string_view k, std::string_view v, int64_t at = 0) {
  store::Entry* e = db.Insert(k, store::Value::String(v));
  if (at != 0) e = db.SetExpire(e, at);
}

template <typename C>
C* AddCollection(store::Db& db, std::string_view k, std::unique_ptr<C> c, int64_t at = 0) {
  C* raw = c.get();
  store::Entry* e = db.Insert(k, store::Value::Of(std::move(c)));
  if (at != 0) e = db.SetExpire(e, at);
  return raw;
}

// One key of every type in each of its encodings, across dbs 0, 3 and 15.
inline void Fill(Keyspace& ks) {
  const int64_t later = ks.clock.now_ms + 3'600'000;
  store::Db& d0 = *ks.dbs[0];
  AddString(d0, "s:empty", "");
  AddString(d0, "s:short", "hello");
  AddString(d0, "s:int8", "-7");
  AddString(d0, "s:int32", "2147483647");
  AddString(d0, "s:int64", "-9223372036854775808");
  AddString(d0, "s:lead0", "0012");
  AddString(d0, "s:20", std::string(20, 'x'));
  AddString(d0, "s:lzf", std::string(5000, 'y') + "tail");
  std::string bin(300, '\0');
  std::mt19937_64 rng(11);
  for (char& c : bin) c = static_cast<char>(rng());
  AddString(d0, "s:binary", bin);
  AddString(d0, "s:ttl", "soon", later);
  AddString(d0, std::string("k\0ey", 4), "binary key");

  auto small_list = std::make_unique<store::ListValue>();
  for (const char* e : {"a", "1", "-4096", "", "3000000000"})
    small_list->Push(store::ListEnd::kTail, e);
  AddCollection(d0, "l:small", std::move(small_list), later);
  auto big_list = std::make_unique<store::ListValue>();
  for (int i = 0; i < 20000; ++i) {
    big_list->Push(store::ListEnd::kTail,
                   i % 7 ? std::to_string(i) : "element-" + std::to_string(i));
  }
  big_list->Push(store::ListEnd::kHead, std::string(70000, 'H'));  // bigger than a node
  AddCollection(d0, "l:big", std::move(big_list));

  store::HashLimits hl;
  auto small_hash = std::make_unique<store::HashValue>();
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(small_hash->Set("f" + std::to_string(i), std::to_string(i * 1000 - 3000), hl));
  }
  AddCollection(d0, "h:listpack", std::move(small_hash));
  auto big_hash = std::make_unique<store::HashValue>();
  for (int i = 0; i < 600; ++i) EXPECT_TRUE(big_hash->Set("field:" + std::to_string(i), "v", hl));
  AddCollection(d0, "h:table", std::move(big_hash), later);
  auto long_hash = std::make_unique<store::HashValue>();
  EXPECT_TRUE(long_hash->Set("f", std::string(100, 'v'), hl));
  AddCollection(d0, "h:longvalue", std::move(long_hash));

  auto ints = std::make_unique<store::SetValue>();
  for (const char* m : {"1", "-5", "70000", "9223372036854775807", "-9223372036854775808"}) {
    EXPECT_TRUE(ints->Add(m, 512));
  }
  AddCollection(d0, "set:intset", std::move(ints));
  auto strs = std::make_unique<store::SetValue>();
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(strs->Add("m" + std::to_string(i), 512));
  AddCollection(d0, "set:table", std::move(strs));
  auto many_ints = std::make_unique<store::SetValue>();
  for (int i = 0; i < 600; ++i) EXPECT_TRUE(many_ints->Add(std::to_string(i * 3), 512));
  AddCollection(d0, "set:manyints", std::move(many_ints));

  auto zl = std::make_unique<store::ZSetValue>(true);
  const double scores[] = {1.5, 0.1, 3, -2.5e-5, HUGE_VAL, -HUGE_VAL, 1e20, 4503599627370496.0};
  int i = 0;
  for (double s : scores) EXPECT_TRUE(zl->Set("z" + std::to_string(i++), s, 128, 64));
  AddCollection(d0, "z:listpack", std::move(zl));
  auto zs = std::make_unique<store::ZSetValue>(true);
  for (int k = 0; k < 300; ++k)
    EXPECT_TRUE(zs->Set("member" + std::to_string(k), k * 0.25 - 7, 128, 64));
  AddCollection(d0, "z:skiplist", std::move(zs), later);

  AddString(*ks.dbs[3], "in-db-3", "three");
  auto z3 = std::make_unique<store::ZSetValue>(true);
  EXPECT_TRUE(z3->Set(std::string(100, 'm'), 1, 128, 64));  // long member -> skiplist
  AddCollection(*ks.dbs[3], "z:longmember", std::move(z3));
  AddString(*ks.dbs[15], "in-db-15", "fifteen", later);
}

}  // namespace persistence::testing
