#include "server/notify.h"

#include "server/context.h"
#include "server/server.h"

namespace server {
namespace {

struct FlagChar {
  char c;
  int flag;
};

// The class letters in the order FormatNotifyFlags writes them when not all of A is on.
constexpr FlagChar kClassChars[] = {
    {'g', kNotifyGeneric}, {'$', kNotifyString}, {'l', kNotifyList},    {'s', kNotifySet},
    {'h', kNotifyHash},    {'z', kNotifyZset},   {'x', kNotifyExpired}, {'e', kNotifyEvicted},
    {'t', kNotifyStream},  {'d', kNotifyModule}, {'n', kNotifyNew},
};

}  // namespace

bool ParseNotifyFlags(std::string_view s, int* flags) {
  int f = 0;
  for (char c : s) {
    int bit = 0;
    switch (c) {
      case 'A':
        bit = kNotifyAll;
        break;
      case 'K':
        bit = kNotifyKeyspace;
        break;
      case 'E':
        bit = kNotifyKeyevent;
        break;
      case 'm':
        bit = kNotifyKeyMiss;
        break;
      default:
        for (const FlagChar& fc : kClassChars) {
          if (fc.c == c) bit = fc.flag;
        }
        if (bit == 0) return false;
    }
    f |= bit;
  }
  *flags = f;
  return true;
}

std::string FormatNotifyFlags(int flags) {
  std::string r;
  if ((flags & kNotifyAll) == kNotifyAll) {
    r += 'A';  // n, outside A, is then not shown: Redis 7.0 prints it the same way
  } else {
    for (const FlagChar& fc : kClassChars) {
      if (flags & fc.flag) r += fc.c;
    }
  }
  if (flags & kNotifyKeyspace) r += 'K';
  if (flags & kNotifyKeyevent) r += 'E';
  if (flags & kNotifyKeyMiss) r += 'm';
  return r;
}

void NotifyKeyspaceEvent(Server& server, int type, std::string_view event, std::string_view key,
                         int db) {
  const int flags = server.config().notify_keyspace_events;
  if ((flags & type) == 0) return;
  // Nobody listens at all: skip building the channel names.
  if (server.pubsub().num_channels() == 0 && server.pubsub().num_patterns() == 0) return;
  const std::string prefix = "@" + std::to_string(db) + "__:";
  if (flags & kNotifyKeyspace) {
    std::string channel = "__keyspace" + prefix;
    channel.append(key);
    server.Publish(channel, event, /*shard=*/false);
  }
  if (flags & kNotifyKeyevent) {
    std::string channel = "__keyevent" + prefix;
    channel.append(event);
    server.Publish(channel, key, /*shard=*/false);
  }
}

void Notify(CommandContext& ctx, int type, std::string_view event, std::string_view key) {
  if ((ctx.server.config().notify_keyspace_events & type) == 0) return;
  NotifyKeyspaceEvent(ctx.server, type, event, key, ctx.session.db);
}

void NotifyMaybeDeleted(CommandContext& ctx, int type, std::string_view event,
                        std::string_view key) {
  if (ctx.server.config().notify_keyspace_events == 0) return;
  Notify(ctx, type, event, key);
  if (ctx.db->Peek(key) == nullptr) Notify(ctx, kNotifyGeneric, "del", key);
}

void NotifyListMove(CommandContext& ctx, std::string_view src, std::string_view dst, bool from_head,
                    bool to_head) {
  if (ctx.server.config().notify_keyspace_events == 0) return;
  Notify(ctx, kNotifyList, to_head ? "lpush" : "rpush", dst);
  NotifyMaybeDeleted(ctx, kNotifyList, from_head ? "lpop" : "rpop", src);
}

}  // namespace server
