// Microphones through PortAudio: the CaptureDevice behind a live CaptureSource, and the
// input listing of `edgefuse devices`. A device is chosen by index or by a
// case-insensitive substring of its name (default: PortAudio's default input); it is
// opened at a rate it supports (preferring 16 kHz, then 48 and 44.1 kHz), in mono when
// it can, else with its first channels down-mixed, and delivers 10 ms callbacks.
// Every (re)open re-initializes PortAudio, so a USB microphone unplugged and plugged
// back in is found again under its new index.
//
//   edgefuse::audio::PortAudioSpec spec{.device = "USB"};
//   edgefuse::audio::CaptureSource mic(std::make_unique<edgefuse::audio::PortAudioDevice>(spec));
//
//   std::vector<edgefuse::audio::AudioInputInfo> inputs;
//   edgefuse::audio::ListAudioInputs(&inputs, &error);
#pragma once

#include <string>
#include <vector>

#include "modalities/audio/capture_source.h"

namespace edgefuse::audio {

struct PortAudioSpec {
  std::string device;      // index ("2"), name substring ("USB"), or "" for the default input
  int rate_hz = 0;         // 0: the first supported of 16000, 48000, 44100, 32000, 22050, 96000, 8000
  double latency_s = 0.0;  // 0: the device's default low input latency
};

// The rates `edgefuse devices` probes.
inline constexpr int kProbedRatesHz[] = {8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000};

class PortAudioDevice : public CaptureDevice {
 public:
  explicit PortAudioDevice(PortAudioSpec spec) : spec_(std::move(spec)) {}
  ~PortAudioDevice() override { Close(); }

  bool Open(CaptureSink* sink, Opened* opened, std::string* error) override;
  bool Alive() override;
  void Close() override;

  // Called on PortAudio's callback thread with interleaved int16 frames.
  void OnInput(const int16_t* samples, unsigned long frames, bool overflow);

 private:
  PortAudioSpec spec_;
  void* stream_ = nullptr;  // PaStream*
  bool initialized_ = false;
  CaptureSink* sink_ = nullptr;
  int channels_ = 1;
};

struct AudioInputInfo {
  int index = 0;
  std::string name;
  std::string host_api;
  int max_channels = 0;
  double default_rate_hz = 0.0;
  bool is_default = false;
  std::vector<int> rates_hz;  // of kProbedRatesHz, those the device accepts (int16, mono or its minimum)
};

// Every input-capable device PortAudio sees. False (with a reason) only when PortAudio
// itself fails; no devices is an empty list.
bool ListAudioInputs(std::vector<AudioInputInfo>* inputs, std::string* error);

}  // namespace edgefuse::audio
