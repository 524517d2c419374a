// Idle connections cost little memory: a client that has sent nothing for a couple of seconds
// has its input buffer (16 KB once it has read) freed by the cron, as Redis frees an idle
// client's query buffer. Measured with INFO's used_memory over 200 idle clients.
#include <chrono>
#include <thread>

#include "harness.h"

namespace e2e {
namespace {

class IdleConnectionTest : public ServerTest {};

TEST_F(IdleConnectionTest, IdleClientsGiveBackTheirBuffers) {
  auto used = [this] { return std::stoll(InfoField(client_, "memory", "used_memory")); };
  const long long before = used();
  constexpr int kClients = 200;
  std::vector<redisContext*> idle;
  for (int i = 0; i < kClients; ++i) {
    idle.push_back(NewClient());
    ASSERT_EQ(Show(Command(idle.back(), {"PING"}).get()), "+PONG");
  }
  const long long busy_per_client = (used() - before) / kClients;
  EXPECT_GT(busy_per_client, 16 * 1024);  // each holds the input buffer its PING was read into
  // The default client keeps asking (so it is not idle itself); the others fall idle after 2 s.
  long long per_client = busy_per_client;
  for (int i = 0; i < 100 && per_client >= 4096; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    per_client = (used() - before) / kClients;
  }
  EXPECT_LT(per_client, 4096);
  // A freed buffer comes back on the next command.
  for (redisContext* c : idle) EXPECT_EQ(Show(Command(c, {"ECHO", "again"}).get()), "$5:again");
}

}  // namespace
}  // namespace e2e
