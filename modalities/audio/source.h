// The one interface every audio source implements (DESIGN.md §2): mono int16 PCM at
// 16 kHz, each read stamped with the monotonic capture time of its first sample. The
// pipeline pulls from a source on its own thread; reads never allocate.
//
//   std::unique_ptr<edgefuse::audio::AudioSource> source = ...;  // PortAudio, WAV, synthetic
//   std::string error;
//   if (!source->Start(&error)) { ... }
//   std::array<int16_t, 160> hop;
//   edgefuse::audio::AudioRead read = source->Read(hop, /*timeout_ns=*/50'000'000);
//   // read.samples samples in hop[0..), the first captured at read.first_sample_ns;
//   // read.discontinuity: samples were lost before these (see Stats().overrun_samples).
//   source->Stop();
//
// Timestamps come from the sample count, anchored on the monotonic clock at stream
// start (device sources re-estimate the true device rate against that clock). A read
// never spans a gap: after an overrun or a device loss the next read starts a new run
// with discontinuity set and its own timestamp.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace edgefuse::audio {

struct AudioRead {
  size_t samples = 0;              // written to the front of the buffer
  int64_t first_sample_ns = 0;     // CLOCK_MONOTONIC time of the first sample
  int64_t first_sample_index = 0;  // its index on the source's 16 kHz timeline (gaps advance it)
  bool discontinuity = false;      // samples were lost (or the device reconnected) before this read
  bool end_of_stream = false;      // nothing more will come (end of a file or scene)
};

struct AudioSourceStats {
  uint64_t samples_delivered = 0;  // 16 kHz samples handed out by Read
  uint64_t overrun_samples = 0;    // device-rate samples lost because the reader was too slow
  uint64_t overrun_events = 0;     // ring overruns plus overflows the device driver reported
  uint64_t timeline_jumps = 0;     // times the device clock disagreed with the monotonic clock and was re-anchored
  int device_rate_hz = 0;          // the rate the source runs at before resampling
  double estimated_rate_hz = 0.0;  // the device rate measured against the monotonic clock (0 until known)
  bool rate_plausible = true;      // false when the measured rate is more than 5% off the nominal one
  uint64_t device_errors = 0;      // device losses and failed reopen attempts
  uint64_t reconnects = 0;         // successful reopens after a loss
  bool connected = false;
};

class AudioSource {
 public:
  virtual ~AudioSource() = default;

  // Opens the device or file and starts the stream; the monotonic anchor is taken here.
  virtual bool Start(std::string* error) = 0;
  virtual void Stop() = 0;

  // Fills up to out.size() samples. Returns when out is full, the stream ended, a gap
  // was reached, or timeout_ns passed (0: only what is ready now). Never allocates.
  virtual AudioRead Read(std::span<int16_t> out, int64_t timeout_ns) = 0;

  virtual AudioSourceStats Stats() const = 0;
  // One line for logs: "PortAudio 'USB mic' at 48000 Hz", "WAV in.wav (44100 Hz, 2 ch)".
  virtual std::string Describe() const = 0;
};

// The clock a source reads and the way it waits; tests substitute a simulated pair.
struct SourceClock {
  std::function<int64_t()> now_ns;
  std::function<void(int64_t)> sleep_ns;
  static SourceClock Monotonic();  // platform::MonotonicNowNs and a real sleep
};

}  // namespace edgefuse::audio
