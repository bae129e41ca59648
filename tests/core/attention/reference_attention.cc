#include "tests/core/attention/reference_attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace edgefuse::testing {
namespace {

// y[n][o] = sum_i x[n][i] * w[o][i] + b[o], in double.
std::vector<double> Linear(std::span<const float> x, size_t rows, size_t in, const std::vector<float>& w,
                           const std::vector<float>& b, size_t out) {
  std::vector<double> y(rows * out);
  for (size_t n = 0; n < rows; ++n) {
    for (size_t o = 0; o < out; ++o) {
      double acc = b[o];
      for (size_t i = 0; i < in; ++i) acc += static_cast<double>(x[n * in + i]) * w[o * in + i];
      y[n * out + o] = acc;
    }
  }
  return y;
}

std::vector<float> Uniform(std::mt19937_64& rng, size_t count, double bound) {
  std::uniform_real_distribution<double> dist(-bound, bound);
  std::vector<float> values(count);
  for (float& v : values) v = static_cast<float>(dist(rng));
  return values;
}

}  // namespace

ReferenceResult ReferenceAttention(const core::AttentionWeights& w, int num_heads, std::span<const float> query,
                                   std::span<const float> context, std::span<const uint8_t> mask) {
  const auto e = static_cast<size_t>(w.embed_dim), kdim = static_cast<size_t>(w.kdim);
  const auto heads = static_cast<size_t>(num_heads), d = e / heads;
  const size_t nq = query.size() / e, nk = context.size() / kdim;
  ReferenceResult result;
  result.out.assign(nq * e, 0.0);
  result.weights.assign(heads * nq * nk, 0.0);
  result.averaged.assign(nq * nk, 0.0);
  const bool all_masked = !mask.empty() && std::all_of(mask.begin(), mask.end(), [](uint8_t m) { return m != 0; });
  if (all_masked) {
    for (size_t i = 0; i < nq; ++i) std::copy(w.out_bias.begin(), w.out_bias.end(), result.out.begin() + i * e);
    return result;
  }
  const std::vector<double> q = Linear(query, nq, e, w.q_weight, w.q_bias, e);
  const std::vector<double> k = Linear(context, nk, kdim, w.k_weight, w.k_bias, e);
  const std::vector<double> v = Linear(context, nk, kdim, w.v_weight, w.v_bias, e);
  std::vector<double> attn(nq * e, 0.0);
  const double scale = 1.0 / std::sqrt(static_cast<double>(d));
  std::vector<double> scores(nk);
  for (size_t h = 0; h < heads; ++h) {
    for (size_t i = 0; i < nq; ++i) {
      double max_score = -std::numeric_limits<double>::infinity();
      for (size_t j = 0; j < nk; ++j) {
        double s = 0.0;
        for (size_t c = 0; c < d; ++c) s += q[i * e + h * d + c] * k[j * e + h * d + c];
        scores[j] = (!mask.empty() && mask[j] != 0) ? -std::numeric_limits<double>::infinity() : s * scale;
        max_score = std::max(max_score, scores[j]);
      }
      double sum = 0.0;
      for (size_t j = 0; j < nk; ++j) sum += scores[j] = std::exp(scores[j] - max_score);
      double* p = &result.weights[(h * nq + i) * nk];
      for (size_t j = 0; j < nk; ++j) p[j] = scores[j] / sum;
      for (size_t j = 0; j < nk; ++j) result.averaged[i * nk + j] += p[j] / static_cast<double>(heads);
      for (size_t c = 0; c < d; ++c) {
        double acc = 0.0;
        for (size_t j = 0; j < nk; ++j) acc += p[j] * v[j * e + h * d + c];
        attn[i * e + h * d + c] = acc;
      }
    }
  }
  for (size_t i = 0; i < nq; ++i) {
    for (size_t o = 0; o < e; ++o) {
      double acc = w.out_bias[o];
      for (size_t c = 0; c < e; ++c) acc += attn[i * e + c] * w.out_weight[o * e + c];
      result.out[i * e + o] = acc;
    }
  }
  return result;
}

double MaxRelativeError(std::span<const float> got, std::span<const double> want) {
  double max_error = 0.0, max_want = 0.0;
  for (size_t i = 0; i < got.size(); ++i) {
    max_error = std::max(max_error, std::abs(static_cast<double>(got[i]) - want[i]));
    max_want = std::max(max_want, std::abs(want[i]));
  }
  return max_want == 0.0 ? max_error : max_error / max_want;
}

double MaxAbsoluteError(std::span<const float> got, std::span<const double> want) {
  double max_error = 0.0;
  for (size_t i = 0; i < got.size(); ++i)
    max_error = std::max(max_error, std::abs(static_cast<double>(got[i]) - want[i]));
  return max_error;
}

core::AttentionWeights RandomAttentionWeights(std::mt19937_64& rng, int embed_dim, int kdim) {
  const auto e = static_cast<size_t>(embed_dim), k = static_cast<size_t>(kdim);
  core::AttentionWeights w;
  w.embed_dim = embed_dim;
  w.kdim = kdim;
  if (kdim == embed_dim) {
    // xavier_uniform_ on the packed [3E, E] in_proj_weight.
    const double bound = std::sqrt(6.0 / static_cast<double>(3 * e + e));
    w.q_weight = Uniform(rng, e * e, bound);
    w.k_weight = Uniform(rng, e * e, bound);
    w.v_weight = Uniform(rng, e * e, bound);
  } else {
    w.q_weight = Uniform(rng, e * e, std::sqrt(6.0 / static_cast<double>(2 * e)));
    w.k_weight = Uniform(rng, e * k, std::sqrt(6.0 / static_cast<double>(e + k)));
    w.v_weight = Uniform(rng, e * k, std::sqrt(6.0 / static_cast<double>(e + k)));
  }
  w.out_weight = Uniform(rng, e * e, 1.0 / std::sqrt(static_cast<double>(e)));
  w.q_bias = Uniform(rng, e, 0.1);
  w.k_bias = Uniform(rng, e, 0.1);
  w.v_bias = Uniform(rng, e, 0.1);
  w.out_bias = Uniform(rng, e, 0.1);
  return w;
}

std::vector<float> RandomNormal(std::mt19937_64& rng, size_t count) {
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> values(count);
  for (float& v : values) v = dist(rng);
  return values;
}

}  // namespace edgefuse::testing
