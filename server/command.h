// Commands are data: each family file ends with a table of CommandSpec rows that the registry
// loads. The dispatcher checks existence and arity from the table before any handler runs, and
// COMMAND / COMMAND INFO / DOCS / LIST / GETKEYS and docs/commands.md are generated from it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace server {

struct CommandContext;
using Handler = void (*)(CommandContext& ctx);
// The argv positions of the keys of a command whose keys depend on its arguments (numkeys,
// SORT ... STORE): such a command is reported "movablekeys". See server/commands/key_finders.h.
using KeyFinder = std::vector<size_t> (*)(std::span<const std::string_view> argv);
class Server;
// The flags of a command whose write / deny-oom nature depends on its arguments (EVAL of a
// script with a shebang, FCALL): what the dispatcher's MISCONF and OOM checks use, given the
// command's own flags.
using FlagsFinder = uint32_t (*)(const Server& server, std::span<const std::string_view> argv,
                                 uint32_t flags);

// Command flags, as COMMAND reports them (names in FlagNames()).
enum CommandFlag : uint32_t {
  kWrite = 1u << 0,             // may modify the keyspace
  kReadOnly = 1u << 1,          // reads keys, never modifies them
  kDenyOom = 1u << 2,           // may grow memory: refused when over maxmemory
  kAdmin = 1u << 3,             // administrative (CONFIG, DEBUG, SHUTDOWN, ...)
  kPubSub = 1u << 4,            // pub/sub related
  kNoScript = 1u << 5,          // not allowed from scripts
  kBlocking = 1u << 6,          // may block the client
  kLoading = 1u << 7,           // allowed while loading the dataset
  kStale = 1u << 8,             // allowed on a replica with stale data
  kSkipMonitor = 1u << 9,       // not shown to MONITOR
  kSkipSlowlog = 1u << 10,      // not recorded in the slow log
  kFast = 1u << 11,             // O(1) or O(log N)
  kNoAuth = 1u << 12,           // allowed before AUTH
  kMayReplicate = 1u << 13,     // may propagate to replicas
  kNoMulti = 1u << 14,          // not allowed inside MULTI
  kAllowBusy = 1u << 15,        // allowed while a script is busy
  kNoMandatoryKeys = 1u << 16,  // key arguments are optional
};

// ACL categories, as COMMAND reports them ("@read", ...).
enum AclCategory : uint64_t {
  kAclKeyspace = 1ull << 0,
  kAclRead = 1ull << 1,
  kAclWrite = 1ull << 2,
  kAclSet = 1ull << 3,
  kAclSortedSet = 1ull << 4,
  kAclList = 1ull << 5,
  kAclHash = 1ull << 6,
  kAclString = 1ull << 7,
  kAclBitmap = 1ull << 8,
  kAclHyperLogLog = 1ull << 9,
  kAclGeo = 1ull << 10,
  kAclStream = 1ull << 11,
  kAclPubSub = 1ull << 12,
  kAclAdmin = 1ull << 13,
  kAclFast = 1ull << 14,
  kAclSlow = 1ull << 15,
  kAclBlocking = 1ull << 16,
  kAclDangerous = 1ull << 17,
  kAclConnection = 1ull << 18,
  kAclTransaction = 1ull << 19,
  kAclScripting = 1ull << 20,
};

struct CommandSpec {
  std::string_view name;  // lowercase; for a subcommand just the subcommand ("get")
  int arity;              // counts the name; N > 0 exactly N, -N at least N
  uint32_t flags;
  int first_key;  // 0 if no keys
  int last_key;   // negative counts from the end (-1 is the last argument)
  int key_step;
  uint64_t acl;
  Handler handler;           // nullptr for a container whose subcommands do the work
  std::string_view group;    // COMMAND DOCS "group": string, generic, connection, server, ...
  std::string_view since;    // Redis version that introduced it
  std::string_view summary;  // one line, for COMMAND DOCS
  std::vector<CommandSpec> subcommands = {};
  KeyFinder find_keys = nullptr;  // set iff the keys move with the arguments (then first/last/
                                  // step describe only the fixed part, as Redis's triple does)
  FlagsFinder dynamic_flags = nullptr;
};

// A loaded command, with its full name ("config|get") and runtime statistics.
struct Command {
  CommandSpec spec;
  std::string full_name;
  const Command* parent = nullptr;
  std::map<std::string, std::unique_ptr<Command>, std::less<>> subcommands;
  // commandstats
  uint64_t calls = 0;
  uint64_t usec = 0;
  uint64_t rejected_calls = 0;
  uint64_t failed_calls = 0;

  bool arity_ok(size_t argc) const {
    int a = spec.arity;
    return a > 0 ? argc == static_cast<size_t>(a) : argc >= static_cast<size_t>(-a);
  }
  bool is(uint32_t flag) const { return (spec.flags & flag) != 0; }
};

class CommandRegistry {
 public:
  CommandRegistry() { by_name_.max_load_factor(0.5f); }
  void Add(const std::vector<CommandSpec>& table);
  // Case-insensitive lookup of a top-level command.
  Command* Find(std::string_view name) const;
  // The command argv names: for a container given a subcommand, that subcommand; otherwise the
  // top-level command; nullptr if argv[0] is unknown. A container with an unknown subcommand
  // resolves to the container itself. REQUIRES: !argv.empty().
  Command* Resolve(std::span<const std::string_view> argv) const;
  const std::map<std::string, std::unique_ptr<Command>, std::less<>>& all() const {
    return commands_;
  }
  size_t size() const { return commands_.size(); }
  void ResetStats();

 private:
  std::map<std::string, std::unique_ptr<Command>, std::less<>> commands_;
  // Hash index over commands_ for the per-request lookup (the map keeps COMMAND's order). Hashed
  // with the keyspace's hash (a few ns for a short name, against libstdc++'s murmur) and kept at
  // a load of at most 1/2, so a lookup is about one hash and one compare.
  struct NameHash {
    size_t operator()(std::string_view s) const noexcept;
  };
  std::unordered_map<std::string_view, Command*, NameHash> by_name_;
};

// The registry with every family loaded.
std::unique_ptr<CommandRegistry> BuildRegistry();

// Names of the set bits, as COMMAND prints them.
std::vector<std::string_view> FlagNames(uint32_t flags);
std::vector<std::string_view> AclCategoryNames(uint64_t acl);

// Positions of the key arguments of argv (which starts at the command's name): the command's
// KeyFinder if it has one, otherwise its key spec (first, last, step).
std::vector<size_t> KeyPositions(const Command& cmd, std::span<const std::string_view> argv);

std::string ToLower(std::string_view s);

}  // namespace server
