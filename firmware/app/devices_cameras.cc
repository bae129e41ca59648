// The cameras part of `edgefuse devices`: V4L2 capture devices and the GStreamer
// presets, with what each needs, and the camera the board uses by default.
#include <cstdio>

#include "firmware/app/devices.h"
#include "modalities/vision/camera_list.h"
#include "modalities/vision/gst_support.h"
#include "platform/board.h"

namespace edgefuse::app {

bool ListCamerasJson(core::Json* cameras, std::string* /*error*/) {
  const platform::BoardInfo board = platform::DetectBoard();
  for (const auto& camera : vision::ListCameras(board, vision::InstalledGstElements())) {
    core::Json& entry = cameras->Append(core::Json::Object());
    entry.Set("name", camera.name);
    entry.Set("kind", camera.kind);
    entry.Set("description", camera.description);
    entry.Set("usable", camera.usable);
    entry.Set("default", camera.is_default);
    entry.Set("note", camera.note);
  }
  return true;
}

void PrintCameras(const core::Json& cameras) {
  const platform::BoardInfo board = platform::DetectBoard();
  std::string note;
  const std::string default_name = vision::DefaultCameraName(board.kind, vision::InstalledGstElements(), &note);
  const std::string gst = vision::GstVersionString();
  std::printf("cameras (board %s; GStreamer %s; --camera default is '%s'):\n", board.id.c_str(),
              gst.empty() ? "unavailable" : gst.c_str(), default_name.c_str());
  if (!note.empty()) std::printf("  note: %s\n", note.c_str());
  bool any_v4l2 = false;
  for (const auto& camera : cameras.Items()) any_v4l2 |= camera.Find("kind")->AsString() == "v4l2";
  if (!any_v4l2) std::printf("    (no V4L2 capture devices)\n");
  for (const auto& camera : cameras.Items()) {
    std::printf("  %s %-10s %-4s %s\n", camera.Find("default")->AsBool() ? "*" : " ",
                camera.Find("name")->AsString().c_str(), camera.Find("usable")->AsBool() ? "ok" : "--",
                camera.Find("description")->AsString().c_str());
    if (const std::string& text = camera.Find("note")->AsString(); !text.empty()) {
      std::printf("    %-14s %s\n", "", text.c_str());
    }
  }
}

}  // namespace edgefuse::app
