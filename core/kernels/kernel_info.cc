#include "core/kernels/kernel_info.h"

#include "core/kernels/batch_matmul/batch_matmul.h"
#include "core/kernels/f32_gemm/f32_gemm.h"
#include "core/kernels/fft_q15/fft_q15.h"
#include "core/kernels/fully_connected/fully_connected.h"
#include "core/kernels/patch_motion/patch_motion.h"
#include "core/kernels/requantization/requantize.h"
#include "core/kernels/softmax/softmax.h"
#include "core/kernels/x32_transpose/x32_transpose.h"

namespace edgefuse::core::kernels {
namespace {

template <class Fn>
SelectedKernel Select(const char* family, std::span<const KernelEntry<Fn>> list, Tier cap,
                      const platform::CpuFeatures& cpu) {
  const KernelEntry<Fn>& entry = SelectKernel<Fn>(list, cap, cpu);
  return {family, entry.name, entry.tier};
}

}  // namespace

std::vector<SelectedKernel> SelectedKernels(Tier cap, const platform::CpuFeatures& cpu) {
  return {
      Select("requantize_qs32_qs8", kQs32Qs8RequantizeKernels, cap, cpu),
      Select("fully_connected_qs8", kFullyConnectedQs8Kernels, cap, cpu),
      Select("fully_connected_qs16_qs8", kFullyConnectedQs16Kernels, cap, cpu),
      Select("batch_matmul_qs8", kBatchMatmulQs8Kernels, cap, cpu),
      Select("batch_matmul_qs16", kBatchMatmulQs16Kernels, cap, cpu),
      Select("batch_matmul_qs16_qs8", kBatchMatmulQs16Qs8Kernels, cap, cpu),
      Select("softmax_qs8", kSoftmaxQs8Kernels, cap, cpu),
      Select("softmax_qs8_qs16", kSoftmaxQs8Qs16Kernels, cap, cpu),
      Select("softmax_qs16", kSoftmaxQs16Kernels, cap, cpu),
      Select("f32_gemm", F32GemmKernels(), cap, cpu),
      Select("x32_transpose", X32TransposeKernels(), cap, cpu),
      Select("rfft_q15", RfftQ15Kernels(), cap, cpu),
      Select("patch_motion", PatchMotionKernels(), cap, cpu),
  };
}

}  // namespace edgefuse::core::kernels
