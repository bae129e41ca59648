// `edgefuse devices [--json]`: the cameras and audio inputs this machine can open.
// Each kind of device is a section of its own (devices.h).
#include <cstdio>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "firmware/app/devices.h"

namespace edgefuse::app {

int RunDevices(int argc, char** argv) {
  static constexpr OptionSpec kOptions[] = {
      {"json", nullptr, "print one JSON object instead of text"},
  };
  ParsedArgs args;
  if (int status = ParseArgs("devices", kOptions, argc, argv, &args); status >= 0) return status;
  core::Json devices = core::Json::Object();
  devices.Set("cameras", CameraDevicesJson());
  if (args.Has("json")) {
    std::printf("%s\n", devices.Dump().c_str());
  } else {
    PrintCameraDevices(*devices.Find("cameras"));
  }
  return kExitOk;
}

}  // namespace edgefuse::app
