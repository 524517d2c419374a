// Compatibility with the reference: redis-server 7.0 writes an AOF directory that we read, and
// reads (as does redis-check-aof) one that we write. Skipped when the Redis tools are absent.
// Ports 17310-17319.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <thread>

#include "persistence/aof_loader.h"
#include "persistence/aof_manifest.h"
#include "persistence/aof_writer.h"

namespace persistence {
namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs argv (looked up in PATH) with `input` on stdin; waits for it to exit.
RunResult RunProgram(const std::vector<std::string>& argv, const std::string& input = "") {
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(out[1], 2);
    close(in[1]);
    close(out[0]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  size_t off = 0;
  while (off < input.size()) {
    ssize_t n = write(in[1], input.data() + off, input.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  close(in[1]);
  RunResult r;
  char buf[4096];
  ssize_t n;
  while ((n = read(out[0], buf, sizeof(buf))) > 0) r.output.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

bool HaveRedisTools() {
  return RunProgram({"redis-server", "--version"}).exit_code == 0 &&
         RunProgram({"redis-cli", "--version"}).exit_code == 0 &&
         RunProgram({"redis-check-aof"}).exit_code != 127;
}

// A redis-server child on a loopback port, stopped with SHUTDOWN (which fsyncs the AOF).
class RedisServer {
 public:
  RedisServer(int port, std::vector<std::string> args) : port_(std::to_string(port)) {
    std::vector<std::string> argv = {"redis-server", "--port", port_,         "--bind", "127.0.0.1",
                                     "--save",       "",       "--daemonize", "no"};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = fork();
    if (pid_ == 0) {
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      dup2(devnull, 2);
      std::vector<char*> cargs;
      for (const std::string& a : argv) cargs.push_back(const_cast<char*>(a.c_str()));
      cargs.push_back(nullptr);
      execvp(cargs[0], cargs.data());
      _exit(127);
    }
    // Startup is a wait, not an assertion: poll until it answers or exits.
    for (int i = 0; i < 400; i++) {
      if (Cli({"ping"}) == "PONG\n") {
        ready_ = true;
        return;
      }
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  ~RedisServer() { Stop(); }

  bool ready() const { return ready_; }

  std::string Cli(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {"redis-cli", "-p", port_});
    return RunProgram(args, input).output;
  }

  // Waits for a BGREWRITEAOF (started or scheduled) to finish.
  void WaitForRewrite() {
    for (int i = 0; i < 800; i++) {
      std::string info = Cli({"info", "persistence"});
      if (info.find("aof_rewrite_in_progress:0") != std::string::npos &&
          info.find("aof_rewrite_scheduled:0") != std::string::npos) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }

  // Returns the exit status (0 after a clean SHUTDOWN).
  int Stop() {
    if (pid_ <= 0) return -1;
    Cli({"shutdown"});
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::string port_;
  pid_t pid_ = -1;
  bool ready_ = false;
};

class AofRedisCompatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveRedisTools()) GTEST_SKIP() << "redis-server/redis-cli/redis-check-aof not installed";
    std::string tmpl = (fs::temp_directory_path() / "fickle-aofr-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    options_.dir = dir_;
    aof_dir_ = JoinPath(dir_, options_.appenddirname);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::string dir_;
  std::string aof_dir_;
  AofLoadOptions options_;
};

// Just enough of Redis to check what a replay produces: strings, INCR, RPUSH, DEL, and
// MULTI/EXEC/SELECT/PEXPIREAT passed over.
class Model {
 public:
  IoStatus Apply(const std::vector<std::string_view>& argv) {
    std::string cmd(argv[0]);
    for (char& c : cmd) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    commands.push_back(cmd);
    if (cmd == "set") {
      strings[std::string(argv[1])] = argv[2];
    } else if (cmd == "incr") {
      std::string& v = strings[std::string(argv[1])];
      v = std::to_string((v.empty() ? 0 : std::stoll(v)) + 1);
    } else if (cmd == "rpush") {
      for (size_t i = 2; i < argv.size(); i++) lists[std::string(argv[1])].emplace_back(argv[i]);
    } else if (cmd == "del") {
      for (size_t i = 1; i < argv.size(); i++) {
        strings.erase(std::string(argv[i]));
        lists.erase(std::string(argv[i]));
      }
    } else if (cmd != "multi" && cmd != "exec" && cmd != "select" && cmd != "pexpireat") {
      return IoStatus::Format("model does not know '" + cmd + "'");
    }
    return IoStatus::Ok();
  }

  std::map<std::string, std::string> strings;
  std::map<std::string, std::vector<std::string>> lists;
  std::vector<std::string> commands;
};

TEST_F(AofRedisCompatTest, WeReplayWhatRedisWroteAcrossARewrite) {
  {
    RedisServer redis(17310, {"--dir", dir_, "--appendonly", "yes", "--aof-use-rdb-preamble", "no",
                              "--appendfsync", "always"});
    ASSERT_TRUE(redis.ready());
    redis.Cli({}, "set a 1\nset gone x\nrpush l x y\nincr n\nincr n\n");
    ASSERT_EQ(redis.Cli({"bgrewriteaof"}), "Background append only file rewriting started\n");
    redis.WaitForRewrite();
    redis.Cli({}, "multi\nincr n\nrpush l z\nexec\ndel gone\nset \"sp ace\" \"v\\r\\nw\"\n");
    redis.Cli({"expire", "a", "1000"});
    ASSERT_EQ(redis.Stop(), 0);
  }
  AofManifest m;
  bool found = false;
  ASSERT_TRUE(ReadAofManifest(aof_dir_, "appendonly.aof", &m, &found).ok());
  ASSERT_TRUE(found);
  ASSERT_TRUE(m.base);
  EXPECT_EQ(*m.base, (AofFileInfo{"appendonly.aof.2.base.aof", 2, AofFileType::kBase}));
  ASSERT_EQ(m.incrs.size(), 1u);
  EXPECT_EQ(m.incrs[0], (AofFileInfo{"appendonly.aof.2.incr.aof", 2, AofFileType::kIncr}));

  Model model;
  AofLoadResult result;
  IoStatus s = LoadAof(
      options_, nullptr, [&](const std::vector<std::string_view>& a) { return model.Apply(a); },
      &result);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_EQ(result.manifest, m);
  EXPECT_EQ(result.files, 2u);
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_EQ(model.strings,
            (std::map<std::string, std::string>{{"a", "1"}, {"n", "3"}, {"sp ace", "v\r\nw"}}));
  EXPECT_EQ(model.lists["l"], (std::vector<std::string>{"x", "y", "z"}));
  // EXPIRE was logged as PEXPIREAT, the transaction kept its MULTI/EXEC.
  EXPECT_EQ(model.commands.back(), "pexpireat");
  EXPECT_NE(std::find(model.commands.begin(), model.commands.end(), "multi"), model.commands.end());
}

TEST_F(AofRedisCompatTest, RdbBaseOfRedisGoesToTheRdbCallback) {
  {
    RedisServer redis(17311, {"--dir", dir_, "--appendonly", "yes"});
    ASSERT_TRUE(redis.ready());
    redis.Cli({"set", "k", "v"});
    ASSERT_EQ(redis.Stop(), 0);
  }
  std::vector<std::string> rdb_paths;
  RdbLoadFn rdb = [&](const std::string& path) {
    rdb_paths.push_back(path);
    return RdbLoadResult{IoStatus::Ok(), fs::file_size(path)};
  };
  Model model;
  AofLoadResult result;
  IoStatus s = LoadAof(
      options_, rdb, [&](const std::vector<std::string_view>& a) { return model.Apply(a); },
      &result);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_EQ(rdb_paths, std::vector<std::string>{JoinPath(aof_dir_, "appendonly.aof.1.base.rdb")});
  EXPECT_EQ(model.strings, (std::map<std::string, std::string>{{"k", "v"}}));
}

TEST_F(AofRedisCompatTest, RedisLoadsWhatWeWrote) {
  ASSERT_TRUE(fs::create_directory(aof_dir_));
  AofManifest m;
  AofFileInfo base = FinishRewrite(&m, "appendonly.aof", /*rdb=*/false);
  AofFileInfo incr = AddNextIncr(&m, "appendonly.aof");
  {
    std::unique_ptr<AofWriter> w;
    ASSERT_TRUE(AofWriter::Open(JoinPath(aof_dir_, base.name), FsyncPolicy::kNo, &w).ok());
    w->AppendCommand({"set", "frombase", "1"});
    w->AppendCommand({"rpush", "l", "1", "2"});
    ASSERT_TRUE(w->Close().ok());
  }
  {
    std::unique_ptr<AofWriter> w;
    ASSERT_TRUE(AofWriter::Open(JoinPath(aof_dir_, incr.name), FsyncPolicy::kAlways, &w).ok());
    w->AppendCommand({"select", "0"});
    w->AppendCommand({"set", "k", "v"});
    w->AppendCommand({"set", "bin", std::string_view("a\r\nb\0c", 6)});
    w->AppendCommand({"rpush", "l", "3"});
    w->AppendCommand({"multi"});
    w->AppendCommand({"incr", "n"});
    w->AppendCommand({"incr", "n"});
    w->AppendCommand({"exec"});
    ASSERT_TRUE(w->Close().ok());
  }
  ASSERT_TRUE(WriteAofManifest(aof_dir_, "appendonly.aof", m).ok());

  RunResult check = RunProgram({"redis-check-aof", JoinPath(aof_dir_, "appendonly.aof.manifest")});
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("All AOF files and manifest are valid"), std::string::npos)
      << check.output;

  {
    RedisServer redis(17312, {"--dir", dir_, "--appendonly", "yes"});
    ASSERT_TRUE(redis.ready());
    EXPECT_EQ(redis.Cli({"get", "frombase"}), "1\n");
    EXPECT_EQ(redis.Cli({"get", "k"}), "v\n");
    EXPECT_EQ(redis.Cli({"strlen", "bin"}), "6\n");
    EXPECT_EQ(redis.Cli({"lrange", "l", "0", "-1"}), "1\n2\n3\n");
    EXPECT_EQ(redis.Cli({"get", "n"}), "2\n");
    // Redis keeps appending to our incr file; we read its additions back.
    redis.Cli({"set", "after", "redis"});
    ASSERT_EQ(redis.Stop(), 0);
  }
  Model model;
  AofLoadResult result;
  IoStatus s = LoadAof(
      options_, nullptr, [&](const std::vector<std::string_view>& a) { return model.Apply(a); },
      &result);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_EQ(model.strings["after"], "redis");
  EXPECT_EQ(model.strings["n"], "2");
}

TEST_F(AofRedisCompatTest, RedisCheckAofAgreesOnATornTail) {
  ASSERT_TRUE(fs::create_directory(aof_dir_));
  AofManifest m;
  AofFileInfo incr = AddNextIncr(&m, "appendonly.aof");
  std::string path = JoinPath(aof_dir_, incr.name);
  {
    std::unique_ptr<AofWriter> w;
    ASSERT_TRUE(AofWriter::Open(path, FsyncPolicy::kNo, &w).ok());
    w->AppendCommand({"set", "a", "1"});
    w->Append("*3\r\n$3\r\nset\r\n$1\r\nb");  // as a crash mid-write would leave it
    ASSERT_TRUE(w->Close().ok());
  }
  ASSERT_TRUE(WriteAofManifest(aof_dir_, "appendonly.aof", m).ok());
  std::string manifest = JoinPath(aof_dir_, "appendonly.aof.manifest");
  EXPECT_NE(RunProgram({"redis-check-aof", manifest}).exit_code, 0);

  Model model;
  AofLoadResult result;
  ASSERT_TRUE(LoadAof(
                  options_, nullptr,
                  [&](const std::vector<std::string_view>& a) { return model.Apply(a); }, &result)
                  .ok());
  EXPECT_EQ(result.warnings.size(), 1u);
  RunResult check = RunProgram({"redis-check-aof", manifest});
  EXPECT_EQ(check.exit_code, 0) << check.output;
}

}  // namespace
}  // namespace persistence
