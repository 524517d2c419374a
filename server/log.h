// Server log lines in redis-server's format: "pid:M 25 Nov 2026 10:41:51.123 * message".
#pragma once

#include <string>
#include <string_view>

namespace server {

enum class LogLevel { kDebug, kVerbose, kNotice, kWarning };

// Sets the minimum level ("debug", "verbose", "notice", "warning", "nothing") and the file
// ("" = stderr). Returns false if the file cannot be opened.
bool InitLog(std::string_view level, const std::string& file);
void Log(LogLevel level, std::string_view message);
inline void LogNotice(std::string_view m) { Log(LogLevel::kNotice, m); }
inline void LogWarning(std::string_view m) { Log(LogLevel::kWarning, m); }

}  // namespace server
