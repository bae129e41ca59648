// The cameras section of `edgefuse devices`: V4L2 devices and GStreamer presets, with
// what each needs, and the camera the board uses by default.
#include <cstdio>

#include "firmware/app/devices.h"
#include "modalities/vision/camera_list.h"
#include "modalities/vision/gst_support.h"
#include "platform/board.h"

namespace edgefuse::app {

core::Json CameraDevicesJson() {
  const platform::BoardInfo board = platform::DetectBoard();
  const auto cameras = vision::ListCameras(board, vision::InstalledGstElements());
  core::Json json = core::Json::Object();
  json.Set("board", board.id);
  const std::string gst = vision::GstVersionString();
  json.Set("gstreamer", gst.empty() ? core::Json() : core::Json(gst));
  std::string note;
  json.Set("default", vision::DefaultCameraName(board.kind, vision::InstalledGstElements(), &note));
  if (!note.empty()) json.Set("default_note", note);
  core::Json& list = json.Set("cameras", core::Json::Array());
  for (const auto& camera : cameras) {
    core::Json entry = core::Json::Object();
    entry.Set("name", camera.name);
    entry.Set("kind", camera.kind);
    entry.Set("description", camera.description);
    entry.Set("usable", camera.usable);
    entry.Set("default", camera.is_default);
    entry.Set("note", camera.note);
    list.Append(std::move(entry));
  }
  return json;
}

void PrintCameraDevices(const core::Json& cameras) {
  const core::Json* gst = cameras.Find("gstreamer");
  std::printf("cameras (board %s; GStreamer %s; --camera default is '%s'):\n",
              cameras.Find("board")->AsString().c_str(), gst->IsString() ? gst->AsString().c_str() : "unavailable",
              cameras.Find("default")->AsString().c_str());
  if (const core::Json* note = cameras.Find("default_note"); note != nullptr) {
    std::printf("  note: %s\n", note->AsString().c_str());
  }
  bool any_v4l2 = false;
  for (const auto& camera : cameras.Find("cameras")->Items()) any_v4l2 |= camera.Find("kind")->AsString() == "v4l2";
  if (!any_v4l2) std::printf("    (no V4L2 capture devices)\n");
  for (const auto& camera : cameras.Find("cameras")->Items()) {
    std::printf("  %s %-10s %-4s %s\n", camera.Find("default")->AsBool() ? "*" : " ",
                camera.Find("name")->AsString().c_str(), camera.Find("usable")->AsBool() ? "ok" : "--",
                camera.Find("description")->AsString().c_str());
    if (const std::string& note = camera.Find("note")->AsString(); !note.empty()) {
      std::printf("    %-14s %s\n", "", note.c_str());
    }
  }
}

}  // namespace edgefuse::app
