// `edgefuse features <kind> ...`: dispatches to the front-end of one modality.
#include <cstdio>
#include <cstring>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "firmware/app/features.h"
#include "platform/text.h"

namespace edgefuse::app {
namespace {

struct FeatureKind {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

constexpr FeatureKind kFeatureKinds[] = {
    {"audio", "log-mel of a WAV file: --wav IN.wav --out MEL.npy [--precision f32|fixed]", &RunFeaturesAudio},
    {"image", "patch tokens: --video V | --camera C | --images P | --synthetic SEED, --out T.npy", &RunFeaturesImage},
};

void PrintKinds(std::FILE* out) {
  std::fprintf(out, "usage: edgefuse features <kind> [options]\n\nkinds:\n");
  for (const auto& kind : kFeatureKinds) std::fprintf(out, "  %-8s %s\n", kind.name, kind.summary);
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
  for (const auto& kind : kFeatureKinds) {
    if (std::strcmp(argv[1], kind.name) == 0) return kind.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "edgefuse features: unknown kind '%s' (see edgefuse features --help)\n",
               platform::OneLine(argv[1]).c_str());
  return kExitUsage;
}

}  // namespace edgefuse::app
