// The sections of `edgefuse devices`, one per kind of device, each in its own file
// (devices_cameras.cc, ...): a JSON description, and the same as text lines.
//
//   core::Json cameras = edgefuse::app::CameraDevicesJson();
//   edgefuse::app::PrintCameraDevices(cameras);
#pragma once

#include "core/json/json.h"

namespace edgefuse::app {

// {"board": ..., "gstreamer": "1.22.0", "default": "0", "cameras": [{"name", "kind",
// "description", "usable", "default", "note"}, ...]}
core::Json CameraDevicesJson();
void PrintCameraDevices(const core::Json& cameras);

}  // namespace edgefuse::app
