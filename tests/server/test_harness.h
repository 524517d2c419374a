// In-process command tests: a Server with no sockets and one Session, driven by Run().
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/server.h"
#include "store/value.h"

namespace server::testing {

class Harness {
 public:
  // Files the server writes (SAVE, the AOF) go to a fresh temporary dir unless c.dir is set.
  explicit Harness(Config c = Config())
      : dir_(c.dir.empty() ? MakeTempDir() : std::string()),
        server_(WithDir(std::move(c), dir_)),
        session_(1, 0) {
    server_.AddSession(&session_);
  }
  ~Harness() {
    server_.RemoveSession(&session_);
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

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
  static std::string MakeTempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fickle-test-XXXXXX").string();
    return mkdtemp(tmpl.data()) != nullptr ? tmpl : std::string();
  }
  static Config WithDir(Config c, const std::string& dir) {
    if (!dir.empty()) c.dir = dir;
    return c;
  }

  std::string dir_;  // owned temp dir, or empty
  Server server_;
  Session session_;
};

// A harness plus two more clients, a_ and b_, of the same server (blocking, WATCH across clients).
class TwoClients : public ::testing::Test {
 protected:
  TwoClients() {
    h_.server().AddSession(&a_);
    h_.server().AddSession(&b_);
  }
  ~TwoClients() override {
    h_.server().RemoveSession(&a_);
    h_.server().RemoveSession(&b_);
  }
  // Runs argv as client s and returns (and takes) what s has been sent since the last call.
  std::string Run(Session& s, std::vector<std::string_view> argv) {
    h_.server().Execute(s, argv);
    std::string out;
    out.swap(s.out);
    return out;
  }
  Harness h_;
  Session a_{10, 0};
  Session b_{11, 0};
};

// Key inspection helpers for command tests (db 0).
// A stand-in list so WRONGTYPE paths can be tested before the list type exists here.
class FakeList : public store::Collection {
 public:
  store::ObjType type() const override { return store::ObjType::kList; }
  std::string_view encoding() const override { return "listpack"; }
  std::unique_ptr<store::Collection> Clone() const override { return std::make_unique<FakeList>(); }
};

inline void PutList(Harness& h, std::string_view key) {
  h.server().db(0).Set(key, store::Value::Of(std::make_unique<FakeList>()));
}

// OBJECT ENCODING of key, or "" if it is absent.
inline std::string Encoding(Harness& h, std::string_view key) {
  store::Entry* e = h.server().db(0).Find(key);
  return e == nullptr ? "" : std::string(e->value().Encoding());
}

// TTL as Redis answers it: -2 absent, -1 no expiry, else seconds rounded to nearest.
inline int64_t Ttl(Harness& h, std::string_view key) {
  store::Entry* e = h.server().db(0).Find(key);
  if (e == nullptr) return -2;
  if (!e->has_expire()) return -1;
  return (e->expire_at() - h.server().clock().now_ms + 500) / 1000;
}

inline bool Exists(Harness& h, std::string_view key) {
  return h.server().db(0).Find(key) != nullptr;
}

}  // namespace server::testing
