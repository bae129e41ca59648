# Test and benchmark helpers. Tests are plain GoogleTest executables registered with
# gtest_discover_tests, so CMake runs them (and their discovery) through
# CMAKE_CROSSCOMPILING_EMULATOR when cross-compiling: the same binaries run on the host
# and under qemu-aarch64.
#
#   edgefuse_add_test(platform_test SOURCES board_test.cc LIBRARIES edgefuse::platform)
#   edgefuse_add_test(kernels_fc_test SOURCES fc_test.cc LIBRARIES edgefuse::core TIERS)
#   edgefuse_add_test(gst_test SOURCES gst_test.cc LIBRARIES edgefuse::vision ENVIRONMENT GST_REGISTRY_FORK=no)
#   edgefuse_add_benchmark(fc_bench SOURCES fc_bench.cc LIBRARIES edgefuse::core)
#
# ENVIRONMENT sets one variable (NAME=VALUE) for every test of the binary: a list would
# not survive gtest_discover_tests, which splits its PROPERTIES at every ";".
#
# TIERS marks a kernel tester. Where the build compiles SIMD tiers, one more test,
# <target>.tiers_ran, runs the whole binary in one process with EDGEFUSE_REQUIRE_TIERS
# set to the tiers the emulated CPU has (EDGEFUSE_TESTED_TIERS): it fails when no
# non-reference kernel ran, or a listed kernel of one of those tiers was skipped (the
# CPU features misdetected, an entry that never runs).

# Where tests find the data checked in with them.
set(EDGEFUSE_TEST_DATA_DIR "${PROJECT_SOURCE_DIR}/tests")

# The SIMD tiers the kernel testers must run on this preset's CPU model (QEMU's -cpu):
# neon wherever it is compiled, neondot where the model has the dot product.
set(EDGEFUSE_TESTED_TIERS "")
if(CMAKE_CROSSCOMPILING AND EDGEFUSE_QEMU_CPU)
  if(EDGEFUSE_HAVE_NEON)
    list(APPEND EDGEFUSE_TESTED_TIERS neon)
  endif()
  if(EDGEFUSE_HAVE_NEONDOT AND NOT EDGEFUSE_QEMU_CPU MATCHES "^(cortex-a35|cortex-a53|cortex-a57|cortex-a72)$")
    list(APPEND EDGEFUSE_TESTED_TIERS neondot)
  endif()
endif()
string(REPLACE ";" "," _edgefuse_tested_tiers "${EDGEFUSE_TESTED_TIERS}")
message(STATUS "edgefuse: kernel testers must run these tiers: ${_edgefuse_tested_tiers}")

function(edgefuse_add_test target)
  cmake_parse_arguments(ARG "TIERS" "TIMEOUT;ENVIRONMENT" "SOURCES;LIBRARIES;LABELS" ${ARGN})
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
  if(ARG_TIERS AND EDGEFUSE_TESTED_TIERS)
    set(environment EDGEFUSE_REQUIRE_TIERS=${_edgefuse_tested_tiers} ${ARG_ENVIRONMENT})
    add_test(NAME ${target}.tiers_ran COMMAND ${target})
    set_tests_properties(${target}.tiers_ran PROPERTIES TIMEOUT ${ARG_TIMEOUT} ENVIRONMENT "${environment}")
  endif()
endfunction()

# edgefuse_add_cli_test(NAME <test> STATUS <n> [STDOUT <regex>] [STDERR <regex>] [ONE_LINE_ERROR]
#                       [COMPARE <out> <golden> exact|<tolerance>]... COMMAND <target> <arg>...)
# A real program as a user runs it, checked by tests/support/cli_check.cmake: the exact
# exit status, the outputs, a one-line error, tensors against golden .npy files. Every
# @TMP@ in an argument (or a COMPARE output) is the test's private directory. A program
# that is a target runs through the emulator CMake adds to every test
# (CMAKE_CROSSCOMPILING_EMULATOR); anything else (bash, a script) runs as given.
#
#   edgefuse_add_cli_test(NAME edgefuse.unknown_command STATUS 2 ONE_LINE_ERROR
#                         STDERR "unknown command" COMMAND edgefuse nosuchcommand)
function(edgefuse_add_cli_test)
  cmake_parse_arguments(ARG "ONE_LINE_ERROR" "NAME;STATUS;STDOUT;STDERR" "COMPARE;COMMAND;ENVIRONMENT" ${ARGN})
  list(POP_FRONT ARG_COMMAND program)
  set(script "set(EMULATOR")
  if(TARGET ${program})
    foreach(word IN LISTS CMAKE_CROSSCOMPILING_EMULATOR)
      string(APPEND script " [==[${word}]==]")
    endforeach()
    set(program "$<TARGET_FILE:${program}>")
  endif()
  string(APPEND script ")\nset(PROGRAM [==[${program}]==])\nset(ARGS")
  foreach(word IN LISTS ARG_COMMAND)
    string(APPEND script " [==[${word}]==]")
  endforeach()
  string(APPEND script ")\nset(COMPARE")
  foreach(word IN LISTS ARG_COMPARE)
    string(APPEND script " [==[${word}]==]")
  endforeach()
  string(APPEND script ")\nset(STATUS ${ARG_STATUS})\nset(ONE_LINE_ERROR ${ARG_ONE_LINE_ERROR})\n")
  string(APPEND script "set(STDOUT_REGEX [==[${ARG_STDOUT}]==])\nset(STDERR_REGEX [==[${ARG_STDERR}]==])\n")
  string(APPEND script "set(COMPARE_TOOL [==[$<TARGET_FILE:npy_compare>]==])\n")
  string(APPEND script "include([==[${PROJECT_SOURCE_DIR}/tests/support/cli_check.cmake]==])\n")
  set(file ${CMAKE_CURRENT_BINARY_DIR}/cli_tests/${ARG_NAME}.cmake)
  file(GENERATE OUTPUT ${file} CONTENT "${script}")
  add_test(NAME ${ARG_NAME} COMMAND ${CMAKE_COMMAND} -P ${file})
  set_tests_properties(${ARG_NAME} PROPERTIES PASS_REGULAR_EXPRESSION "all checks passed" FAIL_REGULAR_EXPRESSION "FAIL:")
  if(ARG_ENVIRONMENT)
    set_tests_properties(${ARG_NAME} PROPERTIES ENVIRONMENT "${ARG_ENVIRONMENT}")
  endif()
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
