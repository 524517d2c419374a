// A real redis-server for compatibility tests: started on a free port in 17100-17199 with its own
// temp dir, spoken to through a minimal RESP2 client, stopped (and the dir removed) by the
// destructor. Tests skip when redis-server is not installed.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace persistence::testing {

inline bool HaveRedisServer() {
  return std::system("command -v redis-server >/dev/null 2>&1") == 0;
}

struct Reply {
  char type = 0;  // '+', '-', ':', '$', '*'; '$' with null = true for a nil bulk
  bool null = false;
  std::string str;
  long long integer = 0;
  std::vector<Reply> elements;
};

class RedisServer {
 public:
  // Starts redis-server with `extra` arguments; `dir` is created fresh. ok() says whether it runs.
  explicit RedisServer(std::vector<std::string> extra = {}, std::string dir = "") {
    dir_ = dir.empty() ? MakeTempDir() : dir;
    for (int attempt = 0; attempt < 100 && pid_ <= 0; ++attempt) {
      port_ = 17100 + static_cast<int>((::getpid() + attempt * 7) % 100);
      if (!PortFree(port_)) continue;
      Spawn(extra);
      if (!Connect()) Stop();
    }
  }
  ~RedisServer() {
    Stop();
    if (remove_dir_) std::filesystem::remove_all(dir_);
  }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  bool ok() const { return fd_ >= 0; }
  const std::string& dir() const { return dir_; }
  int port() const { return port_; }
  void keep_dir() { remove_dir_ = false; }

  Reply Cmd(const std::vector<std::string>& argv) {
    std::string req = "*" + std::to_string(argv.size()) + "\r\n";
    for (const std::string& a : argv) req += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
    size_t off = 0;
    while (off < req.size()) {
      const ssize_t n = ::send(fd_, req.data() + off, req.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return Reply{'-', false, "send failed", 0, {}};
      off += static_cast<size_t>(n);
    }
    Reply r;
    if (!ReadReply(&r)) return Reply{'-', false, "connection lost", 0, {}};
    return r;
  }

  // Stops the server (SIGTERM, which makes no save since we start it with save "").
  void Stop() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }

  static std::string MakeTempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fickle-rdb-XXXXXX").string();
    return ::mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
  }

 private:
  static bool PortFree(int port) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool free = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
    ::close(s);
    return free;
  }

  void Spawn(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"redis-server", "--port",    std::to_string(port_),
                                     "--bind",       "127.0.0.1", "--dir",
                                     dir_,           "--save",    "",
                                     "--appendonly", "no",        "--daemonize",
                                     "no",           "--logfile", dir_ + "/redis.log"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execvp("redis-server", argv.data());
      ::_exit(127);
    }
  }

  bool Connect() {
    // Polls until the server listens; gives up after ~10 s (a start-up failure, not a timing
    // assertion: no test result depends on how long this takes).
    for (int i = 0; i < 1000; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      const int s = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<uint16_t>(port_));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0) {
        fd_ = s;
        // The server may still be loading its file: wait for PING to answer PONG.
        for (int k = 0; k < 1000; ++k) {
          if (Cmd({"PING"}).str == "PONG") return true;
          ::usleep(10'000);
        }
        return false;
      }
      ::close(s);
      ::usleep(10'000);
    }
    return false;
  }

  bool Fill(size_t n) {
    while (buf_.size() - pos_ < n) {
      char tmp[65536];
      const ssize_t r = ::recv(fd_, tmp, sizeof(tmp), 0);
      if (r <= 0) return false;
      buf_.append(tmp, static_cast<size_t>(r));
    }
    return true;
  }
  bool Line(std::string* out) {
    while (true) {
      const size_t eol = buf_.find("\r\n", pos_);
      if (eol != std::string::npos) {
        *out = buf_.substr(pos_, eol - pos_);
        pos_ = eol + 2;
        return true;
      }
      if (!Fill(buf_.size() - pos_ + 1)) return false;
    }
  }
  bool ReadReply(Reply* r) {
    std::string line;
    if (!Line(&line) || line.empty()) return false;
    r->type = line[0];
    const std::string rest = line.substr(1);
    switch (r->type) {
      case '+':
      case '-':
        r->str = rest;
        return true;
      case ':':
        r->integer = std::stoll(rest);
        return true;
      case '$': {
        const long long n = std::stoll(rest);
        if (n < 0) {
          r->null = true;
          return true;
        }
        if (!Fill(static_cast<size_t>(n) + 2)) return false;
        r->str = buf_.substr(pos_, static_cast<size_t>(n));
        pos_ += static_cast<size_t>(n) + 2;
        if (pos_ > (1u << 20)) {
          buf_.erase(0, pos_);
          pos_ = 0;
        }
        return true;
      }
      case '*': {
        const long long n = std::stoll(rest);
        if (n < 0) {
          r->null = true;
          return true;
        }
        r->elements.resize(static_cast<size_t>(n));
        for (Reply& e : r->elements) {
          if (!ReadReply(&e)) return false;
        }
        return true;
      }
      default:
        return false;
    }
  }

  std::string dir_;
  bool remove_dir_ = true;
  int port_ = 0;
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buf_;
  size_t pos_ = 0;
};

}  // namespace persistence::testing
