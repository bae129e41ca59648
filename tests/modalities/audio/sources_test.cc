// The capture machinery with a simulated clock and a simulated device: the SPSC ring,
// rate estimation, timestamps, overrun accounting, device loss and retry; and the WAV
// and synthetic sources (timestamps, real-time pacing, end of stream).
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "modalities/audio/capture_source.h"
#include "modalities/audio/paced_source.h"
#include "modalities/audio/rate_estimator.h"
#include "modalities/audio/ring_buffer.h"
#include "platform/file.h"
#include "tests/support/test_support.h"

namespace edgefuse::audio {
namespace {

// ---- ring buffer --------------------------------------------------------------------

TEST(SpscRing, FillsDrainsAndWraps) {
  SpscRing<int> ring(4);
  EXPECT_EQ(ring.Front(), nullptr);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 4; ++i) {
      int* slot = ring.BeginPush();
      ASSERT_NE(slot, nullptr);
      *slot = round * 10 + i;
      ring.CommitPush();
    }
    EXPECT_EQ(ring.BeginPush(), nullptr) << "full";
    EXPECT_EQ(ring.Size(), 4u);
    for (int i = 0; i < 4; ++i) {
      ASSERT_NE(ring.Front(), nullptr);
      EXPECT_EQ(*ring.Front(), round * 10 + i);
      ring.Pop();
    }
    EXPECT_EQ(ring.Front(), nullptr);
  }
}

TEST(SpscRing, TwoThreadsSeeEveryItemInOrder) {
  SpscRing<uint64_t> ring(16);
  constexpr uint64_t kItems = 200000;
  std::thread producer([&] {
    for (uint64_t i = 0; i < kItems;) {
      if (uint64_t* slot = ring.BeginPush()) {
        *slot = i * 7 + 1;
        ring.CommitPush();
        ++i;
      }
    }
  });
  uint64_t next = 0;
  while (next < kItems) {
    if (const uint64_t* item = ring.Front()) {
      ASSERT_EQ(*item, next * 7 + 1);
      ring.Pop();
      ++next;
    }
  }
  producer.join();
}

// ---- rate estimation ----------------------------------------------------------------

TEST(RateEstimator, MeasuresADriftingDeviceAgainstTheClock) {
  EF_SEEDED_RNG(rng);
  const double true_rate = 48000.0 * (1.0 + 300e-6);  // a device 300 ppm fast
  RateEstimator estimator(48000.0);
  std::uniform_int_distribution<int64_t> jitter(0, 3'000'000);  // callbacks up to 3 ms late
  const int64_t t0 = 5'000'000'000;
  double worst_ms = 0.0;
  for (int64_t frames = 480; frames <= 48000 * 30; frames += 480) {
    const int64_t capture_end = t0 + std::llround(frames / true_rate * 1e9);
    EXPECT_TRUE(estimator.Observe(frames, capture_end + jitter(rng)));
    if (frames > 48000 * 5) {
      worst_ms = std::max(worst_ms, std::abs(estimator.TimeOfFrame(frames) - capture_end) * 1e-6);
    }
  }
  std::printf("[edgefuse] rate estimate %.3f Hz (true %.3f), worst timestamp error %.3f ms\n",
              estimator.measured_rate_hz(), true_rate, worst_ms);
  EXPECT_NEAR(estimator.measured_rate_hz(), true_rate, 1.0);  // 20 ppm
  EXPECT_TRUE(estimator.plausible());
  EXPECT_LT(worst_ms, 1.5);
}

TEST(RateEstimator, UsesTheNominalRateUntilItHasSeenASecond) {
  RateEstimator estimator(16000.0);
  EXPECT_TRUE(estimator.Observe(160, 1'010'000'000));
  EXPECT_EQ(estimator.rate_hz(), 16000.0);
  EXPECT_EQ(estimator.measured_rate_hz(), 0.0);
  EXPECT_EQ(estimator.TimeOfFrame(0), 1'000'000'000);
  EXPECT_EQ(estimator.TimeOfFrame(16160), 2'010'000'000);
}

TEST(RateEstimator, ReanchorsOnAJumpAndFlagsImplausibleRates) {
  RateEstimator estimator(16000.0);
  for (int64_t f = 160; f <= 32000; f += 160) ASSERT_TRUE(estimator.Observe(f, f * 62'500));
  // 200 ms of frames vanish inside the driver: the clock moves on, the count does not.
  EXPECT_FALSE(estimator.Observe(32160, int64_t{32160} * 62'500 + 200'000'000));
  EXPECT_EQ(estimator.TimeOfFrame(32160), int64_t{32160} * 62'500 + 200'000'000);
  RateEstimator wild(16000.0);
  for (int64_t f = 160; f <= 64000; f += 160) wild.Observe(f, f * 31'250);  // really 32 kHz
  EXPECT_FALSE(wild.plausible());
  EXPECT_NEAR(wild.measured_rate_hz(), 32000.0, 1.0);
  EXPECT_EQ(wild.rate_hz(), 16000.0) << "timestamps keep the nominal rate";
}

// ---- capture source with a simulated device and clock ------------------------------

struct SimClock {
  int64_t now = 1'000'000'000;
  SourceClock Get() {
    return {[this] { return now; }, [this](int64_t ns) { now += ns; }};
  }
};

class SimulatedDevice : public CaptureDevice {
 public:
  struct State {
    int rate = 48000;
    bool alive = true;
    int opens = 0;
    int fail_next_opens = 0;
    CaptureSink* sink = nullptr;
  };
  explicit SimulatedDevice(State* state) : state_(state) {}
  bool Open(CaptureSink* sink, Opened* opened, std::string* error) override {
    ++state_->opens;
    if (state_->fail_next_opens > 0) {
      --state_->fail_next_opens;
      *error = "simulated device absent";
      return false;
    }
    state_->sink = sink;
    state_->alive = true;
    opened->rate_hz = state_->rate;
    opened->channels = 1;
    opened->name = "simulated";
    return true;
  }
  bool Alive() override { return state_->alive; }
  void Close() override { state_->sink = nullptr; }

 private:
  State* state_;
};

// Pushes `blocks` 10 ms blocks of a ramp, stamping each at the end of its capture.
void PushBlocks(SimulatedDevice::State& device, SimClock& clock, int blocks, int64_t* frame) {
  const int n = device.rate / 100;
  std::vector<int16_t> block(n);
  for (int b = 0; b < blocks; ++b) {
    for (int i = 0; i < n; ++i) block[i] = static_cast<int16_t>((*frame + i) % 1000);
    *frame += n;
    clock.now += 10'000'000;
    device.sink->Push(block.data(), n, clock.now, false);
  }
}

// A CaptureSource on a simulated device and clock.
struct SimulatedCapture {
  SimClock clock;
  SimulatedDevice::State device;
  std::unique_ptr<CaptureSource> source;
  explicit SimulatedCapture(int rate, CaptureSource::Options options = CaptureSource::Options()) {
    device.rate = rate;
    source = std::make_unique<CaptureSource>(std::make_unique<SimulatedDevice>(&device), options, clock.Get());
  }
};

TEST(CaptureSource, ResamplesStampsAndCountsOverruns) {
  CaptureSource::Options options;
  options.ring_blocks = 8;
  SimulatedCapture sim(48000, options);
  auto& [clock, device, capture] = sim;
  CaptureSource& source = *capture;
  std::string error;
  ASSERT_TRUE(source.Start(&error)) << error;
  const int64_t start = clock.now;
  int64_t frame = 0;
  PushBlocks(device, clock, 5, &frame);  // 50 ms
  std::vector<int16_t> out(4000);
  AudioRead r = source.Read(out, 0);
  // 2400 frames at 48 kHz -> 800 samples, minus the filter's look-ahead.
  EXPECT_GT(r.samples, 700u);
  EXPECT_LE(r.samples, 800u);
  EXPECT_FALSE(r.discontinuity);
  EXPECT_EQ(r.first_sample_index, 0);
  // Frame 0 was captured 10 ms before the first callback (at start + 10 ms).
  EXPECT_NEAR(static_cast<double>(r.first_sample_ns), static_cast<double>(start), 1000.0);

  // The reader stalls: 20 blocks arrive into an 8-block ring, 12 are lost.
  PushBlocks(device, clock, 20, &frame);
  AudioSourceStats stats = source.Stats();
  EXPECT_EQ(stats.overrun_samples, 12u * 480);
  EXPECT_EQ(stats.overrun_events, 12u);
  const size_t before_gap = r.samples;
  r = source.Read(out, 0);  // the rest of the first run, up to the gap
  EXPECT_FALSE(r.discontinuity);
  EXPECT_EQ(r.first_sample_index, static_cast<int64_t>(before_gap));
  const int64_t end_of_run = r.first_sample_index + static_cast<int64_t>(r.samples);
  PushBlocks(device, clock, 2, &frame);  // the gap shows when the next block arrives
  r = source.Read(out, 0);               // after the gap: a new run
  EXPECT_TRUE(r.discontinuity);
  const int64_t first_after_gap_frame = (5 + 8 + 12) * 480;  // blocks 13 .. 24 were dropped
  EXPECT_EQ(r.first_sample_index, first_after_gap_frame / 3);
  EXPECT_GT(r.first_sample_index, end_of_run);
  EXPECT_NEAR(static_cast<double>(r.first_sample_ns), start + first_after_gap_frame / 48000.0 * 1e9, 1000.0);
  EXPECT_EQ(source.Stats().samples_delivered, before_gap + r.samples + (end_of_run - before_gap));
}

TEST(CaptureSource, ReopensALostDeviceWithBackOff) {
  SimulatedCapture sim(16000);
  auto& [clock, device, capture] = sim;
  CaptureSource& source = *capture;
  std::string error;
  ASSERT_TRUE(source.Start(&error));
  int64_t frame = 0;
  PushBlocks(device, clock, 3, &frame);
  std::vector<int16_t> out(1000);
  EXPECT_EQ(source.Read(out, 0).samples, 480u);

  device.alive = false;        // unplugged
  device.fail_next_opens = 3;  // and absent for three attempts
  AudioRead r = source.Read(out, 0);
  EXPECT_EQ(r.samples, 0u);
  EXPECT_FALSE(source.Stats().connected);
  EXPECT_EQ(device.opens, 2);  // lost, one immediate reopen attempt failed
  r = source.Read(out, 0);
  EXPECT_EQ(device.opens, 2) << "waits 100 ms before the next try";
  clock.now += 100'000'000;
  source.Read(out, 0);
  EXPECT_EQ(device.opens, 3);
  clock.now += 150'000'000;
  source.Read(out, 0);
  EXPECT_EQ(device.opens, 3) << "back-off doubled to 200 ms";
  clock.now += 50'000'000;
  source.Read(out, 0);
  EXPECT_EQ(device.opens, 4);
  clock.now += 400'000'000;
  source.Read(out, 0);
  EXPECT_EQ(device.opens, 5);
  AudioSourceStats stats = source.Stats();
  EXPECT_TRUE(stats.connected);
  EXPECT_EQ(stats.reconnects, 1u);
  EXPECT_EQ(stats.device_errors, 4u);  // the loss and three failed opens

  frame = 0;
  PushBlocks(device, clock, 2, &frame);
  r = source.Read(out, 0);
  EXPECT_EQ(r.samples, 320u);
  EXPECT_TRUE(r.discontinuity) << "a reconnect starts a new run";
  EXPECT_GE(r.first_sample_index, 480);
}

TEST(CaptureSource, DeliversWhatALostDeviceCapturedBeforeReopening) {
  SimulatedCapture sim(16000);
  auto& [clock, device, capture] = sim;
  std::string error;
  ASSERT_TRUE(capture->Start(&error));
  int64_t frame = 0;
  PushBlocks(device, clock, 3, &frame);
  device.alive = false;
  std::vector<int16_t> out(1000);
  AudioRead r = capture->Read(out, 0);
  EXPECT_EQ(r.samples, 480u) << "captured before the loss: not dropped";
  EXPECT_EQ(r.first_sample_index, 0);
  EXPECT_EQ(device.opens, 1) << "no reopen while the lost stream's samples are unread";
  capture->Read(out, 0);
  EXPECT_EQ(device.opens, 2);
  EXPECT_EQ(capture->Stats().reconnects, 1u);
}

TEST(CaptureSource, DetectsAStalledDevice) {
  SimulatedCapture sim(16000);
  auto& [clock, device, capture] = sim;
  CaptureSource& source = *capture;
  std::string error;
  ASSERT_TRUE(source.Start(&error));
  std::vector<int16_t> out(160);
  clock.now += 900'000'000;
  source.Read(out, 0);
  EXPECT_EQ(device.opens, 1);
  clock.now += 200'000'000;  // 1.1 s without a callback
  source.Read(out, 0);
  EXPECT_EQ(device.opens, 2);
  EXPECT_EQ(source.Stats().device_errors, 1u);
  EXPECT_EQ(source.Stats().reconnects, 1u);
}

TEST(CaptureSource, ReadWaitsUpToTheTimeout) {
  SimulatedCapture sim(16000);
  auto& [clock, device, capture] = sim;
  CaptureSource& source = *capture;
  std::string error;
  ASSERT_TRUE(source.Start(&error));
  std::vector<int16_t> out(160);
  const int64_t before = clock.now;
  EXPECT_EQ(source.Read(out, 20'000'000).samples, 0u);
  EXPECT_GE(clock.now - before, 20'000'000);
  EXPECT_LT(clock.now - before, 25'000'000);
}

TEST(CaptureSource, StartReportsAMissingDevice) {
  SimulatedCapture sim(48000);
  sim.device.fail_next_opens = 1;
  std::string error;
  EXPECT_FALSE(sim.source->Start(&error));
  EXPECT_EQ(error, "simulated device absent");
}

// ---- paced sources ------------------------------------------------------------------

TEST(SyntheticSource, IsDeterministicAndStamped) {
  SyntheticScene scene;
  scene.seed = 9;
  scene.duration_s = 0.5;
  scene.events = {{.kind = SyntheticKind::kNoise, .duration_s = -1, .amplitude = 0.1},
                  {.kind = SyntheticKind::kClick, .start_s = 0.2, .amplitude = 0.5}};
  SimClock clock;
  SyntheticSource source(scene, {}, clock.Get());
  std::string error;
  ASSERT_TRUE(source.Start(&error));
  std::vector<int16_t> all, out(777);
  int64_t expected_index = 0;
  for (;;) {
    const AudioRead r = source.Read(out, 0);
    EXPECT_EQ(r.first_sample_index, expected_index);
    EXPECT_EQ(r.first_sample_ns, 1'000'000'000 + expected_index * 62'500);
    all.insert(all.end(), out.begin(), out.begin() + r.samples);
    expected_index += r.samples;
    if (r.end_of_stream) break;
  }
  ASSERT_EQ(all.size(), 8000u);
  std::vector<int16_t> again(8000);
  RenderSynthetic(scene, 0, again);
  EXPECT_EQ(all, again);
  SyntheticScene other = scene;
  other.seed = 10;
  RenderSynthetic(other, 0, again);
  EXPECT_NE(all, again);
}

TEST(SyntheticSource, ParsesSceneText) {
  SyntheticScene scene;
  std::string error;
  ASSERT_TRUE(
      ParseSyntheticScene("tone:1000@0.5,start=0,dur=2; click:0.8,at=0.25; noise:0.01; speech:140@0.3", &scene, &error))
      << error;
  ASSERT_EQ(scene.events.size(), 4u);
  EXPECT_EQ(scene.events[1].kind, SyntheticKind::kClick);
  EXPECT_EQ(scene.events[1].start_s, 0.25);
  EXPECT_EQ(scene.events[3].frequency_hz, 140.0);
  EXPECT_FALSE(ParseSyntheticScene("tone:abc", &scene, &error));
  EXPECT_FALSE(ParseSyntheticScene("buzz:1", &scene, &error));
  EXPECT_NE(error.find("buzz"), std::string::npos);
  // Text from the command line is quoted on one line (found by the fuzzer).
  EXPECT_FALSE(ParseSyntheticScene(std::string("\0\0\n\0<", 5), &scene, &error));
  EXPECT_EQ(error, "synthetic event '\\x00\\x00\\n\\x00<' has no ':' (e.g. tone:1000@0.5)");
}

TEST(PacedSource, RealTimePacingReleasesSamplesOnTime) {
  SyntheticScene scene;
  scene.events = {{.kind = SyntheticKind::kTone, .duration_s = -1, .frequency_hz = 440, .amplitude = 0.3}};
  SimClock clock;
  SyntheticSource source(scene, {.realtime = true}, clock.Get());
  std::string error;
  ASSERT_TRUE(source.Start(&error));
  std::vector<int16_t> out(160);
  EXPECT_EQ(source.Read(out, 0).samples, 0u) << "nothing is due at the start";
  clock.now += 5'000'000;
  EXPECT_EQ(source.Read(out, 0).samples, 80u);
  const int64_t before = clock.now;
  const AudioRead r = source.Read(out, 100'000'000);  // waits for the next 160
  EXPECT_EQ(r.samples, 160u);
  EXPECT_EQ(clock.now - before, 10'000'000);
  EXPECT_EQ(r.first_sample_index, 80);
}

TEST(WavSource, ResamplesTheFileAndReportsBadOnes) {
  const testing::ScratchDir scratch;
  const std::string& dir = scratch.path();
  std::vector<int16_t> tone(44100);
  for (size_t i = 0; i < tone.size(); ++i)
    tone[i] = static_cast<int16_t>(10000 * std::sin(2 * M_PI * 500 * i / 44100.0));
  std::string error;
  ASSERT_TRUE(platform::WriteFileBytes(dir + "/tone.wav", SerializeWavPcm16(tone, 44100), &error)) << error;
  auto source = WavSource::Open(dir + "/tone.wav", {}, &error);
  ASSERT_NE(source, nullptr) << error;
  EXPECT_NE(source->Describe().find("44100 Hz"), std::string::npos);
  ASSERT_TRUE(source->Start(&error));
  std::vector<int16_t> out(20000);
  const AudioRead r = source->Read(out, 0);
  EXPECT_TRUE(r.end_of_stream);
  EXPECT_EQ(r.samples, 16000u) << "one second at 44.1 kHz is one second at 16 kHz";

  ASSERT_TRUE(platform::WriteFileBytes(dir + "/slow.wav", SerializeWavPcm16(tone, 4000), &error));
  EXPECT_EQ(WavSource::Open(dir + "/slow.wav", {}, &error), nullptr);
  EXPECT_NE(error.find("slow.wav: sample rate 4000 Hz is outside"), std::string::npos) << error;
  EXPECT_EQ(WavSource::Open(dir + "/missing.wav", {}, &error), nullptr);
  EXPECT_NE(error.find("missing.wav"), std::string::npos) << error;
}

}  // namespace
}  // namespace edgefuse::audio
