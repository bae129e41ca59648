#include "platform/log.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "platform/text.h"

namespace edgefuse::platform {
namespace {

LogLevel InitialLevel() {
  LogLevel level = LogLevel::kInfo;
  const char* env = std::getenv("EDGEFUSE_LOG");
  if (env != nullptr && !ParseLogLevel(env, &level)) {
    std::fprintf(stderr, "edgefuse: warning: EDGEFUSE_LOG=%s is not one of debug, info, warn, error, off\n",
                 OneLine(env).c_str());
  }
  return level;
}

std::atomic<LogLevel>& Threshold() {
  static std::atomic<LogLevel> threshold{InitialLevel()};
  return threshold;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warning";
    case LogLevel::kError: return "error";
    case LogLevel::kOff: break;
  }
  return "";
}

}  // namespace

void SetLogLevel(LogLevel level) { Threshold().store(level); }
LogLevel GetLogLevel() { return Threshold().load(); }

bool ParseLogLevel(const char* text, LogLevel* level) {
  static constexpr struct {
    const char* name;
    LogLevel level;
  } kNames[] = {{"debug", LogLevel::kDebug},
                {"info", LogLevel::kInfo},
                {"warn", LogLevel::kWarn},
                {"error", LogLevel::kError},
                {"off", LogLevel::kOff}};
  for (const auto& entry : kNames) {
    if (std::strcmp(text, entry.name) == 0) {
      *level = entry.level;
      return true;
    }
  }
  return false;
}

void Log(LogLevel level, const char* format, ...) {
  if (level < GetLogLevel() || level == LogLevel::kOff) return;
  // Format, then escape into one buffer written with a single call, so lines from
  // different threads never interleave and a message is always one line.
  char body[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(body, sizeof body, format, args);
  va_end(args);
  char line[1024];
  const int prefix = std::snprintf(line, sizeof line, "edgefuse: %s: ", LevelName(level));
  size_t length = static_cast<size_t>(prefix) + OneLineInto(body, line + prefix, sizeof line - prefix - 1);
  line[length++] = '\n';
  std::fwrite(line, 1, length, stderr);
}

}  // namespace edgefuse::platform
