#include "firmware/pipeline/pipeline.h"

#include <array>
#include <chrono>
#include <optional>
#include <thread>

#include "core/runtime/bounded_queue.h"
#include "core/runtime/latency_stats.h"
#include "modalities/audio/frontend_settings.h"
#include "modalities/audio/log_mel_stream.h"
#include "modalities/audio/rate_estimator.h"
#include "platform/clock.h"
#include "platform/log.h"

namespace edgefuse::pipeline {
namespace {

using core::BoundedQueue;
using core::LatencyStats;
using core::PushResult;
using core::RateMeter;

constexpr int64_t kPollNs = 20'000'000;    // queue waits between stop checks
constexpr int64_t kHopPollNs = 5'000'000;  // the fusion's wait for audio
constexpr int kFusionQueue = 2;            // front-end to fusion
constexpr int kSlotsInHand = 3;            // one each in capture, vision and fusion

enum Stage { kCapture, kVision, kAudio, kWait, kFusion, kOutput, kStageCount };
constexpr const char* kStageNames[kStageCount] = {"capture", "vision", "audio", "wait", "fusion", "output"};

double Ms(int64_t ns) { return platform::NsToMs(ns); }

}  // namespace

struct Pipeline::Impl {
  struct VideoSlot {
    vision::Frame frame;
    vision::PatchTokens tokens;
    int64_t read_done_ns = 0;
    int64_t vision_done_ns = 0;
  };
  struct AudioHop {
    int64_t start_ns = 0;
    int16_t energy_q10 = 0;
    int32_t onset_q10 = 0;
  };
  struct StageStats {
    std::mutex mutex;
    LatencyStats stats;
    void Add(double ms) {
      std::lock_guard<std::mutex> lock(mutex);
      stats.Add(ms);
    }
  };

  Impl(PipelineOptions o, std::unique_ptr<vision::FrameSource> v, std::unique_ptr<audio::AudioSource> a)
      : options(std::move(o)),
        video(std::move(v)),
        audio(std::move(a)),
        slots(static_cast<size_t>(std::max(1, options.video_queue) + kFusionQueue + kSlotsInHand)),
        free_slots(slots.size()),
        video_queue(static_cast<size_t>(std::max(1, options.video_queue))),
        fusion_queue(kFusionQueue),
        hops(static_cast<size_t>(std::max(1, options.audio_queue_hops))) {
    for (size_t i = 0; i < slots.size(); ++i) free_slots.TryPush(static_cast<int>(i));
  }

  bool halted() const { return stop->load() || finished.load(); }
  void CloseQueues() {
    free_slots.Close();
    video_queue.Close();
    fusion_queue.Close();
    hops.Close();
  }
  void Fail(const std::string& message) {
    {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (error.empty()) error = message;
    }
    finished.store(true);
    CloseQueues();
  }

  void CaptureLoop();
  void VisionLoop();
  void AudioLoop();
  void FusionLoop();
  void FillMetrics(sinks::PipelineMetrics* metrics);

  PipelineOptions options;
  std::unique_ptr<vision::FrameSource> video;
  std::unique_ptr<audio::AudioSource> audio;
  std::vector<VideoSlot> slots;
  BoundedQueue<int> free_slots;
  BoundedQueue<int> video_queue;
  BoundedQueue<int> fusion_queue;
  BoundedQueue<AudioHop> hops;
  std::optional<vision::PatchFrontEnd> frontend;  // made by Run once its settings are valid
  std::unique_ptr<fusion::SynchronyFusion> fusion;
  fusion::AudioActivityTrack track{2048};
  fusion::SynchronyOutput output;
  sinks::FusionResult result;
  std::array<StageStats, kStageCount> stages;
  StageStats end_to_end;
  RateMeter rate{30};

  std::atomic<bool>* stop = nullptr;
  std::atomic<bool> finished{false};
  std::atomic<bool> fusion_done{false};
  std::atomic<int64_t> first_timestamp_ns{INT64_MIN};
  std::atomic<int64_t> frames_captured{0}, frames_fused{0}, frames_dropped{0};
  std::atomic<int64_t> audio_hops{0}, audio_overruns{0}, audio_discontinuities{0}, audio_gaps{0};
  std::atomic<double> audio_rate_hz{0.0};
  std::atomic<int64_t> last_stream_ns{0};
  std::mutex error_mutex;
  std::string error;
};

void Pipeline::Impl::CaptureLoop() {
  const bool full_speed = options.full_speed;
  const int64_t limit_ns = options.duration_s > 0.0 ? static_cast<int64_t>(options.duration_s * 1e9) : INT64_MAX;
  bool warned = false;
  while (!halted()) {
    int slot = -1;
    if (!free_slots.Pop(&slot, kPollNs)) continue;
    VideoSlot& s = slots[static_cast<size_t>(slot)];
    const int64_t t0 = platform::MonotonicNowNs();
    const vision::ReadStatus status = video->Read(&s.frame);
    const int64_t t1 = platform::MonotonicNowNs();
    if (status == vision::ReadStatus::kEnd) {
      free_slots.TryPush(slot);
      break;
    }
    if (status == vision::ReadStatus::kError) {
      free_slots.TryPush(slot);
      if (!video->info().live) {
        Fail(video->error());
        break;
      }
      if (!warned) EF_LOG_WARN("video: %s (retrying)", video->error().c_str());
      warned = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    int64_t first = first_timestamp_ns.load();
    if (first == INT64_MIN) {
      first = s.frame.timestamp_ns;
      first_timestamp_ns.store(first);
    }
    if (s.frame.timestamp_ns - first >= limit_ns) {
      free_slots.TryPush(slot);
      break;
    }
    s.read_done_ns = t1;
    stages[kCapture].Add(Ms(full_speed ? t1 - t0 : t1 - s.frame.timestamp_ns));
    frames_captured.fetch_add(1);
    if (full_speed) {
      if (video_queue.Push(slot) == PushResult::kClosed) break;
    } else {
      int evicted = -1;
      const PushResult pushed = video_queue.PushDropOldest(slot, &evicted);
      if (pushed == PushResult::kClosed) break;
      if (pushed == PushResult::kDropped) {
        frames_dropped.fetch_add(1);
        free_slots.TryPush(evicted);
      }
    }
  }
  video_queue.Close();
}

void Pipeline::Impl::VisionLoop() {
  std::string message;
  while (!halted()) {
    int slot = -1;
    if (!video_queue.Pop(&slot, kPollNs)) {
      if (video_queue.closed() && video_queue.size() == 0) break;
      continue;
    }
    VideoSlot& s = slots[static_cast<size_t>(slot)];
    const int64_t t0 = platform::MonotonicNowNs();
    if (!frontend->Process(s.frame, &s.tokens, &message)) {
      Fail("vision front-end: " + message);
      break;
    }
    s.vision_done_ns = platform::MonotonicNowNs();
    stages[kVision].Add(Ms(s.vision_done_ns - t0));
    if (fusion_queue.Push(slot) == PushResult::kClosed) break;
  }
  fusion_queue.Close();
}

void Pipeline::Impl::AudioLoop() {
  std::array<int16_t, audio::kHopSamples> buffer{};
  audio::LogMelStream stream(audio::Precision::kFixed);
  audio::RateEstimator clock(audio::kSampleRateHz);
  const bool full_speed = options.full_speed;
  bool have_base = false;
  int64_t base_sample = 0;  // the sample index of the current run's first sample
  int64_t base_hop = 0;     // the stream's hop index at that sample
  bool closed = false;
  while (!halted() && !closed) {
    const audio::AudioRead read = audio->Read(buffer, kPollNs);
    if (read.samples == 0) {
      if (read.end_of_stream) break;
      continue;
    }
    const int64_t observed_ns = options.audio_clock ? options.audio_clock() : platform::MonotonicNowNs();
    const int64_t t0 = platform::MonotonicNowNs();
    if (!have_base || read.discontinuity) {
      if (have_base) {
        stream.Reset();
        audio_discontinuities.fetch_add(1);
      }
      base_sample = read.first_sample_index;
      base_hop = stream.frames_emitted();
      have_base = true;
    }
    clock.Observe(read.first_sample_index + static_cast<int64_t>(read.samples), observed_ns);
    stream.Push(std::span<const int16_t>(buffer.data(), read.samples), [&](const audio::LogMelFrameView& frame) {
      const int64_t sample = base_sample + (frame.index - base_hop) * audio::kHopSamples;
      const AudioHop hop{clock.TimeOfFrame(static_cast<double>(sample)) - options.audio_offset_ns, frame.energy_q10,
                         frame.onset_q10};
      if (options.on_audio_hop) options.on_audio_hop(sample, hop.start_ns);
      audio_hops.fetch_add(1);
      const PushResult pushed = full_speed ? hops.Push(hop) : hops.TryPush(hop);
      if (pushed == PushResult::kFull) audio_overruns.fetch_add(1);
      if (pushed == PushResult::kClosed) closed = true;
    });
    audio_rate_hz.store(clock.rate_hz());
    stages[kAudio].Add(Ms(platform::MonotonicNowNs() - t0));
    if (read.end_of_stream) break;
  }
  hops.Close();
}

void Pipeline::Impl::FillMetrics(sinks::PipelineMetrics* metrics) {
  metrics->fps = rate.per_second();
  {
    std::lock_guard<std::mutex> lock(end_to_end.mutex);
    metrics->latency_p50_ms = end_to_end.stats.RecentPercentile(0.5);
    metrics->latency_p99_ms = end_to_end.stats.RecentPercentile(0.99);
  }
  metrics->stages.resize(kStageCount);
  for (int i = 0; i < kStageCount; ++i) {
    sinks::StageLatency& stage = metrics->stages[static_cast<size_t>(i)];
    if (stage.name != kStageNames[i]) stage.name = kStageNames[i];
    std::lock_guard<std::mutex> lock(stages[static_cast<size_t>(i)].mutex);
    stage.p50_ms = stages[static_cast<size_t>(i)].stats.RecentPercentile(0.5);
    stage.p99_ms = stages[static_cast<size_t>(i)].stats.RecentPercentile(0.99);
  }
  metrics->frames_dropped = static_cast<uint64_t>(frames_dropped.load() + video->stats().drops);
  metrics->audio_overruns = static_cast<uint64_t>(audio_overruns.load()) + audio->Stats().overrun_events;
}

void Pipeline::Impl::FusionLoop() {
  const bool full_speed = options.full_speed;
  const int64_t period_ns = static_cast<int64_t>(1e9 / (options.fps > 0.0 ? options.fps : 30.0));
  std::string message;
  while (!halted()) {
    int slot = -1;
    if (!fusion_queue.Pop(&slot, kPollNs)) {
      if (fusion_queue.closed() && fusion_queue.size() == 0) break;
      continue;
    }
    VideoSlot& s = slots[static_cast<size_t>(slot)];
    const int64_t begin_ns = s.frame.timestamp_ns;
    const int64_t end_ns = begin_ns + period_ns;
    const int64_t deadline_ns = s.vision_done_ns + options.max_audio_wait_ns;
    const int64_t wait_start = platform::MonotonicNowNs();
    fusion::AudioActivity activity;
    bool covered = false;
    while (!halted()) {
      if (track.ActivityOver(begin_ns, end_ns, &activity)) {
        covered = true;
        break;
      }
      AudioHop hop;
      if (hops.Pop(&hop, kHopPollNs)) {
        track.Push(hop.start_ns, hop.energy_q10, hop.onset_q10);
        continue;
      }
      if (hops.closed() && hops.size() == 0) break;  // the audio has ended
      if (!full_speed && platform::MonotonicNowNs() > deadline_ns) break;
    }
    if (halted()) break;
    if (!covered) activity = fusion::AudioActivity{};
    if (!activity.valid) audio_gaps.fetch_add(1);
    const int64_t fusion_start = platform::MonotonicNowNs();
    stages[kWait].Add(Ms(fusion_start - wait_start));
    if (!fusion->Push(s.tokens, activity, &output, &message)) {
      Fail("fusion: " + message);
      break;
    }
    const int64_t fusion_end = platform::MonotonicNowNs();
    stages[kFusion].Add(Ms(fusion_end - fusion_start));

    result.frame = s.frame.bgr;
    result.frame_index = s.frame.index;
    result.timestamp_ns = s.frame.timestamp_ns;
    result.stream_start_ns = first_timestamp_ns.load();
    const int grid_w = options.fusion.grid_w, grid_h = options.fusion.grid_h;
    if (output.attention.size() == static_cast<size_t>(grid_w) * static_cast<size_t>(grid_h)) {
      if (result.attention.grid_w != grid_w || result.attention.grid_h != grid_h)
        result.attention.Reset(grid_w, grid_h);
      std::copy(output.attention.begin(), output.attention.end(), result.attention.weights.begin());
    } else {
      result.attention.Clear();
    }
    result.source = {.present = output.present, .x = output.x, .y = output.y, .confidence = output.confidence};
    result.audio = {.level_dbfs = output.level_dbfs, .noise_floor_dbfs = output.noise_floor_dbfs};
    rate.Tick(fusion_end);
    FillMetrics(&result.metrics);
    if (options.on_result) options.on_result(result);
    const int64_t done = platform::MonotonicNowNs();
    stages[kOutput].Add(Ms(done - fusion_end));
    end_to_end.Add(Ms(done - (full_speed ? s.read_done_ns : s.frame.timestamp_ns)));
    last_stream_ns.store(s.frame.timestamp_ns - result.stream_start_ns);
    frames_fused.fetch_add(1);
    result.frame = cv::Mat();  // the slot's pixels go back to the capture stage
    free_slots.TryPush(slot);
  }
  fusion_done.store(true);
}

Pipeline::Pipeline(PipelineOptions options, std::unique_ptr<vision::FrameSource> video,
                   std::unique_ptr<audio::AudioSource> audio)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(video), std::move(audio))) {
  impl_->stop = &stop_;
}

Pipeline::~Pipeline() = default;

bool Pipeline::Run(std::string* error) {
  Impl& p = *impl_;
  if (!p.video || !p.audio) {
    *error = "pipeline: a video and an audio source are required";
    return false;
  }
  if (std::string reason = vision::PatchFrontEnd::Validate(p.options.frontend); !reason.empty()) {
    *error = "vision front-end: " + reason;
    return false;
  }
  p.frontend.emplace(p.options.frontend);
  p.options.fusion.grid_w = p.options.frontend.grid_width;
  p.options.fusion.grid_h = p.options.frontend.grid_height;
  p.options.fusion.fps = p.options.fps;
  p.fusion = fusion::SynchronyFusion::Create(p.options.fusion, error);
  if (!p.fusion) return false;
  if (!p.audio->Start(error)) return false;

  const int64_t start_ns = platform::MonotonicNowNs();
  std::thread audio_thread([&p] { p.AudioLoop(); });
  std::thread capture_thread([&p] { p.CaptureLoop(); });
  std::thread vision_thread([&p] { p.VisionLoop(); });
  std::thread fusion_thread([&p] { p.FusionLoop(); });
  while (!p.fusion_done.load()) {
    if (!stop_.load() && p.options.stop_requested && p.options.stop_requested()) stop_.store(true);
    if (stop_.load()) {
      p.CloseQueues();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  p.finished.store(true);
  p.CloseQueues();
  fusion_thread.join();
  vision_thread.join();
  capture_thread.join();
  audio_thread.join();
  p.audio->Stop();
  const int64_t end_ns = platform::MonotonicNowNs();

  PipelineStats& s = stats_;
  s.frames_captured = p.frames_captured.load();
  s.frames_fused = p.frames_fused.load();
  s.frames_dropped = p.frames_dropped.load();
  s.source_drops = p.video->stats().drops;
  s.audio_hops = p.audio_hops.load();
  s.audio_overruns = p.audio_overruns.load();
  s.source_overruns = static_cast<int64_t>(p.audio->Stats().overrun_events);
  s.audio_discontinuities = p.audio_discontinuities.load();
  s.audio_gaps = p.audio_gaps.load();
  s.audio_rate_hz = p.audio_rate_hz.load();
  s.video_queue_high_water = p.video_queue.high_water();
  s.fusion_queue_high_water = p.fusion_queue.high_water();
  s.audio_queue_high_water = p.hops.high_water();
  s.wall_s = platform::NsToSeconds(end_ns - start_ns);
  s.stream_s = platform::NsToSeconds(p.last_stream_ns.load());
  s.fps = s.wall_s > 0.0 ? static_cast<double>(s.frames_fused) / s.wall_s : 0.0;
  s.latency_p50_ms = p.end_to_end.stats.RunPercentile(0.5);
  s.latency_p99_ms = p.end_to_end.stats.RunPercentile(0.99);
  s.latency_max_ms = p.end_to_end.stats.max_ms();
  s.stages.clear();
  for (int i = 0; i < kStageCount; ++i) {
    const LatencyStats& stage = p.stages[static_cast<size_t>(i)].stats;
    s.stages.push_back({kStageNames[i], stage.RunPercentile(0.5), stage.RunPercentile(0.99), stage.max_ms()});
  }
  s.stopped = stop_.load();
  std::lock_guard<std::mutex> lock(p.error_mutex);
  if (!p.error.empty()) {
    *error = p.error;
    return false;
  }
  return true;
}

}  // namespace edgefuse::pipeline
