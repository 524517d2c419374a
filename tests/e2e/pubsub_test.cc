// Pub/Sub with several real clients over sockets: subscribe/publish/pattern/unsubscribe replies
// byte for byte (checked against redis-server 7.0.15), the RESP2 subscribed-mode restrictions,
// RESP3 pushes, cleanup when a subscriber disconnects, client-output-buffer-limit disconnecting a
// subscriber that never reads, and keyspace notifications.
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

using PubSubTest = ServerTest;

std::string Bulk(const std::string& s) {
  return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
}

// A subscription reply or message as a RESP2 array (RESP3 uses '>' for the same shape).
std::string Msg(const std::vector<std::string>& parts, char type = '*') {
  std::string out = type + std::to_string(parts.size()) + "\r\n";
  for (const auto& p : parts) out += p[0] == ':' ? p + "\r\n" : Bulk(p);
  return out;
}

// Polls PUBSUB NUMSUB channel until it is n (the server drops a subscriber when it sees the close).
bool WaitForNumSub(redisContext* c, const std::string& channel, long long n) {
  for (int i = 0; i < 5000; ++i) {
    ReplyPtr r = Command(c, {"PUBSUB", "NUMSUB", channel});
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 && r->element[1]->integer == n) {
      return true;
    }
    usleep(1000);
  }
  return false;
}

TEST_F(PubSubTest, SubscribePublishPatternUnsubscribe) {
  RawClient sub(port());
  ASSERT_TRUE(sub.Send(Cmd({"SUBSCRIBE", "a", "b", "a"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "a", ":1"}));
  EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "b", ":2"}));
  EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "a", ":2"}));
  ASSERT_TRUE(sub.Send(Cmd({"PSUBSCRIBE", "a*"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"psubscribe", "a*", ":3"}));

  EXPECT_EQ(Show(Run({"PUBLISH", "a", "hello"}).get()), ":2");  // channel, then pattern
  EXPECT_EQ(sub.ReadReply(), Msg({"message", "a", "hello"}));
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "a*", "a", "hello"}));
  EXPECT_EQ(Show(Run({"PUBLISH", "ab", "x"}).get()), ":1");
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "a*", "ab", "x"}));
  EXPECT_EQ(Show(Run({"PUBLISH", "nobody", "x"}).get()), ":0");

  EXPECT_EQ(Show(Run({"PUBSUB", "CHANNELS"}).get()), "*2[$1:a,$1:b]");
  EXPECT_EQ(Show(Run({"PUBSUB", "CHANNELS", "b*"}).get()), "*1[$1:b]");
  EXPECT_EQ(Show(Run({"PUBSUB", "NUMSUB", "a", "zz"}).get()), "*4[$1:a,:1,$2:zz,:0]");
  EXPECT_EQ(Show(Run({"PUBSUB", "NUMPAT"}).get()), ":1");

  ASSERT_TRUE(sub.Send(Cmd({"UNSUBSCRIBE", "zz"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"unsubscribe", "zz", ":3"}));
  ASSERT_TRUE(sub.Send(Cmd({"UNSUBSCRIBE"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"unsubscribe", "a", ":2"}));
  EXPECT_EQ(sub.ReadReply(), Msg({"unsubscribe", "b", ":1"}));
  ASSERT_TRUE(sub.Send(Cmd({"PUNSUBSCRIBE"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"punsubscribe", "a*", ":0"}));
  ASSERT_TRUE(sub.Send(Cmd({"UNSUBSCRIBE"})));
  EXPECT_EQ(sub.ReadReply(), "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
  ASSERT_TRUE(sub.Send(Cmd({"GET", "k"})));  // out of subscribed mode again
  EXPECT_EQ(sub.ReadReply(), "$-1\r\n");
}

TEST_F(PubSubTest, ShardChannelsCountSeparately) {
  RawClient sub(port());
  ASSERT_TRUE(sub.Send(Cmd({"SUBSCRIBE", "c"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "c", ":1"}));
  ASSERT_TRUE(sub.Send(Cmd({"SSUBSCRIBE", "s1", "s2"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"ssubscribe", "s1", ":1"}));
  EXPECT_EQ(sub.ReadReply(), Msg({"ssubscribe", "s2", ":2"}));
  EXPECT_EQ(Show(Run({"SPUBLISH", "s1", "m"}).get()), ":1");
  EXPECT_EQ(sub.ReadReply(), Msg({"smessage", "s1", "m"}));
  EXPECT_EQ(Show(Run({"PUBLISH", "s1", "m"}).get()), ":0");  // shard and plain are apart
  EXPECT_EQ(Show(Run({"PUBSUB", "SHARDCHANNELS"}).get()), "*2[$2:s1,$2:s2]");
  EXPECT_EQ(Show(Run({"PUBSUB", "SHARDNUMSUB", "s2", "c"}).get()), "*4[$2:s2,:1,$1:c,:0]");
  ASSERT_TRUE(sub.Send(Cmd({"UNSUBSCRIBE"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"unsubscribe", "c", ":0"}));
  // Still subscribed to shard channels, so still in subscribed mode.
  ASSERT_TRUE(sub.Send(Cmd({"GET", "k"})));
  EXPECT_EQ(sub.ReadReply().substr(0, 27), "-ERR Can't execute 'get': o");
}

TEST_F(PubSubTest, Resp2SubscribedModeAllowsOnlyPubSubCommands) {
  RawClient sub(port());
  ASSERT_TRUE(sub.Send(Cmd({"SUBSCRIBE", "a"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "a", ":1"}));
  ASSERT_TRUE(sub.Send(Cmd({"GET", "k"})));
  EXPECT_EQ(sub.ReadReply(),
            "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
            "RESET are allowed in this context\r\n");
  ASSERT_TRUE(sub.Send(Cmd({"PUBSUB", "NUMSUB", "a"})));
  EXPECT_EQ(sub.ReadReply(),
            "-ERR Can't execute 'pubsub|numsub': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
            "QUIT / RESET are allowed in this context\r\n");
  ASSERT_TRUE(sub.Send(Cmd({"get"})));  // arity is checked first, as in Redis
  EXPECT_EQ(sub.ReadReply(), "-ERR wrong number of arguments for 'get' command\r\n");
  ASSERT_TRUE(sub.Send(Cmd({"PING"})));
  EXPECT_EQ(sub.ReadReply(), "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
  ASSERT_TRUE(sub.Send(Cmd({"PING", "x"})));
  EXPECT_EQ(sub.ReadReply(), "*2\r\n$4\r\npong\r\n$1\r\nx\r\n");
  ASSERT_TRUE(sub.Send(Cmd({"RESET"})));
  EXPECT_EQ(sub.ReadReply(), "+RESET\r\n");
  EXPECT_EQ(Show(Run({"PUBLISH", "a", "m"}).get()), ":0");  // RESET dropped the subscription
  ASSERT_TRUE(sub.Send(Cmd({"PING"})));
  EXPECT_EQ(sub.ReadReply(), "+PONG\r\n");
}

TEST_F(PubSubTest, Resp3PushesAndAllowsEveryCommand) {
  RawClient sub(port());
  ASSERT_TRUE(sub.Send(Cmd({"HELLO", "3"})));
  sub.ReadReply();
  ASSERT_TRUE(sub.Send(Cmd({"SUBSCRIBE", "x"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "x", ":1"}, '>'));
  ASSERT_TRUE(sub.Send(Cmd({"GET", "k"})));
  EXPECT_EQ(sub.ReadReply(), "_\r\n");
  ASSERT_TRUE(sub.Send(Cmd({"PING"})));
  EXPECT_EQ(sub.ReadReply(), "+PONG\r\n");
  EXPECT_EQ(Show(Run({"PUBLISH", "x", "m"}).get()), ":1");
  EXPECT_EQ(sub.ReadReply(), Msg({"message", "x", "m"}, '>'));
  ASSERT_TRUE(sub.Send(Cmd({"PUNSUBSCRIBE"})));
  EXPECT_EQ(sub.ReadReply(), ">3\r\n$12\r\npunsubscribe\r\n_\r\n:1\r\n");
}

TEST_F(PubSubTest, DisconnectedSubscriberIsForgotten) {
  {
    RawClient sub(port());
    ASSERT_TRUE(sub.Send(Cmd({"SUBSCRIBE", "gone"})));
    EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "gone", ":1"}));
    ASSERT_TRUE(sub.Send(Cmd({"PSUBSCRIBE", "g*"})));
    EXPECT_EQ(sub.ReadReply(), Msg({"psubscribe", "g*", ":2"}));
    EXPECT_EQ(Show(Run({"PUBLISH", "gone", "m"}).get()), ":2");
  }
  ASSERT_TRUE(WaitForNumSub(client_, "gone", 0));
  EXPECT_EQ(Show(Run({"PUBLISH", "gone", "m"}).get()), ":0");
  EXPECT_EQ(Show(Run({"PUBSUB", "NUMPAT"}).get()), ":0");
}

TEST_F(PubSubTest, ClientListShowsSubscriptions) {
  RawClient sub(port());
  ASSERT_TRUE(sub.Send(Cmd({"SUBSCRIBE", "a", "b"})));
  sub.ReadReply();
  sub.ReadReply();
  ASSERT_TRUE(sub.Send(Cmd({"PSUBSCRIBE", "p*"})));
  sub.ReadReply();
  ReplyPtr r = Run({"CLIENT", "LIST", "TYPE", "pubsub"});
  std::string list(r->str, r->len);
  EXPECT_NE(list.find(" flags=P db=0 sub=2 psub=1 ssub=0 "), std::string::npos) << list;
  EXPECT_EQ(list.find("cmd=client|list"), std::string::npos) << list;  // not a pubsub client
  ReplyPtr info = Run({"INFO", "stats"});
  std::string stats(info->str, info->len);
  EXPECT_NE(stats.find("pubsub_channels:2\r\npubsub_patterns:1\r\npubsubshard_channels:0\r\n"),
            std::string::npos);
}

// A subscriber that never reads, with a small receive buffer, while a publisher floods: the
// server disconnects it at the pubsub class's hard limit and logs why, instead of buffering
// without bound.
class OutputLimitTest : public ServerTest {
 protected:
  std::vector<std::string> ServerArgs() const override {
    return {"--client-output-buffer-limit", "pubsub 1mb 0 0"};
  }
};

TEST_F(OutputLimitTest, SubscriberThatNeverReadsIsDisconnected) {
  RawClient sub(port());
  int small = 4096;
  setsockopt(sub.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  ASSERT_TRUE(sub.Send(Cmd({"SUBSCRIBE", "flood"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "flood", ":1"}));
  const std::string payload(64 * 1024, 'x');
  // 64 MB offered in total; the subscriber reads none of it.
  for (int i = 0; i < 1024; ++i) {
    ReplyPtr r = Run({"PUBLISH", "flood", payload});
    ASSERT_TRUE(r);
    if (r->integer == 0) break;  // dropped from the channel: the limit was enforced
  }
  EXPECT_TRUE(WaitForNumSub(client_, "flood", 0));
  EXPECT_NE(server_.Output().find("scheduled to be closed ASAP for overcoming of output buffer "
                                  "limits"),
            std::string::npos)
      << server_.Output();
  // The subscriber's side is not read here: the kernel still holds megabytes for it, which a
  // reader with a tiny window would take minutes to drain.
  ReplyPtr mem = Run({"INFO", "memory"});
  std::string m(mem->str, mem->len);
  size_t at = m.find("used_memory:");
  ASSERT_NE(at, std::string::npos);
  EXPECT_LT(std::stoll(m.substr(at + 12)), 32LL * 1024 * 1024) << "memory grew with the flood";
}

TEST_F(OutputLimitTest, SoftLimitDisconnectsAfterItsSeconds) {
  ASSERT_EQ(Show(Run({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 64kb 1"}).get()),
            "+OK");
  EXPECT_EQ(Show(Run({"CONFIG", "GET", "client-output-buffer-limit"}).get()),
            "*2[$26:client-output-buffer-limit,$57:normal 0 0 0 slave 268435456 67108864 60 "
            "pubsub 0 65536 1]");
  RawClient sub(port());
  int small = 4096;
  setsockopt(sub.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  ASSERT_TRUE(sub.Send(Cmd({"SUBSCRIBE", "slow"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "slow", ":1"}));
  // 64 KB every 5 ms for up to 4 s: more than the kernel's socket buffers hold, so the server's
  // own buffer stays above the soft limit from early on.
  const std::string payload(64 * 1024, 'x');
  bool dropped = false;
  for (int i = 0; i < 800 && !dropped; ++i) {
    ReplyPtr r = Run({"PUBLISH", "slow", payload});
    ASSERT_TRUE(r);
    dropped = r->integer == 0;
    usleep(5000);
  }
  EXPECT_TRUE(dropped) << "still subscribed after publishing past the soft limit for 4 s";
}

// The normal class applies to replies: a client that pipelines big GETs and never reads is closed
// once its unsent replies pass the hard limit (off by default, as in Redis).
class NormalLimitTest : public ServerTest {
 protected:
  std::vector<std::string> ServerArgs() const override {
    return {"--client-output-buffer-limit", "normal 2mb 0 0"};
  }
};

TEST_F(NormalLimitTest, ClientThatNeverReadsRepliesIsDisconnected) {
  ASSERT_EQ(Show(Run({"SET", "big", std::string(1 << 20, 'v')}).get()), "+OK");
  RawClient greedy(port());
  ASSERT_TRUE(greedy.Send(Cmd({"CLIENT", "SETNAME", "greedy"})));
  EXPECT_EQ(greedy.ReadReply(), "+OK\r\n");
  std::string gets;
  for (int i = 0; i < 64; ++i) gets += Cmd({"GET", "big"});
  greedy.Send(gets);  // 64 MB of replies asked for, none read
  bool gone = false;
  for (int i = 0; i < 5000 && !gone; ++i) {
    ReplyPtr r = Run({"CLIENT", "LIST"});
    gone = std::string(r->str, r->len).find("name=greedy") == std::string::npos;
    if (!gone) usleep(1000);
  }
  EXPECT_TRUE(gone);
  EXPECT_NE(server_.Output().find("name=greedy class=normal"), std::string::npos)
      << server_.Output();
}

// `timeout` closes idle clients but not subscribers, which wait for messages, as in Redis.
class SubscriberTimeoutTest : public ServerTest {
 protected:
  std::vector<std::string> ServerArgs() const override { return {"--timeout", "1"}; }
};

TEST_F(SubscriberTimeoutTest, SubscribersAreNotTimedOut) {
  RawClient idle(port());
  RawClient sub(port());
  ASSERT_TRUE(sub.Send(Cmd({"SUBSCRIBE", "slow-news"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "slow-news", ":1"}));
  bool closed = false;
  idle.ReadUntilClosed(&closed);  // the plain idle client is closed after about a second
  EXPECT_TRUE(closed);
  usleep(1200 * 1000);  // the subscriber has been idle for more than the timeout too
  EXPECT_EQ(Show(Command(NewClient(), {"PUBLISH", "slow-news", "still here"}).get()), ":1");
  EXPECT_EQ(sub.ReadReply(), Msg({"message", "slow-news", "still here"}));
}

TEST_F(PubSubTest, KeyspaceNotifications) {
  ASSERT_EQ(Show(Run({"CONFIG", "SET", "notify-keyspace-events", "KEA"}).get()), "+OK");
  EXPECT_EQ(Show(Run({"CONFIG", "GET", "notify-keyspace-events"}).get()),
            "*2[$22:notify-keyspace-events,$3:AKE]");
  RawClient sub(port());
  ASSERT_TRUE(sub.Send(Cmd({"PSUBSCRIBE", "__key*__:*"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"psubscribe", "__key*__:*", ":1"}));
  ASSERT_EQ(Show(Run({"SET", "k", "v"}).get()), "+OK");
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "__key*__:*", "__keyspace@0__:k", "set"}));
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "__key*__:*", "__keyevent@0__:set", "k"}));
  ASSERT_EQ(Show(Run({"LPUSH", "l", "a"}).get()), ":1");
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "__key*__:*", "__keyspace@0__:l", "lpush"}));
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "__key*__:*", "__keyevent@0__:lpush", "l"}));
  ASSERT_EQ(Show(Run({"PEXPIRE", "k", "1"}).get()), ":1");
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "__key*__:*", "__keyspace@0__:k", "expire"}));
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "__key*__:*", "__keyevent@0__:expire", "k"}));
  // The cron's active expiry (or this lookup, whichever comes first) reports it, once.
  usleep(20000);
  EXPECT_EQ(Show(Run({"GET", "k"}).get()), "(nil)");
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "__key*__:*", "__keyspace@0__:k", "expired"}));
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "__key*__:*", "__keyevent@0__:expired", "k"}));
  // Only the key-event channel, only the list class: a string command publishes nothing.
  ASSERT_EQ(Show(Run({"CONFIG", "SET", "notify-keyspace-events", "El"}).get()), "+OK");
  ASSERT_EQ(Show(Run({"SET", "s", "v"}).get()), "+OK");
  ASSERT_EQ(Show(Run({"RPOP", "l"}).get()), "$1:a");
  EXPECT_EQ(sub.ReadReply(), Msg({"pmessage", "__key*__:*", "__keyevent@0__:rpop", "l"}));
  ASSERT_TRUE(sub.Send(Cmd({"PING"})));  // the generic `del` of the emptied list is filtered
  EXPECT_EQ(sub.ReadReply(), "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
}

// Active expiry alone (no client touches the key) reports `expired` from the cron.
TEST_F(PubSubTest, ActiveExpiryPublishesExpired) {
  ASSERT_EQ(Show(Run({"CONFIG", "SET", "notify-keyspace-events", "Ex"}).get()), "+OK");
  RawClient sub(port());
  ASSERT_TRUE(sub.Send(Cmd({"SUBSCRIBE", "__keyevent@0__:expired"})));
  EXPECT_EQ(sub.ReadReply(), Msg({"subscribe", "__keyevent@0__:expired", ":1"}));
  ASSERT_EQ(Show(Run({"SET", "gone", "v", "PX", "10"}).get()), "+OK");
  EXPECT_EQ(sub.ReadReply(), Msg({"message", "__keyevent@0__:expired", "gone"}));
}

}  // namespace
}  // namespace e2e
