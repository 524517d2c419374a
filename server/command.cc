#include "server/command.h"

#include <algorithm>
#include <cassert>
#include <cctype>

#include "server/commands/families.h"
#include "store/hash_index.h"

namespace server {

std::string ToLower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

void CommandRegistry::Add(const std::vector<CommandSpec>& table) {
  for (const CommandSpec& spec : table) {
    auto cmd = std::make_unique<Command>();
    cmd->spec = spec;
    cmd->full_name = std::string(spec.name);
    for (const CommandSpec& sub : spec.subcommands) {
      auto sc = std::make_unique<Command>();
      sc->spec = sub;
      sc->full_name = std::string(spec.name) + "|" + std::string(sub.name);
      sc->parent = cmd.get();
      assert(sub.handler != nullptr);
      cmd->subcommands[std::string(sub.name)] = std::move(sc);
    }
    // A container without a handler of its own must require a subcommand (arity <= -2), or
    // the dispatcher would have nothing to call for the bare name.
    assert(spec.handler != nullptr || (!spec.subcommands.empty() && spec.arity <= -2));
    assert(commands_.count(cmd->full_name) == 0);
    Command* raw = cmd.get();
    commands_[cmd->full_name] = std::move(cmd);
    by_name_[raw->full_name] = raw;
  }
}

size_t CommandRegistry::NameHash::operator()(std::string_view s) const noexcept {
  return static_cast<size_t>(store::HashBytes(s, 0));
}

Command* CommandRegistry::Find(std::string_view name) const {
  // Command names are short; lowercase into a stack buffer to avoid allocating per request.
  char buf[32];
  if (name.size() > sizeof(buf)) return nullptr;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  auto it = by_name_.find(std::string_view(buf, name.size()));
  return it == by_name_.end() ? nullptr : it->second;
}

Command* CommandRegistry::Resolve(std::span<const std::string_view> argv) const {
  Command* cmd = Find(argv[0]);
  if (cmd == nullptr || cmd->subcommands.empty() || argv.size() < 2) return cmd;
  char buf[32];
  std::string_view sub = argv[1];
  if (sub.size() > sizeof(buf)) return cmd;
  for (size_t i = 0; i < sub.size(); ++i) {
    char c = sub[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  auto it = cmd->subcommands.find(std::string_view(buf, sub.size()));
  return it == cmd->subcommands.end() ? cmd : it->second.get();
}

void CommandRegistry::ResetStats() {
  for (auto& [name, c] : commands_) {
    c->calls = c->usec = c->rejected_calls = c->failed_calls = 0;
    for (auto& [sn, sc] : c->subcommands)
      sc->calls = sc->usec = sc->rejected_calls = sc->failed_calls = 0;
  }
}

std::unique_ptr<CommandRegistry> BuildRegistry() {
  auto r = std::make_unique<CommandRegistry>();
  r->Add(ConnectionCommands());
  r->Add(ServerCommands());
  r->Add(IntrospectionCommands());
  r->Add(InfoCommands());
  r->Add(ConfigCommands());
  r->Add(DebugCommands());
  r->Add(StringCommands());
  r->Add(BitmapCommands());
  r->Add(KeysCommands());
  r->Add(ScanCommands());
  r->Add(TransactionCommands());
  r->Add(ZSetCommands());
  r->Add(ZSetBlockingCommands());
  r->Add(HashCommands());
  r->Add(ListCommands());
  r->Add(ListBlockingCommands());
  r->Add(SetCommands());
  r->Add(DumpCommands());
  r->Add(SortCommands());
  r->Add(PubSubCommands());
  r->Add(StreamCommands());
  r->Add(ScriptingCommands());
  r->Add(FunctionCommands());
  return r;
}

std::vector<std::string_view> FlagNames(uint32_t flags) {
  static const std::pair<uint32_t, std::string_view> kNames[] = {
      {kWrite, "write"},
      {kReadOnly, "readonly"},
      {kDenyOom, "denyoom"},
      {kAdmin, "admin"},
      {kPubSub, "pubsub"},
      {kNoScript, "noscript"},
      {kBlocking, "blocking"},
      {kLoading, "loading"},
      {kStale, "stale"},
      {kSkipMonitor, "skip_monitor"},
      {kSkipSlowlog, "skip_slowlog"},
      {kFast, "fast"},
      {kNoAuth, "no_auth"},
      {kMayReplicate, "may_replicate"},
      {kNoMulti, "no_multi"},
      {kAllowBusy, "allow_busy"},
      {kNoMandatoryKeys, "no_mandatory_keys"},
  };
  std::vector<std::string_view> r;
  for (const auto& [bit, name] : kNames) {
    if (flags & bit) r.push_back(name);
  }
  return r;
}

std::vector<std::string_view> AclCategoryNames(uint64_t acl) {
  static const std::pair<uint64_t, std::string_view> kNames[] = {
      {kAclKeyspace, "@keyspace"},
      {kAclRead, "@read"},
      {kAclWrite, "@write"},
      {kAclSet, "@set"},
      {kAclSortedSet, "@sortedset"},
      {kAclList, "@list"},
      {kAclHash, "@hash"},
      {kAclString, "@string"},
      {kAclBitmap, "@bitmap"},
      {kAclHyperLogLog, "@hyperloglog"},
      {kAclGeo, "@geo"},
      {kAclStream, "@stream"},
      {kAclPubSub, "@pubsub"},
      {kAclAdmin, "@admin"},
      {kAclFast, "@fast"},
      {kAclSlow, "@slow"},
      {kAclBlocking, "@blocking"},
      {kAclDangerous, "@dangerous"},
      {kAclConnection, "@connection"},
      {kAclTransaction, "@transaction"},
      {kAclScripting, "@scripting"},
  };
  std::vector<std::string_view> r;
  for (const auto& [bit, name] : kNames) {
    if (acl & bit) r.push_back(name);
  }
  return r;
}

std::vector<size_t> KeyPositions(const Command& cmd, std::span<const std::string_view> argv) {
  const CommandSpec& s = cmd.spec;
  if (s.find_keys != nullptr) return s.find_keys(argv);
  const size_t argc = argv.size();
  std::vector<size_t> r;
  if (s.first_key <= 0) return r;
  int64_t last = s.last_key >= 0 ? s.last_key : static_cast<int64_t>(argc) + s.last_key;
  int64_t step = s.key_step > 0 ? s.key_step : 1;
  for (int64_t i = s.first_key; i <= last && i < static_cast<int64_t>(argc); i += step) {
    r.push_back(static_cast<size_t>(i));
  }
  return r;
}

}  // namespace server
