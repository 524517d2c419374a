#include "server/config.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdio>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "resp/limits.h"
#include "resp/parser.h"
#include "server/notify.h"
#include "store/glob.h"
#include "store/value.h"

namespace server {
namespace {

using Args = std::vector<std::string>;
// Sets the field from args (args[0] is the directive name). Returns "" or Redis's error message.
using Setter = std::function<std::string(Config*, const Args&)>;
using Getter = std::function<std::string(const Config&)>;

struct Param {
  std::string_view name;
  std::string_view alias;  // older name still accepted (e.g. hash-max-ziplist-entries)
  bool is_mutable;
  Setter set;
  Getter get;
  std::string_view note;  // non-empty: accepted, but not acted on yet
};

constexpr std::string_view kBadDirective = "Bad directive or wrong number of arguments";

std::string Lower(std::string_view s) {
  std::string r(s);
  std::transform(r.begin(), r.end(), r.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return r;
}

Setter BoolSetter(bool Config::*field) {
  return [field](Config* c, const Args& a) -> std::string {
    if (a.size() != 2) return std::string(kBadDirective);
    std::string v = Lower(a[1]);
    if (v == "yes") {
      c->*field = true;
    } else if (v == "no") {
      c->*field = false;
    } else {
      return "argument must be 'yes' or 'no'";
    }
    return "";
  };
}
Getter BoolGetter(bool Config::*field) {
  return [field](const Config& c) { return std::string(c.*field ? "yes" : "no"); };
}

template <typename T>
Setter IntSetter(T Config::*field, int64_t lo, int64_t hi, bool memory = false) {
  return [=](Config* c, const Args& a) -> std::string {
    if (a.size() != 2) return std::string(kBadDirective);
    int64_t v = 0;
    if (memory) {
      if (!ParseMemory(a[1], &v)) return "argument must be a memory value";
    } else if (!store::ParseInt64(a[1], &v)) {
      return "argument couldn't be parsed into an integer";
    }
    if (v < lo || v > hi) {
      return "argument must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
             " inclusive";
    }
    c->*field = static_cast<T>(v);
    return "";
  };
}
template <typename T>
Getter IntGetter(T Config::*field) {
  return [field](const Config& c) { return std::to_string(c.*field); };
}

Setter StringSetter(std::string Config::*field) {
  return [field](Config* c, const Args& a) -> std::string {
    if (a.size() != 2) return std::string(kBadDirective);
    c->*field = a[1];
    return "";
  };
}
Getter StringGetter(std::string Config::*field) {
  return [field](const Config& c) { return c.*field; };
}

Setter EnumSetter(std::string Config::*field, std::vector<std::string_view> options) {
  return [field, options](Config* c, const Args& a) -> std::string {
    if (a.size() != 2) return std::string(kBadDirective);
    std::string v = Lower(a[1]);
    for (std::string_view o : options) {
      if (v == o) {
        c->*field = v;
        return "";
      }
    }
    std::string msg = "argument(s) must be one of the following: ";
    for (size_t i = 0; i < options.size(); ++i) {
      if (i) msg += ", ";
      msg += options[i];
    }
    return msg;
  };
}

std::string SetSave(Config* c, const Args& a) {
  // "save" takes pairs of <seconds> <changes>, or one empty string to turn snapshots off.
  if (a.size() == 2 && a[1].empty()) {
    c->save.clear();
    return "";
  }
  // Redis 7 also takes the pairs in one argument: save "3600 1 300 100" (and --save "3600 1").
  std::vector<std::string> words;
  for (size_t i = 1; i < a.size(); ++i) {
    std::istringstream in{std::string(a[i])};
    for (std::string w; in >> w;) words.push_back(w);
  }
  if (words.empty() || words.size() % 2 != 0) return "Invalid save parameters";
  std::string joined;
  for (const std::string& w : words) {
    int64_t v;
    if (!store::ParseInt64(w, &v) || v < 0) return "Invalid save parameters";
    if (!joined.empty()) joined += ' ';
    joined += w;
  }
  c->save = joined;
  return "";
}

std::string SetBind(Config* c, const Args& a) {
  if (a.size() < 2 || a.size() > 17) return "Too many bind addresses specified.";
  c->bind.assign(a.begin() + 1, a.end());
  return "";
}

// client-output-buffer-limit <class> <hard> <soft> <soft-seconds> [<class> ...]: every group is
// checked before any is applied, so a bad group changes nothing.
std::string SetOutputBufferLimit(Config* c, const Args& a) {
  std::vector<std::string> words(a.begin() + 1, a.end());
  if (words.size() == 1 && words[0].empty()) return "";  // CONFIG SET "" changes nothing
  if (words.size() == 1) {  // --client-output-buffer-limit "pubsub 1mb 0 0", as Redis splits it
    std::istringstream in(words[0]);
    words.clear();
    for (std::string w; in >> w;) words.push_back(w);
  }
  if (words.empty() || words.size() % 4 != 0) {
    return "Wrong number of arguments in buffer limit configuration.";
  }
  OutputBufferLimit limits[3];
  std::copy(std::begin(c->client_output_buffer_limit), std::end(c->client_output_buffer_limit),
            limits);
  for (size_t i = 0; i < words.size(); i += 4) {
    std::string cls = Lower(words[i]);
    ClientClass k;
    if (cls == "normal") {
      k = ClientClass::kNormal;
    } else if (cls == "slave" || cls == "replica") {
      k = ClientClass::kReplica;
    } else if (cls == "pubsub") {
      k = ClientClass::kPubSub;
    } else {
      return "Invalid client class specified in buffer limit configuration.";
    }
    int64_t hard, soft, seconds;
    if (!ParseMemory(words[i + 1], &hard) || !ParseMemory(words[i + 2], &soft) ||
        !store::ParseInt64(words[i + 3], &seconds) || hard < 0 || soft < 0 || seconds < 0) {
      return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
    }
    limits[static_cast<int>(k)] = {hard, soft, seconds};
  }
  std::copy(std::begin(limits), std::end(limits), c->client_output_buffer_limit);
  return "";
}

std::string FormatOutputBufferLimit(const Config& c) {
  static constexpr const char* kNames[] = {"normal", "slave", "pubsub"};
  std::string r;
  for (int i = 0; i < 3; ++i) {
    const OutputBufferLimit& l = c.client_output_buffer_limit[i];
    if (i > 0) r += ' ';
    r += std::string(kNames[i]) + " " + std::to_string(l.hard) + " " + std::to_string(l.soft) +
         " " + std::to_string(l.soft_seconds);
  }
  return r;
}

std::string JoinBind(const Config& c) {
  std::string r;
  for (const auto& b : c.bind) {
    if (!r.empty()) r += ' ';
    r += b;
  }
  return r;
}

const std::vector<Param>& Table() {
  constexpr int64_t kMaxInt = INT_MAX;
  constexpr int64_t kMaxLL = LLONG_MAX;
  static const std::vector<Param> table = {
      {"bind", "", true, SetBind, JoinBind, ""},
      {"port", "", true, IntSetter(&Config::port, 0, 65535), IntGetter(&Config::port), ""},
      {"protected-mode", "", true, BoolSetter(&Config::protected_mode),
       BoolGetter(&Config::protected_mode), ""},
      {"tcp-backlog", "", false, IntSetter(&Config::tcp_backlog, 0, kMaxInt),
       IntGetter(&Config::tcp_backlog), ""},
      {"timeout", "", true, IntSetter(&Config::timeout, 0, kMaxInt), IntGetter(&Config::timeout),
       ""},
      {"tcp-keepalive", "", true, IntSetter(&Config::tcp_keepalive, 0, kMaxInt),
       IntGetter(&Config::tcp_keepalive), ""},
      {"maxclients", "", true, IntSetter(&Config::maxclients, 1, kMaxInt),
       IntGetter(&Config::maxclients), ""},
      {"unixsocket", "", false, StringSetter(&Config::unixsocket),
       StringGetter(&Config::unixsocket), ""},
      {"unixsocketperm", "", false,
       [](Config* c, const Args& a) -> std::string {
         if (a.size() != 2) return std::string(kBadDirective);
         char* end = nullptr;
         long v = std::strtol(a[1].c_str(), &end, 8);
         if (a[1].empty() || *end != '\0' || v < 0 || v > 0777)
           return "Invalid socket file permissions";
         c->unixsocketperm = static_cast<int>(v);
         return "";
       },
       [](const Config& c) {
         char buf[16];
         std::snprintf(buf, sizeof(buf), "%o", c.unixsocketperm);
         return std::string(buf);
       },
       ""},
      {"requirepass", "", true, StringSetter(&Config::requirepass),
       StringGetter(&Config::requirepass), ""},
      {"databases", "", false, IntSetter(&Config::databases, 1, kMaxInt),
       IntGetter(&Config::databases), ""},
      // Redis accepts any non-negative hz and clamps it to 1..500.
      {"hz", "", true,
       [](Config* c, const Args& a) -> std::string {
         std::string msg = IntSetter(&Config::hz, 0, kMaxInt)(c, a);
         if (msg.empty()) c->hz = std::clamp(c->hz, 1, 500);
         return msg;
       },
       IntGetter(&Config::hz), ""},
      {"daemonize", "", false, BoolSetter(&Config::daemonize), BoolGetter(&Config::daemonize),
       "Fickle always runs in the foreground"},
      {"enable-debug-command", "", false,
       EnumSetter(&Config::enable_debug_command, {"no", "yes", "local"}),
       StringGetter(&Config::enable_debug_command), ""},
      {"pidfile", "", false, StringSetter(&Config::pidfile), StringGetter(&Config::pidfile), ""},
      {"loglevel", "", true,
       EnumSetter(&Config::loglevel, {"debug", "verbose", "notice", "warning", "nothing"}),
       StringGetter(&Config::loglevel), ""},
      {"logfile", "", false, StringSetter(&Config::logfile), StringGetter(&Config::logfile), ""},
      {"proto-max-bulk-len", "", true,
       IntSetter(&Config::proto_max_bulk_len, 1024 * 1024, resp::kMaxBulkLenCap, true),
       IntGetter(&Config::proto_max_bulk_len), ""},
      {"client-query-buffer-limit", "", true,
       IntSetter(&Config::client_query_buffer_limit, 1024 * 1024, resp::kMaxBulkLenCap, true),
       IntGetter(&Config::client_query_buffer_limit), ""},
      {"client-output-buffer-limit", "", true, SetOutputBufferLimit, FormatOutputBufferLimit, ""},
      {"maxmemory", "", true, IntSetter(&Config::maxmemory, 0, kMaxLL, true),
       IntGetter(&Config::maxmemory), ""},
      {"maxmemory-policy", "", true,
       EnumSetter(&Config::maxmemory_policy,
                  {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru",
                   "allkeys-lfu", "allkeys-random", "noeviction"}),
       StringGetter(&Config::maxmemory_policy), ""},
      {"maxmemory-samples", "", true, IntSetter(&Config::maxmemory_samples, 1, 64),
       IntGetter(&Config::maxmemory_samples), ""},
      {"lfu-log-factor", "", true, IntSetter(&Config::lfu_log_factor, 0, kMaxInt),
       IntGetter(&Config::lfu_log_factor), ""},
      {"lfu-decay-time", "", true, IntSetter(&Config::lfu_decay_time, 0, kMaxInt),
       IntGetter(&Config::lfu_decay_time), ""},
      {"busy-reply-threshold", "lua-time-limit", true,
       IntSetter(&Config::busy_reply_threshold, 0, kMaxLL),
       IntGetter(&Config::busy_reply_threshold), ""},
      {"slowlog-log-slower-than", "", true, IntSetter(&Config::slowlog_log_slower_than, -1, kMaxLL),
       IntGetter(&Config::slowlog_log_slower_than), ""},
      {"slowlog-max-len", "", true, IntSetter(&Config::slowlog_max_len, 0, kMaxLL),
       IntGetter(&Config::slowlog_max_len), ""},
      {"dir", "", true, StringSetter(&Config::dir), StringGetter(&Config::dir), ""},
      {"dbfilename", "", true, StringSetter(&Config::dbfilename), StringGetter(&Config::dbfilename),
       ""},
      {"save", "", true, SetSave, StringGetter(&Config::save), ""},
      {"appendonly", "", true, BoolSetter(&Config::appendonly), BoolGetter(&Config::appendonly),
       ""},
      {"appendfilename", "", false, StringSetter(&Config::appendfilename),
       StringGetter(&Config::appendfilename), ""},
      {"appenddirname", "", false, StringSetter(&Config::appenddirname),
       StringGetter(&Config::appenddirname), ""},
      {"appendfsync", "", true, EnumSetter(&Config::appendfsync, {"always", "everysec", "no"}),
       StringGetter(&Config::appendfsync), ""},
      {"rdbcompression", "", true, BoolSetter(&Config::rdbcompression),
       BoolGetter(&Config::rdbcompression), ""},
      {"rdbchecksum", "", false, BoolSetter(&Config::rdbchecksum), BoolGetter(&Config::rdbchecksum),
       ""},
      {"stop-writes-on-bgsave-error", "", true, BoolSetter(&Config::stop_writes_on_bgsave_error),
       BoolGetter(&Config::stop_writes_on_bgsave_error), ""},
      {"aof-load-truncated", "", true, BoolSetter(&Config::aof_load_truncated),
       BoolGetter(&Config::aof_load_truncated), ""},
      {"auto-aof-rewrite-percentage", "", true,
       IntSetter(&Config::auto_aof_rewrite_percentage, 0, kMaxInt),
       IntGetter(&Config::auto_aof_rewrite_percentage), ""},
      {"auto-aof-rewrite-min-size", "", true,
       IntSetter(&Config::auto_aof_rewrite_min_size, 0, kMaxLL, true),
       IntGetter(&Config::auto_aof_rewrite_min_size), ""},
      {"hash-max-listpack-entries", "hash-max-ziplist-entries", true,
       IntSetter(&Config::hash_max_listpack_entries, 0, kMaxLL),
       IntGetter(&Config::hash_max_listpack_entries), ""},
      {"hash-max-listpack-value", "hash-max-ziplist-value", true,
       IntSetter(&Config::hash_max_listpack_value, 0, kMaxLL, true),
       IntGetter(&Config::hash_max_listpack_value), ""},
      {"list-max-listpack-size", "list-max-ziplist-size", true,
       IntSetter(&Config::list_max_listpack_size, INT_MIN, kMaxInt),
       IntGetter(&Config::list_max_listpack_size), ""},
      {"set-max-intset-entries", "", true, IntSetter(&Config::set_max_intset_entries, 0, kMaxLL),
       IntGetter(&Config::set_max_intset_entries), ""},
      {"set-max-listpack-entries", "", true,
       IntSetter(&Config::set_max_listpack_entries, 0, kMaxLL),
       IntGetter(&Config::set_max_listpack_entries),
       "a Redis 7.2 directive; 7.0 has no set listpack"},
      {"set-max-listpack-value", "", true,
       IntSetter(&Config::set_max_listpack_value, 0, kMaxLL, true),
       IntGetter(&Config::set_max_listpack_value),
       "a Redis 7.2 directive; 7.0 has no set listpack"},
      {"zset-max-listpack-entries", "zset-max-ziplist-entries", true,
       IntSetter(&Config::zset_max_listpack_entries, 0, kMaxLL),
       IntGetter(&Config::zset_max_listpack_entries), ""},
      {"zset-max-listpack-value", "zset-max-ziplist-value", true,
       IntSetter(&Config::zset_max_listpack_value, 0, kMaxLL, true),
       IntGetter(&Config::zset_max_listpack_value), ""},
      {"stream-node-max-bytes", "", true,
       IntSetter(&Config::stream_node_max_bytes, 0, kMaxLL, true),
       IntGetter(&Config::stream_node_max_bytes), ""},
      {"stream-node-max-entries", "", true, IntSetter(&Config::stream_node_max_entries, 0, kMaxLL),
       IntGetter(&Config::stream_node_max_entries), ""},
      {"notify-keyspace-events", "", true,
       [](Config* c, const Args& a) -> std::string {
         if (a.size() != 2) return std::string(kBadDirective);
         int flags;
         if (!ParseNotifyFlags(a[1], &flags)) {
           return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
         }
         c->notify_keyspace_events = flags;
         return "";
       },
       [](const Config& c) { return FormatNotifyFlags(c.notify_keyspace_events); }, ""},
  };
  return table;
}

const Param* FindParam(std::string_view name) {
  std::string n = Lower(name);
  for (const Param& p : Table()) {
    if (p.name == n || (!p.alias.empty() && p.alias == n)) return &p;
  }
  return nullptr;
}

}  // namespace

bool ParseMemory(std::string_view s, int64_t* out) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  std::string unit = Lower(s.substr(i));
  int64_t mul = 1;
  if (unit.empty() || unit == "b") {
    mul = 1;
  } else if (unit == "k") {
    mul = 1000;
  } else if (unit == "kb") {
    mul = 1024;
  } else if (unit == "m") {
    mul = 1000 * 1000;
  } else if (unit == "mb") {
    mul = 1024 * 1024;
  } else if (unit == "g") {
    mul = 1000LL * 1000 * 1000;
  } else if (unit == "gb") {
    mul = 1024LL * 1024 * 1024;
  } else {
    return false;
  }
  int64_t v;
  if (!store::ParseInt64(s.substr(0, i), &v)) return false;
  if (v != 0 && (v > INT64_MAX / mul || v < INT64_MIN / mul)) return false;
  *out = v * mul;
  return true;
}

bool SplitConfigLine(std::string_view line, std::vector<std::string>* out) {
  return resp::SplitInlineArgs(line, out);
}

std::string ApplyDirective(Config* c, const std::vector<std::string>& args, bool at_startup) {
  if (args.empty()) return std::string(kBadDirective);
  const Param* p = FindParam(args[0]);
  if (p == nullptr) return std::string(kBadDirective);
  if (!at_startup && !p->is_mutable) return "can't set immutable config";
  return p->set(c, args);
}

bool LoadConfigText(Config* c, std::string_view text, std::string* error) {
  size_t line_no = 0;
  bool save_seen = false;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
      line.remove_suffix(1);
    }
    size_t start = 0;
    while (start < line.size() && std::isspace(static_cast<unsigned char>(line[start]))) ++start;
    line = line.substr(start);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> args;
    std::string msg;
    if (!SplitConfigLine(line, &args)) {
      msg = "Unbalanced quotes in configuration line";
    } else if (!args.empty()) {
      args[0] = Lower(args[0]);
      if (args[0] == "save" && save_seen && !(args.size() == 2 && args[1].empty())) {
        // Later "save" lines add points to the first one's, as in redis.conf.
        Config tmp;
        msg = SetSave(&tmp, args);
        if (msg.empty()) c->save += (c->save.empty() ? "" : " ") + tmp.save;
      } else {
        msg = ApplyDirective(c, args, /*at_startup=*/true);
      }
      if (args[0] == "save") save_seen = true;
    }
    if (!msg.empty()) {
      *error =
          "\n*** FATAL CONFIG FILE ERROR (Fickle, Redis 7.0.15 compatible) ***\n"
          "Reading the configuration file, at line " +
          std::to_string(line_no) + "\n>>> '" + std::string(line) + "'\n" + msg;
      return false;
    }
  }
  return true;
}

bool LoadConfigFromArgs(Config* c, int argc, char** argv, std::string* error) {
  std::string text;
  int i = 1;
  if (i < argc && argv[i][0] != '-') {
    std::ifstream f(argv[i]);
    if (!f) {
      *error = std::string("Fatal error, can't open config file '") + argv[i] + "'";
      return false;
    }
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str();
    char resolved[PATH_MAX];
    c->config_file = realpath(argv[i], resolved) ? resolved : argv[i];
    ++i;
  }
  // Options become config lines, as redis-server does: "--port 7000 --save ''" appends
  // "port 7000\nsave ''\n". Values are quoted so spaces and empty strings survive.
  std::string opts;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.size() > 2 && a.substr(0, 2) == "--") {
      if (!opts.empty()) opts += '\n';
      opts += a.substr(2);
    } else {
      std::string q = "\"";
      for (char ch : a) {
        if (ch == '"' || ch == '\\') q += '\\';
        q += ch;
      }
      q += '"';
      opts += ' ' + q;
    }
  }
  // Redis joins the file and the options with a newline, so an error in the options is reported
  // at the line number it would have in "<file>\n<options>"; we keep that numbering.
  return LoadConfigText(c, text + "\n" + opts + "\n", error);
}

std::vector<ConfigEntry> ConfigGet(const Config& c, std::string_view pattern) {
  std::vector<ConfigEntry> r;
  for (const Param& p : Table()) {
    // A pattern matching both the name and the old alias reports both, as Redis does.
    if (store::GlobMatch(pattern, p.name, /*nocase=*/true)) {
      r.push_back({std::string(p.name), p.get(c)});
    }
    if (!p.alias.empty() && store::GlobMatch(pattern, p.alias, true)) {
      r.push_back({std::string(p.alias), p.get(c)});
    }
  }
  return r;
}

std::string ConfigSet(Config* c, const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::set<const Param*> seen;
  for (const auto& [name, value] : pairs) {
    const Param* p = FindParam(name);
    if (p == nullptr)
      return "Unknown option or number of arguments for CONFIG SET - '" + name + "'";
    if (!seen.insert(p).second) {
      return "CONFIG SET failed (possibly related to argument '" + name +
             "') - duplicate parameter";
    }
  }
  Config trial = *c;
  for (const auto& [name, value] : pairs) {
    const Param* p = FindParam(name);
    std::vector<std::string> args = {std::string(p->name)};
    if (p->name == "save" || p->name == "bind" || p->name == "client-output-buffer-limit") {
      std::vector<std::string> parts;
      SplitConfigLine(value, &parts);
      if (parts.empty()) parts.push_back("");
      args.insert(args.end(), parts.begin(), parts.end());
    } else {
      args.push_back(value);
    }
    std::string msg = ApplyDirective(&trial, args, /*at_startup=*/false);
    if (!msg.empty()) {
      return "CONFIG SET failed (possibly related to argument '" + name + "') - " + msg;
    }
  }
  *c = trial;
  return "";
}

std::string ConfigRewrite(const Config& c, const std::string& path) {
  if (path.empty()) return "The server is running without a config file";
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::set<std::string> written;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> args;
    std::string_view trimmed = line;
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) {
      trimmed.remove_prefix(1);
    }
    if (!trimmed.empty() && trimmed[0] != '#' && SplitConfigLine(trimmed, &args) && !args.empty()) {
      const Param* p = FindParam(args[0]);
      if (p != nullptr) {
        if (written.count(std::string(p->name))) continue;  // drop duplicates ("save" lines)
        written.insert(std::string(p->name));
        std::string v = p->get(c);
        lines.push_back(std::string(p->name) + " " + (v.empty() ? "\"\"" : v));
        continue;
      }
    }
    lines.push_back(line);
  }
  Config defaults;
  for (const Param& p : Table()) {
    std::string v = p.get(c);
    if (written.count(std::string(p.name)) || v == p.get(defaults)) continue;
    lines.push_back(std::string(p.name) + " " + (v.empty() ? "\"\"" : v));
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return "Rewriting config file: cannot open " + tmp;
    for (const auto& l : lines) out << l << '\n';
    out.flush();
    if (!out) return "Rewriting config file: write failed";
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return "Rewriting config file: rename failed";
  return "";
}

}  // namespace server
