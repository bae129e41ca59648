# NVIDIA Jetson Orin Nano / NX / AGX: Cortex-A78AE, ARMv8.2-A with dot product,
# half-precision arithmetic, RCpc and SSBS. Same as -mcpu=cortex-a78ae. QEMU 7.2 has no
# Cortex-A78AE model; Neoverse-N1 has the same instruction set for our purposes
# (ARMv8.2-A + dot product, no i8mm).
set(EDGEFUSE_BOARD_ARCH armv8.2-a+dotprod+fp16+rcpc+ssbs)
set(EDGEFUSE_BOARD_TUNE cortex-a78ae)
set(EDGEFUSE_QEMU_CPU neoverse-n1)
include(${CMAKE_CURRENT_LIST_DIR}/../aarch64-linux-gnu.toolchain.cmake)
