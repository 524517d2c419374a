// The network layer: the libuv loop, listeners (TCP and unix socket), one Connection per client,
// the cron timer and signal handling. The only code that owns libuv handles.
//
// The path of one read: bytes land in the connection's input buffer; every complete command in it
// is parsed (arguments are views into that buffer) and executed; the buffer is compacted only
// after the batch, so the views stay valid; all replies of the batch go out in one write
// (uv_try_write, then a queued uv_write for what the socket did not take).
//
// Threading: everything runs on the loop thread.
#pragma once

#include <uv.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "server/server.h"

namespace server {

class Connection;

class NetServer {
 public:
  // REQUIRES: server outlives this object.
  explicit NetServer(Server* server);
  ~NetServer();
  NetServer(const NetServer&) = delete;
  NetServer& operator=(const NetServer&) = delete;

  // Binds the listeners and starts the cron. Returns false (after logging why) on failure.
  bool Start();
  // Runs the loop until shutdown. Returns true iff the loop closed with no handle left open.
  bool Run();
  // Begins an orderly shutdown: stop listening, close every client, stop timers.
  void BeginShutdown();

  Server& server() { return *server_; }
  uv_loop_t* loop() { return &loop_; }
  // The TCP port actually bound (useful with `port 0` in tests).
  int bound_port() const { return bound_port_; }

  // Connection lifecycle, used by Connection.
  void OnConnectionClosed(Connection* c);
  void MarkForFlush(Session* s) { flush_pending_.insert(s->id); }
  // Replies are sent once per loop iteration, after every readable client has been served (as
  // Redis writes in beforeSleep), not after each client's commands: a pipelining client that
  // would sleep between two writes then wakes once for a whole round of replies, and waking a
  // sleeping peer is a costly part of a write (an IPI, a VM exit on a virtual machine).
  void QueueFlush(Connection* c);

 private:
  bool ListenTcp(const std::string& addr, bool optional);
  bool ListenUnix(const std::string& path, int perm);
  static void OnNewConnection(uv_stream_t* listener, int status);
  // A new connection's object and id, registered; its handle is initialised but not attached.
  Connection* NewConnection(bool is_unix);
  // After the handle is attached to the accepted socket: counts it, starts reading, and turns
  // it away (maxclients, protected mode) if it must.
  void AdmitConnection(Connection* c, bool is_unix);
  // While a busy script runs (Server::on_busy_pump): polls the listeners and the other clients
  // without waiting, accepts and serves what is ready, and exits the process if a SHUTDOWN
  // NOSAVE came in.
  void PumpWhileBusy();
  void AcceptNow(uv_stream_t* listener);
  [[noreturn]] void ExitWhileBusy();
  static void OnCron(uv_timer_t* t);
  static void OnPrepare(uv_prepare_t* p);
  void FlushQueued();
  static void OnBlockTimer(uv_timer_t* t);
  static void OnSnapshotIdle(uv_idle_t* h);
  // Schedules the block timer for the soonest blocked client's deadline (or stops it).
  void ArmBlockTimer();
  static void OnSignal(uv_signal_t* s, int signum);
  // Per-client cron work: frees idle clients' buffers, closes clients past `timeout`.
  void ClientsCron();

  Server* server_;
  uv_loop_t loop_;
  std::vector<std::unique_ptr<uv_tcp_t>> tcp_listeners_;
  std::vector<std::unique_ptr<uv_tcp_t>> failed_listeners_;
  std::unique_ptr<uv_pipe_t> unix_listener_;
  uv_timer_t cron_;
  uv_prepare_t prepare_;
  uv_timer_t block_timer_;
  // Active while a background snapshot can make progress: its slices run whenever the loop
  // has handled what was ready, and the loop does not sleep in poll meanwhile.
  uv_idle_t snapshot_idle_;
  uv_signal_t sigint_;
  uv_signal_t sigterm_;
  std::map<uint64_t, std::unique_ptr<Connection>> connections_;
  std::set<uint64_t> flush_pending_;
  std::vector<Connection*> flush_queue_;  // QueueFlush; a closed connection leaves it at once
  std::vector<Connection*> flushing_;     // the queue being flushed (kept: no allocation)
  int bound_port_ = 0;
  bool shutting_down_ = false;
  bool loop_initialized_ = false;
};

}  // namespace server
