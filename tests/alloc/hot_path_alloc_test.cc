// No heap allocation per command on the GET / SET / INCR path (issue #5): this binary replaces
// the global operator new to count calls, and runs commands in process against a warmed-up
// server. Its own executable, so the counting allocator touches no other test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "../server/test_harness.h"

namespace {
thread_local bool counting = false;
thread_local size_t allocations = 0;
}  // namespace

void* operator new(size_t n) {
  if (counting) ++allocations;
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) std::abort();
  return p;
}
void* operator new[](size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace server {
namespace {

// Allocations per call of argv, after a few warm-up calls (buffers reach their size once).
double AllocationsPerCall(testing::Harness& h, std::vector<std::string_view> argv) {
  Session& s = h.session();
  for (int i = 0; i < 10; ++i) {
    h.server().Execute(s, argv);
    s.out.clear();
  }
  constexpr int kCalls = 1000;
  allocations = 0;
  counting = true;
  for (int i = 0; i < kCalls; ++i) {
    h.server().Execute(s, argv);
    s.out.clear();
  }
  counting = false;
  return static_cast<double>(allocations) / kCalls;
}

TEST(HotPathAllocations, CountingWorks) {
  testing::Harness h;
  // A command that must allocate (a new key each time) shows up, so zero below means zero.
  Session& s = h.session();
  allocations = 0;
  counting = true;
  for (int i = 0; i < 100; ++i) {
    std::string k = "new" + std::to_string(i);
    std::vector<std::string_view> argv{"SET", k, "v"};
    h.server().Execute(s, argv);
  }
  counting = false;
  EXPECT_GE(allocations, 100u);
}

TEST(HotPathAllocations, GetSetIncrOfExistingKeysAllocateNothing) {
  testing::Harness h;
  h.Run({"SET", "key:000000000001", "xxx"});
  EXPECT_EQ(AllocationsPerCall(h, {"GET", "key:000000000001"}), 0.0);
  EXPECT_EQ(AllocationsPerCall(h, {"SET", "key:000000000001", "xxx"}), 0.0);
  EXPECT_EQ(AllocationsPerCall(h, {"INCR", "counter:000000001"}), 0.0);
  EXPECT_EQ(AllocationsPerCall(h, {"GET", "missing"}), 0.0);
}

}  // namespace
}  // namespace server

namespace server {
namespace {

// With the AOF on, a write is also queued for propagation and encoded into the log's buffer,
// through pooled slots and scratch vectors.
TEST(HotPathAllocations, WritesWithTheAofOn) {
  Config c;
  c.appendonly = true;
  testing::Harness h(c);
  std::string error;
  ASSERT_TRUE(h.server().StartAof(&error)) << error;
  h.Run({"SET", "key:000000000001", "xxx"});
  // The log's buffer grows now and then (amortised); the command itself allocates nothing.
  EXPECT_LT(AllocationsPerCall(h, {"SET", "key:000000000001", "xxx"}), 0.05);
  EXPECT_LT(AllocationsPerCall(h, {"INCR", "counter:000000001"}), 0.05);
  h.server().StopAof();
}

}  // namespace
}  // namespace server
