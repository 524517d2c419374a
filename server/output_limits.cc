// client-output-buffer-limit: Server::CheckOutputLimit.
//
// A client's unsent output is what waits in Session::out plus what was handed to libuv and not
// yet written. The check runs whenever output is added for a client that is not reading it:
// each pub/sub message delivered, and each flush that could not write everything. As in Redis,
// the soft limit's clock only advances while output keeps being added.
#include <string>

#include "server/log.h"
#include "server/server.h"

namespace server {
namespace {

ClientClass ClassOf(const Session& s) {
  // Replicas do not exist yet; MONITOR clients count as normal ones, as in Redis.
  return s.subscribed() ? ClientClass::kPubSub : ClientClass::kNormal;
}

const char* ClassName(ClientClass c) {
  switch (c) {
    case ClientClass::kNormal:
      return "normal";
    case ClientClass::kReplica:
      return "replica";
    case ClientClass::kPubSub:
      break;
  }
  return "pubsub";
}

}  // namespace

void Server::CheckOutputLimit(Session& s, size_t incoming) {
  if (s.close_asap || s.is_internal) return;
  const ClientClass cls = ClassOf(s);
  const OutputBufferLimit& limit = config_.client_output_buffer_limit[static_cast<int>(cls)];
  if (limit.hard == 0 && limit.soft == 0) return;
  const int64_t used = static_cast<int64_t>(s.out.size() + s.pending_write_bytes + incoming);
  bool reached = limit.hard > 0 && used >= limit.hard;
  if (limit.soft > 0 && used >= limit.soft) {
    if (s.obuf_soft_since_ms == 0) {
      s.obuf_soft_since_ms = clock_.now_ms;
    } else if (clock_.now_ms - s.obuf_soft_since_ms > limit.soft_seconds * 1000) {
      reached = true;
    }
  } else {
    s.obuf_soft_since_ms = 0;
  }
  if (!reached) return;
  s.close_asap = true;
  std::string().swap(s.out);  // nothing more will be sent: free it now
  LogWarning("Client id=" + std::to_string(s.id) + " addr=" + s.addr + " name=" + s.name +
             " class=" + ClassName(cls) + " omem=" + std::to_string(used) +
             " scheduled to be closed ASAP for overcoming of output buffer limits.");
  if (on_async_output) on_async_output(&s);
}

}  // namespace server
