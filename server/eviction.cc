#include "server/eviction.h"

#include <algorithm>
#include <string_view>

#include "server/aof.h"
#include "server/config.h"
#include "server/memory_counter.h"
#include "server/server.h"
#include "store/entry.h"

namespace server {
namespace {

constexpr uint32_t kLfuInitVal = 5;
constexpr size_t kPoolSize = 16;

uint32_t Minutes(int64_t now_ms) { return static_cast<uint32_t>(now_ms / 60000) & 0xffff; }

// Minutes since the 16-bit stamp, across a wrap of the 16-bit clock.
uint32_t MinutesSince(int64_t now_ms, uint32_t stamp) {
  const uint32_t now = Minutes(now_ms);
  return now >= stamp ? now - stamp : 65535 - stamp + now;
}

uint32_t DecayedCounter(const Config& c, int64_t now_ms, uint32_t lru) {
  const uint32_t counter = lru & 0xff;
  const uint32_t periods = c.lfu_decay_time > 0 ? MinutesSince(now_ms, (lru >> 8) & 0xffff) /
                                                      static_cast<uint32_t>(c.lfu_decay_time)
                                                : 0;
  return periods >= counter ? 0 : counter - periods;
}

// Redis's logarithmic counter: the more hits a key has, the less likely one more increments it.
uint32_t LogIncrement(const Config& c, uint32_t counter, uint64_t random) {
  if (counter >= 255) return 255;
  const double r = static_cast<double>(random >> 11) * 0x1.0p-53;
  const double base = counter > kLfuInitVal ? counter - kLfuInitVal : 0;
  const double p = 1.0 / (base * static_cast<double>(c.lfu_log_factor) + 1);
  return r < p ? counter + 1 : counter;
}

struct Candidate {
  uint64_t score = 0;  // higher is evicted first
  int db = -1;
  std::string key;
};

// The eviction pool: the best kPoolSize candidates sampled so far, worst first.
class Pool {
 public:
  void Offer(uint64_t score, int db, std::string_view key) {
    for (const Candidate& c : items_) {
      if (c.db == db && c.key == key) return;
    }
    if (items_.size() == kPoolSize) {
      if (score <= items_.front().score) return;
      items_.erase(items_.begin());
    }
    auto at = std::lower_bound(items_.begin(), items_.end(), score,
                               [](const Candidate& c, uint64_t s) { return c.score < s; });
    items_.insert(at, Candidate{score, db, std::string(key)});
  }
  // Takes the best candidate, or returns false if none is left.
  bool TakeBest(Candidate* out) {
    if (items_.empty()) return false;
    *out = std::move(items_.back());
    items_.pop_back();
    return true;
  }

 private:
  std::vector<Candidate> items_;  // ascending score
};

bool Volatile(EvictionPolicy p) {
  return p == EvictionPolicy::kVolatileLru || p == EvictionPolicy::kVolatileLfu ||
         p == EvictionPolicy::kVolatileRandom || p == EvictionPolicy::kVolatileTtl;
}

uint64_t Score(const Config& c, EvictionPolicy p, int64_t now_ms, const store::Entry* e) {
  if (IsLfu(p)) return 255 - DecayedCounter(c, now_ms, e->lru());
  return static_cast<uint32_t>(now_ms / 1000) - e->lru();  // idle seconds (unsigned wrap)
}

// Picks a key to evict (db and key in *out). False iff there is none.
bool PickVictim(Server& s, EvictionPolicy p, Pool& pool, Candidate* out) {
  const Config& c = s.config();
  const int64_t now = s.clock().now_ms;
  if (p == EvictionPolicy::kVolatileTtl) {
    // The soonest expiry over all dbs, straight from the expiry index.
    const store::Entry* best = nullptr;
    for (int i = 0; i < s.db_count(); ++i) {
      const store::Entry* e = s.db(i).SoonestExpiring();
      if (e != nullptr && (best == nullptr || e->expire_at() < best->expire_at())) {
        best = e;
        out->db = i;
      }
    }
    if (best == nullptr) return false;
    out->key.assign(best->key());
    return true;
  }
  if (p == EvictionPolicy::kAllKeysRandom || p == EvictionPolicy::kVolatileRandom) {
    // Dbs in turn from a random start, as Redis does, then a random key of the first with one.
    const int n = s.db_count();
    const int start = static_cast<int>(s.Random64() % static_cast<uint64_t>(n));
    for (int k = 0; k < n; ++k) {
      const int i = (start + k) % n;
      const store::Db& db = s.db(i);
      const store::Entry* e = nullptr;
      if (p == EvictionPolicy::kAllKeysRandom) {
        e = db.Sample(s.Random64());
      } else if (db.expires_size() > 0) {
        for (int tries = 0; tries < 64 && (e == nullptr || !e->has_expire()); ++tries) {
          e = db.Sample(s.Random64());
        }
        if (e == nullptr || !e->has_expire()) e = db.SoonestExpiring();
      }
      if (e != nullptr) {
        out->db = i;
        out->key.assign(e->key());
        return true;
      }
    }
    return false;
  }
  // LRU / LFU: refill the pool from every db, then take its best key that still exists.
  const bool vol = Volatile(p);
  for (int i = 0; i < s.db_count(); ++i) {
    const store::Db& db = s.db(i);
    if (db.size() == 0 || (vol && db.expires_size() == 0)) continue;
    for (int n = 0, tries = 0; n < c.maxmemory_samples && tries < c.maxmemory_samples * 8;
         ++tries) {
      const store::Entry* e = db.Sample(s.Random64());
      if (e == nullptr) break;
      if (vol && !e->has_expire()) continue;
      pool.Offer(Score(c, p, now, e), i, e->key());
      ++n;
    }
  }
  Candidate cand;
  while (pool.TakeBest(&cand)) {
    const store::Entry* e = s.db(cand.db).Peek(cand.key);
    if (e == nullptr || (vol && !e->has_expire())) continue;  // gone, or no longer volatile
    *out = std::move(cand);
    return true;
  }
  return false;
}

}  // namespace

EvictionPolicy PolicyFromName(const std::string& name) {
  if (name == "allkeys-lru") return EvictionPolicy::kAllKeysLru;
  if (name == "allkeys-lfu") return EvictionPolicy::kAllKeysLfu;
  if (name == "allkeys-random") return EvictionPolicy::kAllKeysRandom;
  if (name == "volatile-lru") return EvictionPolicy::kVolatileLru;
  if (name == "volatile-lfu") return EvictionPolicy::kVolatileLfu;
  if (name == "volatile-random") return EvictionPolicy::kVolatileRandom;
  if (name == "volatile-ttl") return EvictionPolicy::kVolatileTtl;
  return EvictionPolicy::kNoEviction;
}

bool IsLfu(EvictionPolicy p) {
  return p == EvictionPolicy::kAllKeysLfu || p == EvictionPolicy::kVolatileLfu;
}

int64_t MemoryForEviction(Server& s) {
  if (s.used_memory_for_tests) return s.used_memory_for_tests();
  int64_t used = memory::AllocatedBytes();
  if (const Aof* aof = s.aof()) used -= static_cast<int64_t>(aof->buffer_length());
  return used;
}

bool EvictIfNeeded(Server& s) {
  const Config& c = s.config();
  if (c.maxmemory <= 0) return true;
  if (!memory::counting_enabled() && !s.used_memory_for_tests) return true;  // nothing to go by
  if (MemoryForEviction(s) <= c.maxmemory) return true;
  const EvictionPolicy p = s.eviction_policy();
  if (p == EvictionPolicy::kNoEviction) return false;
  Pool pool;
  Candidate victim;
  while (MemoryForEviction(s) > c.maxmemory) {
    if (!PickVictim(s, p, pool, &victim)) return false;
    s.EvictKey(victim.db, victim.key);
  }
  return true;
}

void InitAccess(bool lfu, int64_t now_ms, store::Entry* e) {
  if (lfu) {
    e->set_lru((Minutes(now_ms) << 8) | kLfuInitVal);
  } else {
    e->set_lru(static_cast<uint32_t>(now_ms / 1000));
  }
}

void TouchAccess(const Config& c, bool lfu, int64_t now_ms, store::Entry* e, uint64_t random) {
  if (lfu) {
    const uint32_t counter = LogIncrement(c, DecayedCounter(c, now_ms, e->lru()), random);
    e->set_lru((Minutes(now_ms) << 8) | counter);
  } else {
    e->set_lru(static_cast<uint32_t>(now_ms / 1000));
  }
}

uint32_t LfuFrequency(const Config& c, int64_t now_ms, const store::Entry* e) {
  return DecayedCounter(c, now_ms, e->lru());
}

}  // namespace server
