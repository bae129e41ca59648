// `edgefuse info [--json]`: what this binary runs on and with.
#include <cstdio>

#include "core/dispatch/dispatch.h"
#include "core/json/json.h"
#include "core/kernels/kernel_info.h"
#include "core/xnnpack/runtime.h"
#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "modalities/audio/portaudio_info.h"
#include "modalities/vision/opencv_info.h"
#include "platform/board.h"
#include "platform/cpu_features.h"

namespace edgefuse::app {
namespace {

// XNNPACK has no version API: its version is that of the Debian package that owns the
// loaded library, from dpkg's records.
platform::LibraryInfo XnnpackInfo() {
  platform::LibraryInfo info;
  info.name = "XNNPACK";
  info.path = core::XnnpackLibraryPath();
  info.version = platform::DebianPackageVersion("libxnnpack0");
  info.source = "dpkg";
  if (info.version.empty()) {
    info.version = "unknown";
    info.source = "none (no version API, no dpkg record)";
  }
  return info;
}

core::Json LibraryJson(const platform::LibraryInfo& library) {
  core::Json json = core::Json::Object();
  json.Set("version", library.version);
  json.Set("version_source", library.source);
  json.Set("path", library.path);
  return json;
}

core::Json InfoJson() {
  const platform::BoardInfo board = platform::DetectBoard();
  const platform::CpuFeatures& cpu = platform::DetectCpuFeatures();

  core::Json json = core::Json::Object();
  json.Set("edgefuse", EDGEFUSE_VERSION);

  core::Json& board_json = json.Set("board", core::Json::Object());
  board_json.Set("id", board.id);
  board_json.Set("name", board.name);
  board_json.Set("model", board.model);

  core::Json& cpu_json = json.Set("cpu", core::Json::Object());
  cpu_json.Set("arch", platform::CpuArchName(cpu.arch));
  cpu_json.Set("neon", cpu.neon);
  cpu_json.Set("dotprod", cpu.dotprod);
  cpu_json.Set("i8mm", cpu.i8mm);
  cpu_json.Set("fp16", cpu.fp16);

  core::Json& kernels = json.Set("kernels", core::Json::Object());
  kernels.Set("best_tier", core::TierName(core::BestTier(cpu)));
  kernels.Set("tier_cap", core::TierName(core::DefaultTierCap()));
  core::Json& families = kernels.Set("families", core::Json::Object());
  for (const auto& selected : core::kernels::SelectedKernels(core::DefaultTierCap(), cpu)) {
    core::Json& family = families.Set(selected.family, core::Json::Object());
    family.Set("kernel", selected.kernel);
    family.Set("tier", core::TierName(selected.tier));
  }

  core::Json& libraries = json.Set("libraries", core::Json::Object());
  core::Json& xnnpack = libraries.Set("xnnpack", LibraryJson(XnnpackInfo()));
  xnnpack.Set("initialized", core::EnsureXnnpackInitialized());
  core::Json& opencv = libraries.Set("opencv", LibraryJson(vision::OpenCvInfo()));
  core::Json& backends = opencv.Set("capture_backends", core::Json::Array());
  for (const auto& name : vision::OpenCvCaptureBackends()) backends.Append(name);
  libraries.Set("portaudio", LibraryJson(audio::PortAudioInfo()));
  return json;
}

void PrintText(const core::Json& info) {
  auto str = [](const core::Json& object, const char* key) -> std::string {
    const core::Json* value = object.Find(key);
    return value != nullptr && value->IsString() ? value->AsString() : std::string();
  };
  auto yes = [](const core::Json& object, const char* key) {
    const core::Json* value = object.Find(key);
    return value != nullptr && value->AsBool() ? "yes" : "no";
  };
  const core::Json& board = *info.Find("board");
  const core::Json& cpu = *info.Find("cpu");
  const core::Json& kernels = *info.Find("kernels");
  std::printf("edgefuse %s\n", str(info, "edgefuse").c_str());
  std::printf("board:    %s%s%s%s\n", str(board, "name").c_str(), board.Find("model")->AsString().empty() ? "" : " (",
              str(board, "model").c_str(), board.Find("model")->AsString().empty() ? "" : ")");
  std::printf("cpu:      %s  neon=%s dotprod=%s i8mm=%s fp16=%s\n", str(cpu, "arch").c_str(), yes(cpu, "neon"),
              yes(cpu, "dotprod"), yes(cpu, "i8mm"), yes(cpu, "fp16"));
  std::printf("kernels:  best tier %s, cap %s (EDGEFUSE_MAX_TIER)\n", str(kernels, "best_tier").c_str(),
              str(kernels, "tier_cap").c_str());
  for (const auto& [family, selected] : kernels.Find("families")->Members()) {
    std::printf("          %-26s %s (%s)\n", family.c_str(), str(selected, "kernel").c_str(),
                str(selected, "tier").c_str());
  }
  for (const auto& [key, library] : info.Find("libraries")->Members()) {
    std::printf("%-9s %s (%s) %s\n", (key + ":").c_str(), str(library, "version").c_str(),
                str(library, "version_source").c_str(), str(library, "path").c_str());
  }
  std::string backends;
  for (const auto& name : info.Find("libraries")->Find("opencv")->Find("capture_backends")->Items()) {
    backends += (backends.empty() ? "" : ", ") + name.AsString();
  }
  std::printf("capture:  OpenCV back ends: %s\n", backends.empty() ? "none" : backends.c_str());
}

}  // namespace

int RunInfo(int argc, char** argv) {
  static constexpr OptionSpec kOptions[] = {
      {"json", nullptr, "print one JSON object instead of text"},
  };
  ParsedArgs args;
  if (int status = ParseArgs("info", kOptions, argc, argv, &args); status >= 0) return status;
  const core::Json info = InfoJson();
  if (args.Has("json")) {
    std::printf("%s\n", info.Dump().c_str());
  } else {
    PrintText(info);
  }
  return kExitOk;
}

}  // namespace edgefuse::app
