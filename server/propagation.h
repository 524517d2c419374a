// Propagation: how writes leave the process (the AOF now, replicas later).
//
// A write command that changed the dataset is propagated as the command that ran, or as the
// deterministic commands its handler gives instead (CommandContext::PropagateAs): relative TTLs as
// absolute times (SET EX -> SET PXAT, EXPIRE -> PEXPIREAT), INCRBYFLOAT as SET KEEPTTL, SPOP as
// SREM, a served BLPOP as LPOP, KDELRANGE as DELs. A key that expires is propagated as DEL, before
// the command that noticed it. Replaying the stream therefore rebuilds the same dataset whenever
// and wherever it runs.
//
// Everything one top-level command propagates (an EXEC's commands, expiry DELs) goes to the sinks
// as one group; a group of more than one command is wrapped in MULTI/EXEC, as Redis 7.0 does, so
// a reader applies all or nothing. Sinks insert SELECT when a command's db differs from the last.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace server {

struct PropagatedCommand {
  int db;
  std::vector<std::string> argv;
};

class PropagationSink {
 public:
  virtual ~PropagationSink() = default;
  // One group, in order. A sink wraps a group of several commands in MULTI/EXEC (MULTI in the
  // first command's db, EXEC in the last's). The span is valid only during the call.
  virtual void Feed(std::span<const PropagatedCommand> group) = 0;
};

}  // namespace server
