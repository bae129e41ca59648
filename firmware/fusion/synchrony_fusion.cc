// The synchrony fusion on core's cross-attention block (README.md here).
//
// Per frame, over the last n = min(frames, W) frames:
//   context token j (one per patch, kdim = W + 8): the patch's motion series (compressed,
//     pooled over 3 x 3 patches), z-scored (regularized: divided by
//     sqrt(var + kMotionFloor^2)), right-aligned in the first W
//     slots (zeros before the window starts), then the patch's 8 token features of the
//     newest frame (centre x and y times sqrt(W), so that they use the same integer
//     range as the z-scores);
//   query token l (one per lag, E = W): the audio level envelope (widened by a frame,
//     limited to the window's top kEnvelopeRangeDb), z-scored the same way,
//     read lag_l frames later than the video frame of each slot (zero where that audio
//     is not in yet), times W / n;
//   weights (fusion_model.cc): built in, W_q = sqrt(E) / (W T) I, W_k = [I_W | 0], so
//     that the score q.k / sqrt(E) is corr / T with corr the (regularized) Pearson
//     correlation of the two series; W_v copies centre x, y (undoing the sqrt(W)) and
//     the appearance features / 8 into the first value channels; W_o = I; one head.
//     Or a learned model's.
// Every tensor of the block has a range known in advance (z-scores of W values lie
// within +-sqrt(W); correlations within +-1; bounds through the weights' norms for a
// model), so the int8 block (the default) is created with those ranges instead of a
// calibration set.
// The attention map is the row of the lag with the best smoothed peak correlation
// (averaged over heads), the position the soft argmax of the map (with the built-in
// weights, the block's output channels 0 and 1; a model's output is not used), the
// confidence the correlation of the map's peak patch.
#include "firmware/fusion/synchrony_fusion.h"

#include <algorithm>
#include <cmath>

#include "modalities/vision/frontend_settings.h"

namespace edgefuse::fusion {
namespace {

namespace vf = vision::frontend;

// Standard-deviation floors of the z-scoring: below them a series counts as flat (camera
// noise on a still patch, steady background sound) and its z-scores shrink.
constexpr float kMotionFloor = 0.03f;
constexpr float kAudioFloor = 1.0f;  // dB
// The noise floor follows the level down at once and rises this much per frame.
constexpr float kFloorRiseDbPerFrame = 0.03f;
// The level the gate compares is held at its peak over this many frames (click trains).
constexpr int kLevelHoldFrames = 2;
// The audio envelope is the maximum level over this many frames either side (syllables
// and click trains leave dips that are not pauses).
constexpr int kEnvelopeRadius = 1;
constexpr float kEnvelopeRangeDb = 10.0f;
// Motion (in grey standard deviations) at which the compressed motion is one half.
constexpr float kMotionHalf = 0.5f;
// Motion is pooled over patches within this many rows and columns.
constexpr int kPoolRadius = 1;
// Weight of the newest frame in the lags' smoothed correlation.
constexpr float kLagSmoothing = 0.05f;
// Frames of history before the fusion may report a source.
constexpr int kMinFrames = 15;
float Clamp01(float v) { return std::min(1.0f, std::max(0.0f, v)); }

class SynchronyFusionImpl final : public SynchronyFusion {
 public:
  explicit SynchronyFusionImpl(const SynchronyConfig& config) : config_(config) {}

  bool Init(std::string* error) {
    const int w = config_.window_frames;
    if (w < 8 || w > 1024) {
      *error = "fusion: window_frames must be 8..1024, got " + std::to_string(w);
      return false;
    }
    if (config_.grid_w <= 0 || config_.grid_h <= 0) {
      *error = "fusion: the patch grid must be positive";
      return false;
    }
    if (config_.lags_ms.empty() || config_.lags_ms.size() > 64) {
      *error = "fusion: 1..64 lags needed";
      return false;
    }
    if (!(config_.fps > 0.0)) {
      *error = "fusion: fps must be positive";
      return false;
    }
    patches_ = config_.grid_w * config_.grid_h;
    lags_ = static_cast<int>(config_.lags_ms.size());
    kdim_ = w + vf::kTokenDim;
    for (int ms : config_.lags_ms) {
      const int frames = static_cast<int>(std::lround(ms * config_.fps / 1000.0));
      if (std::abs(frames) >= w / 2) {
        *error =
            "fusion: lag " + std::to_string(ms) + " ms is too long for a window of " + std::to_string(w) + " frames";
        return false;
      }
      lag_frames_.push_back(frames);
    }
    if (config_.model && (config_.model->weights.embed_dim != w || config_.model->weights.kdim != kdim_)) {
      *error = "fusion: the model has embed_dim " + std::to_string(config_.model->weights.embed_dim) + " and kdim " +
               std::to_string(config_.model->weights.kdim) + ", the window needs " + std::to_string(w) + " and " +
               std::to_string(kdim_);
      return false;
    }
    // Centre x and y enter the context times sqrt(W), so that they use the z-scores'
    // integer range (the built-in W_v divides it back out).
    position_scale_ = std::sqrt(static_cast<float>(w));
    const FusionModel builtin = config_.model ? FusionModel() : BuiltinFusionModel(w);
    const FusionModel& model = config_.model ? *config_.model : builtin;
    const core::AttentionRanges ranges = config_.model ? FusionModelRanges(model) : BuiltinFusionRanges(w);
    for (const core::TensorRange& range : ranges.ranges) {
      if (config_.precision != core::AttentionPrecision::kF32 &&
          !(std::isfinite(range.min) && std::isfinite(range.max))) {
        *error = "fusion: the model's weights are too large to bound its tensors in float; use precision f32";
        return false;
      }
    }
    const core::AttentionConfig ac{.embed_dim = w,
                                   .num_heads = model.num_heads,
                                   .kdim = kdim_,
                                   .max_query_tokens = lags_,
                                   .max_context_tokens = patches_,
                                   .precision = config_.precision,
                                   .threads = config_.threads};
    block_ = core::CrossAttention::Create(ac, model.weights, &ranges, error);
    if (!block_) return false;
    const size_t e = static_cast<size_t>(w);
    const size_t k = static_cast<size_t>(kdim_);
    motion_.assign(e * patches_, 0.0f);
    audio_.assign(e, 0.0f);
    context_.assign(k * patches_, 0.0f);
    query_.assign(e * lags_, 0.0f);
    out_.assign(e * lags_, 0.0f);
    weights_.assign(static_cast<size_t>(lags_) * patches_, 0.0f);
    za_.assign(e, 0.0f);
    lag_corr_.assign(static_cast<size_t>(lags_), 0.0f);
    lag_score_.assign(static_cast<size_t>(lags_), 0.0f);
    compressed_.assign(static_cast<size_t>(patches_), 0.0f);
    envelope_.assign(e, 0.0f);
    level_hold_.assign(kLevelHoldFrames, -120.0f);
    return true;
  }

  bool Push(const vision::PatchTokens& tokens, const AudioActivity& audio, SynchronyOutput* out,
            std::string* error) override {
    if (tokens.patches != patches_ || tokens.dim != vf::kTokenDim ||
        tokens.values.size() != static_cast<size_t>(patches_) * vf::kTokenDim) {
      *error = "fusion: expected " + std::to_string(patches_) + " x " + std::to_string(vf::kTokenDim) +
               " patch tokens, got " + std::to_string(tokens.patches) + " x " + std::to_string(tokens.dim);
      return false;
    }
    const int w = config_.window_frames;
    const size_t slot = static_cast<size_t>(frames_ % w);
    // Motion compressed: m / (m + kMotionHalf), so that a
    // flicker's one big step does not outweigh its steady changes.
    for (int p = 0; p < patches_; ++p) {
      const float m = std::max(0.0f, tokens.Value(p, vf::kMotion));
      compressed_[static_cast<size_t>(p)] = m / (m + kMotionHalf);
    }
    // Pooled over the 3 x 3 neighbourhood (the maximum): a moving object stays in a
    // patch's neighbourhood for several frames, where it crosses the patch in a few.
    const int gw = config_.grid_w;
    const int gh = config_.grid_h;
    for (int r = 0; r < gh; ++r) {
      for (int c = 0; c < gw; ++c) {
        float v = 0.0f;
        for (int rr = std::max(0, r - kPoolRadius); rr <= std::min(gh - 1, r + kPoolRadius); ++rr) {
          for (int cc = std::max(0, c - kPoolRadius); cc <= std::min(gw - 1, c + kPoolRadius); ++cc) {
            v = std::max(v, compressed_[static_cast<size_t>(rr * gw + cc)]);
          }
        }
        motion_[slot * patches_ + static_cast<size_t>(r * gw + c)] = v;
      }
    }
    // Level gate: peak-held level against an adaptive noise floor.
    const float level = audio.valid ? audio.level_dbfs : last_level_;
    last_level_ = level;
    if (frames_ == 0 || level < floor_db_) {
      floor_db_ = level;
    } else {
      floor_db_ += kFloorRiseDbPerFrame;
    }
    const float margin = static_cast<float>(config_.noise_margin_db);
    // The activity series: the interval's peak level (dB), clamped from below at the
    // gate's threshold, so that the noise floor's flutter is one flat "silent" value.
    audio_[slot] = std::max(level, floor_db_ + margin);
    ++frames_;
    const int n = static_cast<int>(std::min<int64_t>(frames_, w));
    level_hold_[static_cast<size_t>(frames_ % kLevelHoldFrames)] = level;
    float held = -120.0f;
    for (float v : level_hold_) held = std::max(held, v);

    out->attention.resize(static_cast<size_t>(patches_));
    out->level_dbfs = level;
    out->noise_floor_dbfs = floor_db_;

    // Context: z-scored motion series (right-aligned), then the newest tokens.
    const size_t k = static_cast<size_t>(kdim_);
    for (int p = 0; p < patches_; ++p) {
      float* row = &context_[static_cast<size_t>(p) * k];
      double sum = 0.0, sum2 = 0.0;
      for (int i = 0; i < n; ++i) {
        const float m = motion_[static_cast<size_t>((frames_ - n + i) % w) * patches_ + p];
        sum += m;
        sum2 += static_cast<double>(m) * m;
      }
      const double mean = sum / n;
      const double var = std::max(0.0, sum2 / n - mean * mean);
      const float inv = static_cast<float>(1.0 / std::sqrt(var + kMotionFloor * kMotionFloor));
      for (int i = 0; i < w - n; ++i) row[i] = 0.0f;
      for (int i = 0; i < n; ++i) {
        const float m = motion_[static_cast<size_t>((frames_ - n + i) % w) * patches_ + p];
        row[w - n + i] = (m - static_cast<float>(mean)) * inv;
      }
      for (int f = 0; f < vf::kTokenDim; ++f) {
        const bool position = f == vf::kCentreX || f == vf::kCentreY;
        row[w + f] = tokens.Value(p, f) * (position ? position_scale_ : 1.0f);
      }
    }
    // Queries: the z-scored audio series, one per lag.
    {
      double sum = 0.0, sum2 = 0.0;
      // The envelope: each frame's level is the maximum over it and its neighbours
      // (clicks and syllables leave short dips that are not pauses).
      float peak = -120.0f;
      for (int i = 0; i < n; ++i) {
        float a = -120.0f;
        for (int j = std::max(0, i - kEnvelopeRadius); j <= std::min(n - 1, i + kEnvelopeRadius); ++j) {
          a = std::max(a, audio_[static_cast<size_t>((frames_ - n + j) % w)]);
        }
        envelope_[static_cast<size_t>(i)] = a;
        peak = std::max(peak, a);
      }
      // Only the top kEnvelopeRangeDb of the envelope counts: the loud moments, against
      // everything else (softer sound and silence alike).
      for (int i = 0; i < n; ++i) {
        const float a = std::max(envelope_[static_cast<size_t>(i)], peak - kEnvelopeRangeDb);
        envelope_[static_cast<size_t>(i)] = a;
        sum += a;
        sum2 += static_cast<double>(a) * a;
      }
      const double mean = sum / n;
      const double var = std::max(0.0, sum2 / n - mean * mean);
      const float inv = static_cast<float>(1.0 / std::sqrt(var + kAudioFloor * kAudioFloor));
      for (int i = 0; i < n; ++i) {
        za_[static_cast<size_t>(i)] = (envelope_[static_cast<size_t>(i)] - static_cast<float>(mean)) * inv;
      }
    }
    const float scale = static_cast<float>(w) / static_cast<float>(n);
    for (int l = 0; l < lags_; ++l) {
      float* q = &query_[static_cast<size_t>(l) * w];
      std::fill(q, q + w, 0.0f);
      for (int i = 0; i < n; ++i) {
        const int src = i + lag_frames_[static_cast<size_t>(l)];
        if (src >= 0 && src < n) q[w - n + i] = za_[static_cast<size_t>(src)] * scale;
      }
    }
    if (!block_->Run({.query = query_, .context = context_}, {.out = out_, .weights = weights_}, error)) return false;

    // The best lag: the one whose peak patch correlates most.
    int best_lag = 0;
    float best_corr = -2.0f;
    float best_score = -2.0f;
    for (int l = 0; l < lags_; ++l) {
      const float* wl = &weights_[static_cast<size_t>(l) * patches_];
      const int peak = static_cast<int>(std::max_element(wl, wl + patches_) - wl);
      const float* q = &query_[static_cast<size_t>(l) * w];
      const float* key = &context_[static_cast<size_t>(peak) * k];
      double dot = 0.0;
      for (int i = 0; i < w; ++i) dot += static_cast<double>(q[i]) * key[i];
      const float corr = static_cast<float>(dot / w);
      lag_corr_[static_cast<size_t>(l)] = corr;
      // The A/V offset is steady: lags compete on their smoothed peak correlation.
      lag_score_[static_cast<size_t>(l)] += kLagSmoothing * (corr - lag_score_[static_cast<size_t>(l)]);
      if (lag_score_[static_cast<size_t>(l)] > best_score) {
        best_score = lag_score_[static_cast<size_t>(l)];
        best_lag = l;
      }
    }
    best_corr = lag_corr_[static_cast<size_t>(best_lag)];
    std::copy_n(&weights_[static_cast<size_t>(best_lag) * patches_], patches_, out->attention.begin());
    // The integer blocks' weights are rounded one by one (int16 steps of 1/32768), so
    // their sum is 1 only to within about Nk / 65536; the map handed on sums to 1.
    float sum = 0.0f;
    for (float v : out->attention) sum += v;
    if (sum > 0.0f) {
      for (float& v : out->attention) v /= sum;
    }
    if (config_.model) {
      // A model's position is its map's soft argmax, what the built-in values compute.
      double x = 0.0, y = 0.0;
      for (int p = 0; p < patches_; ++p) {
        x += static_cast<double>(out->attention[static_cast<size_t>(p)]) * tokens.Value(p, vf::kCentreX);
        y += static_cast<double>(out->attention[static_cast<size_t>(p)]) * tokens.Value(p, vf::kCentreY);
      }
      out->x = Clamp01(static_cast<float>(x));
      out->y = Clamp01(static_cast<float>(y));
    } else {
      out->x = Clamp01(out_[static_cast<size_t>(best_lag) * w + 0]);
      out->y = Clamp01(out_[static_cast<size_t>(best_lag) * w + 1]);
    }
    out->confidence = Clamp01(best_corr);
    out->present = frames_ >= kMinFrames && held >= floor_db_ + static_cast<float>(config_.noise_margin_db) &&
                   best_corr >= static_cast<float>(config_.min_correlation);
    return true;
  }

  void Reset() override {
    frames_ = 0;
    floor_db_ = -120.0f;
    last_level_ = -120.0f;
    std::fill(level_hold_.begin(), level_hold_.end(), -120.0f);
    std::fill(lag_score_.begin(), lag_score_.end(), 0.0f);
  }

  const SynchronyConfig& config() const override { return config_; }

 private:
  SynchronyConfig config_;
  int patches_ = 0;
  int lags_ = 0;
  int kdim_ = 0;
  std::vector<int> lag_frames_;
  float position_scale_ = 1.0f;  // centre x, y enter the context times this
  std::unique_ptr<core::CrossAttention> block_;
  std::vector<float> motion_;      // ring [W, patches]
  std::vector<float> audio_;       // ring [W]
  std::vector<float> compressed_;  // this frame's compressed motion [patches]
  std::vector<float> lag_corr_;    // this frame's peak correlation per lag
  std::vector<float> lag_score_;   // its exponential average over frames
  std::vector<float> za_;          // z-scored audio, oldest first
  std::vector<float> envelope_;    // the audio envelope over the window, oldest first
  std::vector<float> context_;     // [patches, kdim]
  std::vector<float> query_;       // [lags, E]
  std::vector<float> out_;         // [lags, E]
  std::vector<float> weights_;     // [lags, patches]
  std::vector<float> level_hold_;
  int64_t frames_ = 0;
  float floor_db_ = -120.0f;
  float last_level_ = -120.0f;
};

}  // namespace

std::unique_ptr<SynchronyFusion> SynchronyFusion::Create(const SynchronyConfig& config, std::string* error) {
  auto fusion = std::make_unique<SynchronyFusionImpl>(config);
  if (!fusion->Init(error)) return nullptr;
  return fusion;
}

}  // namespace edgefuse::fusion
