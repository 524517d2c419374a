// In-process command tests: a Server with no sockets and one Session, driven by Run().
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "server/server.h"

namespace server::testing {

class Harness {
 public:
  explicit Harness(Config c = Config()) : server_(std::move(c)), session_(1, 0) {
    server_.AddSession(&session_);
  }
  ~Harness() { server_.RemoveSession(&session_); }

  // Runs one command and returns its raw RESP reply.
  std::string Run(std::initializer_list<std::string_view> args) {
    return Run(std::vector<std::string_view>(args));
  }
  std::string Run(const std::vector<std::string_view>& args) {
    session_.out.clear();
    server_.Execute(session_, args);
    return session_.out;
  }
  // Sets the store clock (ms) for expiry tests.
  void SetTime(int64_t ms) { server_.clock().now_ms = ms; }
  void AdvanceTime(int64_t ms) { server_.clock().now_ms += ms; }

  Server& server() { return server_; }
  Session& session() { return session_; }

 private:
  Server server_;
  Session session_;
};

}  // namespace server::testing
