#include "modalities/vision/gst_support.h"

#include <gst/gst.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <utility>

namespace edgefuse::vision {
namespace {

struct ElementPackage {
  const char* element;
  const char* package;
};

// Elements a camera pipeline typically uses, and where each comes from. Debian package
// names unless stated; the NVIDIA elements ship with JetPack (L4T), not Debian.
constexpr ElementPackage kElementPackages[] = {
    {"libcamerasrc", "gstreamer1.0-libcamera"},
    {"nvarguscamerasrc", "nvidia-l4t-gstreamer (NVIDIA JetPack)"},
    {"nvvidconv", "nvidia-l4t-gstreamer (NVIDIA JetPack)"},
    {"nvv4l2camerasrc", "nvidia-l4t-gstreamer (NVIDIA JetPack)"},
    {"nvv4l2decoder", "nvidia-l4t-gstreamer (NVIDIA JetPack)"},
    {"nvjpegdec", "nvidia-l4t-gstreamer (NVIDIA JetPack)"},
    {"v4l2src", "gstreamer1.0-plugins-good"},
    {"jpegdec", "gstreamer1.0-plugins-good"},
    {"rtspsrc", "gstreamer1.0-plugins-good"},
    {"rtph264depay", "gstreamer1.0-plugins-good"},
    {"souphttpsrc", "gstreamer1.0-plugins-good"},
    {"multipartdemux", "gstreamer1.0-plugins-good"},
    {"udpsrc", "gstreamer1.0-plugins-good"},
    {"videotestsrc", "gstreamer1.0-plugins-base"},
    {"videoconvert", "gstreamer1.0-plugins-base"},
    {"videoscale", "gstreamer1.0-plugins-base"},
    {"videorate", "gstreamer1.0-plugins-base"},
    {"appsink", "gstreamer1.0-plugins-base"},
    {"appsrc", "gstreamer1.0-plugins-base"},
    {"decodebin", "gstreamer1.0-plugins-base"},
    {"uridecodebin", "gstreamer1.0-plugins-base"},
    {"capsfilter", "libgstreamer1.0-0"},
    {"queue", "libgstreamer1.0-0"},
    {"tee", "libgstreamer1.0-0"},
    {"identity", "libgstreamer1.0-0"},
    {"filesrc", "libgstreamer1.0-0"},
    {"fakesink", "libgstreamer1.0-0"},
    {"h264parse", "gstreamer1.0-plugins-bad"},
    {"v4l2slh264dec", "gstreamer1.0-plugins-bad"},
    {"avdec_h264", "gstreamer1.0-libav"},
    {"x264enc", "gstreamer1.0-plugins-ugly"},
    {"pipewiresrc", "gstreamer1.0-pipewire"},
};

}  // namespace

bool EnsureGstInitialized(std::string* error) {
  static std::once_flag once;
  static bool ok = false;
  static std::string reason;
  std::call_once(once, [] {
    // libcamerasrc logs INFO and WARN lines to stderr; keep stderr to edgefuse's own
    // one-line errors unless the user asked for libcamera's log.
    setenv("LIBCAMERA_LOG_LEVELS", "*:ERROR", /*overwrite=*/0);
    GError* gerror = nullptr;
    ok = gst_init_check(nullptr, nullptr, &gerror) != FALSE;
    if (!ok) {
      reason = std::string("GStreamer could not be initialized: ") + (gerror != nullptr ? gerror->message : "?");
    }
    if (gerror != nullptr) g_error_free(gerror);
  });
  if (!ok && error != nullptr) *error = reason;
  return ok;
}

bool GstElementAvailable(std::string_view factory) {
  if (!EnsureGstInitialized(nullptr)) return false;
  GstElementFactory* found = gst_element_factory_find(std::string(factory).c_str());
  if (found == nullptr) return false;
  gst_object_unref(found);
  return true;
}

std::string GstPackageFor(std::string_view element) {
  for (const auto& entry : kElementPackages) {
    if (element == entry.element) return entry.package;
  }
  return "";
}

std::string MissingElementsMessage(const std::vector<std::string>& missing) {
  // One clause per package, in the order the elements are named.
  std::vector<std::pair<std::string, std::vector<std::string>>> by_package;
  for (const auto& element : missing) {
    const std::string package = GstPackageFor(element);
    auto it = std::find_if(by_package.begin(), by_package.end(),
                           [&](const auto& entry) { return !package.empty() && entry.first == package; });
    if (it == by_package.end()) {
      by_package.push_back({package, {element}});
    } else {
      it->second.push_back(element);
    }
  }
  std::string message;
  for (const auto& [package, elements] : by_package) {
    if (!message.empty()) message += "; ";
    std::string names;
    for (const auto& e : elements) names += (names.empty() ? "'" : ", '") + e + "'";
    message += elements.size() == 1 ? "GStreamer element " + names + " is missing: "
                                    : "GStreamer elements " + names + " are missing: ";
    message += package.empty()
                   ? "no package known to edgefuse provides it (try: gst-inspect-1.0 " + elements.front() + ")"
                   : "install " + package;
  }
  return message;
}

std::vector<std::string> MissingGstElements(const std::string& pipeline) {
  std::vector<std::string> missing;
  if (!EnsureGstInitialized(nullptr)) return missing;
  GstParseContext* context = gst_parse_context_new();
  GError* gerror = nullptr;
  GstElement* element = gst_parse_launch_full(pipeline.c_str(), context, GST_PARSE_FLAG_NONE, &gerror);
  if (gchar** names = gst_parse_context_get_missing_elements(context); names != nullptr) {
    for (gchar** name = names; *name != nullptr; ++name) missing.emplace_back(*name);
    g_strfreev(names);
  }
  if (element != nullptr) gst_object_unref(element);
  if (gerror != nullptr) g_error_free(gerror);
  gst_parse_context_free(context);
  return missing;
}

std::string GstVersionString() {
  if (!EnsureGstInitialized(nullptr)) return "";
  guint major = 0, minor = 0, micro = 0, nano = 0;
  gst_version(&major, &minor, &micro, &nano);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(micro);
}

}  // namespace edgefuse::vision
