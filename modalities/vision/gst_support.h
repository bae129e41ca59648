// GStreamer inside edgefuse: one-time initialization, whether this system has an
// element, the Debian (or NVIDIA L4T) package that provides a missing one, and the
// one-line message a user sees when a pipeline needs elements that are not installed.
//
//   std::string error;
//   if (!edgefuse::vision::EnsureGstInitialized(&error)) { ... }
//   if (!edgefuse::vision::GstElementAvailable("libcamerasrc")) {
//     // "GStreamer element 'libcamerasrc' is missing: install gstreamer1.0-libcamera"
//     std::string why = edgefuse::vision::MissingElementsMessage({"libcamerasrc"});
//   }
//
// Under qemu-user the plugin scanner (a separate aarch64 helper process) cannot be
// spawned; set GST_REGISTRY_FORK=no so plugins are scanned in-process (see
// modalities/vision/README.md, "GStreamer under QEMU").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace edgefuse::vision {

// gst_init_check once per process; false (with GStreamer's reason) if it failed.
bool EnsureGstInitialized(std::string* error);

// Whether an element factory of this name is registered (initializes GStreamer).
bool GstElementAvailable(std::string_view factory);

// The package that provides an element, e.g. "gstreamer1.0-libcamera" for
// libcamerasrc, "nvidia-l4t-gstreamer (NVIDIA JetPack)" for nvarguscamerasrc; "" when
// the element is not one edgefuse knows.
std::string GstPackageFor(std::string_view element);

// "GStreamer element 'libcamerasrc' is missing: install gstreamer1.0-libcamera"; one
// clause per package ("GStreamer elements 'nvarguscamerasrc', 'nvvidconv' are missing:
// install nvidia-l4t-gstreamer (NVIDIA JetPack)"), joined by "; ".
std::string MissingElementsMessage(const std::vector<std::string>& missing);

// The element factory names a pipeline description uses that are not installed
// (parses the description, starts nothing). Empty when all are present or on a syntax
// error (which Open reports instead).
std::vector<std::string> MissingGstElements(const std::string& pipeline);

// "1.22.0", or "" if GStreamer cannot be initialized.
std::string GstVersionString();

}  // namespace edgefuse::vision
