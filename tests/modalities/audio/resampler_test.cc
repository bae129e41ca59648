// Resampling to 16 kHz: a 1 kHz tone recorded at 44.1 and 48 kHz (and every other
// supported kind of rate) comes out at 1 kHz, with aliasing images below -60 dB.
#include "modalities/audio/resampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <vector>

namespace edgefuse::audio {
namespace {

std::vector<int16_t> Tone(int rate, double hz, double seconds, double amplitude) {
  std::vector<int16_t> out(static_cast<size_t>(rate * seconds));
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<int16_t>(std::lround(amplitude * 32767.0 * std::sin(2.0 * M_PI * hz * i / rate)));
  }
  return out;
}

// Power spectrum (Blackman-Harris window, 16000 / n Hz bins) of n samples at 16 kHz.
std::vector<double> Spectrum(const int16_t* x, int n) {
  std::vector<double> power(n / 2 + 1);
  std::vector<double> w(n);
  for (int i = 0; i < n; ++i) {
    const double a = 2.0 * M_PI * i / n;
    w[i] = 0.35875 - 0.48829 * std::cos(a) + 0.14128 * std::cos(2 * a) - 0.01168 * std::cos(3 * a);
  }
  std::vector<std::complex<double>> twiddle(n);
  for (int i = 0; i < n; ++i) twiddle[i] = std::polar(1.0, -2.0 * M_PI * i / n);
  for (int k = 0; k <= n / 2; ++k) {
    std::complex<double> sum = 0.0;
    for (int i = 0; i < n; ++i) sum += x[i] * w[i] * twiddle[(int64_t{k} * i) % n];
    power[k] = std::norm(sum);
  }
  return power;
}

void ExpectCleanTone(int rate, int chunk) {
  Resampler resampler(rate);
  const std::vector<int16_t> input = Tone(rate, 1000.0, 1.5, 0.5);
  std::vector<int16_t> output;
  std::vector<int16_t> buffer(resampler.MaxOutputFor(chunk));
  for (size_t pos = 0; pos < input.size(); pos += chunk) {
    const size_t n = std::min<size_t>(chunk, input.size() - pos);
    output.insert(output.end(), buffer.begin(),
                  buffer.begin() + resampler.Process(std::span<const int16_t>(input).subspan(pos, n), buffer));
  }
  // Everything but the filter's last half-length comes out.
  EXPECT_NEAR(static_cast<double>(output.size()), 1.5 * kSampleRateHz, resampler.taps() / 2.0 * 16000.0 / rate + 2);
  const int n = 2000;  // 0.125 s from the steady middle: 8 Hz bins, 1000 Hz is bin 125
  const std::vector<double> power = Spectrum(output.data() + 8000, n);
  size_t peak = 0;
  for (size_t k = 1; k < power.size(); ++k) {
    if (power[k] > power[peak]) peak = k;
  }
  const double peak_hz = peak * static_cast<double>(kSampleRateHz) / n;
  double worst_db = -300.0;
  double worst_hz = 0.0;
  for (size_t k = 0; k < power.size(); ++k) {
    const double hz = k * static_cast<double>(kSampleRateHz) / n;
    if (std::abs(hz - 1000.0) < 40.0) continue;  // the tone's own window main lobe
    const double db = 10.0 * std::log10(power[k] / power[peak] + 1e-300);
    if (db > worst_db) {
      worst_db = db;
      worst_hz = hz;
    }
  }
  std::printf(
      "[edgefuse] resample %d -> 16000 Hz (%d phases x %d taps): peak %.0f Hz, worst other %.1f dB at %.0f Hz\n", rate,
      resampler.phases(), resampler.taps(), peak_hz, worst_db, worst_hz);
  EXPECT_EQ(peak_hz, 1000.0) << rate;
  EXPECT_LT(worst_db, -60.0) << rate;
}

TEST(Resampler, Tone44100) { ExpectCleanTone(44100, 441); }
TEST(Resampler, Tone48000) { ExpectCleanTone(48000, 480); }
TEST(Resampler, ToneAtOtherRates) {
  for (int rate : {8000, 11025, 22050, 32000, 96000, 44101}) ExpectCleanTone(rate, 333);
}
TEST(Resampler, SixteenKilohertzPassesThrough) {
  Resampler resampler(16000);
  const std::vector<int16_t> input = Tone(16000, 1000.0, 0.1, 0.5);
  std::vector<int16_t> out(resampler.MaxOutputFor(input.size()));
  ASSERT_EQ(resampler.Process(input, out), input.size());
  EXPECT_TRUE(std::equal(input.begin(), input.end(), out.begin()));
}

TEST(Resampler, ChunkingDoesNotChangeTheOutput) {
  const std::vector<int16_t> input = Tone(44100, 997.0, 0.3, 0.7);
  std::vector<int16_t> whole, pieces;
  {
    Resampler r(44100);
    whole.resize(r.MaxOutputFor(input.size()));
    whole.resize(r.Process(input, whole));
  }
  Resampler r(44100);
  std::vector<int16_t> buffer(r.MaxOutputFor(5000));
  size_t sizes[] = {1, 7, 441, 5000, 13};
  for (size_t pos = 0, i = 0; pos < input.size(); ++i) {
    const size_t n = std::min(sizes[i % 5], input.size() - pos);
    const size_t got = r.Process(std::span<const int16_t>(input).subspan(pos, n), buffer);
    pieces.insert(pieces.end(), buffer.begin(), buffer.begin() + got);
    pos += n;
  }
  EXPECT_EQ(whole, pieces);
  EXPECT_EQ(r.outputs_produced(), static_cast<int64_t>(pieces.size()));
}

TEST(Resampler, FlushEmitsTheWholeInputLength) {
  for (int rate : {8000, 11025, 44100, 48000, 96000, 44101}) {
    const std::vector<int16_t> input = Tone(rate, 500.0, 0.05, 0.5);
    Resampler r(rate);
    std::vector<int16_t> out(r.MaxOutputFor(input.size()) + r.MaxFlushOutput());
    size_t n = r.Process(input, out);
    n += r.Flush(std::span<int16_t>(out).subspan(n));
    const size_t expected = (input.size() * 16000 + rate - 1) / rate;
    EXPECT_EQ(n, expected) << rate;
    EXPECT_EQ(r.outputs_produced(), static_cast<int64_t>(expected));
    // 10 ms before the end the filter still sees only signal: the tone, in phase.
    const size_t j = expected - 161;
    EXPECT_NEAR(out[j], 0.5 * 32767 * std::sin(2 * M_PI * 500.0 * j / 16000.0), 30.0) << rate;
  }
}

TEST(Resampler, RejectsRatesOutsideTheRange) {
  std::string error;
  EXPECT_FALSE(CheckResamplerRate(4000, &error));
  EXPECT_NE(error.find("4000 Hz"), std::string::npos) << error;
  EXPECT_FALSE(CheckResamplerRate(192000, &error));
  EXPECT_TRUE(CheckResamplerRate(44100, &error));
}

}  // namespace
}  // namespace edgefuse::audio
