// One client connection: its libuv stream, input buffer, parser and Session.
//
// Lifetime: created by NetServer on accept, owned by NetServer's map, destroyed after uv_close's
// callback. Write buffers live in a WriteRequest until libuv's write callback runs.
#pragma once

#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "resp/parser.h"
#include "server/session.h"

namespace server {

class NetServer;

class Connection {
 public:
  Connection(NetServer* net, uint64_t id, int64_t now_ms, bool is_unix);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&handle_); }
  uv_handle_t* handle() { return reinterpret_cast<uv_handle_t*>(&handle_); }
  Session& session() { return session_; }
  bool is_unix() const { return is_unix_; }

  // After uv_accept: fills peer addresses and starts reading.
  void Start();
  // Sends pending output; closes if the session asked to be closed and all is written.
  void Flush();
  // Whether the connection waits in NetServer's flush queue (see NetServer::QueueFlush).
  bool flush_queued() const { return flush_queued_; }
  void set_flush_queued(bool q) { flush_queued_ = q; }
  // After the session stops being blocked: runs commands that waited in the input buffer, then
  // flushes.
  void Resume();
  // While a busy script runs (the loop is not turning): whether this connection may be read now
  // (not closing, not the one running the script, not paused), and the read itself: whatever
  // the socket holds is read and its commands run (they mostly get -BUSY).
  bool CanReadNow() const { return !closing_ && !processing_ && !read_paused_; }
  bool processing() const { return processing_; }
  void ReadNow();
  // Frees the input buffer and the reply buffer's capacity of a connection that has sent nothing
  // for a while and has nothing pending in them (cron), so idle connections cost little memory;
  // the next read allocates the input buffer again.
  void ReleaseBuffersIfIdle(int64_t now_ms);
  // Closes the connection; the object is destroyed from the close callback.
  void Close();
  bool closing() const { return closing_; }

 private:
  static void OnAlloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf);
  static void OnRead(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf);
  static void OnWrite(uv_write_t* req, int status);
  static void OnClose(uv_handle_t* h);
  void ProcessInput();
  // Prefetches the keyspace slots of the commands at the front of input (a pipelined batch).
  // Returns how many commands that covered (at least 1, so a failed look is not retried at once).
  size_t PrefetchKeysAhead(std::string_view input);
  void ReplyProtocolError(const std::string& message);

  NetServer* net_;
  union {
    uv_tcp_t tcp;
    uv_pipe_t pipe;
  } handle_;
  bool is_unix_;
  Session session_;
  resp::Parser parser_;
  std::vector<std::string_view> argv_;
  // Input: bytes [start_, len_) of in_ are unparsed.
  std::unique_ptr<char[]> in_;
  size_t cap_ = 0;
  size_t len_ = 0;
  size_t start_ = 0;
  bool writing_ = false;
  bool read_paused_ = false;
  bool closing_ = false;
  bool processing_ = false;  // inside ProcessInput: views into in_ are alive
  bool flush_queued_ = false;
};

}  // namespace server
