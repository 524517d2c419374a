#include "server/log.h"

#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace server {
namespace {
int g_min_level = static_cast<int>(LogLevel::kNotice);
FILE* g_file = stderr;
}  // namespace

bool InitLog(std::string_view level, const std::string& file) {
  if (level == "debug")
    g_min_level = 0;
  else if (level == "verbose")
    g_min_level = 1;
  else if (level == "notice")
    g_min_level = 2;
  else if (level == "warning")
    g_min_level = 3;
  else
    g_min_level = 4;  // "nothing"
  if (!file.empty()) {
    FILE* f = std::fopen(file.c_str(), "a");
    if (f == nullptr) return false;
    g_file = f;
  }
  return true;
}

void Log(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < g_min_level) return;
  static const char kMarks[] = {'.', '-', '*', '#'};
  timeval tv;
  gettimeofday(&tv, nullptr);
  tm t;
  localtime_r(&tv.tv_sec, &t);
  char when[64];
  size_t n = std::strftime(when, sizeof(when), "%d %b %Y %H:%M:%S", &t);
  std::fprintf(g_file, "%d:M %.*s.%03d %c %.*s\n", static_cast<int>(getpid()), static_cast<int>(n),
               when, static_cast<int>(tv.tv_usec / 1000), kMarks[static_cast<int>(level)],
               static_cast<int>(message.size()), message.data());
  std::fflush(g_file);
}

}  // namespace server
