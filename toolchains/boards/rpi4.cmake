# Raspberry Pi 4 Model B / Pi 400 / CM4 (BCM2711): Cortex-A72, ARMv8.0-A with CRC,
# no crypto extensions, no dot product. Same as -mcpu=cortex-a72.
set(EDGEFUSE_BOARD_ARCH armv8-a+crc)
set(EDGEFUSE_BOARD_TUNE cortex-a72)
set(EDGEFUSE_QEMU_CPU cortex-a72)
include(${CMAKE_CURRENT_LIST_DIR}/../aarch64-linux-gnu.toolchain.cmake)
