# Cross-compiling for 64-bit ARM Linux (Raspberry Pi 4/5, Jetson Nano/Orin) with
# Debian's cross compiler (g++-aarch64-linux-gnu) against the Debian bookworm arm64
# sysroot made by toolchains/sysroot.sh. Tests run under qemu-aarch64 through
# CMAKE_CROSSCOMPILING_EMULATOR, so plain `ctest` runs the cross-built suites.
#
# Board files (toolchains/boards/*.cmake) set, before including this file:
#   EDGEFUSE_BOARD_ARCH  -march value: the board core's architecture and extensions
#   EDGEFUSE_BOARD_TUNE  -mtune value: the board's core
#   EDGEFUSE_QEMU_CPU    qemu-aarch64 -cpu model that stands in for the board
# ARCH + TUNE say exactly what -mcpu=<core> says, split in two so that a per-ISA kernel
# library can raise -march alone (GCC warns when -mcpu and a different -march meet).
#
# The sysroot is $EDGEFUSE_SYSROOT, else ~/.cache/edgefuse/sysroot-bookworm-arm64, the
# same default as sysroot.sh.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

if(NOT EDGEFUSE_SYSROOT)
  if(DEFINED ENV{EDGEFUSE_SYSROOT} AND NOT "$ENV{EDGEFUSE_SYSROOT}" STREQUAL "")
    set(EDGEFUSE_SYSROOT "$ENV{EDGEFUSE_SYSROOT}")
  elseif(DEFINED ENV{XDG_CACHE_HOME} AND NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
    set(EDGEFUSE_SYSROOT "$ENV{XDG_CACHE_HOME}/edgefuse/sysroot-bookworm-arm64")
  else()
    set(EDGEFUSE_SYSROOT "$ENV{HOME}/.cache/edgefuse/sysroot-bookworm-arm64")
  endif()
endif()
set(EDGEFUSE_SYSROOT "${EDGEFUSE_SYSROOT}" CACHE PATH "Debian bookworm arm64 sysroot (toolchains/sysroot.sh)")
if(NOT EXISTS "${EDGEFUSE_SYSROOT}/.edgefuse-sysroot")
  message(FATAL_ERROR "No arm64 sysroot at ${EDGEFUSE_SYSROOT}: build it first with toolchains/sysroot.sh "
                      "(or set EDGEFUSE_SYSROOT to where it is).")
endif()
set(CMAKE_SYSROOT "${EDGEFUSE_SYSROOT}")

# Libraries, headers and CMake packages from the sysroot only; programs from the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

if(EDGEFUSE_BOARD_ARCH)
  set(_edgefuse_cpu_flags "-march=${EDGEFUSE_BOARD_ARCH}")
  if(EDGEFUSE_BOARD_TUNE)
    string(APPEND _edgefuse_cpu_flags " -mtune=${EDGEFUSE_BOARD_TUNE}")
  endif()
  set(CMAKE_C_FLAGS_INIT "${_edgefuse_cpu_flags}")
  set(CMAKE_CXX_FLAGS_INIT "${_edgefuse_cpu_flags}")
endif()

if(NOT EDGEFUSE_QEMU_CPU)
  set(EDGEFUSE_QEMU_CPU cortex-a72)
endif()
find_program(EDGEFUSE_QEMU_AARCH64 qemu-aarch64)
if(EDGEFUSE_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${EDGEFUSE_QEMU_AARCH64};-L;${EDGEFUSE_SYSROOT};-cpu;${EDGEFUSE_QEMU_CPU}")
endif()
