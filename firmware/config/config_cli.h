// The command-line side of the configuration, shared by `edgefuse run` and
// `edgefuse demo`: --config FILE, common flags for the usual choices, and the generic
// --set KEY=VALUE (repeatable). Precedence, lowest first: built-in defaults, the
// file, the common flags, then each --set in the order given.
//
//   std::vector<edgefuse::app::OptionSpec> options = {{"summary", nullptr, "print a summary"}};
//   for (const auto& option : edgefuse::config::ConfigOptions()) options.push_back(option);
//   edgefuse::app::ParsedArgs args;
//   if (int status = edgefuse::app::ParseArgs("run", options, argc, argv, &args); status >= 0) return status;
//   edgefuse::config::Config config;
//   std::string error;
//   if (!edgefuse::config::ConfigFromArgs(args, &config, &error)) return edgefuse::app::UsageError(error);
//   if (args.Has("print-config")) std::puts(edgefuse::config::ConfigToJson(config).Dump().c_str());
#pragma once

#include <span>
#include <string>

#include "firmware/app/cli.h"
#include "firmware/config/config.h"

namespace edgefuse::config {

// --config, --set, --print-config and the common flags (--camera, --video, --audio,
// --audio-offset, --synthetic, --seed, --window, --no-window, --mjpeg, --bind,
// --record, --jsonl, --duration, --threads, --log-level).
std::span<const app::OptionSpec> ConfigOptions();

// Builds *config from the defaults, the --config file (when given), the common flags
// and the --set settings, then ValidateConfig. Errors are one line naming the file
// or flag and the key path: "--mjpeg: sinks.mjpeg.port: expected an integer in
// 1..65535, got \"http\"".
bool ConfigFromArgs(const app::ParsedArgs& args, Config* config, std::string* error);

}  // namespace edgefuse::config
