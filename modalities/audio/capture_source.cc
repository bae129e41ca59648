#include "modalities/audio/capture_source.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

#include "platform/clock.h"
#include "platform/log.h"

namespace edgefuse::audio {

SourceClock SourceClock::Monotonic() {
  return {&platform::MonotonicNowNs, [](int64_t ns) { std::this_thread::sleep_for(std::chrono::nanoseconds(ns)); }};
}

void CaptureSink::Push(const int16_t* mono, int frames, int64_t callback_ns, bool driver_overflow) {
  if (driver_overflow) driver_overflows_.fetch_add(1, std::memory_order_relaxed);
  while (frames > 0) {
    const int n = std::min(frames, CaptureBlock::kMaxFrames);
    if (CaptureBlock* slot = ring_.BeginPush()) {
      slot->first_frame = next_frame_;
      slot->callback_ns = callback_ns;
      slot->generation = generation_;
      slot->frames = n;
      std::memcpy(slot->samples, mono, sizeof(int16_t) * static_cast<size_t>(n));
      ring_.CommitPush();
    } else {
      // The reader is too slow: the block is lost, and counted; its frames still
      // advance the frame count, so the reader sees the gap.
      dropped_frames_.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
      dropped_blocks_.fetch_add(1, std::memory_order_relaxed);
    }
    next_frame_ += n;
    mono += n;
    frames -= n;
  }
}

CaptureSource::CaptureSource(std::unique_ptr<CaptureDevice> device, Options options, SourceClock clock)
    : device_(std::move(device)), options_(options), clock_(std::move(clock)), sink_(options.ring_blocks) {}

CaptureSource::~CaptureSource() { StopCapture(); }

bool CaptureSource::OpenDevice(std::string* error) {
  // The device is closed: nothing pushes while the sink is reset. Blocks of the
  // previous stream stay in the ring and are still read; the generation tells them apart.
  sink_.next_frame_ = 0;
  ++sink_.generation_;
  CaptureDevice::Opened opened;
  if (!device_->Open(&sink_, &opened, error)) return false;
  std::string rate_error;
  if (!CheckResamplerRate(opened.rate_hz, &rate_error)) {
    device_->Close();
    *error = opened.name + ": " + rate_error;
    return false;
  }
  if (!resampler_ || resampler_->input_rate_hz() != opened.rate_hz) {
    resampler_.emplace(opened.rate_hz);
    pending_.clear();
    pending_.reserve(resampler_->MaxOutputFor(CaptureBlock::kMaxFrames));
  }
  estimator_.emplace(static_cast<double>(opened.rate_hz));
  opened_ = opened;
  connected_ = true;
  last_block_ns_ = clock_.now_ns();
  retry_delay_ns_ = options_.retry_min_ns;
  std::lock_guard<std::mutex> lock(stats_mutex_);
  if (ever_connected_) ++stats_.reconnects;
  ever_connected_ = true;
  stats_.connected = true;
  stats_.device_rate_hz = opened.rate_hz;
  return true;
}

void CaptureSource::CloseDevice() {
  if (connected_) device_->Close();
  connected_ = false;
  std::lock_guard<std::mutex> lock(stats_mutex_);
  stats_.connected = false;
}

bool CaptureSource::Start(std::string* error) {
  if (started_) return true;
  if (!OpenDevice(error)) return false;
  started_ = true;
  EF_LOG_INFO("audio: %s", Describe().c_str());
  return true;
}

void CaptureSource::Stop() { StopCapture(); }

void CaptureSource::StopCapture() {
  if (!started_) return;
  CloseDevice();
  started_ = false;
}

void CaptureSource::CheckDevice(int64_t now) {
  if (!started_) return;
  if (connected_) {
    if (sink_.ring_.Size() > 0) last_block_ns_ = now;  // data waiting: not stalled, only unread
    const bool dead = !device_->Alive();
    const bool stalled = now - last_block_ns_ > options_.stall_timeout_ns;
    if (!dead && !stalled) return;
    EF_LOG_WARN("audio device '%s' lost (%s); reopening", opened_.name.c_str(), dead ? "stream stopped" : "no data");
    CloseDevice();
    {
      std::lock_guard<std::mutex> lock(stats_mutex_);
      ++stats_.device_errors;
    }
    next_retry_ns_ = now;
    retry_delay_ns_ = options_.retry_min_ns;
  }
  if (now < next_retry_ns_) return;
  // Deliver what the lost stream captured before reopening: its samples are stamped
  // with its own clock fit, which a reopen replaces.
  if (sink_.ring_.Size() > 0 || pending_read_ < pending_.size()) return;
  std::string error;
  if (OpenDevice(&error)) {
    EF_LOG_INFO("audio device reopened: %s", Describe().c_str());
    return;
  }
  {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    ++stats_.device_errors;
  }
  EF_LOG_WARN("audio device reopen failed (%s); next try in %.1f s", error.c_str(), retry_delay_ns_ * 1e-9);
  next_retry_ns_ = now + retry_delay_ns_;
  retry_delay_ns_ = std::min(2 * retry_delay_ns_, options_.retry_max_ns);
}

bool CaptureSource::IsGap(const CaptureBlock& block) const {
  return !had_run_ || block.generation != run_generation_ || block.first_frame != expected_frame_;
}

void CaptureSource::TakeBlock(const CaptureBlock& block) {
  if (IsGap(block)) {
    // The 16 kHz index follows the device frame count, so it keeps counting through
    // overrun gaps; after a reopen (frames restart at 0) it continues where the last
    // stream ended, and the timestamp tells the real length of the outage.
    if (block.generation != run_generation_) generation_first_index_ = stream_end_index_;
    run_generation_ = block.generation;
    run_first_index_ = generation_first_index_ + block.first_frame * kSampleRateHz / opened_.rate_hz;
    resampler_->Reset();
    run_first_frame_ = block.first_frame;
    run_outputs_ = 0;
    pending_.clear();
  } else {
    run_outputs_ += static_cast<int64_t>(pending_.size());
  }
  expected_frame_ = block.first_frame + block.frames;
  stream_end_index_ = generation_first_index_ + expected_frame_ * kSampleRateHz / opened_.rate_hz;
  if (!estimator_->Observe(block.first_frame + block.frames, block.callback_ns)) {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    ++stats_.timeline_jumps;
  }
  pending_.resize(pending_.capacity());
  pending_.resize(
      resampler_->Process(std::span<const int16_t>(block.samples, static_cast<size_t>(block.frames)), pending_));
  pending_read_ = 0;
}

AudioRead CaptureSource::Read(std::span<int16_t> out, int64_t timeout_ns) {
  AudioRead read;
  const int64_t start = clock_.now_ns();
  for (;;) {
    const int64_t now = clock_.now_ns();
    CheckDevice(now);
    bool at_gap = false;
    while (read.samples < out.size()) {
      if (pending_read_ < pending_.size()) {
        if (read.samples == 0) {
          const int64_t output = run_outputs_ + static_cast<int64_t>(pending_read_);
          const double frame =
              static_cast<double>(run_first_frame_) + static_cast<double>(output) * opened_.rate_hz / kSampleRateHz;
          read.first_sample_index = run_first_index_ + output;
          read.first_sample_ns = estimator_->TimeOfFrame(frame) - std::llround(opened_.latency_s * 1e9);
        }
        const size_t n = std::min(out.size() - read.samples, pending_.size() - pending_read_);
        std::copy_n(pending_.data() + pending_read_, n, out.data() + read.samples);
        read.samples += n;
        pending_read_ += n;
        continue;
      }
      const CaptureBlock* block = sink_.ring_.Front();
      if (block == nullptr) break;
      const bool gap = IsGap(*block);
      if (gap && read.samples > 0) {  // a read never spans a gap
        at_gap = true;
        break;
      }
      last_block_ns_ = now;
      if (gap && had_run_) read.discontinuity = true;
      TakeBlock(*block);
      had_run_ = true;
      sink_.ring_.Pop();
    }
    if (at_gap || read.samples == out.size() || now - start >= timeout_ns || !started_) break;
    clock_.sleep_ns(options_.poll_ns);
  }
  std::lock_guard<std::mutex> lock(stats_mutex_);
  stats_.samples_delivered += read.samples;
  if (estimator_) {
    stats_.estimated_rate_hz = estimator_->measured_rate_hz();
    stats_.rate_plausible = estimator_->plausible();
  }
  return read;
}

AudioSourceStats CaptureSource::Stats() const {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  AudioSourceStats stats = stats_;
  stats.overrun_samples = sink_.dropped_frames_.load(std::memory_order_relaxed);
  stats.overrun_events =
      sink_.dropped_blocks_.load(std::memory_order_relaxed) + sink_.driver_overflows_.load(std::memory_order_relaxed);
  return stats;
}

std::string CaptureSource::Describe() const {
  return "capture '" + opened_.name + "' at " + std::to_string(opened_.rate_hz) + " Hz, " +
         std::to_string(opened_.channels) + " ch -> " + std::to_string(kSampleRateHz) + " Hz mono";
}

}  // namespace edgefuse::audio
