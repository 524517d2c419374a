// The Pub/Sub registry on its own, the commands in-process through the dispatcher, the
// notify-keyspace-events parser and formatter, and client-output-buffer-limit's config syntax.
#include "server/pubsub.h"

#include <gtest/gtest.h>

#include "server/config.h"
#include "server/notify.h"
#include "test_harness.h"

namespace server {
namespace {

using testing::TwoClients;

TEST(PubSubRegistry, SubscribeIsIdempotentAndUnsubscribeForgets) {
  PubSub ps;
  Session a(1, 0), b(2, 0);
  EXPECT_TRUE(ps.Subscribe(&a, SubKind::kChannel, "c"));
  EXPECT_FALSE(ps.Subscribe(&a, SubKind::kChannel, "c"));
  EXPECT_TRUE(ps.Subscribe(&b, SubKind::kChannel, "c"));
  EXPECT_EQ(ps.NumSub("c", false), 2);
  EXPECT_EQ(ps.num_channels(), 1u);
  EXPECT_TRUE(ps.Unsubscribe(&a, SubKind::kChannel, "c"));
  EXPECT_FALSE(ps.Unsubscribe(&a, SubKind::kChannel, "c"));
  EXPECT_EQ(ps.NumSub("c", false), 1);
  EXPECT_TRUE(a.channels.empty());
  ps.UnsubscribeAll(&b);
  EXPECT_EQ(ps.num_channels(), 0u);
  EXPECT_FALSE(b.subscribed());
}

TEST(PubSubRegistry, PublishWritesChannelThenPatternMessages) {
  PubSub ps;
  Session a(1, 0), b(2, 0);
  b.proto = 3;
  ps.Subscribe(&a, SubKind::kChannel, "news");
  ps.Subscribe(&a, SubKind::kPattern, "n*");
  ps.Subscribe(&b, SubKind::kPattern, "n[aeiou]ws");
  ps.Subscribe(&b, SubKind::kPattern, "x*");
  std::vector<std::pair<uint64_t, size_t>> admitted;
  auto admit = [&](Session* s, size_t bytes) {
    admitted.emplace_back(s->id, bytes);
    return true;
  };
  EXPECT_EQ(ps.Publish("news", "hi", false, admit), 3);
  // The sizes announced before each append are the exact encoded sizes.
  EXPECT_EQ(admitted, (std::vector<std::pair<uint64_t, size_t>>{{1, 35}, {1, 44}, {2, 53}}));
  EXPECT_EQ(a.out,
            "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n"
            "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
  EXPECT_EQ(b.out, ">4\r\n$8\r\npmessage\r\n$10\r\nn[aeiou]ws\r\n$4\r\nnews\r\n$2\r\nhi\r\n");
  EXPECT_EQ(a.out.size(), 35u + 44u);
  EXPECT_EQ(b.out.size(), 53u);
  // A subscriber refused by admit is still counted, and gets nothing.
  b.out.clear();
  EXPECT_EQ(ps.Publish("news", "x", false, [&](Session* s, size_t) { return s != &b; }), 3);
  EXPECT_TRUE(b.out.empty());
  EXPECT_EQ(ps.num_patterns(), 3u);
  ps.UnsubscribeAll(&a);
  ps.UnsubscribeAll(&b);
  EXPECT_EQ(ps.num_patterns(), 0u);
}

TEST(PubSubRegistry, ShardChannelsAreSeparateAndIgnorePatterns) {
  PubSub ps;
  Session a(1, 0);
  ps.Subscribe(&a, SubKind::kShard, "s");
  ps.Subscribe(&a, SubKind::kPattern, "*");
  EXPECT_EQ(ps.Publish("s", "m", true, nullptr), 1);
  EXPECT_EQ(a.out, "*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nm\r\n");
  EXPECT_EQ(ps.Channels("", true), (std::vector<std::string>{"s"}));
  EXPECT_TRUE(ps.Channels("", false).empty());
  ps.UnsubscribeAll(&a);
}

TEST(PubSubRegistry, ClosingSubscriberIsCountedButSentNothing) {
  PubSub ps;
  Session a(1, 0);
  ps.Subscribe(&a, SubKind::kChannel, "c");
  a.close_asap = true;
  EXPECT_EQ(ps.Publish("c", "m", false, nullptr), 1);
  EXPECT_TRUE(a.out.empty());
  ps.UnsubscribeAll(&a);
}

using PubSubCommands = TwoClients;

TEST_F(PubSubCommands, SubscribeRepliesAndDelivery) {
  EXPECT_EQ(Run(a_, {"SUBSCRIBE", "c", "d"}),
            "*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nd\r\n:2\r\n");
  EXPECT_EQ(Run(b_, {"PUBLISH", "c", "m"}), ":1\r\n");
  EXPECT_EQ(Run(a_, {"PING"}),
            "*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n");
  EXPECT_EQ(Run(a_, {"SET", "k", "v"}),
            "-ERR Can't execute 'set': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
            "RESET are allowed in this context\r\n");
  EXPECT_EQ(Run(a_, {"UNSUBSCRIBE", "c"}), "*3\r\n$11\r\nunsubscribe\r\n$1\r\nc\r\n:1\r\n");
  EXPECT_EQ(Run(b_, {"PUBSUB", "CHANNELS"}), "*1\r\n$1\r\nd\r\n");
  EXPECT_EQ(Run(b_, {"PUBSUB", "CHANNELS", "a", "b"}),
            "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB "
            "HELP.\r\n");
  EXPECT_EQ(Run(b_, {"PUBSUB", "NUMPAT", "x"}),
            "-ERR wrong number of arguments for 'pubsub|numpat' command\r\n");
  EXPECT_EQ(Run(a_, {"RESET"}), "+RESET\r\n");
  EXPECT_EQ(Run(b_, {"PUBSUB", "NUMSUB", "d"}), "*2\r\n$1\r\nd\r\n:0\r\n");
}

TEST_F(PubSubCommands, SubscribeInsideMultiRunsAtExec) {
  EXPECT_EQ(Run(a_, {"MULTI"}), "+OK\r\n");
  EXPECT_EQ(Run(a_, {"SUBSCRIBE", "c"}), "+QUEUED\r\n");
  EXPECT_EQ(Run(a_, {"PING"}), "+QUEUED\r\n");
  // PING runs after SUBSCRIBE, so it already answers in the subscribed form (as Redis).
  EXPECT_EQ(Run(a_, {"EXEC"}),
            "*2\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n");
  EXPECT_EQ(Run(a_, {"MULTI"}).substr(0, 28), "-ERR Can't execute 'multi': ");
}

TEST_F(PubSubCommands, KeyspaceEventsFollowTheFlags) {
  h_.server().config().notify_keyspace_events = kNotifyKeyevent | kNotifyGeneric | kNotifyExpired;
  h_.SetTime(1000000);
  EXPECT_EQ(Run(a_, {"PSUBSCRIBE", "__keyevent@*"}),
            "*3\r\n$10\r\npsubscribe\r\n$12\r\n__keyevent@*\r\n:1\r\n");
  Run(b_, {"SET", "k", "v", "PX", "100"});  // "set" is class $, off; "expire" is generic, on
  EXPECT_EQ(Run(a_, {"PING"}),
            "*4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:expire\r\n"
            "$1\r\nk\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n");
  h_.AdvanceTime(200);
  EXPECT_EQ(Run(b_, {"GET", "k"}), "$-1\r\n");  // lazy expiry reports it
  EXPECT_EQ(Run(a_, {"PING"}),
            "*4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$22\r\n__keyevent@0__:expired\r\n"
            "$1\r\nk\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n");
  h_.server().config().notify_keyspace_events = 0;
  Run(b_, {"SET", "k", "v"});
  Run(b_, {"DEL", "k"});
  EXPECT_EQ(Run(a_, {"PING"}), "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
}

TEST_F(PubSubCommands, ClientTypePubsubSelectsSubscribers) {
  a_.addr = "10.0.0.1:1";
  b_.addr = "10.0.0.2:2";
  Run(a_, {"SUBSCRIBE", "c"});
  const std::string normal = Run(b_, {"CLIENT", "LIST", "TYPE", "normal"});
  EXPECT_EQ(normal.find("addr=10.0.0.1:1"), std::string::npos) << normal;
  EXPECT_NE(normal.find("addr=10.0.0.2:2"), std::string::npos) << normal;
  const std::string pubsub = Run(b_, {"CLIENT", "LIST", "TYPE", "pubsub"});
  EXPECT_NE(pubsub.find("addr=10.0.0.1:1 "), std::string::npos) << pubsub;
  EXPECT_NE(pubsub.find(" flags=P db=0 sub=1 psub=0 ssub=0 "), std::string::npos) << pubsub;
  EXPECT_EQ(Run(b_, {"CLIENT", "KILL", "TYPE", "pubsub"}), ":1\r\n");
  EXPECT_TRUE(a_.close_after_reply);
  EXPECT_FALSE(b_.close_after_reply);
}

TEST(NotifyFlags, ParseAndFormatAsRedis) {
  struct Case {
    const char* in;
    const char* out;
  };
  // Expected strings are what redis-server 7.0.15 answers to CONFIG GET after CONFIG SET.
  for (const Case& c : {Case{"", ""}, Case{"KEA", "AKE"}, Case{"An", "A"}, Case{"KEnmA", "AKEm"},
                        Case{"Elg", "glE"}, Case{"$szhlxegtd", "A"}, Case{"Kn", "nK"},
                        Case{"gKE", "gKE"}, Case{"AE", "AE"}, Case{"Ex", "xE"}}) {
    int flags = -1;
    ASSERT_TRUE(ParseNotifyFlags(c.in, &flags)) << c.in;
    EXPECT_EQ(FormatNotifyFlags(flags), c.out) << c.in;
  }
  int flags = 0;
  EXPECT_FALSE(ParseNotifyFlags("q", &flags));
  EXPECT_FALSE(ParseNotifyFlags("KE a", &flags));
  ASSERT_TRUE(ParseNotifyFlags("Kl", &flags));
  EXPECT_EQ(flags, kNotifyKeyspace | kNotifyList);
}

TEST(NotifyFlags, ConfigSetErrorIsRedis) {
  Config c;
  EXPECT_EQ(ConfigSet(&c, {{"notify-keyspace-events", "q"}}),
            "CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid "
            "event class character. Use 'Ag$lshzxeKEtmdn'.");
  EXPECT_EQ(ConfigSet(&c, {{"notify-keyspace-events", "Elg"}}), "");
  EXPECT_EQ(ConfigGet(c, "notify-keyspace-events")[0].value, "glE");
}

TEST(OutputBufferLimitConfig, DefaultsSyntaxAndErrorsAsRedis) {
  Config c;
  EXPECT_EQ(ConfigGet(c, "client-output-buffer-limit")[0].value,
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  EXPECT_EQ(ConfigSet(&c, {{"client-output-buffer-limit", "pubsub 1mb 2k 5"}}), "");
  EXPECT_EQ(ConfigSet(&c, {{"client-output-buffer-limit", "replica 1 2 3 normal 4 5 6"}}), "");
  EXPECT_EQ(ConfigGet(c, "client-output-buffer-limit")[0].value,
            "normal 4 5 6 slave 1 2 3 pubsub 1048576 2000 5");
  const std::string prefix =
      "CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - ";
  EXPECT_EQ(ConfigSet(&c, {{"client-output-buffer-limit", "pubsub 1mb 2k"}}),
            prefix + "Wrong number of arguments in buffer limit configuration.");
  EXPECT_EQ(ConfigSet(&c, {{"client-output-buffer-limit", "master 1 1 1"}}),
            prefix + "Invalid client class specified in buffer limit configuration.");
  EXPECT_EQ(ConfigSet(&c, {{"client-output-buffer-limit", "normal 1 2 -3"}}),
            prefix + "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
  // A bad group leaves every class as it was.
  EXPECT_EQ(ConfigSet(&c, {{"client-output-buffer-limit", "normal 9 9 9 pubsub x 1 1"}}),
            prefix + "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
  EXPECT_EQ(ConfigGet(c, "client-output-buffer-limit")[0].value,
            "normal 4 5 6 slave 1 2 3 pubsub 1048576 2000 5");
  EXPECT_EQ(ConfigSet(&c, {{"client-output-buffer-limit", ""}}), "");
}

TEST(OutputBufferLimit, HardLimitMarksTheSubscriberClosed) {
  testing::Harness h;
  h.server().config().client_output_buffer_limit[static_cast<int>(ClientClass::kPubSub)] = {100, 0,
                                                                                            0};
  Session sub(7, 0);
  h.server().AddSession(&sub);
  h.server().pubsub().Subscribe(&sub, SubKind::kChannel, "c");
  EXPECT_EQ(h.Run({"PUBLISH", "c", std::string(50, 'x')}), ":1\r\n");
  EXPECT_FALSE(sub.close_asap);
  EXPECT_EQ(h.Run({"PUBLISH", "c", std::string(50, 'x')}), ":1\r\n");
  EXPECT_TRUE(sub.close_asap);
  EXPECT_TRUE(sub.out.empty());  // dropped, never to be sent
  h.server().RemoveSession(&sub);
  EXPECT_EQ(h.Run({"PUBLISH", "c", "x"}), ":0\r\n");
}

TEST(OutputBufferLimit, SoftLimitNeedsItsSeconds) {
  testing::Harness h;
  h.SetTime(1000000);
  h.server().config().client_output_buffer_limit[static_cast<int>(ClientClass::kPubSub)] = {0, 100,
                                                                                            2};
  Session sub(7, 0);
  h.server().AddSession(&sub);
  h.server().pubsub().Subscribe(&sub, SubKind::kChannel, "c");
  h.Run({"PUBLISH", "c", std::string(200, 'x')});
  EXPECT_FALSE(sub.close_asap);  // over the soft limit since now
  h.AdvanceTime(2000);
  h.Run({"PUBLISH", "c", "x"});
  EXPECT_FALSE(sub.close_asap);  // exactly 2 s: not yet "more than"
  h.AdvanceTime(1);
  h.Run({"PUBLISH", "c", "x"});
  EXPECT_TRUE(sub.close_asap);
  h.server().RemoveSession(&sub);
}

}  // namespace
}  // namespace server
