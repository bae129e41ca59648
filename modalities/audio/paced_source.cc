#include "modalities/audio/paced_source.h"

#include <algorithm>
#include <cmath>

#include "modalities/audio/resampler.h"

namespace edgefuse::audio {

bool PacedSource::Start(std::string*) {
  anchor_ns_ = clock_.now_ns();
  next_ = 0;
  started_ = true;
  return true;
}

AudioRead PacedSource::Read(std::span<int16_t> out, int64_t timeout_ns) {
  AudioRead read;
  if (!started_) return read;
  const int64_t length = Length();
  const int64_t start = clock_.now_ns();
  for (;;) {
    int64_t wanted = next_ + static_cast<int64_t>(out.size());
    const bool loops = options_.loop && length > 0;
    if (length >= 0 && !loops) wanted = std::min(wanted, length);
    int64_t ready = wanted;
    const int64_t now = clock_.now_ns();
    if (options_.realtime) ready = std::min(wanted, (now - anchor_ns_) * kSampleRateHz / 1'000'000'000);
    if (ready >= wanted || now - start >= timeout_ns) {
      const size_t n = static_cast<size_t>(std::max<int64_t>(0, ready - next_));
      read.first_sample_index = next_;
      read.first_sample_ns = anchor_ns_ + next_ * 1'000'000'000 / kSampleRateHz;
      size_t done = 0;
      while (done < n) {
        const int64_t position = length > 0 ? (next_ + static_cast<int64_t>(done)) % length : next_ + done;
        const size_t chunk = length > 0 ? std::min<size_t>(n - done, static_cast<size_t>(length - position)) : n;
        done += Generate(position, out.subspan(done, chunk));
      }
      read.samples = n;
      next_ += static_cast<int64_t>(n);
      read.end_of_stream = length >= 0 && !loops && next_ >= length;
      break;
    }
    // Sleep until the samples are due or the timeout passes, whichever is first.
    const int64_t due = anchor_ns_ + wanted * 1'000'000'000 / kSampleRateHz;
    clock_.sleep_ns(std::max<int64_t>(1, std::min(due, start + timeout_ns) - now));
  }
  std::lock_guard<std::mutex> lock(stats_mutex_);
  delivered_ += read.samples;
  return read;
}

AudioSourceStats PacedSource::Stats() const {
  AudioSourceStats stats;
  std::lock_guard<std::mutex> lock(stats_mutex_);
  stats.samples_delivered = delivered_;
  stats.device_rate_hz = kSampleRateHz;
  stats.estimated_rate_hz = kSampleRateHz;
  stats.connected = started_;
  return stats;
}

std::unique_ptr<WavSource> WavSource::Open(const std::string& path, PacedOptions options, std::string* error,
                                           SourceClock clock) {
  std::unique_ptr<WavSource> source(new WavSource(options, std::move(clock)));
  source->path_ = path;
  if (!ReadWavFile(path, &source->file_, error)) return nullptr;
  if (!CheckResamplerRate(source->file_.sample_rate_hz, error)) {
    *error = path + ": " + *error;
    return nullptr;
  }
  Resampler resampler(source->file_.sample_rate_hz);
  std::vector<int16_t>& out = source->samples_;
  out.resize(resampler.MaxOutputFor(source->file_.samples.size()) + resampler.MaxFlushOutput());
  size_t n = resampler.Process(source->file_.samples, out);
  n += resampler.Flush(std::span<int16_t>(out).subspan(n));
  out.resize(n);
  return source;
}

size_t WavSource::Generate(int64_t first, std::span<int16_t> out) {
  const size_t n = std::min(out.size(), samples_.size() - static_cast<size_t>(first));
  std::copy_n(samples_.begin() + first, n, out.begin());
  return n;
}

int64_t WavSource::Length() const { return static_cast<int64_t>(samples_.size()); }

std::string WavSource::Describe() const {
  return "WAV " + path_ + " (" + std::to_string(file_.sample_rate_hz) + " Hz, " + std::to_string(file_.channels) +
         " ch, " + std::to_string(file_.bits_per_sample) + "-bit " +
         (file_.encoding == WavEncoding::kFloat ? "float" : "PCM") + ")" + (options_.realtime ? ", real time" : "");
}

size_t SyntheticSource::Generate(int64_t first, std::span<int16_t> out) {
  RenderSynthetic(scene_, first, out);
  return out.size();
}

int64_t SyntheticSource::Length() const {
  return scene_.duration_s < 0.0 ? -1 : std::llround(scene_.duration_s * kSampleRateHz);
}

std::string SyntheticSource::Describe() const {
  return "synthetic scene (" + std::to_string(scene_.events.size()) + " events, seed " + std::to_string(scene_.seed) +
         ")" + (options_.realtime ? ", real time" : "");
}

}  // namespace edgefuse::audio
