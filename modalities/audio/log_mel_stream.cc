#include "modalities/audio/log_mel_stream.h"

#include <algorithm>
#include <cmath>

namespace edgefuse::audio {
namespace {

int16_t QuantizeQ10(double value) {
  return static_cast<int16_t>(std::clamp<int64_t>(std::llround(value * (1 << kLogFracBits)), kLogFloorQ10, 32767));
}

}  // namespace

bool ParsePrecision(std::string_view text, Precision* precision) {
  if (text == "f32") {
    *precision = Precision::kFloat;
  } else if (text == "fixed") {
    *precision = Precision::kFixed;
  } else {
    return false;
  }
  return true;
}

const char* PrecisionName(Precision precision) { return precision == Precision::kFloat ? "f32" : "fixed"; }

LogMelFrameProcessor::LogMelFrameProcessor(Precision precision, core::Tier cap) : precision_(precision), fixed_(cap) {}

LogMelFrameView LogMelFrameProcessor::Process(const int16_t* frame, int64_t index) {
  LogMelFrameView view;
  view.index = index;
  if (precision_ == Precision::kFloat) {
    const double energy = LogMelFloatFrame(frame, log_mel_.data());
    for (int m = 0; m < kNumMelBands; ++m) log_mel_q10_[m] = QuantizeQ10(log_mel_[m]);
    view.energy_q10 = QuantizeQ10(energy);
  } else {
    view.energy_q10 = fixed_.Frame(frame, log_mel_q10_.data());
    for (int m = 0; m < kNumMelBands; ++m) log_mel_[m] = DequantizeQ10(log_mel_q10_[m]);
  }
  int32_t flux = 0;
  if (have_previous_) {
    for (int m = 0; m < kNumMelBands; ++m) flux += std::max(0, log_mel_q10_[m] - previous_q10_[m]);
  }
  view.onset_q10 = (flux + kNumMelBands / 2) / kNumMelBands;
  previous_q10_ = log_mel_q10_;
  have_previous_ = true;
  view.log_mel = log_mel_;
  view.log_mel_q10 = log_mel_q10_;
  return view;
}

void LogMelStream::Reset() {
  processor_.Reset();
  filled_ = 0;
}

LogMelResult ComputeLogMel(std::span<const int16_t> samples, Precision precision, core::Tier cap) {
  LogMelFrameProcessor processor(precision, cap);
  LogMelResult result;
  result.frames = NumFrames(samples.size());
  result.log_mel.reserve(result.frames * kNumMelBands);
  result.log_mel_q10.reserve(result.frames * kNumMelBands);
  for (size_t i = 0; i < result.frames; ++i) {
    const LogMelFrameView frame = processor.Process(samples.data() + i * kHopSamples, static_cast<int64_t>(i));
    result.log_mel.insert(result.log_mel.end(), frame.log_mel.begin(), frame.log_mel.end());
    result.log_mel_q10.insert(result.log_mel_q10.end(), frame.log_mel_q10.begin(), frame.log_mel_q10.end());
    result.energy_q10.push_back(frame.energy_q10);
    result.onset_q10.push_back(frame.onset_q10);
  }
  return result;
}

}  // namespace edgefuse::audio
