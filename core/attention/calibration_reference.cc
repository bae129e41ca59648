#include "core/attention/calibration_reference.h"

#include <cmath>
#include <limits>
#include <vector>

namespace edgefuse::core {
namespace {

// rows x out = input [rows, in] W^T + b, W [out, in] row-major, in double.
std::vector<double> Project(std::span<const float> input, size_t rows, size_t in, const std::vector<float>& weight,
                            const std::vector<float>& bias, size_t out) {
  std::vector<double> result(rows * out);
  for (size_t i = 0; i < rows; ++i) {
    for (size_t o = 0; o < out; ++o) {
      double acc = bias.empty() ? 0.0 : bias[o];
      for (size_t c = 0; c < in; ++c) acc += static_cast<double>(input[i * in + c]) * weight[o * in + c];
      result[i * out + o] = acc;
    }
  }
  return result;
}

std::vector<double> Project(const std::vector<double>& input, size_t rows, size_t in, const std::vector<float>& weight,
                            const std::vector<float>& bias, size_t out) {
  std::vector<double> result(rows * out);
  for (size_t i = 0; i < rows; ++i) {
    for (size_t o = 0; o < out; ++o) {
      double acc = bias.empty() ? 0.0 : bias[o];
      for (size_t c = 0; c < in; ++c) acc += input[i * in + c] * weight[o * in + c];
      result[i * out + o] = acc;
    }
  }
  return result;
}

void Observe(AttentionObserver* observer, AttentionTensor tensor, const std::vector<double>& values) {
  std::vector<float> rounded(values.size());
  for (size_t i = 0; i < values.size(); ++i) rounded[i] = static_cast<float>(values[i]);
  observer->Observe(tensor, rounded);
}

}  // namespace

double PortableExp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.0) return std::numeric_limits<double>::infinity();
  if (x < -745.0) return 0.0;
  // x = k ln2 + r, |r| <= ln2 / 2; ln2 split so that k * kLn2Hi is exact for |k| < 2^11.
  constexpr double kInvLn2 = 1.4426950408889634;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  const double k = std::nearbyint(x * kInvLn2);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  // e^r = 1 + r (1 + r/2 (1 + r/3 (... (1 + r/13)))), innermost first.
  double p = 1.0;
  for (int n = 13; n >= 1; --n) p = 1.0 + p * r / n;
  return std::ldexp(p, static_cast<int>(k));
}

void ObserveReferenceAttention(const AttentionWeights& w, int embed_dim, int kdim_in, int heads_in,
                               const CalibrationSample& sample, AttentionObserver* observer) {
  const auto e = static_cast<size_t>(embed_dim), kdim = static_cast<size_t>(kdim_in);
  const auto heads = static_cast<size_t>(heads_in), d = e / heads;
  const size_t nq = sample.query.size() / e, nk = sample.context.size() / kdim;
  observer->Observe(AttentionTensor::kQuery, sample.query.first(nq * e));
  observer->Observe(AttentionTensor::kContext, sample.context.first(nk * kdim));
  const std::vector<double> q = Project(sample.query, nq, e, w.q_weight, w.q_bias, e);
  const std::vector<double> k = Project(sample.context, nk, kdim, w.k_weight, w.k_bias, e);
  const std::vector<double> v = Project(sample.context, nk, kdim, w.v_weight, w.v_bias, e);
  Observe(observer, AttentionTensor::kQ, q);
  Observe(observer, AttentionTensor::kK, k);
  Observe(observer, AttentionTensor::kV, v);

  const auto masked = [&](size_t j) { return !sample.key_padding_mask.empty() && sample.key_padding_mask[j] != 0; };
  const double scale = 1.0 / std::sqrt(static_cast<double>(d));
  std::vector<double> scores, attention(nq * e, 0.0), row(nk);
  for (size_t h = 0; h < heads; ++h) {
    for (size_t i = 0; i < nq; ++i) {
      double peak = -std::numeric_limits<double>::infinity();
      for (size_t j = 0; j < nk; ++j) {
        if (masked(j)) continue;
        double dot = 0.0;
        for (size_t c = 0; c < d; ++c) dot += q[i * e + h * d + c] * k[j * e + h * d + c];
        row[j] = dot * scale;
        scores.push_back(row[j]);
        peak = std::max(peak, row[j]);
      }
      // Softmax over the unmasked keys; a row with every key masked attends to nothing.
      double sum = 0.0;
      for (size_t j = 0; j < nk; ++j) {
        row[j] = masked(j) ? 0.0 : PortableExp(row[j] - peak);
        sum += row[j];
      }
      for (size_t j = 0; j < nk && sum > 0.0; ++j) {
        const double p = row[j] / sum;
        for (size_t c = 0; c < d; ++c) attention[i * e + h * d + c] += p * v[j * e + h * d + c];
      }
    }
  }
  Observe(observer, AttentionTensor::kScores, scores);
  Observe(observer, AttentionTensor::kAttention, attention);
  Observe(observer, AttentionTensor::kOutput, Project(attention, nq, e, w.out_weight, w.out_bias, e));
}

}  // namespace edgefuse::core
