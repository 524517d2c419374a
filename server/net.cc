#include "server/net.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "server/connection.h"
#include "server/log.h"

namespace server {
namespace {

bool Check(int rc, const char* what) {
  if (rc == 0) return true;
  LogWarning(std::string(what) + ": " + uv_err_name(rc) + " " + uv_strerror(rc));
  return false;
}

bool IsLoopback(const std::string& addr) {
  return addr.rfind("127.", 0) == 0 || addr.rfind("::1:", 0) == 0 ||
         addr.rfind("::ffff:127.", 0) == 0;
}

constexpr char kProtectedModeError[] =
    "-DENIED Redis is running in protected mode because protected mode is enabled and no password "
    "is set for the default user. In this mode connections are only accepted from the loopback "
    "interface. If you want to connect from external computers to Redis you may adopt one of the "
    "following solutions: 1) Just disable protected mode sending the command 'CONFIG SET "
    "protected-mode no' from the loopback interface by connecting to Redis from the same host the "
    "server is running, however MAKE SURE Redis is not publicly accessible from internet if you do "
    "so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable "
    "the protected mode by editing the Redis configuration file, and setting the protected mode "
    "option to 'no', and then restarting the server. 3) If you started the server manually just "
    "for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication "
    "password for the default user. NOTE: You only need to do one of the above things in order "
    "for the server to start accepting connections from the outside.\r\n";

}  // namespace

namespace {
// One Server::RunInBackground job on libuv's thread pool.
struct BackgroundJob {
  uv_work_t req;
  std::function<void()> work;
  std::function<void()> after;
};
}  // namespace

NetServer::NetServer(Server* server) : server_(server) {
  if (Check(uv_loop_init(&loop_), "uv_loop_init")) loop_initialized_ = true;
  server_->on_busy_pump = [this] { PumpWhileBusy(); };
  server_->on_async_output = [this](Session* s) { MarkForFlush(s); };
  server_->background_runner = [this](std::function<void()> work, std::function<void()> after) {
    auto* job = new BackgroundJob{{}, std::move(work), std::move(after)};
    job->req.data = job;
    int rc = uv_queue_work(
        &loop_, &job->req, [](uv_work_t* r) { static_cast<BackgroundJob*>(r->data)->work(); },
        [](uv_work_t* r, int) {
          std::unique_ptr<BackgroundJob> j(static_cast<BackgroundJob*>(r->data));
          j->after();
        });
    if (rc != 0) {  // no thread pool: do it here rather than lose it
      std::unique_ptr<BackgroundJob> j(job);
      j->work();
      j->after();
    }
  };
}

NetServer::~NetServer() {
  server_->on_async_output = nullptr;
  server_->background_runner = nullptr;
  server_->on_busy_pump = nullptr;
}

bool NetServer::ListenTcp(const std::string& spec, bool optional) {
  std::string addr = spec;
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof(ss));
  bool v6 = addr.find(':') != std::string::npos;
  if (addr == "*") addr = "0.0.0.0";
  if (addr == "::*") addr = "::";
  int rc =
      v6 ? uv_ip6_addr(addr.c_str(), server_->config().port, reinterpret_cast<sockaddr_in6*>(&ss))
         : uv_ip4_addr(addr.c_str(), server_->config().port, reinterpret_cast<sockaddr_in*>(&ss));
  if (rc != 0) {
    LogWarning("Invalid bind address '" + spec + "'");
    return optional;
  }
  auto tcp = std::make_unique<uv_tcp_t>();
  if (!Check(uv_tcp_init(&loop_, tcp.get()), "uv_tcp_init")) return false;
  tcp->data = this;
  rc = uv_tcp_bind(tcp.get(), reinterpret_cast<sockaddr*>(&ss), v6 ? UV_TCP_IPV6ONLY : 0);
  if (rc == 0)
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(tcp.get()), server_->config().tcp_backlog,
                   OnNewConnection);
  if (rc != 0) {
    // The handle was initialised, so it must be closed through the loop before it is freed.
    uv_close(reinterpret_cast<uv_handle_t*>(tcp.get()), nullptr);
    failed_listeners_.push_back(std::move(tcp));  // freed with the NetServer, after the close
    if (optional && (rc == UV_EADDRNOTAVAIL || rc == UV_EAFNOSUPPORT)) return true;
    LogWarning("Warning: Could not create server TCP listening socket " + spec + ":" +
               std::to_string(server_->config().port) + ": " + uv_strerror(rc));
    return false;
  }
  if (bound_port_ == 0) {
    int len = sizeof(ss);
    if (uv_tcp_getsockname(tcp.get(), reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
      bound_port_ = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                                   : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    }
  }
  tcp_listeners_.push_back(std::move(tcp));
  return true;
}

bool NetServer::ListenUnix(const std::string& path, int perm) {
  unlink(path.c_str());
  unix_listener_ = std::make_unique<uv_pipe_t>();
  if (!Check(uv_pipe_init(&loop_, unix_listener_.get(), 0), "uv_pipe_init")) return false;
  unix_listener_->data = this;
  if (!Check(uv_pipe_bind(unix_listener_.get(), path.c_str()), "uv_pipe_bind")) return false;
  if (perm != 0) chmod(path.c_str(), static_cast<mode_t>(perm));
  return Check(uv_listen(reinterpret_cast<uv_stream_t*>(unix_listener_.get()),
                         server_->config().tcp_backlog, OnNewConnection),
               "uv_listen unix");
}

bool NetServer::Start() {
  if (!loop_initialized_) return false;
  const Config& c = server_->config();
  if (c.port != 0 || c.unixsocket.empty()) {
    for (const std::string& b : c.bind) {
      bool optional = !b.empty() && b[0] == '-';
      if (!ListenTcp(optional ? b.substr(1) : b, optional)) return false;
    }
    if (tcp_listeners_.empty()) {
      LogWarning("Failed listening on port " + std::to_string(c.port) + " (tcp), aborting.");
      return false;
    }
  }
  if (!c.unixsocket.empty() && !ListenUnix(c.unixsocket, c.unixsocketperm)) return false;
  if (!Check(uv_timer_init(&loop_, &cron_), "uv_timer_init")) return false;
  cron_.data = this;
  uint64_t period = static_cast<uint64_t>(1000 / (c.hz > 0 ? c.hz : 10));
  if (!Check(uv_timer_start(&cron_, OnCron, period, period), "uv_timer_start")) return false;
  if (!Check(uv_timer_init(&loop_, &block_timer_), "uv_timer_init")) return false;
  block_timer_.data = this;
  if (!Check(uv_idle_init(&loop_, &snapshot_idle_), "uv_idle_init")) return false;
  snapshot_idle_.data = this;
  server_->incremental_snapshots = true;
  if (!Check(uv_prepare_init(&loop_, &prepare_), "uv_prepare_init")) return false;
  prepare_.data = this;
  if (!Check(uv_prepare_start(&prepare_, OnPrepare), "uv_prepare_start")) return false;
  for (auto [sig, num] : {std::pair{&sigint_, SIGINT}, std::pair{&sigterm_, SIGTERM}}) {
    if (!Check(uv_signal_init(&loop_, sig), "uv_signal_init")) return false;
    sig->data = this;
    if (!Check(uv_signal_start(sig, OnSignal, num), "uv_signal_start")) return false;
  }
  LogNotice("Ready to accept connections tcp");
  return true;
}

bool NetServer::Run() {
  uv_run(&loop_, UV_RUN_DEFAULT);
  int rc = uv_loop_close(&loop_);
  if (rc != 0) {
    LogWarning(std::string("uv_loop_close: ") + uv_err_name(rc) + " (a handle was leaked)");
    return false;
  }
  loop_initialized_ = false;
  return true;
}

void NetServer::OnNewConnection(uv_stream_t* listener, int status) {
  auto* net = static_cast<NetServer*>(listener->data);
  if (!Check(status, "accept")) return;
  const bool is_unix = listener->type == UV_NAMED_PIPE;
  Connection* c = net->NewConnection(is_unix);
  if (uv_accept(listener, c->stream()) != 0) {
    c->Close();
    return;
  }
  net->AdmitConnection(c, is_unix);
}

Connection* NetServer::NewConnection(bool is_unix) {
  const uint64_t id = server_->NextClientId();
  auto conn = std::make_unique<Connection>(this, id, server_->clock().now_ms, is_unix);
  Connection* c = conn.get();
  connections_[id] = std::move(conn);
  return c;
}

void NetServer::AdmitConnection(Connection* c, bool is_unix) {
  Server& srv = *server_;
  ++srv.stats().total_connections_received;
  srv.AddSession(&c->session());
  c->Start();
  if (c->closing()) return;
  if (srv.sessions().size() > static_cast<size_t>(srv.config().maxclients)) {
    ++srv.stats().rejected_connections;
    c->session().out = "-ERR max number of clients reached\r\n";
    c->session().close_after_reply = true;
    c->Flush();
    return;
  }
  if (!is_unix && srv.config().protected_mode && srv.config().requirepass.empty() &&
      !IsLoopback(c->session().addr)) {
    c->session().out = kProtectedModeError;
    c->session().close_after_reply = true;
    c->Flush();
  }
}

void NetServer::PumpWhileBusy() {
  if (shutting_down_) return;
  server_->UpdateClock();
  // Replies to commands that ran earlier in this loop turn, before the script started: their
  // clients wait for them.
  FlushQueued();
  std::vector<pollfd> fds;
  std::vector<uv_stream_t*> listeners;
  std::vector<uint64_t> ids;
  auto add = [&fds](uv_handle_t* h) {
    uv_os_fd_t fd;
    if (uv_fileno(h, &fd) != 0) return false;
    fds.push_back({fd, POLLIN, 0});
    return true;
  };
  for (auto& l : tcp_listeners_) {
    if (add(reinterpret_cast<uv_handle_t*>(l.get()))) {
      listeners.push_back(reinterpret_cast<uv_stream_t*>(l.get()));
    }
  }
  if (unix_listener_ && add(reinterpret_cast<uv_handle_t*>(unix_listener_.get()))) {
    listeners.push_back(reinterpret_cast<uv_stream_t*>(unix_listener_.get()));
  }
  for (auto& [id, c] : connections_) {
    if (c->CanReadNow() && add(c->handle())) ids.push_back(id);
  }
  if (poll(fds.data(), fds.size(), 0) <= 0) return;
  for (size_t i = 0; i < listeners.size(); ++i) {
    if ((fds[i].revents & POLLIN) != 0) AcceptNow(listeners[i]);
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if (fds[listeners.size() + i].revents == 0) continue;
    auto it = connections_.find(ids[i]);  // an earlier command may have closed it
    if (it != connections_.end() && it->second->CanReadNow()) it->second->ReadNow();
    if (server_->shutdown_requested()) ExitWhileBusy();
  }
}

void NetServer::AcceptNow(uv_stream_t* listener) {
  // libuv accepts only from its own callback, so take the socket ourselves and hand it over.
  uv_os_fd_t lfd;
  if (uv_fileno(reinterpret_cast<uv_handle_t*>(listener), &lfd) != 0) return;
  const int fd = accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return;
  const bool is_unix = listener->type == UV_NAMED_PIPE;
  Connection* c = NewConnection(is_unix);
  const int rc = is_unix ? uv_pipe_open(reinterpret_cast<uv_pipe_t*>(c->stream()), fd)
                         : uv_tcp_open(reinterpret_cast<uv_tcp_t*>(c->stream()), fd);
  if (rc != 0) {
    ::close(fd);
    c->Close();
    return;
  }
  AdmitConnection(c, is_unix);
}

void NetServer::ExitWhileBusy() {
  // As Redis: the script is abandoned, nothing is saved, and its writes (still pending
  // propagation) never reach the AOF; what earlier commands wrote is flushed and fsynced.
  LogWarning("SHUTDOWN NOSAVE while a script was running: exiting without finishing it.");
  server_->DiscardPendingPropagation();
  server_->StopAof();
  const Config& c = server_->config();
  if (!c.unixsocket.empty()) unlink(c.unixsocket.c_str());
  if (!c.pidfile.empty()) unlink(c.pidfile.c_str());
  LogNotice("Fickle is now ready to exit, bye bye...");
  std::fflush(nullptr);
  std::_Exit(0);
}

void NetServer::OnConnectionClosed(Connection* c) {
  flush_pending_.erase(c->session().id);
  if (c->flush_queued()) std::erase(flush_queue_, c);
  server_->RemoveSession(&c->session());
  connections_.erase(c->session().id);
}

void NetServer::OnCron(uv_timer_t* t) {
  auto* net = static_cast<NetServer*>(t->data);
  net->server_->Cron();
  net->ClientsCron();
}

void NetServer::ClientsCron() {
  const int64_t now_ms = server_->clock().now_ms;
  for (auto& [id, c] : connections_) c->ReleaseBuffersIfIdle(now_ms);
  int timeout = server_->config().timeout;
  if (timeout <= 0) return;
  int64_t now = server_->clock().now_ms;
  std::vector<Connection*> idle;
  for (auto& [id, c] : connections_) {
    const Session& s = c->session();
    // Subscribers wait for messages, not commands: Redis never times them out either.
    if (!s.monitor && !s.subscribed() &&
        now - s.last_interaction_ms > static_cast<int64_t>(timeout) * 1000) {
      idle.push_back(c.get());
    }
  }
  for (Connection* c : idle) c->Close();
}

void NetServer::OnPrepare(uv_prepare_t* p) {
  auto* net = static_cast<NetServer*>(p->data);
  net->server_->BeforeReplies();
  // Output produced for clients other than the one being served (MONITOR, CLIENT KILL).
  if (!net->flush_pending_.empty()) {
    std::set<uint64_t> ids;
    ids.swap(net->flush_pending_);
    for (uint64_t id : ids) {
      auto it = net->connections_.find(id);
      if (it != net->connections_.end()) it->second->Resume();
    }
  }
  net->FlushQueued();
  if (net->server_->shutdown_requested() && !net->shutting_down_) net->BeginShutdown();
  if (net->shutting_down_) return;
  net->ArmBlockTimer();
  if (net->server_->wants_snapshot_steps()) {
    uv_idle_start(&net->snapshot_idle_, OnSnapshotIdle);
  } else {
    uv_idle_stop(&net->snapshot_idle_);
  }
}

void NetServer::QueueFlush(Connection* c) {
  if (c->flush_queued()) return;
  c->set_flush_queued(true);
  flush_queue_.push_back(c);
}

void NetServer::FlushQueued() {
  flushing_.swap(flush_queue_);
  // A Flush that closes its connection only starts the close (the object lives until the close
  // callback), so no entry goes away while this runs.
  for (Connection* c : flushing_) {
    if (c->processing()) {  // a busy script's caller, mid-command: its replies go after it
      flush_queue_.push_back(c);
      continue;
    }
    c->set_flush_queued(false);
    c->Flush();
  }
  flushing_.clear();
}

void NetServer::OnSnapshotIdle(uv_idle_t* h) {
  static_cast<NetServer*>(h->data)->server_->StepSnapshots();
}

void NetServer::ArmBlockTimer() {
  int64_t deadline = server_->blocking().NextDeadline();
  if (deadline == 0) {
    uv_timer_stop(&block_timer_);
    return;
  }
  int64_t wait = deadline - NowMs();
  uv_timer_start(&block_timer_, OnBlockTimer, static_cast<uint64_t>(wait > 0 ? wait : 0), 0);
}

void NetServer::OnBlockTimer(uv_timer_t* t) {
  auto* net = static_cast<NetServer*>(t->data);
  net->server_->UpdateClock();
  net->server_->ExpireBlockedClients();
}

void NetServer::OnSignal(uv_signal_t* s, int signum) {
  auto* net = static_cast<NetServer*>(s->data);
  LogWarning(std::string("Received ") + (signum == SIGINT ? "SIGINT" : "SIGTERM") +
             " scheduling shutdown...");
  // As Redis: with save points configured, save first; if that fails, keep running.
  if (!net->server_->SaveForShutdown(false, false)) {
    LogWarning("Error trying to save the DB, can't exit.");
    return;
  }
  LogNotice("User requested shutdown...");
  net->server_->RequestShutdown();
  net->BeginShutdown();
}

void NetServer::BeginShutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  for (auto& l : tcp_listeners_) {
    uv_close(reinterpret_cast<uv_handle_t*>(l.get()), nullptr);
  }
  if (unix_listener_) {
    uv_close(reinterpret_cast<uv_handle_t*>(unix_listener_.get()), nullptr);
    unlink(server_->config().unixsocket.c_str());
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&cron_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&prepare_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&block_timer_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&snapshot_idle_), nullptr);
  server_->CancelSnapshots();
  uv_close(reinterpret_cast<uv_handle_t*>(&sigint_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigterm_), nullptr);
  std::vector<Connection*> all;
  for (auto& [id, c] : connections_) all.push_back(c.get());
  for (Connection* c : all) c->Close();
  LogNotice("Fickle is now ready to exit, bye bye...");
}

}  // namespace server
