// The runtime that connects the sources, the front-ends, the fusion and the sinks
// (DESIGN.md §2, README.md here). Stages run on their own threads and hand items over
// through bounded, preallocated queues; every item carries its monotonic timestamp.
//
//   video capture --(video_queue, newest wins)--> vision front-end --(2)--> fusion --> on_result
//   audio capture + log-mel --(audio_queue, hops)-----------------------------^
//
//   edgefuse::pipeline::PipelineOptions options;           // live: newest frame wins
//   options.on_result = [&](const edgefuse::sinks::FusionResult& r) { sinks.Consume(r); };
//   options.stop_requested = [] { return edgefuse::platform::StopRequested(); };
//   edgefuse::pipeline::Pipeline pipeline(options, std::move(video), std::move(audio));
//   std::string error;
//   if (!pipeline.Run(&error)) { ... one-line error ... }  // blocks until the end or a stop
//   edgefuse::pipeline::PipelineStats stats = pipeline.stats();
//
// Alignment rule: video frame n, captured at t_n, covers the interval
// [t_n, t_n + T) with T = 1 / fps, the convention of the offline localizer
// (firmware/offline), so a live run and an offline run of the same input fuse the
// same audio with each frame; the fusion's lag heads (up to +-100 ms) absorb the
// half-frame either way. A hop counts in the interval holding its centre (firmware/fusion).
// The frame is fused once the audio track holds a hop centred at or after t_n + T
// (the interval is complete), so live, capture to result is at least T + 12.5 ms.
// Live, a frame waits at most max_audio_wait_ns after it left the front-end; it is
// then fused with audio.valid = false and counted in audio_gaps. At full speed it
// waits until the audio covers it or the audio has ended.
//
// Audio time: hop k of a run starting at sample index s0 starts at sample
// s0 + 160 k; its time is anchor + samples / estimated rate, from an
// audio::RateEstimator fed after every read with (samples delivered, time the read
// returned on the audio clock). The clock is the monotonic one, or a simulated one
// for generated input at full speed (SceneAudioSource::SimulatedClock), so a device
// whose sample clock drifts from the monotonic clock is corrected.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "firmware/fusion/synchrony_fusion.h"
#include "firmware/sinks/fusion_result.h"
#include "modalities/audio/source.h"
#include "modalities/vision/frame_source.h"
#include "modalities/vision/patch_frontend.h"

namespace edgefuse::pipeline {

struct PipelineOptions {
  // Offline or generated input: no deadlines, every queue waits instead of dropping,
  // every frame is fused with its audio.
  bool full_speed = false;
  int video_queue = 2;                      // frames between capture and the vision front-end
  int audio_queue_hops = 100;               // 10 ms hops between the audio front-end and the fusion
  int64_t max_audio_wait_ns = 250'000'000;  // live: how long a frame waits for its audio
  double fps = 30.0;                        // nominal video rate: the frame interval T
  double duration_s = 0.0;                  // stop after this much stream time (0: at the end or a stop)
  vision::FrontEndConfig frontend;
  fusion::SynchronyConfig fusion;
  // The audio's known delay relative to the video (positive: audio later); subtracted
  // from every audio time.
  int64_t audio_offset_ns = 0;
  // The clock a read's completion is observed on (the drift estimate's input); empty:
  // the monotonic clock.
  std::function<int64_t()> audio_clock;
  // Polled every 10 ms; true ends the run (signals, a closed window).
  std::function<bool()> stop_requested;
  // Called on the fusion thread once per fused frame; the result is valid during the
  // call only (sinks copy it).
  std::function<void(const sinks::FusionResult&)> on_result;
  // Diagnostics, on the audio thread: each hop's first sample index and its time.
  std::function<void(int64_t sample_index, int64_t time_ns)> on_audio_hop;
};

struct StageSummary {
  std::string name;
  double p50_ms = 0.0;
  double p99_ms = 0.0;
  double max_ms = 0.0;
};

struct PipelineStats {
  int64_t frames_captured = 0;  // frames read from the video source
  int64_t frames_fused = 0;     // results produced
  int64_t frames_dropped = 0;   // dropped by the pipeline (newest frame wins)
  int64_t source_drops = 0;     // dropped by the source itself (a camera's own newest-wins)
  int64_t audio_hops = 0;       // hops the audio front-end produced
  int64_t audio_overruns = 0;   // hops lost because the fusion fell behind (live only)
  int64_t source_overruns = 0;  // overrun events the audio source reported
  int64_t audio_discontinuities = 0;
  int64_t audio_gaps = 0;      // frames fused without audio covering them
  double audio_rate_hz = 0.0;  // the estimated audio sample rate on the audio clock
  size_t video_queue_high_water = 0;
  size_t fusion_queue_high_water = 0;
  size_t audio_queue_high_water = 0;
  double wall_s = 0.0;          // run time
  double stream_s = 0.0;        // stream time of the last fused frame
  double fps = 0.0;             // frames fused per wall second
  double latency_p50_ms = 0.0;  // capture to result, over the whole run
  double latency_p99_ms = 0.0;
  double latency_max_ms = 0.0;
  std::vector<StageSummary> stages;  // capture, vision, audio, wait, fusion, output
  bool stopped = false;              // ended by a stop request
};

class Pipeline {
 public:
  Pipeline(PipelineOptions options, std::unique_ptr<vision::FrameSource> video,
           std::unique_ptr<audio::AudioSource> audio);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Starts the sources and the stages and blocks until the video ends, the duration is
  // reached or a stop is requested; then stops every stage (within a second).
  // False with a one-line *error when a source or the fusion failed.
  bool Run(std::string* error);
  // Any thread: ends Run soon.
  void RequestStop() { stop_.store(true); }
  // After Run.
  const PipelineStats& stats() const { return stats_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> stop_{false};
  PipelineStats stats_;
};

}  // namespace edgefuse::pipeline
