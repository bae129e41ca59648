# Finds GStreamer 1.x with its app and video libraries and GLib (Debian:
# libgstreamer1.0-dev, libgstreamer-plugins-base1.0-dev). Plain find_path/find_library
# so cross builds find the sysroot's copies with no pkg-config setup; the version
# comes from gstreamer-1.0.pc, read directly.
#
# Imported target: GStreamer::GStreamer (core, app, video, base, GObject, GLib).
# Variables: GStreamer_FOUND, GStreamer_VERSION.
include(FindPackageHandleStandardArgs)

find_path(GStreamer_INCLUDE_DIR gst/gst.h PATH_SUFFIXES gstreamer-1.0)
find_path(GStreamer_GLIB_INCLUDE_DIR glib.h PATH_SUFFIXES glib-2.0)
find_library(GStreamer_LIBRARY gstreamer-1.0)
find_library(GStreamer_APP_LIBRARY gstapp-1.0)
find_library(GStreamer_VIDEO_LIBRARY gstvideo-1.0)
find_library(GStreamer_BASE_LIBRARY gstbase-1.0)
find_library(GStreamer_GOBJECT_LIBRARY gobject-2.0)
find_library(GStreamer_GLIB_LIBRARY glib-2.0)
set(GStreamer_VERSION "")
if(GStreamer_GLIB_LIBRARY)
  # glibconfig.h is architecture-specific: <libdir>/glib-2.0/include.
  get_filename_component(_gst_glib_libdir "${GStreamer_GLIB_LIBRARY}" DIRECTORY)
  find_path(GStreamer_GLIBCONFIG_INCLUDE_DIR glibconfig.h HINTS "${_gst_glib_libdir}/glib-2.0/include"
    NO_DEFAULT_PATH)
endif()
if(GStreamer_LIBRARY)
  get_filename_component(_gst_libdir "${GStreamer_LIBRARY}" DIRECTORY)
  find_file(GStreamer_PC gstreamer-1.0.pc HINTS "${_gst_libdir}/pkgconfig" NO_DEFAULT_PATH)
endif()
if(GStreamer_PC)
  file(STRINGS "${GStreamer_PC}" _gst_version REGEX "^Version:")
  string(REGEX REPLACE "^Version: *" "" GStreamer_VERSION "${_gst_version}")
endif()

find_package_handle_standard_args(GStreamer
  REQUIRED_VARS GStreamer_LIBRARY GStreamer_APP_LIBRARY GStreamer_VIDEO_LIBRARY GStreamer_BASE_LIBRARY
                GStreamer_GOBJECT_LIBRARY GStreamer_GLIB_LIBRARY GStreamer_INCLUDE_DIR
                GStreamer_GLIB_INCLUDE_DIR GStreamer_GLIBCONFIG_INCLUDE_DIR
  VERSION_VAR GStreamer_VERSION
  REASON_FAILURE_MESSAGE "install libgstreamer1.0-dev and libgstreamer-plugins-base1.0-dev")

if(GStreamer_FOUND AND NOT TARGET GStreamer::GStreamer)
  add_library(GStreamer::GStreamer INTERFACE IMPORTED)
  set_target_properties(GStreamer::GStreamer PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES
      "${GStreamer_INCLUDE_DIR};${GStreamer_GLIB_INCLUDE_DIR};${GStreamer_GLIBCONFIG_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES
      "${GStreamer_APP_LIBRARY};${GStreamer_VIDEO_LIBRARY};${GStreamer_BASE_LIBRARY};${GStreamer_LIBRARY};${GStreamer_GOBJECT_LIBRARY};${GStreamer_GLIB_LIBRARY}")
endif()
mark_as_advanced(GStreamer_INCLUDE_DIR GStreamer_GLIB_INCLUDE_DIR GStreamer_GLIBCONFIG_INCLUDE_DIR GStreamer_LIBRARY
  GStreamer_APP_LIBRARY GStreamer_VIDEO_LIBRARY GStreamer_BASE_LIBRARY GStreamer_GOBJECT_LIBRARY
  GStreamer_GLIB_LIBRARY GStreamer_PC)
