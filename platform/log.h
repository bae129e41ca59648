// Leveled logging to stderr, one line per message, safe from any thread.
// The threshold comes from EDGEFUSE_LOG (debug, info, warn, error; default info)
// or SetLogLevel. stdout stays free for command output (JSON, tables).
//
//   EF_LOG_INFO("camera %d opened at %dx%d", index, w, h);
//   EF_LOG_WARN("audio overrun: %llu samples lost", (unsigned long long)lost);
#pragma once

namespace edgefuse::platform {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
// Parses "debug", "info", "warn", "error", "off"; returns false on anything else.
bool ParseLogLevel(const char* text, LogLevel* level);

void Log(LogLevel level, const char* format, ...) __attribute__((format(printf, 2, 3)));

}  // namespace edgefuse::platform

#define EF_LOG_DEBUG(...) ::edgefuse::platform::Log(::edgefuse::platform::LogLevel::kDebug, __VA_ARGS__)
#define EF_LOG_INFO(...) ::edgefuse::platform::Log(::edgefuse::platform::LogLevel::kInfo, __VA_ARGS__)
#define EF_LOG_WARN(...) ::edgefuse::platform::Log(::edgefuse::platform::LogLevel::kWarn, __VA_ARGS__)
#define EF_LOG_ERROR(...) ::edgefuse::platform::Log(::edgefuse::platform::LogLevel::kError, __VA_ARGS__)
