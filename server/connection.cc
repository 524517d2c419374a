#include "server/connection.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "resp/peek.h"
#include "resp/writer.h"
#include "server/log.h"
#include "server/net.h"

namespace server {
namespace {

// The input buffer starts small, so a pooled connection that sends short commands costs about
// 1 KB (an idle one gives even that back after 2 s, but the allocator keeps the pages: RSS is
// what the first read allocated). It doubles while reads fill it, up to offering kMinReadSpace a
// read, and keeps up to kKeepInputCapacity between batches.
constexpr size_t kInitialInput = 1024;
constexpr size_t kMinReadSpace = 16 * 1024;
constexpr size_t kKeepInputCapacity = 64 * 1024;
// A client whose unsent replies exceed this stops being read until they drain, so a client that
// never reads cannot make the server buffer without bound.
constexpr size_t kPauseReadingAbove = 64 * 1024 * 1024;
// Output buffers bigger than this are released after use instead of kept for reuse.
constexpr size_t kKeepOutputCapacity = 1024 * 1024;

struct WriteRequest {
  uv_write_t req;
  std::string data;
};

std::string FormatAddr(const sockaddr_storage& ss) {
  char ip[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    uv_ip4_name(a, ip, sizeof(ip));
    port = ntohs(a->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    uv_ip6_name(a, ip, sizeof(ip));
    port = ntohs(a->sin6_port);
  }
  return std::string(ip) + ":" + std::to_string(port);
}

}  // namespace

Connection::Connection(NetServer* net, uint64_t id, int64_t now_ms, bool is_unix)
    : net_(net), is_unix_(is_unix), session_(id, now_ms) {
  int rc = is_unix ? uv_pipe_init(net->loop(), &handle_.pipe, 0)
                   : uv_tcp_init(net->loop(), &handle_.tcp);
  if (rc != 0) LogWarning(std::string("handle init failed: ") + uv_strerror(rc));
  handle()->data = this;
}

Connection::~Connection() = default;

void Connection::Start() {
  if (is_unix_) {
    session_.addr = net_->server().config().unixsocket + ":0";
    session_.laddr = session_.addr;
  } else {
    sockaddr_storage ss;
    int len = sizeof(ss);
    if (uv_tcp_getpeername(&handle_.tcp, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
      session_.addr = FormatAddr(ss);
    }
    len = sizeof(ss);
    if (uv_tcp_getsockname(&handle_.tcp, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
      session_.laddr = FormatAddr(ss);
    }
    uv_tcp_nodelay(&handle_.tcp, 1);
    int ka = net_->server().config().tcp_keepalive;
    if (ka > 0) uv_tcp_keepalive(&handle_.tcp, 1, static_cast<unsigned>(ka));
  }
  uv_os_fd_t fd;
  if (uv_fileno(handle(), &fd) == 0) session_.fd = fd;
  int rc = uv_read_start(stream(), OnAlloc, OnRead);
  if (rc != 0) {
    LogWarning(std::string("uv_read_start: ") + uv_strerror(rc));
    Close();
  }
}

void Connection::OnAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
  auto* c = static_cast<Connection*>(h->data);
  const size_t need = c->cap_ == 0 ? kInitialInput : std::min(kMinReadSpace, c->cap_ / 2);
  if (c->cap_ - c->len_ < need) {
    // Slide unparsed bytes to the front first; grow geometrically only if still short. No views
    // into the buffer are alive here: commands are parsed and run inside OnRead.
    if (c->start_ > 0) {
      std::memmove(c->in_.get(), c->in_.get() + c->start_, c->len_ - c->start_);
      c->len_ -= c->start_;
      c->start_ = 0;  // the parser's offsets are relative to start_, so they stay valid
    }
    if (c->cap_ - c->len_ < need) {
      size_t ncap = c->cap_ == 0 ? kInitialInput : c->cap_ * 2;
      while (ncap - c->len_ < std::min(kMinReadSpace, ncap / 2)) ncap *= 2;
      auto n = std::make_unique<char[]>(ncap);
      if (c->len_ > 0) std::memcpy(n.get(), c->in_.get(), c->len_);
      c->in_ = std::move(n);
      c->cap_ = ncap;
    }
  }
  *buf = uv_buf_init(c->in_.get() + c->len_, static_cast<unsigned>(c->cap_ - c->len_));
}

void Connection::OnRead(uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
  auto* c = static_cast<Connection*>(s->data);
  if (nread == 0) return;  // EAGAIN: nothing to do
  if (nread < 0) {
    c->Close();  // UV_EOF or a socket error
    return;
  }
  c->len_ += static_cast<size_t>(nread);
  c->net_->server().stats().total_net_input_bytes += static_cast<uint64_t>(nread);
  c->ProcessInput();
}

void Connection::ReleaseBuffersIfIdle(int64_t now_ms) {
  // As Redis frees the query buffer of a client idle for more than 2 s.
  constexpr int64_t kIdleMs = 2000;
  if (processing_ || now_ms - session_.last_interaction_ms <= kIdleMs) return;
  if (cap_ > 0 && start_ == len_) {
    in_.reset();
    cap_ = len_ = start_ = 0;
  }
  if (session_.out.empty() && session_.out.capacity() > 0) std::string().swap(session_.out);
}

void Connection::ReadNow() {
  uv_os_fd_t fd;
  if (uv_fileno(handle(), &fd) != 0) return;
  uv_buf_t buf;
  OnAlloc(handle(), 0, &buf);
  const ssize_t n = ::read(fd, buf.base, buf.len);
  if (n > 0) {
    len_ += static_cast<size_t>(n);
    net_->server().stats().total_net_input_bytes += static_cast<uint64_t>(n);
    ProcessInput();
    Flush();  // the loop is not turning while a script is busy: no queued flush would run
  } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    Close();
  }
}

void Connection::ProcessInput() {
  processing_ = true;
  Server& srv = net_->server();
  struct Done {
    bool& flag;
    Server& srv;
    ~Done() {
      flag = false;
      srv.EndBatch();
    }
  } done{processing_, srv};
  srv.BeginBatch();
  session_.last_interaction_ms = srv.clock().now_ms;
  parser_.set_max_bulk_len(srv.config().proto_max_bulk_len);
  size_t looked_ahead = 0;  // commands from start_ on whose keys were prefetched
  while (!closing_ && !session_.close_after_reply && !session_.close_asap && !session_.blocked &&
         start_ < len_) {
    std::string_view input(in_.get() + start_, len_ - start_);
    if (looked_ahead == 0) looked_ahead = PrefetchKeysAhead(input);
    resp::Parser::Result r = parser_.Parse(input, &argv_);
    if (r.status == resp::Parser::Status::kNeedMore) break;
    if (r.status == resp::Parser::Status::kProtocolError) {
      ReplyProtocolError(parser_.error());
      break;
    }
    start_ += r.consumed;
    --looked_ahead;
    if (!argv_.empty()) srv.Execute(session_, argv_);
  }
  if (start_ == len_) {
    start_ = len_ = 0;
    if (cap_ > kKeepInputCapacity) {  // release a buffer grown by one big request
      in_.reset();
      cap_ = 0;
    }
  }
  session_.query_buffer_bytes = len_ - start_;
  if (static_cast<int64_t>(len_ - start_) > srv.config().client_query_buffer_limit) {
    LogWarning("Closing client that reached max query buffer length: " + session_.addr);
    Close();
    return;
  }
  net_->QueueFlush(this);
}

size_t Connection::PrefetchKeysAhead(std::string_view input) {
  constexpr size_t kAhead = 16;
  // A lone command gains nothing (its lookup follows at once), and two GETs take over 48 bytes:
  // a shorter input (a client that waits for each reply) is not worth the look.
  if (input.size() < 48) return 1;
  std::string_view keys[kAhead];
  const size_t n = resp::PeekKeys(input, keys, kAhead);
  if (n >= 2) net_->server().db(session_.db).Prefetch(keys, n);
  return n > 0 ? n : 1;
}

void Connection::Resume() {
  if (!closing_ && !session_.blocked && start_ < len_) {
    ProcessInput();
  } else {
    Flush();
  }
}

void Connection::ReplyProtocolError(const std::string& message) {
  // Redis answers "-ERR Protocol error: ..." and closes once the reply is out.
  resp::Writer(&session_.out, session_.proto).Error("ERR", message);
  ++net_->server().stats().total_error_replies;
  ++net_->server().stats().errorstats["ERR"];
  session_.close_after_reply = true;
  start_ = len_ = 0;
  parser_.Reset();
}

void Connection::Flush() {
  if (closing_) return;
  Server& srv = net_->server();
  if (writing_ && !session_.out.empty()) srv.CheckOutputLimit(session_);  // it is not reading
  if (session_.close_asap) {  // past its output buffer limit: close without flushing
    Close();
    return;
  }
  if (!writing_ && !session_.out.empty()) {
    srv.BeforeReplies();  // the AOF first: no reply to a write leaves before its record
    uv_buf_t b = uv_buf_init(session_.out.data(), static_cast<unsigned>(session_.out.size()));
    int n = uv_try_write(stream(), &b, 1);
    if (n < 0 && n != UV_EAGAIN) {
      Close();
      return;
    }
    size_t written = n > 0 ? static_cast<size_t>(n) : 0;
    srv.stats().total_net_output_bytes += written;
    if (written == session_.out.size()) {
      session_.out.clear();
      // Swap, not shrink_to_fit: libstdc++ makes that a no-op under -fno-exceptions.
      if (session_.out.capacity() > kKeepOutputCapacity) std::string().swap(session_.out);
    } else {
      auto req = std::make_unique<WriteRequest>();
      req->data = session_.out.substr(written);
      session_.out.clear();
      uv_buf_t wb = uv_buf_init(req->data.data(), static_cast<unsigned>(req->data.size()));
      req->req.data = req.get();
      int rc = uv_write(&req->req, stream(), &wb, 1, OnWrite);
      if (rc != 0) {
        Close();
        return;
      }
      session_.pending_write_bytes = req->data.size();
      writing_ = true;
      req.release();  // owned by libuv until OnWrite
      srv.CheckOutputLimit(session_);
      if (session_.close_asap) {
        Close();
        return;
      }
      if (session_.pending_write_bytes > kPauseReadingAbove && !read_paused_) {
        uv_read_stop(stream());
        read_paused_ = true;
      }
    }
  }
  if (!writing_ && session_.out.empty() && session_.close_after_reply) Close();
}

void Connection::OnWrite(uv_write_t* req, int status) {
  std::unique_ptr<WriteRequest> w(static_cast<WriteRequest*>(req->data));
  auto* c = static_cast<Connection*>(req->handle->data);
  c->writing_ = false;
  c->net_->server().stats().total_net_output_bytes += w->data.size();
  c->session_.pending_write_bytes = 0;
  if (status < 0 || c->closing_) {
    c->Close();
    return;
  }
  if (c->read_paused_) {
    c->read_paused_ = false;
    if (uv_read_start(c->stream(), OnAlloc, OnRead) != 0) {
      c->Close();
      return;
    }
    // Commands that arrived before the pause may still be waiting in the buffer.
    if (c->len_ > c->start_) {
      c->ProcessInput();
      return;
    }
  }
  c->Flush();
}

void Connection::Close() {
  if (closing_) return;
  closing_ = true;
  uv_read_stop(stream());
  uv_close(handle(), OnClose);
}

void Connection::OnClose(uv_handle_t* h) {
  auto* c = static_cast<Connection*>(h->data);
  c->net_->OnConnectionClosed(c);  // destroys c
}

}  // namespace server
