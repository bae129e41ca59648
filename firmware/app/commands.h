// The subcommands of the `edgefuse` binary (DESIGN.md §5). Each lives in its own
// <name>_command.cc; adding one means adding one line to kCommands in commands.cc.
#pragma once

#include <span>

namespace edgefuse::app {

struct Command {
  const char* name;
  const char* summary;                // one line for `edgefuse --help`
  int (*run)(int argc, char** argv);  // argv[0] is the subcommand name
};

std::span<const Command> Commands();

// `edgefuse <argv...>`: --help, --version, or the subcommand argv[1]. Unknown
// subcommands and options print one line on stderr and return 2.
int Main(int argc, char** argv);

int RunInfo(int argc, char** argv);
int RunDevices(int argc, char** argv);
int RunFeatures(int argc, char** argv);
int RunAttend(int argc, char** argv);
int RunBench(int argc, char** argv);
int RunRun(int argc, char** argv);
int RunDemo(int argc, char** argv);
int RunLocalize(int argc, char** argv);
int RunScene(int argc, char** argv);

}  // namespace edgefuse::app
