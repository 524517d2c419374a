// CONFIG GET|SET|RESETSTAT|REWRITE|HELP over the directive table in server/config.cc.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server/commands/families.h"
#include "server/config.h"
#include "server/context.h"
#include "server/server.h"

namespace server {
namespace {

bool HasGlobChars(std::string_view s) { return s.find_first_of("*?[\\") != std::string_view::npos; }

// CONFIG GET parameter [parameter ...]
void CmdConfigGet(CommandContext& ctx) {
  std::vector<ConfigEntry> found;
  std::set<std::string> seen;  // a name matched by several patterns is reported once
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::string_view pattern = ctx.arg(i);
    std::vector<ConfigEntry> matches = ConfigGet(ctx.server.config(), pattern);
    // A pattern without wildcards names one directive, and Redis answers with the name exactly
    // as it was asked for ("CONFIG GET MAXMEMORY" replies "MAXMEMORY").
    if (!HasGlobChars(pattern) && matches.size() == 1) matches[0].name = std::string(pattern);
    for (ConfigEntry& e : matches) {
      if (seen.insert(ToLower(e.name)).second) found.push_back(std::move(e));
    }
  }
  ctx.out.MapHeader(static_cast<int64_t>(found.size()));
  for (const ConfigEntry& e : found) {
    ctx.out.Bulk(e.name);
    ctx.out.Bulk(e.value);
  }
}

// CONFIG SET parameter value [parameter value ...]
void CmdConfigSet(CommandContext& ctx) {
  if ((ctx.argc() - 2) % 2 != 0) return ctx.Error(err::kSyntax);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 2; i + 1 < ctx.argc(); i += 2) {
    pairs.emplace_back(std::string(ctx.arg(i)), std::string(ctx.arg(i + 1)));
  }
  std::string msg = ConfigSet(&ctx.server.config(), pairs);
  if (!msg.empty()) return ctx.Error("ERR", msg);
  ctx.server.OnConfigChanged();
  ctx.out.Ok();
}

// CONFIG RESETSTAT
void CmdConfigResetStat(CommandContext& ctx) {
  Server& srv = ctx.server;
  Stats& st = srv.stats();
  st.total_connections_received = 0;
  st.rejected_connections = 0;
  st.total_commands_processed = 0;
  st.keyspace_hits = 0;
  st.keyspace_misses = 0;
  st.total_net_input_bytes = 0;
  st.total_net_output_bytes = 0;
  st.total_error_replies = 0;
  st.unexpected_error_replies = 0;
  st.evicted_keys = 0;
  st.errorstats.clear();
  st.ops_sample_commands = 0;
  st.instantaneous_ops = 0;
  // Db::expired_keys() only grows; INFO subtracts this baseline instead.
  uint64_t expired = 0;
  for (int i = 0; i < srv.db_count(); ++i) expired += srv.db(i).expired_keys();
  st.expired_keys_base = expired;
  srv.registry().ResetStats();
  ctx.out.Ok();
}

// CONFIG REWRITE
void CmdConfigRewrite(CommandContext& ctx) {
  std::string msg = ConfigRewrite(ctx.server.config(), ctx.server.config().config_file);
  if (!msg.empty()) return ctx.Error("ERR", msg);
  ctx.out.Ok();
}

// CONFIG HELP
void CmdConfigHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "REWRITE",
      "    Rewrite the configuration file.",
      "HELP",
      "    Prints this help.",
  };
  ReplyHelp(ctx, kLines);
}

constexpr uint32_t kAdminFlags = kAdmin | kNoScript | kLoading | kStale;
constexpr uint64_t kAdminAcl = kAclAdmin | kAclSlow | kAclDangerous;

}  // namespace

std::vector<CommandSpec> ConfigCommands() {
  return {
      {"config",
       -2,
       0,
       0,
       0,
       0,
       kAclSlow,
       nullptr,
       "server",
       "2.0.0",
       "A container for server configuration commands",
       {
           {"get", -3, kAdminFlags, 0, 0, 0, kAdminAcl, CmdConfigGet, "server", "2.0.0",
            "Get the values of configuration parameters"},
           {"set", -4, kAdminFlags, 0, 0, 0, kAdminAcl, CmdConfigSet, "server", "2.0.0",
            "Set configuration parameters to the given values"},
           {"rewrite", 2, kAdminFlags, 0, 0, 0, kAdminAcl, CmdConfigRewrite, "server", "2.8.0",
            "Rewrite the configuration file with the in memory configuration"},
           {"resetstat", 2, kAdminFlags, 0, 0, 0, kAdminAcl, CmdConfigResetStat, "server", "2.0.0",
            "Reset the stats returned by INFO"},
           {"help", 2, kLoading | kStale, 0, 0, 0, kAclSlow, CmdConfigHelp, "server", "5.0.0",
            "Show helpful text about the different subcommands"},
       }},
  };
}

}  // namespace server
