// maxmemory through the real binary, where used_memory is the allocator count of the executable
// (server/memory_counter.h): a write flood stays within a few percent of the limit under an
// evicting policy, and gets -OOM under noeviction.
#include <algorithm>
#include <string>

#include "harness.h"

namespace e2e {
namespace {

int64_t InfoInt(redisContext* c, const std::string& section, const std::string& field) {
  const std::string v = InfoField(c, section, field);
  return v.empty() ? -1 : std::stoll(v);
}

TEST(EvictionE2e, AWriteFloodStaysNearMaxmemory) {
  constexpr int64_t kLimit = 20 << 20;
  ServerProcess s;
  ASSERT_TRUE(s.Start({"--maxmemory", "20mb", "--maxmemory-policy", "allkeys-lru"}));
  ContextPtr c = Connect(s.port());
  const std::string value(500, 'v');
  int64_t peak = 0;
  for (int batch = 0; batch < 100; ++batch) {
    for (int i = 0; i < 1000; ++i) {
      Append(c.get(), {"SET", "key:" + std::to_string(batch * 1000 + i), value});
    }
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(Show(GetReply(c.get()).get()), "+OK");
    peak = std::max(peak, InfoInt(c.get(), "memory", "used_memory"));
  }
  EXPECT_LE(peak, kLimit + kLimit / 20) << "used_memory went more than 5% past maxmemory";
  EXPECT_GT(peak, kLimit / 2);  // the figure is real: 50 MB of writes did fill the budget
  const int64_t evicted = InfoInt(c.get(), "stats", "evicted_keys");
  const int64_t keys = Command(c.get(), {"DBSIZE"})->integer;
  EXPECT_GT(evicted, 0);
  EXPECT_EQ(keys + evicted, 100000);
  // The most recent writes are still there.
  EXPECT_EQ(Command(c.get(), {"EXISTS", "key:99999"})->integer, 1);
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

TEST(EvictionE2e, NoevictionAnswersOom) {
  ServerProcess s;
  ASSERT_TRUE(s.Start({"--maxmemory", "5mb"}));
  ContextPtr c = Connect(s.port());
  const std::string value(1000, 'v');
  std::string reply;
  int i = 0;
  for (; i < 20000 && reply.rfind("-OOM", 0) != 0; ++i) {
    reply = Show(Command(c.get(), {"SET", "k" + std::to_string(i), value}).get());
  }
  EXPECT_EQ(reply, "-OOM command not allowed when used memory > 'maxmemory'.");
  EXPECT_GT(i, 1000);  // it took a few MB to get there
  EXPECT_EQ(Show(Command(c.get(), {"GET", "k0"}).get()).substr(0, 5), "$1000");
  EXPECT_EQ(InfoInt(c.get(), "stats", "evicted_keys"), 0);
  // Freeing memory lets writes in again.
  EXPECT_EQ(Show(Command(c.get(), {"FLUSHALL"}).get()), "+OK");
  EXPECT_EQ(Show(Command(c.get(), {"SET", "again", "v"}).get()), "+OK");
  c.reset();
  EXPECT_EQ(s.Stop(), 0);
}

}  // namespace
}  // namespace e2e
