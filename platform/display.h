// Whether a graphical display can be opened, asked without a GUI toolkit: OpenCV's
// HighGUI (Qt or GTK) aborts the whole process when it cannot reach its display, so
// the window sink asks here first and falls back to streaming when the answer is no.
//
//   std::string error;
//   if (!edgefuse::platform::X11DisplayAvailable(&error)) {
//     EF_LOG_WARN("no window: %s", error.c_str());  // "DISPLAY is not set", "cannot open X display ':1'"
//   }
#pragma once

#include <string>

namespace edgefuse::platform {

// Opens and closes a connection to $DISPLAY through libX11, loaded at run time (so
// nothing links against X). False with a one-line *error when DISPLAY is unset,
// libX11 is missing, or the server refuses or cannot be reached.
bool X11DisplayAvailable(std::string* error);

// Whether $WAYLAND_DISPLAY names a compositor socket that accepts a connection
// (relative names are looked up in $XDG_RUNTIME_DIR). False with *error otherwise.
bool WaylandDisplayAvailable(std::string* error);

}  // namespace edgefuse::platform
