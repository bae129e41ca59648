// Sources whose samples exist ahead of time (a WAV file, a synthetic scene), served at
// 16 kHz either as fast as they are read or paced in real time against the monotonic
// clock, with timestamps anchored when Start() is called: sample j is at
// anchor + j / 16000 s.
//
//   auto wav = edgefuse::audio::WavSource::Open("in.wav", {.realtime = true}, &error);
//   edgefuse::audio::SyntheticSource synth(scene, {.realtime = false});
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "modalities/audio/source.h"
#include "modalities/audio/synthetic.h"
#include "modalities/audio/wav.h"

namespace edgefuse::audio {

struct PacedOptions {
  bool realtime = false;  // release samples no faster than their timestamps
  bool loop = false;      // start over at the end (WAV); endless scenes ignore it
};

class PacedSource : public AudioSource {
 public:
  bool Start(std::string* error) override;
  void Stop() override { started_ = false; }
  AudioRead Read(std::span<int16_t> out, int64_t timeout_ns) override;
  AudioSourceStats Stats() const override;

 protected:
  PacedSource(PacedOptions options, SourceClock clock) : options_(options), clock_(std::move(clock)) {}
  // Samples [first, first + out.size()); returns how many exist (fewer at the end).
  virtual size_t Generate(int64_t first, std::span<int16_t> out) = 0;
  // Total samples, or -1 for an endless source.
  virtual int64_t Length() const = 0;

  PacedOptions options_;

 private:
  SourceClock clock_;
  bool started_ = false;
  int64_t anchor_ns_ = 0;
  int64_t next_ = 0;  // next sample on the timeline
  mutable std::mutex stats_mutex_;
  uint64_t delivered_ = 0;
};

class WavSource : public PacedSource {
 public:
  // Reads, down-mixes and resamples the whole file; nullptr with a one-line error
  // ("in.wav: truncated: ...") on a bad file or an unsupported rate.
  static std::unique_ptr<WavSource> Open(const std::string& path, PacedOptions options, std::string* error,
                                         SourceClock clock = SourceClock::Monotonic());
  std::string Describe() const override;
  const WavAudio& file() const { return file_; }

 protected:
  size_t Generate(int64_t first, std::span<int16_t> out) override;
  int64_t Length() const override;

 private:
  WavSource(PacedOptions options, SourceClock clock) : PacedSource(options, std::move(clock)) {}
  std::string path_;
  WavAudio file_;                 // as read (samples at the file's rate)
  std::vector<int16_t> samples_;  // at 16 kHz
};

class SyntheticSource : public PacedSource {
 public:
  SyntheticSource(SyntheticScene scene, PacedOptions options, SourceClock clock = SourceClock::Monotonic())
      : PacedSource(options, std::move(clock)), scene_(std::move(scene)) {}
  std::string Describe() const override;

 protected:
  size_t Generate(int64_t first, std::span<int16_t> out) override;
  int64_t Length() const override;

 private:
  SyntheticScene scene_;
};

}  // namespace edgefuse::audio
