#include "firmware/sinks/fusion_result.h"

#include <cmath>

namespace edgefuse::sinks {
namespace {

bool InUnitRange(float value) { return std::isfinite(value) && value >= 0.0f && value <= 1.0f; }

}  // namespace

void CopyFusionResult(const FusionResult& from, FusionResult* to) {
  from.frame.copyTo(to->frame);  // reallocates only when size or type differ
  to->frame_index = from.frame_index;
  to->timestamp_ns = from.timestamp_ns;
  to->stream_start_ns = from.stream_start_ns;
  to->attention.grid_w = from.attention.grid_w;
  to->attention.grid_h = from.attention.grid_h;
  to->attention.weights.assign(from.attention.weights.begin(), from.attention.weights.end());
  to->source = from.source;
  to->audio = from.audio;
  to->metrics.fps = from.metrics.fps;
  to->metrics.latency_p50_ms = from.metrics.latency_p50_ms;
  to->metrics.latency_p99_ms = from.metrics.latency_p99_ms;
  to->metrics.stages.resize(from.metrics.stages.size());
  for (size_t i = 0; i < from.metrics.stages.size(); ++i) {
    to->metrics.stages[i].name.assign(from.metrics.stages[i].name);
    to->metrics.stages[i].p50_ms = from.metrics.stages[i].p50_ms;
    to->metrics.stages[i].p99_ms = from.metrics.stages[i].p99_ms;
  }
  to->metrics.frames_dropped = from.metrics.frames_dropped;
  to->metrics.audio_overruns = from.metrics.audio_overruns;
}

bool ValidateFusionResult(const FusionResult& result, std::string* error) {
  if (result.frame.empty()) {
    *error = "frame: empty";
    return false;
  }
  if (result.frame.type() != CV_8UC3) {
    *error = "frame: expected 8-bit BGR (CV_8UC3), got type " + std::to_string(result.frame.type());
    return false;
  }
  const AttentionMap& map = result.attention;
  if (!map.empty()) {
    if (map.grid_w <= 0 || map.grid_h <= 0 ||
        map.weights.size() != static_cast<size_t>(map.grid_w) * static_cast<size_t>(map.grid_h)) {
      *error = "attention: " + std::to_string(map.weights.size()) + " weights for a " + std::to_string(map.grid_w) +
               "x" + std::to_string(map.grid_h) + " grid";
      return false;
    }
    double sum = 0.0;
    for (size_t i = 0; i < map.weights.size(); ++i) {
      const float w = map.weights[i];
      if (!std::isfinite(w) || w < 0.0f) {
        *error = "attention: weight " + std::to_string(i) + " is " + std::to_string(w);
        return false;
      }
      sum += w;
    }
    if (std::fabs(sum - 1.0) > 1e-3) {
      *error = "attention: weights sum to " + std::to_string(sum) + ", not 1";
      return false;
    }
  }
  const struct {
    const char* name;
    float value;
  } unit_fields[] = {
      {"source.x", result.source.x}, {"source.y", result.source.y}, {"source.confidence", result.source.confidence}};
  for (const auto& field : unit_fields) {
    if (!InUnitRange(field.value)) {
      *error = std::string(field.name) + ": " + std::to_string(field.value) + " is not in [0, 1]";
      return false;
    }
  }
  return true;
}

}  // namespace edgefuse::sinks
