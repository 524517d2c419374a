// The global operator new/delete of the fickle-server executable: malloc/free (mimalloc's in a
// release build) plus a count of live bytes for used_memory and maxmemory (memory_counter.h).
// Linked into the executable only, so test binaries keep the default operators.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <new>

#include "server/memory_counter.h"

namespace {

struct EnableCounting {
  EnableCounting() { server::memory::detail::counting.store(true, std::memory_order_relaxed); }
} enable_counting;

void* Counted(void* p) {
  if (p != nullptr) {
    server::memory::detail::allocated.fetch_add(static_cast<int64_t>(malloc_usable_size(p)),
                                                std::memory_order_relaxed);
  }
  return p;
}

void* Allocate(std::size_t n) {
  void* p = Counted(std::malloc(n == 0 ? 1 : n));
  if (p == nullptr) {  // as Redis does when an allocation fails: there is no way on
    std::fputs("Fickle: out of memory allocating a block\n", stderr);
    std::abort();
  }
  return p;
}

void Release(void* p) noexcept {
  if (p == nullptr) return;
  server::memory::detail::allocated.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)),
                                              std::memory_order_relaxed);
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) { return Allocate(n); }
void* operator new[](std::size_t n) { return Allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return Counted(std::malloc(n == 0 ? 1 : n));
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { Release(p); }
void operator delete[](void* p) noexcept { Release(p); }
void operator delete(void* p, std::size_t) noexcept { Release(p); }
void operator delete[](void* p, std::size_t) noexcept { Release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { Release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { Release(p); }
