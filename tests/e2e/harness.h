// End-to-end test harness: starts the real fickle-server binary on 127.0.0.1 with a free port and
// talks to it through hiredis (well-formed commands) or a raw socket (byte-exact replies and
// malformed input).
//
// Deadlines here are safety nets that turn a hang into a failure; no test asserts how long
// anything takes.
//
// Threading: a ServerProcess and its contexts are used from the test's thread; Client objects
// may be created on other threads, one per thread.
#pragma once

#include <gtest/gtest.h>
#include <hiredis.h>
#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace e2e {

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// Path of the server binary under test, set by CMake.
const char* ServerBinary();

// A TCP port on 127.0.0.1 that was free a moment ago: bound to port 0, read back, released.
int FreePort();

// Connects with hiredis; returns null (and records a gtest failure) if that fails.
ContextPtr Connect(int port);

// Runs one command through redisCommandArgv (binary-safe). Null iff the connection failed.
ReplyPtr Command(redisContext* c, const std::vector<std::string>& args);
// Queues one command without sending it (redisAppendCommandArgv), for pipelining.
void Append(redisContext* c, const std::vector<std::string>& args);
// Reads the next reply of a pipeline. Null iff the connection failed.
ReplyPtr GetReply(redisContext* c);

// The reply rendered as RESP-like text for readable assertions: "+OK", "$3:abc", ":5", "-ERR x",
// "(nil)", "*2[$1:a,$1:b]".
std::string Show(const redisReply* r);

// The RESP2 array for args, for RawClient::Send.
std::string Cmd(const std::vector<std::string>& args);
// The value of `field` in INFO `section` ("" if absent).
std::string InfoField(redisContext* c, const std::string& section, const std::string& field);

// INFO's blocked_clients, through a client of the server.
class BlockedCount {
 public:
  explicit BlockedCount(redisContext* c) : c_(c) {}
  int Now();
  // Polls until n clients are blocked (the server registers a waiter when it reads the command).
  bool WaitFor(int n);

 private:
  redisContext* c_;
};

// The outcome of running the binary to completion.
struct ExitResult {
  int exit_code = -1;  // -1 if killed by a signal or not waited for
  std::string output;  // stdout and stderr interleaved
};

// Runs the server binary with `args` and waits for it to exit (it must exit by itself, as on a
// configuration error). Kills it and fails the test if it is still running after a long grace.
ExitResult RunToExit(const std::vector<std::string>& args);

// One server process. Start() picks a free port and passes
// `--port N --save "" --bind 127.0.0.1 --dir <data_dir()>`
// followed by `extra_args`; it returns once the server answers PING.
class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // A first argument not starting with "--" is a config file and goes first on the command line.
  // Returns false (after recording a failure with the server's output) if it never answered.
  bool Start(const std::vector<std::string>& extra_args = {});
  // Sends SIGTERM and waits. Returns the exit code, or -1 if it died of a signal or hung.
  int Stop();
  // Waits for a process that is exiting by itself (e.g. after SHUTDOWN). Same return as Stop().
  int Wait();

  int port() const { return port_; }
  // The server's --dir: a temporary directory of its own, kept across restarts of this object
  // (so a restarted server finds its files) and removed with it.
  const std::string& data_dir();
  bool running() const { return pid_ > 0; }
  // Everything the server printed so far (its log).
  std::string Output() const;

 private:
  std::optional<int> WaitFor(int timeout_ms);

  pid_t pid_ = -1;
  std::string data_dir_;
  int port_ = 0;
  std::string log_path_;
};

// A blocking raw TCP client for exact bytes. All reads give up after a safety deadline.
class RawClient {
 public:
  explicit RawClient(int port);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // Sends all bytes; false if the peer closed or reset the connection.
  bool Send(const std::string& bytes);
  // Reads exactly n bytes (less if the peer closes first or the deadline passes).
  std::string ReadExactly(size_t n);
  // Reads until the peer closes the connection (EOF or reset). *closed tells whether it did
  // before the deadline.
  std::string ReadUntilClosed(bool* closed);
  // Reads one complete RESP reply of any type (RESP2 or RESP3), as raw bytes.
  std::string ReadReply();

 private:
  // Appends what one read returns to buf_; false on EOF, error or deadline.
  bool Fill();

  int fd_ = -1;
  std::string buf_;
};

// The base fixture: one fresh server per test, stopped in TearDown, where the test also checks
// that the process exited with status 0 (the server returns 1 if uv_loop_close found a leaked
// handle). Tests that need other options override ServerArgs().
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  virtual std::vector<std::string> ServerArgs() const { return {}; }

  int port() const { return server_.port(); }
  // A fresh hiredis connection (the fixture keeps it alive until TearDown).
  redisContext* NewClient();
  // Runs on the default client.
  ReplyPtr Run(const std::vector<std::string>& args) { return Command(client_, args); }

  ServerProcess server_;
  redisContext* client_ = nullptr;
  // Set by a test that already shut the server down and checked how it exited.
  bool server_exit_checked_ = false;

 private:
  std::vector<ContextPtr> clients_;
};

}  // namespace e2e
