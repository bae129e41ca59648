#include "modalities/vision/camera_spec.h"

#include <charconv>

#include "modalities/vision/gst_support.h"

namespace edgefuse::vision {
namespace {

bool ParseIndex(std::string_view text, int* index) {
  if (text.empty()) return false;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > 255) return false;
  *index = value;
  return true;
}

std::string Caps(const char* media, const CameraRequest& r) {
  return std::string(media) + ",width=" + std::to_string(r.width) + ",height=" + std::to_string(r.height) +
         ",framerate=" + std::to_string(r.fps) + "/1";
}

bool IsRaspberryPi(platform::BoardKind board) {
  return board == platform::BoardKind::kRaspberryPi4 || board == platform::BoardKind::kRaspberryPi5 ||
         board == platform::BoardKind::kRaspberryPi;
}

bool IsJetson(platform::BoardKind board) {
  return board == platform::BoardKind::kJetsonNano || board == platform::BoardKind::kJetsonOrin ||
         board == platform::BoardKind::kJetson;
}

bool AllPresent(const GstPreset& preset, const ElementCheck& has_element, std::string* first_missing) {
  for (const auto& element : preset.elements) {
    if (!has_element(element)) {
      *first_missing = element;
      return false;
    }
  }
  return true;
}

const GstPreset* FindPreset(std::string_view name) {
  for (const auto& preset : GstPresets()) {
    if (name == preset.name) return &preset;
  }
  return nullptr;
}

}  // namespace

ElementCheck InstalledGstElements() {
  return [](std::string_view element) { return GstElementAvailable(element); };
}

std::span<const GstPreset> GstPresets() {
  static const GstPreset kPresets[] = {
      {"libcamera",
       "CSI camera through the libcamera stack (libcamerasrc)",
       "Raspberry Pi 4/5 (and other libcamera boards)",
       {"libcamerasrc", "videoconvert", "appsink"}},
      {"jetson-csi",
       "CSI camera through NVIDIA Argus (nvarguscamerasrc + nvvidconv)",
       "NVIDIA Jetson (JetPack)",
       {"nvarguscamerasrc", "nvvidconv", "videoconvert", "appsink"}},
      {"usb-mjpeg",
       "USB webcam in MJPEG mode (v4l2src + jpegdec), for sizes raw YUYV cannot reach",
       "any board with a UVC webcam",
       {"v4l2src", "jpegdec", "videoconvert", "appsink"}},
      {"videotest",
       "GStreamer test pattern, live (videotestsrc)",
       "any (tests and demos)",
       {"videotestsrc", "videoconvert", "appsink"}},
  };
  return kPresets;
}

std::string GstSinkSuffix() {
  return std::string("videoconvert ! video/x-raw,format=BGR ! appsink name=") + kGstSinkName +
         " drop=true max-buffers=1 sync=false";
}

bool BuildPresetPipeline(std::string_view preset, std::string_view arg, const CameraRequest& request,
                         std::string* pipeline) {
  const std::string a(arg);
  if (preset == "libcamera") {
    *pipeline = "libcamerasrc" + (a.empty() ? "" : " camera-name=\"" + a + "\"") + " ! " +
                Caps("video/x-raw", request) + " ! " + GstSinkSuffix();
  } else if (preset == "jetson-csi") {
    *pipeline = "nvarguscamerasrc sensor-id=" + (a.empty() ? std::string("0") : a) + " ! " +
                Caps("video/x-raw(memory:NVMM)", request) + " ! nvvidconv ! video/x-raw,format=BGRx ! " +
                GstSinkSuffix();
  } else if (preset == "usb-mjpeg") {
    *pipeline = "v4l2src device=/dev/video" + (a.empty() ? std::string("0") : a) + " ! " + Caps("image/jpeg", request) +
                " ! jpegdec ! " + GstSinkSuffix();
  } else if (preset == "videotest") {
    *pipeline = "videotestsrc is-live=true" + (a.empty() ? "" : " pattern=" + a) + " ! " +
                Caps("video/x-raw", request) + " ! " + GstSinkSuffix();
  } else {
    return false;
  }
  return true;
}

std::string CompleteUserPipeline(std::string_view pipeline) {
  std::string text(pipeline);
  if (text.find("appsink") != std::string::npos) return text;
  return text + " ! " + GstSinkSuffix();
}

std::string DefaultCameraName(platform::BoardKind board, const ElementCheck& has_element, std::string* note) {
  note->clear();
  const char* preset_name = IsRaspberryPi(board) ? "libcamera" : IsJetson(board) ? "jetson-csi" : nullptr;
  if (preset_name == nullptr) return "0";
  std::string missing;
  if (AllPresent(*FindPreset(preset_name), has_element, &missing)) return preset_name;
  *note = std::string("the board's camera preset '") + preset_name + "' is unusable (" +
          MissingElementsMessage({missing}) + "); using V4L2 device 0";
  return "0";
}

bool ParseCameraName(std::string_view name, const CameraRequest& request, const ElementCheck& has_element,
                     platform::BoardKind board, CameraSpec* spec, std::string* error) {
  *spec = CameraSpec();
  if (request.width <= 0 || request.height <= 0 || request.fps <= 0) {
    *error = "camera size and frame rate must be positive";
    return false;
  }
  std::string resolved(name);
  if (resolved.empty() || resolved == "default") resolved = DefaultCameraName(board, has_element, &spec->note);
  spec->name = resolved;
  std::string_view text = resolved;

  int index = 0;
  if (ParseIndex(text, &index) || (text.starts_with("/dev/video") && ParseIndex(text.substr(10), &index)) ||
      (text.starts_with("v4l2:") && ParseIndex(text.substr(5), &index))) {
    spec->kind = CameraKind::kV4l2;
    spec->index = index;
    return true;
  }
  spec->kind = CameraKind::kGstreamer;
  if (text.starts_with("gst:") || text.find('!') != std::string_view::npos) {
    const std::string_view pipeline = text.starts_with("gst:") ? text.substr(4) : text;
    if (pipeline.find_first_not_of(" \t") == std::string_view::npos) {
      *error = "camera '" + resolved + "': empty GStreamer pipeline";
      return false;
    }
    spec->pipeline = CompleteUserPipeline(pipeline);
    return true;
  }
  const size_t colon = text.find(':');
  const std::string_view preset = text.substr(0, colon);
  const std::string_view arg = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (arg.find_first_of("!\"' \t") != std::string_view::npos) {
    *error = "camera '" + resolved + "': the preset argument '" + std::string(arg) +
             "' must not contain spaces, quotes or '!' (use gst:PIPELINE for a full pipeline)";
    return false;
  }
  if (!BuildPresetPipeline(preset, arg, request, &spec->pipeline)) {
    std::string names;
    for (const auto& p : GstPresets()) names += std::string(names.empty() ? "" : ", ") + p.name;
    *error = "camera '" + resolved + "': not a device index (0, /dev/video0), a preset (" + names +
             ") or a GStreamer pipeline (gst:...)";
    return false;
  }
  if ((preset == "jetson-csi" || preset == "usb-mjpeg") && !arg.empty() && !ParseIndex(arg, &index)) {
    *error = "camera '" + resolved + "': '" + std::string(arg) + "' is not a number";
    return false;
  }
  spec->preset = std::string(preset);
  return true;
}

}  // namespace edgefuse::vision
