// How a camera is named (command line, config files), the GStreamer presets for board
// cameras, and the default camera of each board. Pure functions: whether an element is
// installed is asked through an ElementCheck, so tests can play any board.
//
// Camera names:
//   "" or "default"            the board's camera (DefaultCameraName)
//   "0", "/dev/video2", "v4l2:1"  a V4L2 device by index, through OpenCV (USB webcams)
//   "libcamera[:CAMERA]"       Raspberry Pi CSI cameras (and UVC) through libcamerasrc
//   "jetson-csi[:SENSOR_ID]"   Jetson CSI cameras through nvarguscamerasrc + nvvidconv
//   "usb-mjpeg[:INDEX]"        a USB webcam's MJPEG mode through v4l2src + jpegdec
//   "videotest[:PATTERN]"      GStreamer's videotestsrc, live (tests, demos)
//   "gst:PIPELINE" or any text with '!'   a GStreamer pipeline; without an appsink,
//                              "! videoconvert ! video/x-raw,format=BGR ! appsink ..." is appended
//
//   edgefuse::vision::CameraSpec spec;
//   std::string error;
//   if (!edgefuse::vision::ParseCameraName("libcamera", {.width = 640, .height = 480, .fps = 30},
//                                          edgefuse::vision::InstalledGstElements(), board.kind, &spec, &error))
//     ...
//   // spec.pipeline == "libcamerasrc ! video/x-raw,width=640,height=480,framerate=30/1 ! videoconvert ! ..."
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/board.h"

namespace edgefuse::vision {

struct CameraRequest {
  int width = 640;
  int height = 480;
  int fps = 30;
};

enum class CameraKind { kV4l2, kGstreamer };

struct CameraSpec {
  CameraKind kind = CameraKind::kV4l2;
  int index = 0;         // kV4l2: /dev/video<index>
  std::string preset;    // kGstreamer: the preset's name, "" for a pipeline given in full
  std::string pipeline;  // kGstreamer: the description, ending in the edgefuse appsink
  std::string name;      // as given (after resolving "default"), for messages
  std::string note;      // why the default was chosen, when it fell back (else "")
};

// Whether a GStreamer element factory is installed.
using ElementCheck = std::function<bool(std::string_view element)>;

// The real check, through GStreamer's registry (gst_support.h).
ElementCheck InstalledGstElements();

struct GstPreset {
  const char* name;                   // "libcamera"
  const char* summary;                // one line for `edgefuse devices`
  const char* boards;                 // where it applies, for people: "Raspberry Pi (CSI, libcamera stack)"
  std::vector<std::string> elements;  // every element its pipeline needs
};

std::span<const GstPreset> GstPresets();

// The appsink end every edgefuse pipeline has: BGR, only the newest frame kept.
inline constexpr const char* kGstSinkName = "edgefuse_sink";
std::string GstSinkSuffix();

// The pipeline of a preset for a request; arg is the text after "name:" ("" if none).
// False for an unknown preset.
bool BuildPresetPipeline(std::string_view preset, std::string_view arg, const CameraRequest& request,
                         std::string* pipeline);

// A pipeline description completed with the edgefuse appsink when it has none.
std::string CompleteUserPipeline(std::string_view pipeline);

// The camera a board should use when none is named: libcamera on a Raspberry Pi and
// jetson-csi on a Jetson when their elements are installed, else V4L2 device 0. *note
// says why a board fell back to device 0 ("" otherwise).
std::string DefaultCameraName(platform::BoardKind board, const ElementCheck& has_element, std::string* note);

// Parses a camera name (see above). Fails with a one-line reason for a malformed name
// or an unknown preset; missing elements are reported when the camera is opened.
bool ParseCameraName(std::string_view name, const CameraRequest& request, const ElementCheck& has_element,
                     platform::BoardKind board, CameraSpec* spec, std::string* error);

}  // namespace edgefuse::vision
