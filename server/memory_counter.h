// The bytes the process has allocated through operator new, for used_memory and maxmemory.
//
// mimalloc 2.0's release build keeps no count of allocated bytes, and RSS does not go down when
// keys are freed, so neither can drive eviction. Instead the fickle-server executable replaces
// the global operator new/delete (server/alloc_counting.cc, linked only into the executable) with
// thin wrappers over malloc/free that add and subtract each block's usable size here. Test
// binaries that do not link that file see counting_enabled() false and fall back to other figures.
// Thread-safe: the loop, the fsync thread and the thread pool all allocate.
#pragma once

#include <atomic>
#include <cstdint>

namespace server::memory {

namespace detail {
inline std::atomic<int64_t> allocated{0};
inline std::atomic<bool> counting{false};
}  // namespace detail

// Bytes currently allocated through operator new (usable sizes, as Redis's zmalloc counts).
inline int64_t AllocatedBytes() { return detail::allocated.load(std::memory_order_relaxed); }
inline bool counting_enabled() { return detail::counting.load(std::memory_order_relaxed); }

}  // namespace server::memory
