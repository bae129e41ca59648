// A live capture source: whatever device delivers callbacks (PortAudio, or a simulated
// device in tests) pushes mono int16 blocks through a CaptureSink into a lock-free SPSC
// ring; Read() drains the ring on the reader's thread, resamples to 16 kHz, stamps
// samples by device frame count through a RateEstimator, and handles device loss
// (a stream that stopped, or no callback for stall_timeout) by closing and reopening
// the device with exponential back-off. Overruns (ring full) and driver overflows are
// counted, and the samples after a gap start a new run (AudioRead::discontinuity).
//
//   auto source = std::make_unique<edgefuse::audio::CaptureSource>(
//       std::make_unique<edgefuse::audio::PortAudioDevice>(spec));
//   source->Start(&error);
//   AudioRead r = source->Read(buffer, 20'000'000);
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "modalities/audio/rate_estimator.h"
#include "modalities/audio/resampler.h"
#include "modalities/audio/ring_buffer.h"
#include "modalities/audio/source.h"

namespace edgefuse::audio {

// One callback's worth of mono samples at the device rate.
struct CaptureBlock {
  static constexpr int kMaxFrames = 1024;
  int64_t first_frame = 0;  // device frame index of samples[0] since the stream opened
  int64_t callback_ns = 0;  // monotonic time of the callback that delivered it
  uint32_t generation = 0;  // which (re)open of the device produced it
  int32_t frames = 0;
  int16_t samples[kMaxFrames];
};

// The producer side, called on the device's real-time thread: no locks, no allocation.
class CaptureSink {
 public:
  explicit CaptureSink(size_t ring_blocks) : ring_(ring_blocks) {}

  // frames mono samples captured up to callback_ns. driver_overflow: the driver reported
  // lost input before this block (PortAudio's paInputOverflow).
  void Push(const int16_t* mono, int frames, int64_t callback_ns, bool driver_overflow);

 private:
  friend class CaptureSource;
  SpscRing<CaptureBlock> ring_;
  int64_t next_frame_ = 0;  // producer-owned
  uint32_t generation_ = 0;
  std::atomic<uint64_t> dropped_frames_{0};
  std::atomic<uint64_t> dropped_blocks_{0};
  std::atomic<uint64_t> driver_overflows_{0};
};

// What CaptureSource needs from a device.
class CaptureDevice {
 public:
  struct Opened {
    int rate_hz = 0;
    int channels = 0;  // as opened; the device down-mixes to mono before Push
    std::string name;
    double latency_s = 0.0;  // input latency the driver reports (subtracted from timestamps)
  };
  virtual ~CaptureDevice() = default;
  // Opens the device and starts calling sink->Push from its own thread.
  virtual bool Open(CaptureSink* sink, Opened* opened, std::string* error) = 0;
  // False once the stream failed or stopped by itself (device unplugged).
  virtual bool Alive() = 0;
  // Stops the stream; no Push happens after Close returns.
  virtual void Close() = 0;
};

class CaptureSource : public AudioSource {
 public:
  struct Options {
    size_t ring_blocks = 64;                   // about 0.6 s of 10 ms callbacks
    int64_t stall_timeout_ns = 1'000'000'000;  // no callback for this long: the device is lost
    int64_t retry_min_ns = 100'000'000;
    int64_t retry_max_ns = 2'000'000'000;
    int64_t poll_ns = 1'000'000;  // how Read waits for data
  };

  explicit CaptureSource(std::unique_ptr<CaptureDevice> device)
      : CaptureSource(std::move(device), Options(), SourceClock::Monotonic()) {}
  CaptureSource(std::unique_ptr<CaptureDevice> device, Options options, SourceClock clock);
  ~CaptureSource() override;

  bool Start(std::string* error) override;
  void Stop() override;
  AudioRead Read(std::span<int16_t> out, int64_t timeout_ns) override;
  AudioSourceStats Stats() const override;
  std::string Describe() const override;

  // For tests and the devices command: the sink the device pushes into.
  CaptureSink* sink() { return &sink_; }

 private:
  bool OpenDevice(std::string* error);
  void StopCapture();  // Stop, without virtual dispatch (the destructor calls it)
  void CloseDevice();
  void CheckDevice(int64_t now);
  // Whether a block does not continue the current run (overrun gap, another stream).
  bool IsGap(const CaptureBlock& block) const;
  // Resamples one block into pending_, starting a new run after a gap.
  void TakeBlock(const CaptureBlock& block);

  std::unique_ptr<CaptureDevice> device_;
  Options options_;
  SourceClock clock_;
  CaptureSink sink_;
  CaptureDevice::Opened opened_;
  bool started_ = false, connected_ = false, ever_connected_ = false;
  int64_t last_block_ns_ = 0;  // clock time when a block last arrived
  int64_t next_retry_ns_ = 0;
  int64_t retry_delay_ns_ = 0;
  std::optional<Resampler> resampler_;
  std::optional<RateEstimator> estimator_;
  // The current run: resampled samples not yet read, and where the run started.
  std::vector<int16_t> pending_;
  size_t pending_read_ = 0;
  int64_t run_first_frame_ = 0;         // device frame the run's output 0 corresponds to
  int64_t run_outputs_ = 0;             // outputs of this run produced before pending_
  int64_t run_first_index_ = 0;         // 16 kHz timeline index of the run's output 0
  int64_t expected_frame_ = -1;         // the next device frame if there is no gap
  int64_t generation_first_index_ = 0;  // 16 kHz index of device frame 0 of this stream
  int64_t stream_end_index_ = 0;        // 16 kHz index just past the last frame taken
  uint32_t run_generation_ = 0;         // the stream (device open) the current run comes from
  bool had_run_ = false;                // a run before this one: a new run is a discontinuity
  mutable std::mutex stats_mutex_;
  AudioSourceStats stats_;
};

}  // namespace edgefuse::audio
