#include "firmware/fusion/fusion_model.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "core/attention/weights.h"
#include "core/format/safetensors.h"
#include "firmware/files/tensor_files.h"
#include "modalities/vision/frontend_settings.h"

namespace edgefuse::fusion {
namespace {

namespace vf = vision::frontend;

// Softmax temperature on the correlation scale.
constexpr float kTemperature = 0.04f;
// The appearance features (motion, texture, level in grey standard deviations; colours
// 0..1) are divided by this in the values, so that the value channels stay within +-1;
// the model bounds take it as their largest magnitude.
constexpr float kAppearanceRange = 8.0f;

void SetRange(core::AttentionRanges* ranges, core::AttentionTensor tensor, double lo, double hi) {
  (*ranges)[tensor].min = static_cast<float>(lo);
  (*ranges)[tensor].max = static_cast<float>(hi);
}

// An upper bound of the largest singular value of rows [r0, r0 + rows) x columns
// [c0, c0 + cols) of a row-major matrix with `stride` columns: the smaller of the
// Frobenius norm and the square root of the largest absolute row sum of A A^T
// (Gershgorin). Exact for a multiple of the identity.
double SpectralBound(const std::vector<float>& a, int stride, int r0, int rows, int c0, int cols) {
  std::vector<double> gram(static_cast<size_t>(rows) * rows, 0.0);
  double frobenius2 = 0.0;
  for (int i = 0; i < rows; ++i) {
    const float* ai = &a[static_cast<size_t>(r0 + i) * stride + c0];
    for (int j = 0; j < rows; ++j) {
      const float* aj = &a[static_cast<size_t>(r0 + j) * stride + c0];
      double dot = 0.0;
      for (int c = 0; c < cols; ++c) dot += static_cast<double>(ai[c]) * aj[c];
      gram[static_cast<size_t>(i) * rows + j] = dot;
    }
    frobenius2 += gram[static_cast<size_t>(i) * rows + i];
  }
  double gershgorin = 0.0;
  for (int i = 0; i < rows; ++i) {
    double sum = 0.0;
    for (int j = 0; j < rows; ++j) sum += std::fabs(gram[static_cast<size_t>(i) * rows + j]);
    gershgorin = std::max(gershgorin, sum);
  }
  return std::sqrt(std::min(frobenius2, gershgorin));
}

// The largest magnitude of each context feature: z-scores (the first W; as a vector,
// norm sqrt(W)), positions times sqrt(W), appearance features.
double FeatureBound(int feature, int w) {
  return feature == vf::kCentreX || feature == vf::kCentreY ? std::sqrt(static_cast<double>(w)) : kAppearanceRange;
}

// The range of x W^T + b over the contexts (or queries, kdim == W) the fusion makes:
// per output row, |dot| <= |W_row[0, W)| sqrt(W) + sum_f |W_row[W + f]| bound_f.
void ProjectionRange(const std::vector<float>& weight, const std::vector<float>& bias, int rows, int kdim, int w,
                     double* lo, double* hi) {
  *lo = 0.0;
  *hi = 0.0;
  for (int r = 0; r < rows; ++r) {
    const float* row = &weight[static_cast<size_t>(r) * kdim];
    double norm2 = 0.0;
    for (int c = 0; c < w; ++c) norm2 += static_cast<double>(row[c]) * row[c];
    double reach = std::sqrt(norm2 * w);
    for (int f = 0; f < kdim - w; ++f) reach += std::fabs(row[w + f]) * FeatureBound(f, w);
    *lo = std::min(*lo, bias[static_cast<size_t>(r)] - reach);
    *hi = std::max(*hi, bias[static_cast<size_t>(r)] + reach);
  }
}

double BiasNorm(const std::vector<float>& bias, int r0, int rows) {
  double norm2 = 0.0;
  for (int r = r0; r < r0 + rows; ++r) norm2 += static_cast<double>(bias[static_cast<size_t>(r)]) * bias[r];
  return std::sqrt(norm2);
}

}  // namespace

FusionModel BuiltinFusionModel(int window_frames) {
  const size_t e = static_cast<size_t>(window_frames);
  const size_t k = e + vf::kTokenDim;
  FusionModel model;
  core::AttentionWeights& weights = model.weights;
  weights.embed_dim = window_frames;
  weights.kdim = static_cast<int>(k);
  weights.q_weight.assign(e * e, 0.0f);
  weights.k_weight.assign(e * k, 0.0f);
  weights.v_weight.assign(e * k, 0.0f);
  weights.out_weight.assign(e * e, 0.0f);
  weights.q_bias.assign(e, 0.0f);
  weights.k_bias.assign(e, 0.0f);
  weights.v_bias.assign(e, 0.0f);
  weights.out_bias.assign(e, 0.0f);
  const float w = static_cast<float>(window_frames);
  const float q_scale = std::sqrt(w) / (w * kTemperature);
  for (size_t i = 0; i < e; ++i) {
    weights.q_weight[i * e + i] = q_scale;
    weights.k_weight[i * k + i] = 1.0f;
    weights.out_weight[i * e + i] = 1.0f;
  }
  // Values: x, y first (undoing the context's sqrt(W)), then the other appearance
  // features of the newest frame.
  const int order[vf::kTokenDim] = {vf::kCentreX, vf::kCentreY, vf::kMotion, vf::kTexture,
                                    vf::kLevel,   vf::kBlue,    vf::kGreen,  vf::kRed};
  for (int i = 0; i < vf::kTokenDim; ++i) {
    weights.v_weight[static_cast<size_t>(i) * k + e + static_cast<size_t>(order[i])] =
        i < 2 ? 1.0f / std::sqrt(w) : 1.0f / kAppearanceRange;
  }
  return model;
}

core::AttentionRanges BuiltinFusionRanges(int window_frames) {
  const float z = std::sqrt(static_cast<float>(window_frames));
  const float q_scale = z / (static_cast<float>(window_frames) * kTemperature);
  core::AttentionRanges ranges;
  using T = core::AttentionTensor;
  SetRange(&ranges, T::kQuery, -z, z);
  SetRange(&ranges, T::kContext, -z, z);
  SetRange(&ranges, T::kQ, -z * q_scale, z * q_scale);
  SetRange(&ranges, T::kK, -z, z);
  SetRange(&ranges, T::kV, -1.0f, 1.0f);
  SetRange(&ranges, T::kScores, -1.0f / kTemperature, 1.0f / kTemperature);
  SetRange(&ranges, T::kAttention, -1.0f, 1.0f);
  SetRange(&ranges, T::kOutput, -1.0f, 1.0f);
  return ranges;
}

core::AttentionRanges FusionModelRanges(const FusionModel& model) {
  const core::AttentionWeights& wt = model.weights;
  const int w = wt.embed_dim;
  const int kdim = wt.kdim;
  const double z = std::sqrt(static_cast<double>(w));
  using T = core::AttentionTensor;
  core::AttentionRanges ranges;
  SetRange(&ranges, T::kQuery, -z, z);
  // As with the built-in weights: the z-scores' range, which the positions (times
  // sqrt(W)) fill too; larger appearance features saturate.
  SetRange(&ranges, T::kContext, -z, z);
  double lo = 0.0, hi = 0.0;
  ProjectionRange(wt.q_weight, wt.q_bias, w, w, w, &lo, &hi);
  SetRange(&ranges, T::kQ, lo, hi);
  ProjectionRange(wt.k_weight, wt.k_bias, w, kdim, w, &lo, &hi);
  SetRange(&ranges, T::kK, lo, hi);
  ProjectionRange(wt.v_weight, wt.v_bias, w, kdim, w, &lo, &hi);
  SetRange(&ranges, T::kV, lo, hi);
  const double v_reach = std::max(-lo, hi);
  // The attention rows are convex combinations of the values.
  SetRange(&ranges, T::kAttention, lo, hi);

  // Scores: |q_h . k_h| / sqrt(d) <= |q_h| |k_h| / sqrt(d), each norm bounded through
  // the head's spectral norms (the z-scored series have norm at most sqrt(W)).
  const int heads = model.num_heads;
  const int d = w / heads;
  double features2 = 0.0;
  for (int f = 0; f < kdim - w; ++f) features2 += FeatureBound(f, w) * FeatureBound(f, w);
  double scores = 0.0;
  for (int h = 0; h < heads; ++h) {
    const double q_norm = SpectralBound(wt.q_weight, w, h * d, d, 0, w) * z + BiasNorm(wt.q_bias, h * d, d);
    const double k_norm = SpectralBound(wt.k_weight, kdim, h * d, d, 0, w) * z +
                          SpectralBound(wt.k_weight, kdim, h * d, d, w, kdim - w) * std::sqrt(features2) +
                          BiasNorm(wt.k_bias, h * d, d);
    scores = std::max(scores, q_norm * k_norm / std::sqrt(static_cast<double>(d)));
  }
  SetRange(&ranges, T::kScores, -scores, scores);

  lo = hi = 0.0;
  for (int r = 0; r < w; ++r) {
    double reach = 0.0;
    for (int c = 0; c < w; ++c) reach += std::fabs(wt.out_weight[static_cast<size_t>(r) * w + c]) * v_reach;
    lo = std::min(lo, wt.out_bias[static_cast<size_t>(r)] - reach);
    hi = std::max(hi, wt.out_bias[static_cast<size_t>(r)] + reach);
  }
  SetRange(&ranges, T::kOutput, lo, hi);
  return ranges;
}

bool ReadFusionModel(const std::string& path, int window_frames, FusionModel* model, std::string* error) {
  core::SafetensorsFile file;
  if (!files::ReadSafetensorsFile(path, &file, error)) return false;
  // Without "num_heads" in the file, one head (the built-in fusion's).
  int heads = file.Metadata("num_heads") == nullptr ? 1 : 0;
  FusionModel read;
  if (!core::AttentionWeightsFromSafetensors(file, &heads, &read.weights, error)) {
    *error = path + ": " + *error;
    return false;
  }
  read.num_heads = heads;
  const int w = window_frames;
  if (read.weights.embed_dim != w || read.weights.kdim != w + vf::kTokenDim) {
    *error = path + ": the fusion needs embed_dim " + std::to_string(w) + " (fusion.window_frames) and kdim " +
             std::to_string(w + vf::kTokenDim) + " (W + " + std::to_string(vf::kTokenDim) +
             " token features), the model has " + std::to_string(read.weights.embed_dim) + " and " +
             std::to_string(read.weights.kdim);
    return false;
  }
  if (heads < 1 || w % heads != 0) {
    *error = path + ": num_heads " + std::to_string(heads) + " does not divide embed_dim " + std::to_string(w);
    return false;
  }
  *model = std::move(read);
  return true;
}

std::vector<uint8_t> SerializeFusionModel(const FusionModel& model) {
  const core::AttentionWeights& wt = model.weights;
  const int64_t e = wt.embed_dim;
  const int64_t k = wt.kdim;
  std::vector<float> in_proj_bias = wt.q_bias;
  in_proj_bias.insert(in_proj_bias.end(), wt.k_bias.begin(), wt.k_bias.end());
  in_proj_bias.insert(in_proj_bias.end(), wt.v_bias.begin(), wt.v_bias.end());
  const core::SafetensorsF32Entry tensors[] = {
      {"q_proj_weight", {e, e}, wt.q_weight},     {"k_proj_weight", {e, k}, wt.k_weight},
      {"v_proj_weight", {e, k}, wt.v_weight},     {"in_proj_bias", {3 * e}, in_proj_bias},
      {"out_proj.weight", {e, e}, wt.out_weight}, {"out_proj.bias", {e}, wt.out_bias},
  };
  const std::pair<std::string, std::string> metadata[] = {{"num_heads", std::to_string(model.num_heads)}};
  return core::SerializeSafetensorsF32(tensors, metadata);
}

}  // namespace edgefuse::fusion
