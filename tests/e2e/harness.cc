#include "harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace e2e {
namespace {

// Safety nets, generous enough for a loaded machine under ASan.
constexpr int kStartupDeadlineMs = 30000;
constexpr int kExitDeadlineMs = 30000;
constexpr int kReadDeadlineMs = 30000;
constexpr int kStartAttempts = 3;

using Clock = std::chrono::steady_clock;

int MsSince(Clock::time_point t) {
  return static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string TempPath(const char* stem) {
  std::string tmpl = std::string(::testing::TempDir()) + stem + "XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = mkstemp(buf.data());
  if (fd >= 0) close(fd);
  return std::string(buf.data());
}

// The emulator a cross build runs the server under (FICKLE_SERVER_EMULATOR, words separated by
// spaces), or nothing for a native build.
std::vector<std::string> EmulatorPrefix() {
  std::vector<std::string> words;
#ifdef FICKLE_SERVER_EMULATOR
  std::istringstream in(FICKLE_SERVER_EMULATOR);
  for (std::string w; in >> w;) words.push_back(w);
#endif
  return words;
}

// Starts the binary with stdout and stderr going to `log_path`. Returns the pid or -1.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log_path) {
  std::vector<std::string> all = EmulatorPrefix();
  all.push_back(ServerBinary());
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// Waits up to timeout_ms for pid. Returns the exit code (-1 for a signal) or nullopt if still
// running.
std::optional<int> WaitPid(pid_t pid, int timeout_ms) {
  auto start = Clock::now();
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (r < 0) return -1;
    if (MsSince(start) > timeout_ms) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool Pings(int port) {
  timeval tv{1, 0};
  ContextPtr c(redisConnectWithTimeout("127.0.0.1", port, tv));
  if (!c || c->err) return false;
  const char* argv[] = {"PING"};
  ReplyPtr r(static_cast<redisReply*>(redisCommandArgv(c.get(), 1, argv, nullptr)));
  return r && r->type == REDIS_REPLY_STATUS && std::string(r->str, r->len) == "PONG";
}

// Length of the complete RESP reply starting at buf[pos], or 0 if it is not complete yet.
size_t ReplyLength(const std::string& buf, size_t pos) {
  if (pos >= buf.size()) return 0;
  size_t eol = buf.find("\r\n", pos);
  if (eol == std::string::npos) return 0;
  const char type = buf[pos];
  const std::string header = buf.substr(pos + 1, eol - pos - 1);
  size_t after = eol + 2;
  switch (type) {
    case '$':
    case '=':
    case '!': {
      long long n = std::atoll(header.c_str());
      if (n < 0) return after - pos;
      if (buf.size() < after + static_cast<size_t>(n) + 2) return 0;
      return after + static_cast<size_t>(n) + 2 - pos;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      long long n = std::atoll(header.c_str());
      if (n < 0) return after - pos;
      if (type == '%' || type == '|') n *= 2;
      size_t p = after;
      for (long long i = 0; i < n; ++i) {
        size_t len = ReplyLength(buf, p);
        if (len == 0) return 0;
        p += len;
      }
      return p - pos;
    }
    default:  // + - : _ , # ( are one line
      return after - pos;
  }
}

}  // namespace

const char* ServerBinary() { return FICKLE_SERVER_BIN; }

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  int port = 0;
  socklen_t len = sizeof(a);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

ContextPtr Connect(int port) {
  timeval tv{10, 0};
  ContextPtr c(redisConnectWithTimeout("127.0.0.1", port, tv));
  if (!c || c->err) {
    ADD_FAILURE() << "connect to port " << port << ": " << (c ? c->errstr : "out of memory");
    return nullptr;
  }
  // Replies of several MB under ASan on a busy machine can take a while; this only bounds hangs.
  timeval rw{kReadDeadlineMs / 1000, 0};
  redisSetTimeout(c.get(), rw);
  return c;
}

namespace {
void ToArgv(const std::vector<std::string>& args, std::vector<const char*>* argv,
            std::vector<size_t>* lens) {
  for (const auto& a : args) {
    argv->push_back(a.data());
    lens->push_back(a.size());
  }
}
}  // namespace

ReplyPtr Command(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  ToArgv(args, &argv, &lens);
  return ReplyPtr(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data())));
}

void Append(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  ToArgv(args, &argv, &lens);
  ASSERT_EQ(redisAppendCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data()),
            REDIS_OK);
}

ReplyPtr GetReply(redisContext* c) {
  void* r = nullptr;
  if (redisGetReply(c, &r) != REDIS_OK) return nullptr;
  return ReplyPtr(static_cast<redisReply*>(r));
}

std::string Show(const redisReply* r) {
  if (r == nullptr) return "(connection error)";
  switch (r->type) {
    case REDIS_REPLY_STATUS:
      return "+" + std::string(r->str, r->len);
    case REDIS_REPLY_ERROR:
      return "-" + std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER:
      return ":" + std::to_string(r->integer);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_STRING:
      return "$" + std::to_string(r->len) + ":" + std::string(r->str, r->len);
    case REDIS_REPLY_ARRAY: {
      std::string s = "*" + std::to_string(r->elements) + "[";
      for (size_t i = 0; i < r->elements; ++i) {
        if (i > 0) s += ",";
        s += Show(r->element[i]);
      }
      return s + "]";
    }
  }
  return "(unknown type " + std::to_string(r->type) + ")";
}

ExitResult RunToExit(const std::vector<std::string>& args) {
  ExitResult result;
  std::string log = TempPath("fickle-run-");
  pid_t pid = Spawn(args, log);
  if (pid < 0) {
    ADD_FAILURE() << "fork failed";
    return result;
  }
  std::optional<int> code = WaitPid(pid, kExitDeadlineMs);
  if (!code) {
    kill(pid, SIGKILL);
    WaitPid(pid, kExitDeadlineMs);
    ADD_FAILURE() << "server did not exit by itself";
  } else {
    result.exit_code = *code;
  }
  result.output = ReadFile(log);
  unlink(log.c_str());
  return result;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop();
  if (!log_path_.empty()) unlink(log_path_.c_str());
  std::error_code ec;
  if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ec);
}

const std::string& ServerProcess::data_dir() {
  if (data_dir_.empty()) {
    std::string tmpl = std::string(::testing::TempDir()) + "fickle-data-XXXXXX";
    if (mkdtemp(tmpl.data()) != nullptr) data_dir_ = tmpl;
  }
  return data_dir_;
}

bool ServerProcess::Start(const std::vector<std::string>& extra_args) {
  if (log_path_.empty()) log_path_ = TempPath("fickle-log-");
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    port_ = FreePort();
    std::vector<std::string> args;
    auto rest = extra_args.begin();
    if (rest != extra_args.end() && rest->rfind("--", 0) != 0) args.push_back(*rest++);
    const std::vector<std::string> fixed = {"--port", std::to_string(port_), "--save", "",
                                            "--bind", "127.0.0.1",           "--dir",  data_dir()};
    args.insert(args.end(), fixed.begin(), fixed.end());
    args.insert(args.end(), rest, extra_args.end());
    pid_ = Spawn(args, log_path_);
    if (pid_ < 0) break;
    auto start = Clock::now();
    while (MsSince(start) < kStartupDeadlineMs) {
      if (Pings(port_)) return true;
      if (WaitPid(pid_, 0)) {
        pid_ = -1;  // exited: most likely the port was taken in the meantime; try another one
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (pid_ > 0) break;  // running but never answered
  }
  ADD_FAILURE() << "server did not start; its output:\n" << Output();
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    WaitPid(pid_, kExitDeadlineMs);
    pid_ = -1;
  }
  return false;
}

std::optional<int> ServerProcess::WaitFor(int timeout_ms) {
  std::optional<int> code = WaitPid(pid_, timeout_ms);
  if (code) pid_ = -1;
  return code;
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  return Wait();
}

int ServerProcess::Wait() {
  if (pid_ <= 0) return -1;
  if (std::optional<int> code = WaitFor(kExitDeadlineMs)) return *code;
  ADD_FAILURE() << "server did not exit; killing it. Output:\n" << Output();
  kill(pid_, SIGKILL);
  WaitFor(kExitDeadlineMs);
  return -1;
}

std::string ServerProcess::Output() const { return ReadFile(log_path_); }

RawClient::RawClient(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd_);
    fd_ = -1;
    ADD_FAILURE() << "raw connect to port " << port << ": " << std::strerror(errno);
    return;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

RawClient::~RawClient() {
  if (fd_ >= 0) close(fd_);
}

bool RawClient::Send(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool RawClient::Fill() {
  pollfd p{fd_, POLLIN, 0};
  int rc;
  do {
    rc = poll(&p, 1, kReadDeadlineMs);
  } while (rc < 0 && errno == EINTR);
  if (rc <= 0) return false;
  char chunk[64 * 1024];
  ssize_t n;
  do {
    n = recv(fd_, chunk, sizeof(chunk), 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return false;
  buf_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::string RawClient::ReadExactly(size_t n) {
  while (buf_.size() < n && Fill()) {
  }
  std::string out = buf_.substr(0, n);
  buf_.erase(0, out.size());
  return out;
}

std::string RawClient::ReadUntilClosed(bool* closed) {
  *closed = false;
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    int rc = poll(&p, 1, kReadDeadlineMs);
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) break;  // deadline: still open
    char chunk[64 * 1024];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // EOF, or ECONNRESET when the server closed with our bytes unread
      *closed = true;
      break;
    }
    buf_.append(chunk, static_cast<size_t>(n));
  }
  std::string out;
  out.swap(buf_);
  return out;
}

std::string RawClient::ReadReply() {
  size_t len;
  while ((len = ReplyLength(buf_, 0)) == 0 && Fill()) {
  }
  std::string out = buf_.substr(0, len);
  buf_.erase(0, len);
  return out;
}

void ServerTest::SetUp() {
  ASSERT_TRUE(server_.Start(ServerArgs()));
  client_ = NewClient();
  ASSERT_NE(client_, nullptr);
}

void ServerTest::TearDown() {
  clients_.clear();
  if (server_exit_checked_) return;
  int code = server_.Stop();
  EXPECT_EQ(code, 0) << "exit status after SIGTERM (1 means uv_loop_close found a leaked "
                        "handle); output:\n"
                     << server_.Output();
}

redisContext* ServerTest::NewClient() {
  ContextPtr c = Connect(port());
  if (!c) return nullptr;
  clients_.push_back(std::move(c));
  return clients_.back().get();
}

std::string Cmd(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

std::string InfoField(redisContext* c, const std::string& section, const std::string& field) {
  ReplyPtr r = Command(c, {"INFO", section});
  if (r == nullptr || r->type != REDIS_REPLY_STRING) return "";
  std::string s(r->str, r->len);
  size_t at = s.find("\r\n" + field + ":");
  if (at == std::string::npos) return "";
  at += 2 + field.size() + 1;
  return s.substr(at, s.find("\r\n", at) - at);
}

int BlockedCount::Now() {
  const std::string v = InfoField(c_, "clients", "blocked_clients");
  return v.empty() ? -1 : std::stoi(v);
}

bool BlockedCount::WaitFor(int n) {
  for (int i = 0; i < 5000; ++i) {
    if (Now() == n) return true;
    usleep(1000);
  }
  return false;
}

}  // namespace e2e
