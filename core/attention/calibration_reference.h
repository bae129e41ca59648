// The float64 recomputation of the cross-attention block that calibration observes:
// every tensor an integer block quantizes (ranges.h), computed with plain loops in
// double and a libm-free exp, so that the observed ranges (and every scale and
// multiplier derived from them) are the same bits on every CPU. The float block uses
// XNNPACK and SIMD kernels that round differently on x86-64 and aarch64; ranges taken
// from it made the int8 and 16x8 outputs differ between the desk and the board.
//
//   edgefuse::core::RangeObserver observer;
//   edgefuse::core::ObserveReferenceAttention(weights, heads, sample, &observer);
#pragma once

#include "core/attention/attention.h"
#include "core/attention/calibration.h"

namespace edgefuse::core {

// e^x from IEEE double +, -, *, / alone (range reduction by ln 2, a degree-13 Taylor
// polynomial): within 2 ulp of the exact value, and the same bits everywhere.
double PortableExp(double x);

// Observes query, context, Q, K, V, the unmasked scores, the attention (P V) and the
// output of one sample, each rounded to float. The weights must fit the sample
// (embed_dim = weights' E, kdim, heads dividing E): CalibrateAttention checks that.
void ObserveReferenceAttention(const AttentionWeights& weights, int embed_dim, int kdim, int heads,
                               const CalibrationSample& sample, AttentionObserver* observer);

}  // namespace edgefuse::core
