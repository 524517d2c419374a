// Pub/Sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE SSUBSCRIBE SUNSUBSCRIBE PUBLISH
// SPUBLISH PUBSUB. The registry is server/pubsub.h; the RESP2 subscribed-mode restriction is in
// the dispatcher (Server::Dispatch), and PING's subscribed-mode reply in connection_family.cc.
#include <set>
#include <string>
#include <vector>

#include "server/commands/families.h"
#include "server/context.h"
#include "server/pubsub.h"
#include "server/server.h"

namespace server {
namespace {

// The count a (un)subscribe reply carries: channels plus patterns, or shard channels alone.
int64_t SubscriptionCount(const Session& s, SubKind kind) {
  if (kind == SubKind::kShard) return static_cast<int64_t>(s.shard_channels.size());
  return static_cast<int64_t>(s.channels.size() + s.patterns.size());
}

void SubscribeGeneric(CommandContext& ctx, SubKind kind, std::string_view reply_kind) {
  for (size_t i = 1; i < ctx.argc(); ++i) {
    const std::string name(ctx.arg(i));
    ctx.server.pubsub().Subscribe(&ctx.session, kind, name);
    WriteSubscriptionReply(ctx.session, reply_kind, &name, SubscriptionCount(ctx.session, kind));
  }
}

// With no arguments: every subscription of that kind, or one reply with a null name if none.
void UnsubscribeGeneric(CommandContext& ctx, SubKind kind, std::string_view reply_kind) {
  PubSub& ps = ctx.server.pubsub();
  Session& s = ctx.session;
  if (ctx.argc() > 1) {
    for (size_t i = 1; i < ctx.argc(); ++i) {
      const std::string name(ctx.arg(i));
      ps.Unsubscribe(&s, kind, name);
      WriteSubscriptionReply(s, reply_kind, &name, SubscriptionCount(s, kind));
    }
    return;
  }
  const std::set<std::string>& mine = kind == SubKind::kChannel   ? s.channels
                                      : kind == SubKind::kPattern ? s.patterns
                                                                  : s.shard_channels;
  if (mine.empty())
    return WriteSubscriptionReply(s, reply_kind, nullptr, SubscriptionCount(s, kind));
  const std::set<std::string> names = mine;  // a copy: Unsubscribe edits it
  for (const std::string& name : names) {
    ps.Unsubscribe(&s, kind, name);
    WriteSubscriptionReply(s, reply_kind, &name, SubscriptionCount(s, kind));
  }
}

// SUBSCRIBE channel [channel ...]
void CmdSubscribe(CommandContext& ctx) { SubscribeGeneric(ctx, SubKind::kChannel, "subscribe"); }

// UNSUBSCRIBE [channel [channel ...]]
void CmdUnsubscribe(CommandContext& ctx) {
  UnsubscribeGeneric(ctx, SubKind::kChannel, "unsubscribe");
}

// PSUBSCRIBE pattern [pattern ...]
void CmdPSubscribe(CommandContext& ctx) { SubscribeGeneric(ctx, SubKind::kPattern, "psubscribe"); }

// PUNSUBSCRIBE [pattern [pattern ...]]
void CmdPUnsubscribe(CommandContext& ctx) {
  UnsubscribeGeneric(ctx, SubKind::kPattern, "punsubscribe");
}

// SSUBSCRIBE shardchannel [shardchannel ...]
void CmdSSubscribe(CommandContext& ctx) { SubscribeGeneric(ctx, SubKind::kShard, "ssubscribe"); }

// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
void CmdSUnsubscribe(CommandContext& ctx) {
  UnsubscribeGeneric(ctx, SubKind::kShard, "sunsubscribe");
}

// PUBLISH channel message
void CmdPublish(CommandContext& ctx) {
  ctx.out.Integer(ctx.server.Publish(ctx.arg(1), ctx.arg(2), /*shard=*/false));
}

// SPUBLISH shardchannel message
void CmdSPublish(CommandContext& ctx) {
  ctx.out.Integer(ctx.server.Publish(ctx.arg(1), ctx.arg(2), /*shard=*/true));
}

void ReplyChannels(CommandContext& ctx, bool shard) {
  if (ctx.argc() > 3) return ctx.Error("ERR", SubcommandSyntaxMessage(ctx.arg(1), "pubsub"));
  const std::vector<std::string> names =
      ctx.server.pubsub().Channels(ctx.argc() == 3 ? ctx.arg(2) : std::string_view(), shard);
  ctx.out.ArrayHeader(static_cast<int64_t>(names.size()));
  for (const std::string& n : names) ctx.out.Bulk(n);
}

void ReplyNumSub(CommandContext& ctx, bool shard) {
  // A flat array even in RESP3, as Redis 7.0 answers.
  ctx.out.ArrayHeader(static_cast<int64_t>(2 * (ctx.argc() - 2)));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.out.Bulk(ctx.arg(i));
    ctx.out.Integer(ctx.server.pubsub().NumSub(ctx.arg(i), shard));
  }
}

// PUBSUB CHANNELS [pattern]
void CmdPubsubChannels(CommandContext& ctx) { ReplyChannels(ctx, /*shard=*/false); }

// PUBSUB SHARDCHANNELS [pattern]
void CmdPubsubShardChannels(CommandContext& ctx) { ReplyChannels(ctx, /*shard=*/true); }

// PUBSUB NUMSUB [channel [channel ...]]
void CmdPubsubNumSub(CommandContext& ctx) { ReplyNumSub(ctx, /*shard=*/false); }

// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
void CmdPubsubShardNumSub(CommandContext& ctx) { ReplyNumSub(ctx, /*shard=*/true); }

// PUBSUB NUMPAT
void CmdPubsubNumPat(CommandContext& ctx) {
  ctx.out.Integer(static_cast<int64_t>(ctx.server.pubsub().num_patterns()));
}

// PUBSUB HELP
void CmdPubsubHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CHANNELS [<pattern>]",
      "    Return the currently active channels matching a <pattern> (default: '*').",
      "NUMPAT",
      "    Return number of subscriptions to patterns.",
      "NUMSUB [<channel> ...]",
      "    Return the number of subscribers for the specified channels, excluding",
      "    pattern subscriptions(default: no channels).",
      "SHARDCHANNELS [<pattern>]",
      "    Return the currently active shard level channels matching a <pattern> (default: '*').",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Return the number of subscribers for the specified shard level channel(s)",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

constexpr uint32_t kSubFlags = kPubSub | kNoScript | kLoading | kStale;
constexpr uint32_t kPubFlags = kPubSub | kLoading | kStale | kFast;
constexpr uint32_t kInfoFlags = kPubSub | kLoading | kStale;

}  // namespace

std::vector<CommandSpec> PubSubCommands() {
  const uint64_t slow = kAclPubSub | kAclSlow;
  const uint64_t fast = kAclPubSub | kAclFast;
  return {
      {"subscribe", -2, kSubFlags, 0, 0, 0, slow, CmdSubscribe, "pubsub", "2.0.0",
       "Listen for messages published to the given channels"},
      {"unsubscribe", -1, kSubFlags, 0, 0, 0, slow, CmdUnsubscribe, "pubsub", "2.0.0",
       "Stop listening for messages posted to the given channels"},
      {"psubscribe", -2, kSubFlags, 0, 0, 0, slow, CmdPSubscribe, "pubsub", "2.0.0",
       "Listen for messages published to channels matching the given patterns"},
      {"punsubscribe", -1, kSubFlags, 0, 0, 0, slow, CmdPUnsubscribe, "pubsub", "2.0.0",
       "Stop listening for messages posted to channels matching the given patterns"},
      {"ssubscribe", -2, kSubFlags, 1, -1, 1, slow, CmdSSubscribe, "pubsub", "7.0.0",
       "Listen for messages published to the given shard channels"},
      {"sunsubscribe", -1, kSubFlags, 1, -1, 1, slow, CmdSUnsubscribe, "pubsub", "7.0.0",
       "Stop listening for messages posted to the given shard channels"},
      {"publish", 3, kPubFlags, 0, 0, 0, fast, CmdPublish, "pubsub", "2.0.0",
       "Post a message to a channel"},
      {"spublish", 3, kPubFlags, 1, 1, 1, fast, CmdSPublish, "pubsub", "7.0.0",
       "Post a message to a shard channel"},
      {"pubsub",
       -2,
       0,
       0,
       0,
       0,
       kAclSlow,
       nullptr,
       "pubsub",
       "2.8.0",
       "A container for Pub/Sub commands",
       {
           {"channels", -2, kInfoFlags, 0, 0, 0, slow, CmdPubsubChannels, "pubsub", "2.8.0",
            "List active channels"},
           {"numsub", -2, kInfoFlags, 0, 0, 0, slow, CmdPubsubNumSub, "pubsub", "2.8.0",
            "Get the count of subscribers for channels"},
           {"numpat", 2, kInfoFlags, 0, 0, 0, slow, CmdPubsubNumPat, "pubsub", "2.8.0",
            "Get the count of unique patterns pattern subscriptions"},
           {"shardchannels", -2, kInfoFlags, 0, 0, 0, slow, CmdPubsubShardChannels, "pubsub",
            "7.0.0", "List active shard channels"},
           {"shardnumsub", -2, kInfoFlags, 0, 0, 0, slow, CmdPubsubShardNumSub, "pubsub", "7.0.0",
            "Get the count of subscribers for shard channels"},
           {"help", 2, kLoading | kStale, 0, 0, 0, kAclSlow, CmdPubsubHelp, "pubsub", "6.2.0",
            "Show helpful text about the different subcommands"},
       }},
  };
}

}  // namespace server
