// Process facts shared by INFO (info.cc) and MEMORY (debug_family.cc).
#pragma once

#include <cstdint>
#include <string>

namespace server {

class Server;

namespace detail {

// Memory as the allocator and the kernel report it. Every number is measured, never invented:
// `rss` is resident pages from /proc/self/statm; `used` is glibc's mallinfo2() in-use bytes when
// glibc allocates (sanitizer builds, tests), and the RSS under mimalloc (release builds), which
// keeps no count of allocated bytes.
struct MemorySample {
  int64_t used = 0;
  int64_t rss = 0;
  int64_t peak = 0;  // highest `used` seen by any sample since the process started
  int64_t total_system = 0;
  int64_t overhead = 0;  // hash index slots and client buffers: not the dataset
  int64_t clients_normal = 0;
  int64_t startup = 0;  // `used` at the first sample
};

// Thread: loop thread (keeps the peak in a function-local static).
MemorySample SampleMemory(Server& srv);

// "1.50K", "12.00M", as Redis's bytesToHuman.
std::string BytesToHuman(int64_t n);

// The allocator's own statistics text, or "" if it has none (glibc).
std::string AllocatorStats();

// Asks the allocator to return memory it holds but does not use to the OS.
void PurgeAllocator();

}  // namespace detail
}  // namespace server
