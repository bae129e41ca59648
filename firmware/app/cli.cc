#include "firmware/app/cli.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "platform/text.h"

namespace edgefuse::app {
namespace {

const OptionSpec* FindOption(std::span<const OptionSpec> options, const std::string& name) {
  for (const auto& option : options) {
    if (name == option.name) return &option;
  }
  return nullptr;
}

void PrintHelp(const char* command, std::span<const OptionSpec> options, const char* positional_name) {
  std::printf("usage: edgefuse %s [options]%s%s\n\noptions:\n", command, positional_name ? " " : "",
              positional_name ? positional_name : "");
  for (const auto& option : options) {
    std::string left = std::string("--") + option.name;
    if (option.value != nullptr) left += std::string(" ") + option.value;
    std::printf("  %-28s %s\n", left.c_str(), option.help);
  }
  std::printf("  %-28s %s\n", "--help", "show this help");
}

}  // namespace

const std::string& ParsedArgs::Get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

int ParseArgs(const char* command, std::span<const OptionSpec> options, int argc, char** argv, ParsedArgs* args,
              const char* positional_name) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      PrintHelp(command, options, positional_name);
      return kExitOk;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      if (positional_name == nullptr || (arg.size() > 1 && arg[0] == '-')) {
        std::fprintf(stderr, "edgefuse %s: unexpected argument '%s' (see edgefuse %s --help)\n", command,
                     platform::OneLine(arg).c_str(), command);
        return kExitUsage;
      }
      args->positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      inline_value = true;
    }
    const OptionSpec* option = FindOption(options, name);
    if (option == nullptr) {
      std::fprintf(stderr, "edgefuse %s: unknown option '--%s' (see edgefuse %s --help)\n", command,
                   platform::OneLine(name).c_str(), command);
      return kExitUsage;
    }
    if (option->value == nullptr) {
      if (inline_value) {
        std::fprintf(stderr, "edgefuse %s: option '--%s' takes no value\n", command, platform::OneLine(name).c_str());
        return kExitUsage;
      }
    } else if (!inline_value) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "edgefuse %s: option '--%s' needs a value (%s)\n", command,
                     platform::OneLine(name).c_str(), option->value);
        return kExitUsage;
      }
      value = argv[++i];
    }
    const std::string_view metavariable = option->value == nullptr ? "" : option->value;
    const bool repeatable = metavariable.size() > 3 && metavariable.substr(metavariable.size() - 3) == "...";
    if (repeatable) args->repeated_[name].push_back(value);
    if (args->values_.count(name) != 0 && !repeatable) {
      std::fprintf(stderr, "edgefuse %s: option '--%s' given twice\n", command, platform::OneLine(name).c_str());
      return kExitUsage;
    }
    args->values_[name] = value;
  }
  return -1;
}

std::vector<std::string> ParsedArgs::GetAll(const std::string& name) const {
  auto it = repeated_.find(name);
  return it == repeated_.end() ? std::vector<std::string>() : it->second;
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "edgefuse: %s\n", platform::OneLine(message).c_str());
  return kExitUsage;
}

bool ParseInt(const std::string& text, long min, long max, long* value) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  long parsed = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || end == nullptr || *end != '\0' || parsed < min || parsed > max) return false;
  *value = parsed;
  return true;
}

}  // namespace edgefuse::app
