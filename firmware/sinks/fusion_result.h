// What the pipeline hands its sinks once per video frame: the frame itself, the
// attention map over the patch grid, the sound source estimate, the audio level and
// the pipeline's metrics. Plain data; sinks take it by const reference and copy what
// they keep (CopyFusionResult reuses the destination's buffers, so a sink's queue
// allocates nothing per frame once warm).
//
//   edgefuse::sinks::FusionResult result;
//   result.frame = bgr;                              // 8-bit BGR, as captured
//   result.frame_index = n;
//   result.timestamp_ns = capture_ns;                // CLOCK_MONOTONIC at capture
//   result.stream_start_ns = first_capture_ns;       // t = 0 of this run
//   result.attention.Reset(16, 12);                  // weights[y * 16 + x], summing to 1
//   result.source = {.present = true, .x = 0.4f, .y = 0.6f, .confidence = 0.8f};
//   for (auto& sink : sinks) sink->Consume(result);
#pragma once

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

namespace edgefuse::sinks {

// The attention map over the patch grid, row-major: weights[y * grid_w + x] is the
// patch in column x, row y (0,0 top left). The weights sum to 1; empty when the
// fusion produced no map for this frame.
struct AttentionMap {
  int grid_w = 0;
  int grid_h = 0;
  std::vector<float> weights;

  bool empty() const { return weights.empty(); }
  // Sets the grid and zeroes the weights, reusing the storage.
  void Reset(int w, int h) {
    grid_w = w;
    grid_h = h;
    weights.assign(static_cast<size_t>(w) * static_cast<size_t>(h), 0.0f);
  }
  void Clear() {
    grid_w = grid_h = 0;
    weights.clear();
  }
  float at(int x, int y) const { return weights[static_cast<size_t>(y) * static_cast<size_t>(grid_w) + x]; }
};

// Where the sound comes from, in normalized image coordinates (0,0 top left, 1,1
// bottom right). When present is false, x and y are still the best guess (or the
// centre) and confidence says how weak it is.
struct SourceEstimate {
  bool present = false;
  float x = 0.5f;
  float y = 0.5f;
  float confidence = 0.0f;  // 0..1
};

// The microphone's short-term level and the adaptive noise floor, in dBFS (0 is
// full scale; silence is far below, -120 at most).
struct AudioLevel {
  float level_dbfs = -120.0f;
  float noise_floor_dbfs = -120.0f;
};

struct StageLatency {
  std::string name;  // "capture", "vision", "audio", "fusion", ...
  double p50_ms = 0.0;
  double p99_ms = 0.0;
};

// The pipeline's running metrics as of this frame.
struct PipelineMetrics {
  double fps = 0.0;             // results per second, recent average
  double latency_p50_ms = 0.0;  // capture to result, end to end
  double latency_p99_ms = 0.0;
  std::vector<StageLatency> stages;
  uint64_t frames_dropped = 0;  // video frames the pipeline dropped (newest frame wins)
  uint64_t audio_overruns = 0;  // audio buffers the device or the pipeline lost
};

struct FusionResult {
  cv::Mat frame;                // 8-bit BGR (CV_8UC3), as captured
  int64_t frame_index = 0;      // 0, 1, 2, ... in capture order (gaps where frames were dropped)
  int64_t timestamp_ns = 0;     // capture time, CLOCK_MONOTONIC nanoseconds
  int64_t stream_start_ns = 0;  // the monotonic time that is t = 0 of this run
  AttentionMap attention;
  SourceEstimate source;
  AudioLevel audio;
  PipelineMetrics metrics;

  // Seconds since the start of the stream: the "t" of the JSON lines.
  double seconds() const { return static_cast<double>(timestamp_ns - stream_start_ns) * 1e-9; }
};

// Deep copy (pixels included) into *to, reusing its buffers when the sizes match.
void CopyFusionResult(const FusionResult& from, FusionResult* to);

// Checks the contract above: the frame is non-empty 8-bit BGR; the map, if any, has
// grid_w * grid_h finite, non-negative weights summing to 1 (within 1e-3); x, y and
// confidence are finite and in [0, 1]. False with a one-line *error naming the field.
bool ValidateFusionResult(const FusionResult& result, std::string* error);

}  // namespace edgefuse::sinks
