// JSON lines: one object per frame, on stdout ("-") or to a file, flushed per line so
// that a reader (a pipe, `tail -f`) sees each frame as it happens. The per-frame
// object is the one `edgefuse localize` writes too:
//
//   {"t": 1.233333, "frame": 37, "source": true, "x": 0.4123, "y": 0.6012, "confidence": 0.8123}
//
// t is seconds since the start of the stream (FusionResult::seconds()), x and y the
// source position in normalized image coordinates (0,0 top left; the best guess
// when source is false), confidence in [0, 1]. A value that is not finite is
// written as null. With metrics_interval_s > 0 a metrics object is interleaved,
// told apart by its "metrics" key:
//
//   {"t": 5.000000, "metrics": {"fps": 29.9, "latency_p50_ms": 41.2, ...}}
//
//   edgefuse::sinks::JsonlSink sink({.path = "-"});
#pragma once

#include <cstdio>
#include <string>

#include "firmware/sinks/sink.h"

namespace edgefuse::sinks {

struct JsonlSinkOptions {
  std::string path = "-";           // a file (created or truncated), or "-" for stdout
  double metrics_interval_s = 0.0;  // 0: no metrics lines
  SinkQueueOptions queue;
};

// Appends the per-frame line (ending in '\n') to *out.
void AppendFrameJsonLine(double t, int64_t frame_index, const SourceEstimate& source, std::string* out);
// Appends the metrics line (ending in '\n') to *out.
void AppendMetricsJsonLine(const FusionResult& result, std::string* out);

class JsonlSink final : public AsyncSink {
 public:
  explicit JsonlSink(JsonlSinkOptions options) : AsyncSink(options.queue), options_(std::move(options)) {}
  ~JsonlSink() override { Stop(); }
  const char* name() const override { return "jsonl"; }

 private:
  bool Open(std::string* error) override;
  bool Process(const FusionResult& result) override;
  void Close() override;

  JsonlSinkOptions options_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  bool write_failed_ = false;
  double last_metrics_t_ = 0.0;
  bool metrics_written_ = false;
  std::string line_;
};

}  // namespace edgefuse::sinks
