# Kernel tiers (DESIGN.md §4, STYLE.md "Kernels"). Each instruction-set variant of a
# kernel family is compiled as its own static library with only its own flags; the
# baseline comes from the toolchain. A tier is enabled only if the compiler proves it
# can build it.
#
#   edgefuse_add_isa_library(edgefuse_fc_neondot TIER neondot SOURCES fc/neondot.cc)
#
# Results: EDGEFUSE_HAVE_NEON, EDGEFUSE_HAVE_NEONDOT (ON/OFF) and the list
# EDGEFUSE_KERNEL_TIERS. Kernel lists see them as the compile definitions
# EDGEFUSE_HAVE_NEON=0/1 and EDGEFUSE_HAVE_NEONDOT=0/1 through edgefuse::kernel_tiers.
include(CheckCXXSourceCompiles)

set(EDGEFUSE_NEON_FLAGS "")
set(EDGEFUSE_NEONDOT_FLAGS -march=armv8.2-a+dotprod)
if(EDGEFUSE_BOARD_TUNE)
  list(APPEND EDGEFUSE_NEONDOT_FLAGS -mtune=${EDGEFUSE_BOARD_TUNE})
endif()

set(EDGEFUSE_HAVE_NEON OFF)
set(EDGEFUSE_HAVE_NEONDOT OFF)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  check_cxx_source_compiles([=[
    #include <arm_neon.h>
    int main() { int32x4_t a = vdupq_n_s32(1); return vgetq_lane_s32(vqrdmulhq_s32(a, a), 0); }
  ]=] EDGEFUSE_COMPILER_HAS_NEON)
  set(CMAKE_REQUIRED_FLAGS "${EDGEFUSE_NEONDOT_FLAGS}")
  string(REPLACE ";" " " CMAKE_REQUIRED_FLAGS "${CMAKE_REQUIRED_FLAGS}")
  check_cxx_source_compiles([=[
    #include <arm_neon.h>
    int main() {
      int8x16_t a = vdupq_n_s8(1);
      return vgetq_lane_s32(vdotq_s32(vdupq_n_s32(0), a, a), 0);
    }
  ]=] EDGEFUSE_COMPILER_HAS_NEONDOT)
  unset(CMAKE_REQUIRED_FLAGS)
  set(EDGEFUSE_HAVE_NEON ${EDGEFUSE_COMPILER_HAS_NEON})
  if(EDGEFUSE_HAVE_NEON AND EDGEFUSE_COMPILER_HAS_NEONDOT)
    set(EDGEFUSE_HAVE_NEONDOT ON)
  endif()
endif()

set(EDGEFUSE_KERNEL_TIERS reference)
if(EDGEFUSE_HAVE_NEON)
  list(APPEND EDGEFUSE_KERNEL_TIERS neon)
endif()
if(EDGEFUSE_HAVE_NEONDOT)
  list(APPEND EDGEFUSE_KERNEL_TIERS neondot)
endif()
string(REPLACE ";" " " _tiers "${EDGEFUSE_KERNEL_TIERS}")
message(STATUS "edgefuse: kernel tiers compiled: ${_tiers} (target ${CMAKE_SYSTEM_PROCESSOR})")

add_library(edgefuse_kernel_tiers INTERFACE)
add_library(edgefuse::kernel_tiers ALIAS edgefuse_kernel_tiers)
target_compile_definitions(edgefuse_kernel_tiers INTERFACE
  EDGEFUSE_HAVE_NEON=$<BOOL:${EDGEFUSE_HAVE_NEON}>
  EDGEFUSE_HAVE_NEONDOT=$<BOOL:${EDGEFUSE_HAVE_NEONDOT}>)

# edgefuse_add_isa_library(<target> TIER neon|neondot SOURCES <files>... [LIBRARIES <libs>...])
# Creates the static library only when the tier is enabled; returns silently otherwise,
# so callers write `if(TARGET <target>)` before linking it.
function(edgefuse_add_isa_library target)
  cmake_parse_arguments(ARG "" "TIER" "SOURCES;LIBRARIES" ${ARGN})
  if(ARG_TIER STREQUAL "neon")
    if(NOT EDGEFUSE_HAVE_NEON)
      return()
    endif()
    set(flags ${EDGEFUSE_NEON_FLAGS})
  elseif(ARG_TIER STREQUAL "neondot")
    if(NOT EDGEFUSE_HAVE_NEONDOT)
      return()
    endif()
    set(flags ${EDGEFUSE_NEONDOT_FLAGS})
  else()
    message(FATAL_ERROR "edgefuse_add_isa_library(${target}): unknown TIER '${ARG_TIER}'")
  endif()
  add_library(${target} STATIC ${ARG_SOURCES})
  target_compile_options(${target} PRIVATE ${flags})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${target} PUBLIC ${ARG_LIBRARIES})
endfunction()
