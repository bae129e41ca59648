# Test and benchmark helpers. Tests are plain GoogleTest executables registered with
# gtest_discover_tests, so CMake runs them (and their discovery) through
# CMAKE_CROSSCOMPILING_EMULATOR when cross-compiling: the same binaries run on the host
# and under qemu-aarch64.
#
#   edgefuse_add_test(platform_test SOURCES board_test.cc LIBRARIES edgefuse::platform)
#   edgefuse_add_test(gst_test SOURCES gst_test.cc LIBRARIES edgefuse::vision ENVIRONMENT GST_REGISTRY_FORK=no)
#   edgefuse_add_benchmark(fc_bench SOURCES fc_bench.cc LIBRARIES edgefuse::core)
#
# ENVIRONMENT sets one variable (NAME=VALUE) for every test of the binary: a list would
# not survive gtest_discover_tests, which splits its PROPERTIES at every ";".

# Where tests find data: the project's own and, when present, ../shared/testdata.
set(EDGEFUSE_TEST_DATA_DIR "${PROJECT_SOURCE_DIR}/tests")
get_filename_component(EDGEFUSE_SHARED_TEST_DATA_DIR "${PROJECT_SOURCE_DIR}/../shared/testdata" ABSOLUTE)

function(edgefuse_add_test target)
  cmake_parse_arguments(ARG "" "TIMEOUT;ENVIRONMENT" "SOURCES;LIBRARIES;LABELS" ${ARGN})
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${ARG_LIBRARIES} edgefuse_test_main)
  # Test programs stay beside their sources' build tree; bin/ holds what ships.
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  if(EDGEFUSE_SANITIZE)
    # Debug with AddressSanitizer runs the long tests 10 to 20 times slower than Release.
    math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * 6")
  endif()
  set(properties TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABELS)
    list(APPEND properties LABELS "${ARG_LABELS}")
  endif()
  if(ARG_ENVIRONMENT)
    list(APPEND properties ENVIRONMENT "${ARG_ENVIRONMENT}")
  endif()
  gtest_discover_tests(${target}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 120
    PROPERTIES ${properties})
endfunction()

function(edgefuse_add_benchmark target)
  if(NOT EDGEFUSE_BUILD_BENCHMARKS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${ARG_LIBRARIES} benchmark::benchmark benchmark::benchmark_main)
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
endfunction()
