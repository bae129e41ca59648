# The project's dependencies, all from Debian bookworm (host packages, or the arm64
# sysroot built by toolchains/sysroot.sh when cross-compiling).
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
find_package(XNNPACK REQUIRED)
find_package(OpenCV 4.6 REQUIRED COMPONENTS core imgproc imgcodecs videoio highgui)
find_package(PortAudio REQUIRED)
if(EDGEFUSE_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(EDGEFUSE_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()

message(STATUS "edgefuse: XNNPACK ${XNNPACK_VERSION} (${XNNPACK_LIBRARY})")
message(STATUS "edgefuse: OpenCV ${OpenCV_VERSION} (${OpenCV_DIR})")
message(STATUS "edgefuse: PortAudio ${PortAudio_VERSION} (${PortAudio_LIBRARY})")
