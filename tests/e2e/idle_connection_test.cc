// Idle connections cost little memory: the input buffer starts at 1 KB (it grows only for a
// client that sends more), and a client that has sent nothing for a couple of seconds has it
// freed by the cron, as Redis frees an idle client's query buffer. Measured with INFO's
// used_memory over 200 idle clients.
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
  // Each holds the 1 KB input buffer its PING was read into, and not the 16 KB a read may grow
  // it to.
  EXPECT_GT(busy_per_client, 1024);
  EXPECT_LT(busy_per_client, 4096);
  // The default client keeps asking (so it is not idle itself); the others fall idle after 2 s.
  long long per_client = busy_per_client;
  for (int i = 0; i < 100 && per_client > busy_per_client - 1000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    per_client = (used() - before) / kClients;
  }
  EXPECT_LE(per_client, busy_per_client - 1000);  // the buffers went
  EXPECT_LT(per_client, 2048);
  // A freed buffer comes back on the next command.
  for (redisContext* c : idle) EXPECT_EQ(Show(Command(c, {"ECHO", "again"}).get()), "$5:again");
}

}  // namespace
}  // namespace e2e
