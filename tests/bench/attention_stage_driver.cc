// Runs one stage of the float attention block a fixed number of times, for retired
// instruction counts under QEMU per stage (Google Benchmark picks its own iteration
// counts, so it cannot be used with tests/bench/insn-count.sh --per-iter):
//
//   tests/bench/insn-count.sh --cpu cortex-a76 --per-iter 2,12 --
//       build/rpi5/tests/bench/attention_stage_driver large qk @ITERS@
//
// Shapes: small (H=4, E=64, Nq=8, Nk=192), large (H=8, E=256, Nq=64, Nk=256).
// Stages (one block call's worth each): fc_q (and likewise out_proj), fc_kv (one of the
// K and V projections), transpose (K_h^T of every head), qk, softmax, pv.
// The kernels are the ones the block selects (EDGEFUSE_MAX_TIER caps them).
#include <xnnpack.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "core/kernels/f32_gemm/f32_gemm.h"
#include "core/kernels/x32_transpose/x32_transpose.h"
#include "core/xnnpack/runtime.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: attention_stage_driver small|large fc_q|fc_kv|transpose|qk|softmax|pv ITERS\n");
    return 2;
  }
  const bool large = std::strcmp(argv[1], "large") == 0;
  const size_t heads = large ? 8 : 4, e = large ? 256 : 64, nq = large ? 64 : 8, nk = large ? 256 : 192;
  const size_t d = e / heads;
  const char* stage = argv[2];
  char* end = nullptr;
  const int64_t iters = std::strtoll(argv[3], &end, 10);
  if (end == argv[3] || *end != '\0' || iters < 0) {
    std::fprintf(stderr, "attention_stage_driver: ITERS must be a non-negative integer\n");
    return 2;
  }
  if (!edgefuse::core::EnsureXnnpackInitialized()) return 1;
  const edgefuse::core::Tier cap = edgefuse::core::DefaultTierCap();
  const auto& gemm = edgefuse::core::SelectF32Gemm(cap).fn;
  const auto transpose = edgefuse::core::SelectX32Transpose(cap).fn;

  std::vector<float> a(nk * e), b(nk * e), c(heads * nq * nk), w(e * e), bias(e);
  for (size_t i = 0; i < a.size(); ++i) a[i] = std::sin(0.37f * static_cast<float>(i));
  for (size_t i = 0; i < w.size(); ++i) w[i] = 0.05f * std::cos(0.11f * static_cast<float>(i));
  const float inf = std::numeric_limits<float>::infinity();
  xnn_operator_t op = nullptr;
  if (std::strcmp(stage, "fc_q") == 0 || std::strcmp(stage, "fc_kv") == 0) {
    const size_t rows = stage[3] == 'q' ? nq : nk;
    if (xnn_create_fully_connected_nc_f32(e, e, e, e, w.data(), bias.data(), -inf, inf, 0, &op) != xnn_status_success) {
      return 1;
    }
    for (int64_t i = 0; i < iters; ++i) {
      xnn_setup_fully_connected_nc_f32(op, rows, a.data(), b.data(), nullptr);
      xnn_run_operator(op, nullptr);
    }
  } else if (std::strcmp(stage, "softmax") == 0) {
    if (xnn_create_softmax_nc_f32(nk, nk, nk, 0, &op) != xnn_status_success) return 1;
    for (int64_t i = 0; i < iters; ++i) {
      xnn_setup_softmax_nc_f32(op, heads * nq, c.data(), c.data(), nullptr);
      xnn_run_operator(op, nullptr);
    }
  } else if (std::strcmp(stage, "transpose") == 0) {
    for (int64_t i = 0; i < iters; ++i) {
      for (size_t h = 0; h < heads; ++h) transpose(nk, d, a.data() + h * d, e * 4, b.data() + h * d * nk, nk * 4);
    }
  } else if (std::strcmp(stage, "qk") == 0) {
    for (int64_t i = 0; i < iters; ++i) {
      for (size_t h = 0; h < heads; ++h) {
        gemm.fn(nq, nk, d, a.data() + h * d, e * 4, b.data() + h * d * nk, nk * 4, c.data() + h * nq * nk, nk * 4,
                0.25f);
      }
    }
  } else if (std::strcmp(stage, "pv") == 0) {
    for (int64_t i = 0; i < iters; ++i) {
      for (size_t h = 0; h < heads; ++h) {
        gemm.fn(nq, d, nk, c.data() + h * nq * nk, nk * 4, a.data() + h * d, e * 4, b.data() + h * d, e * 4, 1.0f);
      }
    }
  } else {
    std::fprintf(stderr, "attention_stage_driver: unknown stage '%s'\n", stage);
    return 2;
  }
  if (op != nullptr) xnn_delete_operator(op);
  std::printf("%s %s x %lld\n", argv[1], stage, static_cast<long long>(iters));
  return 0;
}
