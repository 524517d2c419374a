// maxmemory: before a command runs, keys are evicted per maxmemory-policy until the memory the
// dataset uses is back under the limit, as Redis's performEvictions does.
//
// Candidates are chosen as Redis chooses them: maxmemory-samples random keys per db feed a pool
// of the 16 best candidates seen so far (highest idle time for the LRU policies, lowest access
// frequency for the LFU ones), and the best still-existing key of the pool is evicted. Two
// differences, both in the user's favour: volatile-ttl takes the key with the soonest expiry
// straight from the expiry index instead of sampling, and the random policies pick uniformly
// from the hash index. An evicted key is deleted like DEL (WATCH sees it, blocked clients do
// not), propagated as DEL, counted in evicted_keys and published as an `evicted` event.
//
// Access tracking lives in Entry::lru(): under an LRU policy the access time in seconds; under
// an LFU policy Redis's layout, minutes in the high 16 bits of 24 and a logarithmic counter in
// the low 8 (lfu-log-factor, lfu-decay-time).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace store {
class Entry;
}

namespace server {

class Server;
struct Config;

enum class EvictionPolicy {
  kNoEviction,
  kAllKeysLru,
  kAllKeysLfu,
  kAllKeysRandom,
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
};

EvictionPolicy PolicyFromName(const std::string& name);
bool IsLfu(EvictionPolicy p);

// The memory that counts against maxmemory: what the process allocated, minus the AOF buffer
// (Redis leaves that out too, so a slow disk does not evict keys).
int64_t MemoryForEviction(Server& s);

// Evicts until under maxmemory. True iff memory is (now) within the limit or no limit is set;
// false iff it is over and nothing more can be evicted (noeviction, or no candidate key).
bool EvictIfNeeded(Server& s);

// Access tracking for a key that was just read or written (LookupRead/LookupWrite) or created;
// lfu says whether the policy is an LFU one (the caller caches it). random feeds the counter's
// probabilistic increment.
void TouchAccess(const Config& c, bool lfu, int64_t now_ms, store::Entry* e, uint64_t random);
void InitAccess(bool lfu, int64_t now_ms, store::Entry* e);
// OBJECT FREQ: the key's LFU counter after the decay it is due.
uint32_t LfuFrequency(const Config& c, int64_t now_ms, const store::Entry* e);

}  // namespace server
