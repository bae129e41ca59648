# Finds XNNPACK (Debian: libxnnpack-dev) and the two libraries its API exposes,
# pthreadpool (libpthreadpool-dev) and cpuinfo (libcpuinfo-dev). Debian ships no CMake
# or pkg-config files for them.
#
# Imported targets: XNNPACK::XNNPACK (links the other two), pthreadpool::pthreadpool,
# cpuinfo::cpuinfo. Variables: XNNPACK_FOUND, XNNPACK_VERSION (from dpkg's status
# file of the sysroot or host, since XNNPACK has no version macro).
include(FindPackageHandleStandardArgs)

find_path(XNNPACK_INCLUDE_DIR xnnpack.h)
find_library(XNNPACK_LIBRARY XNNPACK)
find_path(PTHREADPOOL_INCLUDE_DIR pthreadpool.h)
find_library(PTHREADPOOL_LIBRARY pthreadpool)
find_path(CPUINFO_INCLUDE_DIR cpuinfo.h)
find_library(CPUINFO_LIBRARY cpuinfo)

set(XNNPACK_VERSION "")
set(_xnnpack_status "${CMAKE_SYSROOT}/var/lib/dpkg/status")
if(EXISTS "${_xnnpack_status}")
  file(STRINGS "${_xnnpack_status}" _xnnpack_lines REGEX "^(Package|Version): ")
  set(_xnnpack_next_is_ours FALSE)
  foreach(_line IN LISTS _xnnpack_lines)
    if(_line STREQUAL "Package: libxnnpack0")
      set(_xnnpack_next_is_ours TRUE)
    elseif(_xnnpack_next_is_ours AND _line MATCHES "^Version: (.*)$")
      set(XNNPACK_VERSION "${CMAKE_MATCH_1}")
      break()
    elseif(_line MATCHES "^Package: ")
      set(_xnnpack_next_is_ours FALSE)
    endif()
  endforeach()
endif()

find_package_handle_standard_args(XNNPACK
  REQUIRED_VARS XNNPACK_LIBRARY XNNPACK_INCLUDE_DIR PTHREADPOOL_LIBRARY PTHREADPOOL_INCLUDE_DIR
                CPUINFO_LIBRARY CPUINFO_INCLUDE_DIR
  VERSION_VAR XNNPACK_VERSION
  REASON_FAILURE_MESSAGE "install libxnnpack-dev libpthreadpool-dev libcpuinfo-dev")

if(XNNPACK_FOUND AND NOT TARGET XNNPACK::XNNPACK)
  add_library(cpuinfo::cpuinfo UNKNOWN IMPORTED)
  set_target_properties(cpuinfo::cpuinfo PROPERTIES
    IMPORTED_LOCATION "${CPUINFO_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${CPUINFO_INCLUDE_DIR}")
  add_library(pthreadpool::pthreadpool UNKNOWN IMPORTED)
  set_target_properties(pthreadpool::pthreadpool PROPERTIES
    IMPORTED_LOCATION "${PTHREADPOOL_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${PTHREADPOOL_INCLUDE_DIR}")
  add_library(XNNPACK::XNNPACK UNKNOWN IMPORTED)
  set_target_properties(XNNPACK::XNNPACK PROPERTIES
    IMPORTED_LOCATION "${XNNPACK_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${XNNPACK_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "pthreadpool::pthreadpool;cpuinfo::cpuinfo")
endif()
mark_as_advanced(XNNPACK_INCLUDE_DIR XNNPACK_LIBRARY PTHREADPOOL_INCLUDE_DIR PTHREADPOOL_LIBRARY
                 CPUINFO_INCLUDE_DIR CPUINFO_LIBRARY)
