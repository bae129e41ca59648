#include "modalities/audio/portaudio_device.h"

#include <alsa/error.h>
#include <portaudio.h>

#include <algorithm>
#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "platform/clock.h"
#include "platform/log.h"

namespace edgefuse::audio {
namespace {

constexpr int kPreferredRatesHz[] = {16000, 48000, 44100, 32000, 22050, 96000, 8000};

// PortAudio probes every PCM ALSA's configuration names (surround, HDMI, cards that
// are not there), and alsa-lib prints each failure on stderr. Those messages go to the
// debug log instead (EDGEFUSE_LOG=debug shows them); real errors still come back from
// PortAudio's calls.
void AlsaMessageToDebugLog(const char* file, int line, const char* function, int err, const char* format, ...) {
  if (platform::GetLogLevel() > platform::LogLevel::kDebug) return;
  char message[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  EF_LOG_DEBUG("alsa: %s:%d (%s): %s%s%s", file, line, function, message, err != 0 ? ": " : "",
               err != 0 ? std::strerror(err < 0 ? -err : err) : "");
}

PaError InitializePortAudio() {
  snd_lib_error_set_handler(&AlsaMessageToDebugLog);
  return Pa_Initialize();
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

PaStreamParameters InputParameters(PaDeviceIndex index, int channels, double latency_s) {
  PaStreamParameters p{};
  p.device = index;
  p.channelCount = channels;
  p.sampleFormat = paInt16;
  p.suggestedLatency = latency_s > 0.0 ? latency_s : Pa_GetDeviceInfo(index)->defaultLowInputLatency;
  p.hostApiSpecificStreamInfo = nullptr;
  return p;
}

bool RateSupported(PaDeviceIndex index, int channels, int rate) {
  const PaStreamParameters p = InputParameters(index, channels, 0.0);
  return Pa_IsFormatSupported(&p, nullptr, rate) == paFormatIsSupported;
}

// Resolves spec.device to an input device index, or -1 with a reason.
PaDeviceIndex FindDevice(const std::string& wanted, std::string* error) {
  const PaDeviceIndex count = Pa_GetDeviceCount();
  if (count < 0) {
    *error = std::string("PortAudio: ") + Pa_GetErrorText(count);
    return -1;
  }
  if (wanted.empty()) {
    const PaDeviceIndex index = Pa_GetDefaultInputDevice();
    if (index == paNoDevice) *error = "no audio input device (PortAudio sees " + std::to_string(count) + " devices)";
    return index == paNoDevice ? -1 : index;
  }
  char* end = nullptr;
  const long number = std::strtol(wanted.c_str(), &end, 10);
  if (end != wanted.c_str() && *end == '\0') {
    if (number < 0 || number >= count || Pa_GetDeviceInfo(static_cast<PaDeviceIndex>(number))->maxInputChannels < 1) {
      *error = "audio device " + wanted + " is not an input (see edgefuse devices)";
      return -1;
    }
    return static_cast<PaDeviceIndex>(number);
  }
  for (PaDeviceIndex i = 0; i < count; ++i) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
    if (info->maxInputChannels > 0 && Lower(info->name).find(Lower(wanted)) != std::string::npos) return i;
  }
  *error = "no audio input matches '" + wanted + "' (see edgefuse devices)";
  return -1;
}

int InputCallback(const void* input, void*, unsigned long frames, const PaStreamCallbackTimeInfo*,
                  PaStreamCallbackFlags status, void* self) {
  if (input != nullptr) {
    static_cast<PortAudioDevice*>(self)->OnInput(static_cast<const int16_t*>(input), frames,
                                                 (status & paInputOverflow) != 0);
  }
  return paContinue;
}

}  // namespace

bool PortAudioDevice::Open(CaptureSink* sink, Opened* opened, std::string* error) {
  Close();
  if (PaError e = InitializePortAudio(); e != paNoError) {
    *error = std::string("PortAudio: ") + Pa_GetErrorText(e);
    return false;
  }
  initialized_ = true;
  const PaDeviceIndex index = FindDevice(spec_.device, error);
  if (index < 0) {
    Close();
    return false;
  }
  const PaDeviceInfo* info = Pa_GetDeviceInfo(index);
  // Mono when the device offers it, else its first two channels down-mixed.
  channels_ = 1;
  const int probe_rate = spec_.rate_hz > 0 ? spec_.rate_hz : static_cast<int>(info->defaultSampleRate);
  if (!RateSupported(index, 1, probe_rate) && info->maxInputChannels >= 2 && RateSupported(index, 2, probe_rate)) {
    channels_ = 2;
  }
  int rate = spec_.rate_hz;
  if (rate == 0) {
    for (int candidate : kPreferredRatesHz) {
      if (RateSupported(index, channels_, candidate)) {
        rate = candidate;
        break;
      }
    }
    if (rate == 0) rate = static_cast<int>(info->defaultSampleRate);
  }
  std::string rate_error;
  if (!CheckResamplerRate(rate, &rate_error)) {
    *error = std::string(info->name) + ": " + rate_error;
    Close();
    return false;
  }
  const PaStreamParameters params = InputParameters(index, channels_, spec_.latency_s);
  sink_ = sink;
  PaStream* stream = nullptr;
  PaError e = Pa_OpenStream(&stream, &params, nullptr, rate, static_cast<unsigned long>(rate / 100), paClipOff,
                            &InputCallback, this);
  if (e != paNoError) {
    *error = std::string(info->name) + ": cannot open at " + std::to_string(rate) + " Hz: " + Pa_GetErrorText(e);
    Close();
    return false;
  }
  stream_ = stream;
  if (e = Pa_StartStream(stream); e != paNoError) {
    *error = std::string(info->name) + ": cannot start: " + Pa_GetErrorText(e);
    Close();
    return false;
  }
  opened->rate_hz = rate;
  opened->channels = channels_;
  opened->name = info->name;
  const PaStreamInfo* stream_info = Pa_GetStreamInfo(stream);
  opened->latency_s = stream_info != nullptr ? stream_info->inputLatency : 0.0;
  return true;
}

void PortAudioDevice::OnInput(const int16_t* samples, unsigned long frames, bool overflow) {
  const int64_t now = platform::MonotonicNowNs();
  if (channels_ == 1) {
    sink_->Push(samples, static_cast<int>(frames), now, overflow);
    return;
  }
  int16_t mono[CaptureBlock::kMaxFrames];
  for (unsigned long done = 0; done < frames;) {
    const int n = static_cast<int>(std::min<unsigned long>(frames - done, CaptureBlock::kMaxFrames));
    for (int i = 0; i < n; ++i) {
      const int16_t* frame = samples + (done + i) * channels_;
      mono[i] = static_cast<int16_t>((frame[0] + frame[1]) >> 1);
    }
    sink_->Push(mono, n, now, overflow && done == 0);
    done += static_cast<unsigned long>(n);
  }
}

bool PortAudioDevice::Alive() { return stream_ != nullptr && Pa_IsStreamActive(static_cast<PaStream*>(stream_)) == 1; }

void PortAudioDevice::Close() {
  if (stream_ != nullptr) {
    Pa_AbortStream(static_cast<PaStream*>(stream_));
    Pa_CloseStream(static_cast<PaStream*>(stream_));
    stream_ = nullptr;
  }
  if (initialized_) {
    Pa_Terminate();
    initialized_ = false;
  }
}

bool ListAudioInputs(std::vector<AudioInputInfo>* inputs, std::string* error) {
  inputs->clear();
  if (PaError e = InitializePortAudio(); e != paNoError) {
    *error = std::string("PortAudio: ") + Pa_GetErrorText(e);
    return false;
  }
  const PaDeviceIndex count = Pa_GetDeviceCount();
  const PaDeviceIndex default_input = Pa_GetDefaultInputDevice();
  for (PaDeviceIndex i = 0; i < count; ++i) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
    if (info == nullptr || info->maxInputChannels < 1) continue;
    AudioInputInfo input;
    input.index = i;
    input.name = info->name;
    const PaHostApiInfo* api = Pa_GetHostApiInfo(info->hostApi);
    input.host_api = api != nullptr ? api->name : "?";
    input.max_channels = info->maxInputChannels;
    input.default_rate_hz = info->defaultSampleRate;
    input.is_default = i == default_input;
    for (int rate : kProbedRatesHz) {
      if (RateSupported(i, 1, rate) || (info->maxInputChannels >= 2 && RateSupported(i, 2, rate))) {
        input.rates_hz.push_back(rate);
      }
    }
    inputs->push_back(std::move(input));
  }
  Pa_Terminate();
  return true;
}

}  // namespace edgefuse::audio
