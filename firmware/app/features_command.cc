// `edgefuse features <kind> ...`: one modality's front-end alone, for checking. Each
// kind lives in its own features_<kind>.cc; adding one means one line in kKinds.
#include <cstdio>
#include <cstring>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"

namespace edgefuse::app {
namespace {

struct FeatureKind {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);  // argv[0] is the kind
};

constexpr FeatureKind kKinds[] = {
    {"image", "patch tokens of video frames (modalities/vision)", &RunFeaturesImage},
};

void PrintKinds(std::FILE* out) {
  std::fprintf(out, "usage: edgefuse features <kind> [options]\n\nkinds:\n");
  for (const auto& kind : kKinds) std::fprintf(out, "  %-8s %s\n", kind.name, kind.summary);
  std::fprintf(out, "\n'edgefuse features <kind> --help' shows the options of a kind.\n");
}

}  // namespace

int RunFeatures(int argc, char** argv) {
  if (argc < 2) {
    PrintKinds(stderr);
    return kExitUsage;
  }
  if (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    PrintKinds(stdout);
    return kExitOk;
  }
  for (const auto& kind : kKinds) {
    if (std::strcmp(argv[1], kind.name) == 0) return kind.run(argc - 1, argv + 1);
  }
  std::string kinds;
  for (const auto& kind : kKinds) kinds += std::string(kinds.empty() ? "" : ", ") + kind.name;
  return UsageError("features: unknown kind '" + std::string(argv[1]) + "' (one of: " + kinds + ")");
}

}  // namespace edgefuse::app
