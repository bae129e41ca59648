#include <cstdio>
#include <cstring>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "platform/text.h"

namespace edgefuse::app {
namespace {

void PrintUsage() {
  std::printf(
      "edgefuse %s: multimodal cross-attention for ARM edge boards\n\n"
      "usage: edgefuse <command> [options]\n"
      "       edgefuse --version | --help\n\ncommands:\n",
      EDGEFUSE_VERSION);
  for (const auto& command : Commands()) {
    std::printf("  %-10s %s\n", command.name, command.summary);
  }
  std::printf("\n'edgefuse <command> --help' shows the options of a command.\n");
}

}  // namespace

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage();
    return kExitUsage;
  }
  const char* name = argv[1];
  if (std::strcmp(name, "--help") == 0 || std::strcmp(name, "-h") == 0 || std::strcmp(name, "help") == 0) {
    PrintUsage();
    return kExitOk;
  }
  if (std::strcmp(name, "--version") == 0) {
    std::printf("edgefuse %s\n", EDGEFUSE_VERSION);
    return kExitOk;
  }
  for (const auto& command : Commands()) {
    if (std::strcmp(name, command.name) == 0) return command.run(argc - 1, argv + 1);
  }
  if (name[0] == '-') {
    std::fprintf(stderr, "edgefuse: unknown option '%s' (see edgefuse --help)\n", platform::OneLine(name).c_str());
  } else {
    std::fprintf(stderr, "edgefuse: unknown command '%s' (see edgefuse --help)\n", platform::OneLine(name).c_str());
  }
  return kExitUsage;
}

}  // namespace edgefuse::app
