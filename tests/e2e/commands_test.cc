// Well-formed traffic over hiredis: binary-safe values, big values, pipelining, RESP3, QUIT,
// SHUTDOWN, many clients, and a client that never reads its replies.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

using CommandsTest = ServerTest;

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

std::string Bulk(const std::string& s) {
  return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
}

std::string MultiBulk(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) out += Bulk(a);
  return out;
}

TEST_F(CommandsTest, PingSetGetDel) {
  EXPECT_EQ(Show(Run({"PING"}).get()), "+PONG");
  EXPECT_EQ(Show(Run({"SET", "k", "v"}).get()), "+OK");
  EXPECT_EQ(Show(Run({"GET", "k"}).get()), "$1:v");
  EXPECT_EQ(Show(Run({"DEL", "k", "missing"}).get()), ":1");
  EXPECT_EQ(Show(Run({"GET", "k"}).get()), "(nil)");
}

TEST_F(CommandsTest, CommandErrorsKeepTheConnectionOpen) {
  EXPECT_EQ(Show(Run({"get"}).get()), "-ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(Show(Run({"nosuch", "a", "b"}).get()),
            "-ERR unknown command 'nosuch', with args beginning with: 'a' 'b' ");
  EXPECT_EQ(Show(Run({"PING"}).get()), "+PONG");
}

TEST_F(CommandsTest, BinarySafeKeysAndValues) {
  using namespace std::string_literals;
  const std::string key = "k\0\r\n\xff key"s;
  const std::string value = "\0\r\n$3\r\n*1\r\n\xfe\x80 end\0"s;
  EXPECT_EQ(Show(Run({"SET", key, value}).get()), "+OK");
  ReplyPtr r = Run({"GET", key});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->type, REDIS_REPLY_STRING);
  EXPECT_EQ(std::string(r->str, r->len), value);
  EXPECT_EQ(Show(Run({"GET", "k\0"s}).get()), "(nil)");
  EXPECT_EQ(Show(Run({"SET", "", ""}).get()), "+OK");
  EXPECT_EQ(Show(Run({"GET", ""}).get()), "$0:");
}

TEST_F(CommandsTest, BigValuesRoundTrip) {
  for (size_t size : {size_t{1} << 20, size_t{5} << 20, (size_t{8} << 20) + 7}) {
    const std::string value = RandomBytes(size, static_cast<uint32_t>(size));
    const std::string key = "big" + std::to_string(size);
    EXPECT_EQ(Show(Run({"SET", key, value}).get()), "+OK");
    ReplyPtr r = Run({"GET", key});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->type, REDIS_REPLY_STRING);
    ASSERT_EQ(r->len, value.size());
    EXPECT_TRUE(std::string(r->str, r->len) == value) << "value of " << size << " bytes differs";
  }
  EXPECT_EQ(Show(Run({"DBSIZE"}).get()), ":3");
}

TEST_F(CommandsTest, PipelineOfTenThousandCommands) {
  constexpr int kN = 10000;
  for (int i = 0; i < kN; ++i)
    Append(client_, {"SET", "key:" + std::to_string(i), std::to_string(i)});
  for (int i = 0; i < kN; ++i) {
    ReplyPtr r = GetReply(client_);
    ASSERT_EQ(Show(r.get()), "+OK") << "reply " << i;
  }
  for (int i = 0; i < kN; ++i) Append(client_, {"GET", "key:" + std::to_string(i)});
  for (int i = 0; i < kN; ++i) {
    ReplyPtr r = GetReply(client_);
    const std::string v = std::to_string(i);
    ASSERT_EQ(Show(r.get()), "$" + std::to_string(v.size()) + ":" + v) << "reply " << i;
  }
  EXPECT_EQ(Show(Run({"DBSIZE"}).get()), ":10000");
}

TEST_F(CommandsTest, PipelineInOneRawWrite) {
  RawClient raw(port());
  std::string batch;
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    batch += MultiBulk({"ECHO", std::to_string(i)});
    expected += Bulk(std::to_string(i));
  }
  ASSERT_TRUE(raw.Send(batch));
  EXPECT_EQ(raw.ReadExactly(expected.size()), expected);
}

TEST_F(CommandsTest, Resp3AfterHello3) {
  RawClient raw(port());
  ASSERT_TRUE(raw.Send(MultiBulk({"CLIENT", "ID"})));
  const std::string id = raw.ReadReply();
  ASSERT_EQ(id.substr(0, 1), ":");
  ReplyPtr hello2 = Run({"HELLO", "2"});
  ASSERT_TRUE(hello2);
  ASSERT_EQ(hello2->type, REDIS_REPLY_ARRAY);
  ASSERT_EQ(hello2->elements, 14u);
  const std::string version(hello2->element[3]->str, hello2->element[3]->len);

  ASSERT_TRUE(raw.Send(MultiBulk({"HELLO", "3"})));
  EXPECT_EQ(raw.ReadReply(), "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n" +
                                 Bulk(version) + "$5\r\nproto\r\n:3\r\n$2\r\nid\r\n" + id +
                                 "$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                                 "$7\r\nmodules\r\n*0\r\n");
  ASSERT_TRUE(raw.Send(MultiBulk({"GET", "missing"})));
  EXPECT_EQ(raw.ReadReply(), "_\r\n");
  ASSERT_TRUE(raw.Send(MultiBulk({"SET", "k", "v"}) + MultiBulk({"GET", "k"})));
  EXPECT_EQ(raw.ReadReply(), "+OK\r\n");
  EXPECT_EQ(raw.ReadReply(), "$1\r\nv\r\n");
  ASSERT_TRUE(raw.Send(MultiBulk({"HELLO", "2"})));
  raw.ReadReply();
  ASSERT_TRUE(raw.Send(MultiBulk({"GET", "missing"})));
  EXPECT_EQ(raw.ReadReply(), "$-1\r\n");
  ASSERT_TRUE(raw.Send(MultiBulk({"HELLO", "4"})));
  EXPECT_EQ(raw.ReadReply(), "-NOPROTO unsupported protocol version\r\n");
}

TEST_F(CommandsTest, QuitRepliesOkThenCloses) {
  RawClient raw(port());
  ASSERT_TRUE(raw.Send(MultiBulk({"QUIT"}) + MultiBulk({"PING"})));
  bool closed = false;
  EXPECT_EQ(raw.ReadUntilClosed(&closed), "+OK\r\n");
  EXPECT_TRUE(closed);
  EXPECT_EQ(Show(Run({"PING"}).get()), "+PONG");
}

TEST_F(CommandsTest, ShutdownExitsWithStatusZero) {
  EXPECT_EQ(Show(Run({"SET", "k", "v"}).get()), "+OK");
  RawClient raw(port());
  ASSERT_TRUE(raw.Send(MultiBulk({"SHUTDOWN"})));
  bool closed = false;
  EXPECT_EQ(raw.ReadUntilClosed(&closed), "");
  EXPECT_TRUE(closed);
  EXPECT_EQ(server_.Wait(), 0) << server_.Output();
  server_exit_checked_ = true;
}

TEST_F(CommandsTest, ManyConcurrentConnections) {
  constexpr int kClients = 200;
  std::vector<ContextPtr> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(Connect(port()));
    ASSERT_TRUE(clients.back());
  }
  // Every client queues its commands first, so the server holds all of them in flight at once.
  for (int i = 0; i < kClients; ++i) {
    Append(clients[i].get(), {"SET", "c" + std::to_string(i), std::to_string(i * 7)});
    Append(clients[i].get(), {"GET", "c" + std::to_string(i)});
  }
  for (int i = 0; i < kClients; ++i) {
    EXPECT_EQ(Show(GetReply(clients[i].get()).get()), "+OK");
    const std::string v = std::to_string(i * 7);
    EXPECT_EQ(Show(GetReply(clients[i].get()).get()), "$" + std::to_string(v.size()) + ":" + v);
  }
  EXPECT_EQ(Show(Run({"DBSIZE"}).get()), ":" + std::to_string(kClients));
}

TEST_F(CommandsTest, ParallelClientThreads) {
  constexpr int kThreads = 4;
  constexpr int kOps = 500;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &failures] {
      timeval tv{30, 0};
      ContextPtr c(redisConnectWithTimeout("127.0.0.1", port(), tv));
      if (!c || c->err) {
        failures[t] = kOps;
        return;
      }
      for (int i = 0; i < kOps; ++i) {
        const std::string key = "t" + std::to_string(t) + ":" + std::to_string(i % 20);
        const std::string value = std::to_string(i);
        if (Show(Command(c.get(), {"SET", key, value}).get()) != "+OK") ++failures[t];
        if (Show(Command(c.get(), {"GET", key}).get()) !=
            "$" + std::to_string(value.size()) + ":" + value) {
          ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  EXPECT_EQ(Show(Run({"DBSIZE"}).get()), ":80");
}

// A client that pipelines GETs of a big value and never reads the replies must not stall the
// loop: other clients keep being served, and the server still shuts down cleanly.
TEST_F(CommandsTest, ClientThatNeverReadsDoesNotBlockOthers) {
  const std::string value(100 * 1024, 'x');
  ASSERT_EQ(Show(Run({"SET", "big", value}).get()), "+OK");

  RawClient slow(port());
  ASSERT_TRUE(slow.connected());
  int flags = fcntl(slow.fd(), F_GETFL);
  ASSERT_EQ(fcntl(slow.fd(), F_SETFL, flags | O_NONBLOCK), 0);
  std::string chunk;
  for (int i = 0; i < 50; ++i) chunk += MultiBulk({"GET", "big"});
  // Up to 1000 GETs (about 100 MB of replies, past the server's 64 MB pause threshold); stop
  // early once the server stops taking our bytes.
  size_t sent_total = 0;
  for (int round = 0; round < 20; ++round) {
    size_t off = 0;
    bool stuck = false;
    while (off < chunk.size()) {
      ssize_t n = send(slow.fd(), chunk.data() + off, chunk.size() - off, MSG_NOSIGNAL);
      if (n > 0) {
        off += static_cast<size_t>(n);
        continue;
      }
      ASSERT_TRUE(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
          << "send: " << std::strerror(errno);
      pollfd p{slow.fd(), POLLOUT, 0};
      if (poll(&p, 1, 200) == 0) {
        stuck = true;
        break;
      }
    }
    sent_total += off;
    if (stuck) break;
  }
  EXPECT_GT(sent_total, 0u);

  redisContext* other = NewClient();
  ASSERT_NE(other, nullptr);
  for (int i = 0; i < 200; ++i) {
    const std::string v = std::to_string(i);
    ASSERT_EQ(Show(Command(other, {"SET", "o", v}).get()), "+OK");
    ASSERT_EQ(Show(Command(other, {"GET", "o"}).get()), "$" + std::to_string(v.size()) + ":" + v);
  }
  EXPECT_EQ(Show(Run({"PING"}).get()), "+PONG");
}

// Every command the server lists, sent bare and with bogus arguments, gets a reply and leaves the
// server running (a container command such as COMMAND without a subcommand once had no handler).
TEST_F(CommandsTest, EveryCommandAnswersBareAndWithBogusArguments) {
  // These end the connection or the process, or turn the connection into a feed.
  const std::set<std::string> kSkip = {"shutdown",   "monitor",   "subscribe", "psubscribe",
                                       "ssubscribe", "quit",      "reset",     "sync",
                                       "psync",      "replicaof", "slaveof",   "failover"};
  ReplyPtr list = Run({"COMMAND", "LIST"});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->type, REDIS_REPLY_ARRAY) << Show(list.get());
  ASSERT_GT(list->elements, 10u);
  std::vector<std::string> names;
  for (size_t i = 0; i < list->elements; ++i) {
    names.emplace_back(list->element[i]->str, list->element[i]->len);
  }
  for (const std::string& name : names) {
    if (kSkip.count(name) != 0) continue;
    for (const auto& args :
         std::vector<std::vector<std::string>>{{name}, {name, "x"}, {name, "x", "-1", ""}}) {
      ContextPtr c = Connect(port());  // fresh, as a command may change connection state
      ASSERT_TRUE(c);
      ReplyPtr r = Command(c.get(), args);
      EXPECT_TRUE(r) << "no reply to " << name << " with " << args.size() - 1 << " arguments";
      if (!r) {
        ASSERT_EQ(Show(Run({"PING"}).get()), "+PONG") << "server gone after " << name;
      }
    }
  }
  EXPECT_EQ(Show(Run({"PING"}).get()), "+PONG");
}

TEST_F(CommandsTest, ClientClosingWithUnreadRepliesIsHarmless) {
  const std::string value(1 << 20, 'y');
  ASSERT_EQ(Show(Run({"SET", "big", value}).get()), "+OK");
  for (int i = 0; i < 5; ++i) {
    RawClient raw(port());
    std::string batch;
    for (int j = 0; j < 20; ++j) batch += MultiBulk({"GET", "big"});
    ASSERT_TRUE(raw.Send(batch));
    // Destroying the client closes the socket with replies in flight.
  }
  EXPECT_EQ(Show(Run({"PING"}).get()), "+PONG");
}

}  // namespace
}  // namespace e2e
