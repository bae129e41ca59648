# Raspberry Pi 5 / Pi 500 / CM5 (BCM2712): Cortex-A76, ARMv8.2-A with dot product,
# half-precision arithmetic and RCpc. Same as -mcpu=cortex-a76.
set(EDGEFUSE_BOARD_ARCH armv8.2-a+dotprod+fp16+rcpc)
set(EDGEFUSE_BOARD_TUNE cortex-a76)
set(EDGEFUSE_QEMU_CPU cortex-a76)
include(${CMAKE_CURRENT_LIST_DIR}/../aarch64-linux-gnu.toolchain.cmake)
