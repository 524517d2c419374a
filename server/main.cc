// fickle-server [config-file] [--name value ...]: the Redis-compatible server process.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "server/config.h"
#include "server/log.h"
#include "server/net.h"
#include "server/server.h"
#include "server/version.h"

int main(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "-v") == 0)) {
    std::printf("Fickle server v=%s redis_version=%s malloc=%s bits=%d\n", server::kFickleVersion,
                server::kRedisVersion, server::kAllocator, static_cast<int>(sizeof(void*) * 8));
    return 0;
  }
  if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::printf(
        "Usage: fickle-server [/path/to/redis.conf] [options]\n"
        "       fickle-server - (read config from stdin)\n"
        "       fickle-server -v or --version\n"
        "       fickle-server -h or --help\n\n"
        "Examples:\n"
        "       fickle-server (run the server with default config)\n"
        "       fickle-server /etc/redis/6379.conf\n"
        "       fickle-server --port 7777\n");
    return 0;
  }
  server::Config config;
  std::string error;
  if (!server::LoadConfigFromArgs(&config, argc, argv, &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  if (!server::InitLog(config.loglevel, config.logfile)) {
    std::fprintf(stderr, "Can't open the log file: %s\n", config.logfile.c_str());
    return 1;
  }
  if (!config.dir.empty() && chdir(config.dir.c_str()) != 0) {
    server::LogWarning("Can't chdir to '" + config.dir + "': " + std::strerror(errno));
    return 1;
  }
  char cwd[4096];
  if (getcwd(cwd, sizeof(cwd)) != nullptr) config.dir = cwd;
  std::signal(SIGPIPE, SIG_IGN);

  server::LogNotice(std::string("Fickle version=") + server::kFickleVersion +
                    ", Redis-compatible " + server::kRedisVersion +
                    ", pid=" + std::to_string(getpid()) + ", just started");
  server::Server srv(std::move(config));
  // With the AOF on, it alone holds the data (as in Redis); otherwise the RDB file does.
  if (srv.config().appendonly ? !srv.StartAof(&error) : !server::LoadRdbAtStartup(srv, &error)) {
    server::LogWarning(error);
    return 1;
  }
  server::NetServer net(&srv);
  if (!net.Start()) return 1;
  if (!srv.config().pidfile.empty()) {
    if (FILE* f = std::fopen(srv.config().pidfile.c_str(), "w")) {
      std::fprintf(f, "%d\n", static_cast<int>(getpid()));
      std::fclose(f);
    }
  }
  server::LogNotice("Server initialized, listening on port " + std::to_string(net.bound_port()));
  bool clean = net.Run();
  srv.StopAof();  // writes and fsyncs the tail, whatever the policy
  if (!srv.config().pidfile.empty()) unlink(srv.config().pidfile.c_str());
  return clean ? 0 : 1;
}
