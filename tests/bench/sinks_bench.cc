// Per-frame costs of the output side at the demo's 640x480: rendering the overlay,
// JPEG-encoding it for the MJPEG stream, and the copy a sink's queue makes.
//
//   build/host/tests/bench/sinks_bench
#include <benchmark/benchmark.h>

#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "firmware/sinks/fusion_result.h"
#include "firmware/sinks/overlay.h"

namespace edgefuse::sinks {
namespace {

// A camera-like frame (smooth texture, an object) and a peaked 16 x 12 attention map.
FusionResult DemoResult(int width, int height) {
  FusionResult result;
  result.frame = cv::Mat(height, width, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(result.frame, cv::RNG::UNIFORM, cv::Scalar::all(40), cv::Scalar::all(200));
  cv::GaussianBlur(result.frame, result.frame, cv::Size(0, 0), 2.0);
  cv::circle(result.frame, {width * 2 / 3, height / 3}, height / 10, cv::Scalar(30, 120, 200), cv::FILLED);
  result.attention.Reset(16, 12);
  double sum = 0.0;
  for (int y = 0; y < 12; ++y) {
    for (int x = 0; x < 16; ++x) {
      const double d2 = (x - 10.0) * (x - 10.0) + (y - 4.0) * (y - 4.0);
      result.attention.weights[y * 16 + x] = static_cast<float>(std::exp(-d2 / 3.0));
      sum += result.attention.weights[y * 16 + x];
    }
  }
  for (float& w : result.attention.weights) w = static_cast<float>(w / sum);
  result.source = {.present = true, .x = 0.66f, .y = 0.33f, .confidence = 0.8f};
  result.audio = {.level_dbfs = -24.0f, .noise_floor_dbfs = -52.0f};
  result.metrics.fps = 29.9;
  result.metrics.latency_p50_ms = 38.0;
  result.metrics.latency_p99_ms = 61.0;
  return result;
}

void BM_RenderOverlay(benchmark::State& state, OverlayStyle style) {
  const FusionResult result = DemoResult(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  OverlayRenderer renderer(style);
  cv::Mat out;
  for (auto _ : state) {
    renderer.Render(result, &out);
    benchmark::DoNotOptimize(out.data);
  }
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

OverlayStyle HeatmapOnly() {
  OverlayStyle style;
  style.show_marker = style.show_meter = style.show_text = false;
  return style;
}

BENCHMARK_CAPTURE(BM_RenderOverlay, full, OverlayStyle())->Args({640, 480})->Args({1280, 720});
BENCHMARK_CAPTURE(BM_RenderOverlay, heatmap_only, HeatmapOnly())->Args({640, 480});

void BM_EncodeJpeg(benchmark::State& state) {
  cv::Mat picture;
  RenderOverlay(DemoResult(static_cast<int>(state.range(0)), static_cast<int>(state.range(1))), OverlayStyle(),
                &picture);
  const std::vector<int> params = {cv::IMWRITE_JPEG_QUALITY, static_cast<int>(state.range(2))};
  std::vector<uint8_t> jpeg;
  for (auto _ : state) {
    cv::imencode(".jpg", picture, jpeg, params);
    benchmark::DoNotOptimize(jpeg.data());
  }
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["bytes"] = static_cast<double>(jpeg.size());
}
BENCHMARK(BM_EncodeJpeg)->Args({640, 480, 80})->Args({640, 480, 60})->Args({1280, 720, 80});

void BM_CopyFusionResult(benchmark::State& state) {
  const FusionResult result = DemoResult(640, 480);
  FusionResult copy;
  for (auto _ : state) {
    CopyFusionResult(result, &copy);
    benchmark::DoNotOptimize(copy.frame.data);
  }
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CopyFusionResult);

}  // namespace
}  // namespace edgefuse::sinks
