// Connection commands: PING ECHO QUIT SELECT HELLO AUTH RESET CLIENT.
#include <algorithm>
#include <string>

#include "server/commands/families.h"
#include "server/context.h"
#include "server/server.h"
#include "server/version.h"

namespace server {
namespace {

// Redis refuses client names with spaces, newlines or other characters outside '!'..'~'.
bool ValidClientName(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

constexpr ErrorReply kBadClientName{
    "ERR", "Client names cannot contain spaces, newlines or special characters."};

// Checks a password for the default user. With no requirepass every password is accepted
// (the default user is "nopass"), as in Redis.
bool PasswordOk(const Server& srv, std::string_view user, std::string_view pass) {
  if (user != "default") return false;
  return srv.config().requirepass.empty() || pass == srv.config().requirepass;
}

// PING [message]
void CmdPing(CommandContext& ctx) {
  // The table's arity is -1 as in Redis (COMMAND reports it); the upper bound is checked here.
  if (ctx.argc() > 2) return ctx.ErrorArity();
  if (ctx.session.subscribed() && ctx.session.proto == 2) {
    // Subscribed RESP2 clients read every reply as a message-like array: *2 "pong" <message>.
    ctx.out.ArrayHeader(2);
    ctx.out.Bulk("pong");
    ctx.out.Bulk(ctx.argc() == 2 ? ctx.arg(1) : std::string_view());
    return;
  }
  if (ctx.argc() == 1) {
    ctx.out.SimpleString("PONG");
  } else {
    ctx.out.Bulk(ctx.arg(1));
  }
}

// ECHO message
void CmdEcho(CommandContext& ctx) { ctx.out.Bulk(ctx.arg(1)); }

// QUIT
void CmdQuit(CommandContext& ctx) {
  ctx.out.Ok();
  ctx.session.close_after_reply = true;
}

// SELECT index
void CmdSelect(CommandContext& ctx) {
  int64_t idx;
  if (!ParseIntOrReply(ctx, ctx.arg(1), &idx)) return;
  if (idx < 0 || idx >= ctx.server.db_count()) return ctx.Error(err::kDbIndexOutOfRange);
  ctx.session.db = static_cast<int>(idx);
  ctx.out.Ok();
}

// AUTH [username] password
void CmdAuth(CommandContext& ctx) {
  std::string_view user = ctx.argc() == 3 ? ctx.arg(1) : "default";
  std::string_view pass = ctx.argc() == 3 ? ctx.arg(2) : ctx.arg(1);
  if (ctx.argc() > 3) return ctx.Error(err::kSyntax);
  if (ctx.argc() == 2 && ctx.server.config().requirepass.empty()) {
    return ctx.Error(err::kAuthNotSet);
  }
  if (!PasswordOk(ctx.server, user, pass)) return ctx.Error(err::kWrongPass);
  ctx.session.authenticated = true;
  ctx.out.Ok();
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
void CmdHello(CommandContext& ctx) {
  int64_t ver = 0;
  size_t i = 1;
  if (ctx.argc() >= 2) {
    if (!store::ParseInt64(ctx.arg(1), &ver)) {
      return ctx.Error("ERR", "Protocol version is not an integer or out of range");
    }
    if (ver < 2 || ver > 3) return ctx.Error(err::kNoProto);
    i = 2;
  }
  std::string_view user, pass, name;
  bool has_auth = false, has_name = false;
  for (; i < ctx.argc(); ++i) {
    size_t more = ctx.argc() - i - 1;
    if (EqualsNoCase(ctx.arg(i), "auth") && more >= 2) {
      user = ctx.arg(i + 1);
      pass = ctx.arg(i + 2);
      has_auth = true;
      i += 2;
    } else if (EqualsNoCase(ctx.arg(i), "setname") && more >= 1) {
      name = ctx.arg(i + 1);
      has_name = true;
      i += 1;
    } else {
      return ctx.Error("ERR", "Syntax error in HELLO option '" + std::string(ctx.arg(i)) + "'");
    }
  }
  if (has_auth && !PasswordOk(ctx.server, user, pass)) return ctx.Error(err::kWrongPass);
  if (has_auth) ctx.session.authenticated = true;
  if (!ctx.server.config().requirepass.empty() && !ctx.session.authenticated) {
    return ctx.Error("NOAUTH",
                     "HELLO must be called with the client already authenticated, "
                     "otherwise the HELLO <proto> AUTH <user> <pass> option can be used "
                     "to authenticate the client and select the RESP protocol version "
                     "at the same time");
  }
  if (has_name && !ValidClientName(name)) return ctx.Error(kBadClientName);
  if (has_name) ctx.session.name = std::string(name);
  if (ver != 0) ctx.session.proto = static_cast<int>(ver);
  resp::Writer out(&ctx.session.out, ctx.session.proto);
  out.MapHeader(7);
  out.Bulk("server");
  out.Bulk("redis");
  out.Bulk("version");
  out.Bulk(kRedisVersion);
  out.Bulk("proto");
  out.Integer(ctx.session.proto);
  out.Bulk("id");
  out.Integer(static_cast<int64_t>(ctx.session.id));
  out.Bulk("mode");
  out.Bulk("standalone");
  out.Bulk("role");
  out.Bulk("master");
  out.Bulk("modules");
  out.ArrayHeader(0);
}

// RESET
void CmdReset(CommandContext& ctx) {
  Session& s = ctx.session;
  ctx.server.DiscardTransaction(s);
  s.db = 0;
  s.proto = 2;
  s.name.clear();
  s.reply_mode = ReplyMode::kOn;
  s.no_evict = false;
  ctx.server.SetMonitor(&s, false);
  ctx.server.pubsub().UnsubscribeAll(&s);
  s.authenticated = false;
  resp::Writer(&s.out, 2).SimpleString("RESET");
}

// CLIENT ID
void CmdClientId(CommandContext& ctx) { ctx.out.Integer(static_cast<int64_t>(ctx.session.id)); }

// CLIENT SETNAME connection-name
void CmdClientSetName(CommandContext& ctx) {
  if (!ValidClientName(ctx.arg(2))) return ctx.Error(kBadClientName);
  ctx.session.name = std::string(ctx.arg(2));
  ctx.out.Ok();
}

// CLIENT GETNAME
void CmdClientGetName(CommandContext& ctx) {
  if (ctx.session.name.empty()) return ctx.out.Null();
  ctx.out.Bulk(ctx.session.name);
}

// CLIENT LIST / CLIENT KILL TYPE: a subscribed client is "pubsub", any other "normal"; there are
// no replicas or masters yet.
bool HasType(const Session& s, std::string_view type) {
  if (type == "pubsub") return s.subscribed();
  if (type == "normal") return !s.subscribed();
  return false;
}

// One CLIENT LIST / CLIENT INFO line, with Redis's fields in Redis's order.
std::string ClientLine(const Server& srv, const Session& s, int64_t now_ms) {
  std::string flags;
  if (s.subscribed()) flags += 'P';
  if (s.in_multi) flags += 'x';
  if (s.monitor) flags += 'O';
  if (s.blocked) flags += 'b';
  if (s.dirty_cas) flags += 'd';
  if (s.close_after_reply) flags += 'c';
  if (s.no_evict) flags += 'e';
  if (!s.addr.empty() && s.addr[0] == '/') flags += 'U';
  if (flags.empty()) flags = "N";
  const std::string cmd = s.last_command ? s.last_command->full_name : "NULL";
  (void)srv;
  return "id=" + std::to_string(s.id) + " addr=" + s.addr + " laddr=" + s.laddr +
         " fd=" + std::to_string(s.fd) + " name=" + s.name +
         " age=" + std::to_string((now_ms - s.created_ms) / 1000) +
         " idle=" + std::to_string((now_ms - s.last_interaction_ms) / 1000) + " flags=" + flags +
         " db=" + std::to_string(s.db) + " sub=" + std::to_string(s.channels.size()) +
         " psub=" + std::to_string(s.patterns.size()) +
         " ssub=" + std::to_string(s.shard_channels.size()) +
         " multi=" + std::to_string(s.in_multi ? static_cast<int64_t>(s.queued.size()) : -1) +
         " qbuf=" + std::to_string(s.query_buffer_bytes) + " qbuf-free=0 argv-mem=0 multi-mem=0" +
         " rbs=0 rbp=0 obl=0 oll=0 omem=" + std::to_string(s.out.size() + s.pending_write_bytes) +
         " tot-mem=0 events=r cmd=" + cmd +
         " user=default redir=-1 resp=" + std::to_string(s.proto) + " lib-name=" + s.lib_name +
         " lib-ver=" + s.lib_ver + "\n";
}

// CLIENT LIST [TYPE normal|master|replica|pubsub] [ID client-id [client-id ...]]
void CmdClientList(CommandContext& ctx) {
  std::vector<uint64_t> ids;
  std::string type;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (EqualsNoCase(ctx.arg(i), "type") && i + 1 < ctx.argc()) {
      std::string t = ToLower(ctx.arg(i + 1));
      if (t != "normal" && t != "master" && t != "replica" && t != "pubsub" && t != "slave") {
        return ctx.Error("ERR", "Unknown client type '" + std::string(ctx.arg(i + 1)) + "'");
      }
      type = t;
      ++i;
    } else if (EqualsNoCase(ctx.arg(i), "id") && i + 1 < ctx.argc()) {
      for (++i; i < ctx.argc(); ++i) {
        int64_t id;
        if (!store::ParseInt64(ctx.arg(i), &id) || id <= 0) {
          return ctx.Error("ERR", "Invalid client ID");
        }
        ids.push_back(static_cast<uint64_t>(id));
      }
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  std::string text;
  int64_t now = ctx.server.clock().now_ms;
  for (const auto& [id, s] : ctx.server.sessions()) {
    if (!type.empty() && !HasType(*s, type)) continue;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) continue;
    text += ClientLine(ctx.server, *s, now);
  }
  ctx.out.Verbatim("txt", text);
}

// CLIENT INFO
void CmdClientInfo(CommandContext& ctx) {
  ctx.out.Verbatim("txt", ClientLine(ctx.server, ctx.session, ctx.server.clock().now_ms));
}

// CLIENT KILL ip:port | CLIENT KILL <filter> <value> ... [SKIPME yes|no]
void CmdClientKill(CommandContext& ctx) {
  std::vector<Session*> victims;
  const auto& sessions = ctx.server.sessions();
  if (ctx.argc() == 3) {  // old form: by address, error if none
    for (const auto& [id, s] : sessions) {
      if (s->addr == ctx.arg(2)) victims.push_back(s);
    }
    if (victims.empty()) return ctx.Error("ERR", "No such client");
    for (Session* s : victims) {
      s->close_after_reply = true;
      if (ctx.server.on_async_output && s != &ctx.session) ctx.server.on_async_output(s);
    }
    return ctx.out.Ok();
  }
  if ((ctx.argc() - 2) % 2 != 0) return ctx.Error(err::kSyntax);
  int64_t want_id = -1;
  std::string addr, laddr, type;
  bool skipme = true;
  for (size_t i = 2; i + 1 < ctx.argc(); i += 2) {
    std::string_view opt = ctx.arg(i), val = ctx.arg(i + 1);
    if (EqualsNoCase(opt, "id")) {
      if (!store::ParseInt64(val, &want_id) || want_id <= 0) {
        return ctx.Error("ERR", "client-id should be greater than 0");
      }
    } else if (EqualsNoCase(opt, "addr")) {
      addr = std::string(val);
    } else if (EqualsNoCase(opt, "laddr")) {
      laddr = std::string(val);
    } else if (EqualsNoCase(opt, "type")) {
      type = ToLower(val);
      if (type != "normal" && type != "master" && type != "replica" && type != "pubsub" &&
          type != "slave") {
        return ctx.Error("ERR", "Unknown client type '" + std::string(val) + "'");
      }
    } else if (EqualsNoCase(opt, "user")) {
      if (val != "default") return ctx.Error("ERR", "No such user '" + std::string(val) + "'");
    } else if (EqualsNoCase(opt, "skipme")) {
      if (EqualsNoCase(val, "yes")) {
        skipme = true;
      } else if (EqualsNoCase(val, "no")) {
        skipme = false;
      } else {
        return ctx.Error(err::kSyntax);
      }
    } else if (EqualsNoCase(opt, "maxage")) {
      int64_t unused;
      if (!ParseIntOrReply(ctx, val, &unused)) return;
    } else {
      return ctx.Error(err::kSyntax);
    }
  }
  for (const auto& [id, s] : sessions) {
    if (want_id > 0 && static_cast<int64_t>(id) != want_id) continue;
    if (!addr.empty() && s->addr != addr) continue;
    if (!laddr.empty() && s->laddr != laddr) continue;
    if (!type.empty() && !HasType(*s, type)) continue;
    if (skipme && s == &ctx.session) continue;
    victims.push_back(s);
  }
  for (Session* s : victims) {
    s->close_after_reply = true;
    if (ctx.server.on_async_output && s != &ctx.session) ctx.server.on_async_output(s);
  }
  ctx.out.Integer(static_cast<int64_t>(victims.size()));
}

// CLIENT SETINFO LIB-NAME name | LIB-VER version
void CmdClientSetInfo(CommandContext& ctx) {
  std::string_view attr = ctx.arg(2), val = ctx.arg(3);
  for (char c : val) {
    if (c < '!' || c > '~') {
      return ctx.Error(
          "ERR", std::string(attr) + " cannot contain spaces, newlines or special characters.");
    }
  }
  if (EqualsNoCase(attr, "lib-name")) {
    ctx.session.lib_name = std::string(val);
  } else if (EqualsNoCase(attr, "lib-ver")) {
    ctx.session.lib_ver = std::string(val);
  } else {
    return ctx.Error("ERR", "Unrecognized option '" + std::string(attr) + "'");
  }
  ctx.out.Ok();
}

// CLIENT NO-EVICT ON|OFF
void CmdClientNoEvict(CommandContext& ctx) {
  if (EqualsNoCase(ctx.arg(2), "on")) {
    ctx.session.no_evict = true;
  } else if (EqualsNoCase(ctx.arg(2), "off")) {
    ctx.session.no_evict = false;
  } else {
    return ctx.Error(err::kSyntax);
  }
  ctx.out.Ok();
}

// CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
void CmdClientUnblock(CommandContext& ctx) {
  if (ctx.argc() > 4) return ctx.Error("ERR", SubcommandSyntaxMessage(ctx.arg(1), "client"));
  int64_t id;
  if (!ParseIntOrReply(ctx, ctx.arg(2), &id)) return;
  bool with_error = false;
  if (ctx.argc() == 4) {
    if (EqualsNoCase(ctx.arg(3), "error")) {
      with_error = true;
    } else if (!EqualsNoCase(ctx.arg(3), "timeout")) {
      return ctx.Error("ERR", "CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }
  }
  auto it = ctx.server.sessions().find(static_cast<uint64_t>(id));
  const bool done = it != ctx.server.sessions().end() && it->second != &ctx.session &&
                    ctx.server.UnblockClient(*it->second, with_error);
  ctx.out.Integer(done ? 1 : 0);
}

// CLIENT REPLY ON|OFF|SKIP
void CmdClientReply(CommandContext& ctx) {
  if (EqualsNoCase(ctx.arg(2), "on")) {
    ctx.session.reply_mode = ReplyMode::kOn;
    ctx.out.Ok();
  } else if (EqualsNoCase(ctx.arg(2), "off")) {
    ctx.session.reply_mode = ReplyMode::kOff;
  } else if (EqualsNoCase(ctx.arg(2), "skip")) {
    // Skips the next command's reply; this one has none either.
    ctx.session.reply_mode = ReplyMode::kSkipNext;
  } else {
    return ctx.Error(err::kSyntax);
  }
}

// CLIENT HELP
void CmdClientHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GETNAME",
      "    Return the name of the current connection.",
      "ID",
      "    Return the ID of the current connection.",
      "INFO",
      "    Return information about the current client connection.",
      "KILL <ip:port>",
      "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options are: ID, ADDR, LADDR, TYPE, USER, SKIPME.",
      "LIST [options ...]",
      "    Return information about client connections.",
      "NO-EVICT (ON|OFF)",
      "    Protect current client connection from eviction.",
      "REPLY (ON|OFF|SKIP)",
      "    Control the replies sent to the current connection.",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "SETINFO <LIB-NAME|LIB-VER> <value>",
      "    Set client library name or version.",
      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
      "    Unblock the specified blocked client.",
      "HELP",
      "    Print this help.",
  };
  ReplyHelp(ctx, kLines);
}

constexpr uint32_t kConnFlags = kNoScript | kLoading | kStale;

}  // namespace

std::vector<CommandSpec> ConnectionCommands() {
  const uint64_t conn = kAclConnection;
  return {
      {"ping", -1, kFast, 0, 0, 0, conn | kAclFast, CmdPing, "connection", "1.0.0",
       "Returns the server's liveliness response."},
      {"echo", 2, kLoading | kStale | kFast, 0, 0, 0, conn | kAclFast, CmdEcho, "connection",
       "1.0.0", "Returns the given string."},
      {"quit", -1, kAllowBusy | kNoScript | kLoading | kStale | kFast | kNoAuth, 0, 0, 0,
       conn | kAclFast, CmdQuit, "connection", "1.0.0", "Closes the connection."},
      {"select", 2, kLoading | kStale | kFast, 0, 0, 0, conn | kAclFast, CmdSelect, "connection",
       "1.0.0", "Changes the selected database."},
      {"auth", -2, kConnFlags | kFast | kNoAuth | kAllowBusy, 0, 0, 0, conn | kAclFast, CmdAuth,
       "connection", "1.0.0", "Authenticates the connection."},
      {"hello", -1, kConnFlags | kFast | kNoAuth | kAllowBusy, 0, 0, 0, conn | kAclFast, CmdHello,
       "connection", "6.0.0", "Handshakes with the Redis server."},
      {"reset", 1, kConnFlags | kFast | kNoAuth | kAllowBusy, 0, 0, 0, conn | kAclFast, CmdReset,
       "connection", "6.2.0", "Resets the connection."},
      {"client",
       -2,
       0,
       0,
       0,
       0,
       kAclSlow,
       nullptr,
       "connection",
       "2.4.0",
       "A container for client connection commands.",
       {
           {"id", 2, kConnFlags, 0, 0, 0, conn | kAclSlow, CmdClientId, "connection", "5.0.0",
            "Returns the unique client ID of the connection."},
           {"setname", 3, kConnFlags, 0, 0, 0, conn | kAclSlow, CmdClientSetName, "connection",
            "2.6.9", "Sets the connection name."},
           {"getname", 2, kConnFlags, 0, 0, 0, conn | kAclSlow, CmdClientGetName, "connection",
            "2.6.9", "Returns the name of the connection."},
           {"list", -2, kAdmin | kConnFlags, 0, 0, 0, conn | kAclAdmin | kAclSlow | kAclDangerous,
            CmdClientList, "connection", "2.4.0", "Lists open connections."},
           {"info", 2, kConnFlags, 0, 0, 0, conn | kAclSlow, CmdClientInfo, "connection", "6.2.0",
            "Returns information about the connection."},
           {"kill", -3, kAdmin | kConnFlags, 0, 0, 0, conn | kAclAdmin | kAclSlow | kAclDangerous,
            CmdClientKill, "connection", "2.4.0", "Terminates open connections."},
           {"setinfo", 4, kConnFlags, 0, 0, 0, conn | kAclSlow, CmdClientSetInfo, "connection",
            "7.2.0", "Sets information specific to the client or connection."},
           {"no-evict", 3, kAdmin | kConnFlags, 0, 0, 0,
            conn | kAclAdmin | kAclSlow | kAclDangerous, CmdClientNoEvict, "connection", "7.0.0",
            "Sets the client eviction mode of the connection."},
           {"unblock", -3, kAdmin | kConnFlags, 0, 0, 0,
            conn | kAclAdmin | kAclSlow | kAclDangerous, CmdClientUnblock, "connection", "5.0.0",
            "Unblocks a client blocked by a blocking command from a different connection."},
           {"reply", 3, kConnFlags, 0, 0, 0, conn | kAclSlow, CmdClientReply, "connection", "3.2.0",
            "Instructs the server whether to reply to commands."},
           {"help", 2, kLoading | kStale, 0, 0, 0, conn | kAclSlow, CmdClientHelp, "connection",
            "5.0.0", "Returns helpful text about the different subcommands."},
       }},
  };
}

}  // namespace server
