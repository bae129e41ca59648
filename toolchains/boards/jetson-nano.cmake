# NVIDIA Jetson Nano (Tegra X1): Cortex-A57, ARMv8.0-A with CRC, no dot product.
# Same as -mcpu=cortex-a57.
set(EDGEFUSE_BOARD_ARCH armv8-a+crc)
set(EDGEFUSE_BOARD_TUNE cortex-a57)
set(EDGEFUSE_QEMU_CPU cortex-a57)
include(${CMAKE_CURRENT_LIST_DIR}/../aarch64-linux-gnu.toolchain.cmake)
