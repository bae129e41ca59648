// `edgefuse devices [--json]`: the devices that can be opened, by kind.
#include <cstdio>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "firmware/app/devices.h"
#include "platform/text.h"

namespace edgefuse::app {
namespace {

struct DeviceLister {
  const char* key;  // JSON member and text heading
  bool (*list)(core::Json* items, std::string* error);
  void (*print)(const core::Json& items);
};

constexpr DeviceLister kDeviceListers[] = {
    {"audio_inputs", &ListAudioInputsJson, &PrintAudioInputs},
    {"cameras", &ListCamerasJson, &PrintCameras},
};

}  // namespace

int RunDevices(int argc, char** argv) {
  static constexpr OptionSpec kOptions[] = {
      {"json", nullptr, "print one JSON object instead of text"},
  };
  ParsedArgs args;
  if (int status = ParseArgs("devices", kOptions, argc, argv, &args); status >= 0) return status;
  core::Json json = core::Json::Object();
  int status = kExitOk;
  for (const auto& lister : kDeviceListers) {
    core::Json& items = json.Set(lister.key, core::Json::Array());
    std::string error;
    if (!lister.list(&items, &error)) {
      std::fprintf(stderr, "edgefuse devices: %s: %s\n", lister.key, platform::OneLine(error).c_str());
      status = kExitFailure;
    }
  }
  if (args.Has("json")) {
    std::printf("%s\n", json.Dump().c_str());
  } else {
    for (const auto& lister : kDeviceListers) lister.print(*json.Find(lister.key));
  }
  return status;
}

}  // namespace edgefuse::app
