#include "firmware/sinks/jsonl_sink.h"

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstring>

#include "core/json/json.h"
#include "platform/log.h"

namespace edgefuse::sinks {
namespace {

void AppendNumber(const char* format, double value, std::string* out) {
  if (!std::isfinite(value)) {
    *out += "null";
    return;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  *out += buffer;
}

void AppendField(const char* key, const char* format, double value, std::string* out) {
  *out += ", \"";
  *out += key;
  *out += "\": ";
  AppendNumber(format, value, out);
}

}  // namespace

void AppendFrameJsonLine(double t, int64_t frame_index, const SourceEstimate& source, std::string* out) {
  *out += "{\"t\": ";
  AppendNumber("%.6f", t, out);
  char frame[32];
  std::snprintf(frame, sizeof frame, ", \"frame\": %" PRId64, frame_index);
  *out += frame;
  *out += source.present ? ", \"source\": true" : ", \"source\": false";
  AppendField("x", "%.4f", source.x, out);
  AppendField("y", "%.4f", source.y, out);
  AppendField("confidence", "%.4f", source.confidence, out);
  *out += "}\n";
}

void AppendMetricsJsonLine(const FusionResult& result, std::string* out) {
  const PipelineMetrics& m = result.metrics;
  *out += "{\"t\": ";
  AppendNumber("%.6f", result.seconds(), out);
  *out += ", \"metrics\": {\"fps\": ";
  AppendNumber("%.2f", m.fps, out);
  AppendField("latency_p50_ms", "%.2f", m.latency_p50_ms, out);
  AppendField("latency_p99_ms", "%.2f", m.latency_p99_ms, out);
  char counts[96];
  std::snprintf(counts, sizeof counts, ", \"frames_dropped\": %" PRIu64 ", \"audio_overruns\": %" PRIu64,
                m.frames_dropped, m.audio_overruns);
  *out += counts;
  AppendField("level_dbfs", "%.1f", result.audio.level_dbfs, out);
  AppendField("noise_floor_dbfs", "%.1f", result.audio.noise_floor_dbfs, out);
  *out += ", \"stages\": {";
  for (size_t i = 0; i < m.stages.size(); ++i) {
    if (i > 0) *out += ", ";
    core::AppendJsonString(m.stages[i].name, out);
    *out += ": {\"p50_ms\": ";
    AppendNumber("%.2f", m.stages[i].p50_ms, out);
    AppendField("p99_ms", "%.2f", m.stages[i].p99_ms, out);
    *out += "}";
  }
  *out += "}}}\n";
}

bool JsonlSink::Open(std::string* error) {
  write_failed_ = false;
  metrics_written_ = false;
  if (options_.path == "-") {
    file_ = stdout;
    owns_file_ = false;
    return true;
  }
  file_ = std::fopen(options_.path.c_str(), "w");
  if (file_ == nullptr) {
    *error = options_.path + ": cannot create: " + std::strerror(errno);
    return false;
  }
  owns_file_ = true;
  return true;
}

bool JsonlSink::Process(const FusionResult& result) {
  line_.clear();
  const double t = result.seconds();
  if (options_.metrics_interval_s > 0.0 && (!metrics_written_ || t - last_metrics_t_ >= options_.metrics_interval_s)) {
    AppendMetricsJsonLine(result, &line_);
    last_metrics_t_ = t;
    metrics_written_ = true;
  }
  AppendFrameJsonLine(t, result.frame_index, result.source, &line_);
  const bool ok = std::fwrite(line_.data(), 1, line_.size(), file_) == line_.size() && std::fflush(file_) == 0;
  if (!ok && !write_failed_) {
    // Once: a full disk or a closed pipe would otherwise log every frame.
    EF_LOG_ERROR("jsonl sink: %s: write failed: %s", options_.path.c_str(), std::strerror(errno));
    write_failed_ = true;
  }
  return ok;
}

void JsonlSink::Close() {
  if (owns_file_ && file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  owns_file_ = false;
}

}  // namespace edgefuse::sinks
