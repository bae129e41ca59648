# Finds PortAudio v19 (Debian: portaudio19-dev). The version comes from its
# pkg-config file, read directly so that cross builds need no pkg-config setup.
#
# Imported target: PortAudio::PortAudio. Variables: PortAudio_FOUND, PortAudio_VERSION.
include(FindPackageHandleStandardArgs)

find_path(PortAudio_INCLUDE_DIR portaudio.h)
find_library(PortAudio_LIBRARY portaudio)
set(PortAudio_VERSION "")
if(PortAudio_LIBRARY)
  get_filename_component(_portaudio_libdir "${PortAudio_LIBRARY}" DIRECTORY)
  find_file(PortAudio_PC portaudio-2.0.pc HINTS "${_portaudio_libdir}/pkgconfig" NO_DEFAULT_PATH)
endif()
if(PortAudio_PC)
  file(STRINGS "${PortAudio_PC}" _portaudio_version REGEX "^Version:")
  string(REGEX REPLACE "^Version: *" "" PortAudio_VERSION "${_portaudio_version}")
endif()

find_package_handle_standard_args(PortAudio
  REQUIRED_VARS PortAudio_LIBRARY PortAudio_INCLUDE_DIR
  VERSION_VAR PortAudio_VERSION
  REASON_FAILURE_MESSAGE "install portaudio19-dev")

if(PortAudio_FOUND AND NOT TARGET PortAudio::PortAudio)
  add_library(PortAudio::PortAudio UNKNOWN IMPORTED)
  set_target_properties(PortAudio::PortAudio PROPERTIES
    IMPORTED_LOCATION "${PortAudio_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${PortAudio_INCLUDE_DIR}")
endif()
mark_as_advanced(PortAudio_INCLUDE_DIR PortAudio_LIBRARY PortAudio_PC)
