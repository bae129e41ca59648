// `edgefuse run` and `edgefuse demo`: the pipeline (firmware/pipeline) from the
// configuration (firmware/config) to the sinks (firmware/sinks).
//
//   edgefuse demo                       camera + microphone when both exist (window, or
//                                       MJPEG on 8080 without a display); otherwise the
//                                       generated scene at full speed into
//                                       edgefuse-demo.avi, with a summary and its
//                                       localization accuracy against the ground truth
//   edgefuse run --config FILE [flags]  everything else, paced in real time
//
// SIGINT or SIGTERM ends a run cleanly (exit 0); a second one ends it at once.

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "firmware/app/cli.h"
#include "firmware/app/commands.h"
#include "firmware/app/run_sources.h"
#include "firmware/config/config_cli.h"
#include "firmware/fusion/fusion_model.h"
#include "firmware/pipeline/pipeline.h"
#include "firmware/sinks/sink_factory.h"
#include "platform/display.h"
#include "platform/log.h"
#include "platform/signals.h"
#include "platform/text.h"

namespace edgefuse::app {
namespace {

constexpr double kWarmupS = 2.0;  // localization is scored after this much stream
constexpr double kProgressEveryS = 5.0;

// Localization against the generated scene's ground truth, after the warm-up.
struct Accuracy {
  int64_t audible = 0;
  int64_t audible_located = 0;  // the estimate within one patch of the source's box
  int64_t audible_present = 0;  // the gate said a source is present
  int64_t silent = 0;
  int64_t silent_absent = 0;  // the gate said no source
  double level_sum_db = 0.0;  // the fusion's audio level and noise floor, for the summary
  double floor_sum_db = 0.0;
  int64_t levels = 0;
};

core::AttentionPrecision ToAttentionPrecision(config::Precision precision) {
  switch (precision) {
    case config::Precision::kInt8: return core::AttentionPrecision::kInt8;
    case config::Precision::kInt16: return core::AttentionPrecision::kInt16;
    case config::Precision::kFloat32: return core::AttentionPrecision::kF32;
  }
  return core::AttentionPrecision::kInt8;
}

bool DisplayAvailable() {
  std::string ignored;
  return platform::X11DisplayAvailable(&ignored) || platform::WaylandDisplayAvailable(&ignored);
}

double Percent(int64_t part, int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

void PrintSummary(const char* command, const RunSources& sources, const pipeline::PipelineStats& s,
                  const Accuracy& accuracy, const sinks::SinkSet& sink_set, const config::Config& config) {
  std::printf("%s: %s\n", command, sources.description.c_str());
  std::printf("frames: %lld fused of %lld captured in %.1f s (%.1f fps), %.1f s of stream%s\n",
              static_cast<long long>(s.frames_fused), static_cast<long long>(s.frames_captured), s.wall_s, s.fps,
              s.stream_s, s.stopped ? ", stopped" : "");
  std::printf("latency capture to result: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", s.latency_p50_ms, s.latency_p99_ms,
              s.latency_max_ms);
  std::printf("stages p50/p99 ms:");
  for (const auto& stage : s.stages) std::printf(" %s %.2f/%.2f", stage.name.c_str(), stage.p50_ms, stage.p99_ms);
  std::printf("\n");
  std::printf("drops: %lld frames (pipeline %lld, source %lld); audio overruns: %lld; frames without audio: %lld\n",
              static_cast<long long>(s.frames_dropped + s.source_drops), static_cast<long long>(s.frames_dropped),
              static_cast<long long>(s.source_drops), static_cast<long long>(s.audio_overruns + s.source_overruns),
              static_cast<long long>(s.audio_gaps));
  std::printf("audio: %lld hops, rate %.1f Hz on the audio clock, mean level %.1f dBFS, noise floor %.1f dBFS\n",
              static_cast<long long>(s.audio_hops), s.audio_rate_hz,
              accuracy.levels ? accuracy.level_sum_db / static_cast<double>(accuracy.levels) : -120.0,
              accuracy.levels ? accuracy.floor_sum_db / static_cast<double>(accuracy.levels) : -120.0);
  if (sources.generated) {
    std::printf(
        "localization (after %.0f s): %.1f%% of %lld audible frames within one patch of the source "
        "(present on %.1f%%), %.1f%% of %lld silent frames without a source\n",
        kWarmupS, Percent(accuracy.audible_located, accuracy.audible), static_cast<long long>(accuracy.audible),
        Percent(accuracy.audible_present, accuracy.audible), Percent(accuracy.silent_absent, accuracy.silent),
        static_cast<long long>(accuracy.silent));
  }
  for (const auto& sink : sink_set.sinks()) {
    const sinks::SinkStats st = sink->stats();
    std::printf("sink %s: %llu written, %llu dropped, %llu errors%s%s\n", sink->name(),
                static_cast<unsigned long long>(st.written), static_cast<unsigned long long>(st.dropped),
                static_cast<unsigned long long>(st.errors), std::string(sink->name()) == "video" ? " -> " : "",
                std::string(sink->name()) == "video" ? config.sinks.video.path.c_str() : "");
  }
}

int RunPipelineCommand(const char* command, bool demo, int argc, char** argv) {
  ParsedArgs args;
  if (int status = ParseArgs(command, config::ConfigOptions(), argc, argv, &args); status >= 0) return status;
  config::Config config;
  std::string error;
  if (!config::ConfigFromArgs(args, &config, &error)) return UsageError(error);
  if (args.Has("print-config")) {
    std::puts(config::ConfigToJson(config).Dump().c_str());
    return kExitOk;
  }
  platform::SetLogLevel(config.runtime.log_level);
  std::shared_ptr<const fusion::FusionModel> model;
  if (!config.fusion.model.empty()) {
    fusion::FusionModel read;
    if (!fusion::ReadFusionModel(config.fusion.model, config.fusion.window_frames, &read, &error)) {
      return UsageError("fusion.model: " + error);
    }
    model = std::make_shared<const fusion::FusionModel>(std::move(read));
  }
  const auto& vision_config = config.frontends.vision;
  if (vision_config.width / vision_config.grid_w != vision_config.height / vision_config.grid_h) {
    return UsageError("frontends.vision: patches must be square (width / grid_w == height / grid_h)");
  }

  const bool generated = WantsGeneratedScene(config);
  // The demo's generated scene is offline work: as fast as possible, every frame.
  const bool full_speed = demo && generated;
  if (full_speed) {
    if (config.sinks.video.path.empty()) config.sinks.video.path = "edgefuse-demo.avi";
    // The recording is the output; no live view unless there is a screen to show it.
    if (config.sinks.window.mode == config::WindowMode::kAuto && !DisplayAvailable()) {
      config.sinks.window.mode = config::WindowMode::kOff;
    }
  }
  RunSources sources;
  if (!OpenRunSources(config, generated, !full_speed, &sources, &error)) return UsageError(error);
  EF_LOG_INFO("%s: %s", command, sources.description.c_str());

  sinks::SinkSet sink_set;
  if (!sinks::StartSinks(config, {.fps = config.sources.video.fps, .lossless = full_speed}, &sink_set, &error)) {
    return UsageError(error);
  }

  pipeline::PipelineOptions options;
  options.full_speed = full_speed;
  options.video_queue = config.runtime.video_queue;
  options.audio_queue_hops = std::max(1, config.runtime.audio_queue_ms / 10);
  options.fps = config.sources.video.fps;
  options.duration_s = config.runtime.duration_s;
  options.audio_offset_ns = static_cast<int64_t>(config.sources.audio.offset_ms * 1e6);
  options.frontend.grid_width = vision_config.grid_w;
  options.frontend.grid_height = vision_config.grid_h;
  options.frontend.patch_size = vision_config.width / vision_config.grid_w;
  options.fusion.window_frames = config.fusion.window_frames;
  options.fusion.lags_ms = config.fusion.lags_ms;
  options.fusion.model = model;
  options.fusion.noise_margin_db = config.fusion.gate.noise_margin_db;
  options.fusion.min_correlation = config.fusion.gate.min_correlation;
  options.fusion.precision = ToAttentionPrecision(config.fusion.precision);
  options.fusion.threads = std::max(1, config.runtime.threads);
  {
    // The fusion's settings are checked before any source opens (the pipeline creates
    // its own block): a bad window or lag is a one-line error.
    fusion::SynchronyConfig probe = options.fusion;
    probe.grid_w = options.frontend.grid_width;
    probe.grid_h = options.frontend.grid_height;
    std::string reason;
    if (!fusion::SynchronyFusion::Create(probe, &reason)) {
      sink_set.Stop();
      return UsageError(reason);
    }
  }
  if (full_speed && sources.scene_audio) options.audio_clock = sources.scene_audio->SimulatedClock();
  options.stop_requested = [&sink_set] { return platform::StopRequested() || sink_set.StopRequested(); };

  Accuracy accuracy;
  scene::AvFrameTruth truth;
  double next_progress_s = kProgressEveryS;
  int64_t results = 0;
  options.on_result = [&](const sinks::FusionResult& result) {
    sink_set.Consume(result);
    ++results;
    accuracy.level_sum_db += result.audio.level_dbfs;
    accuracy.floor_sum_db += result.audio.noise_floor_dbfs;
    ++accuracy.levels;
    const double t = result.seconds();
    if (t >= next_progress_s) {
      std::fprintf(stderr, "%s: %.0f s of stream, %lld frames, %.1f fps, latency p50 %.1f ms\n", command, t,
                   static_cast<long long>(results), result.metrics.fps, result.metrics.latency_p50_ms);
      next_progress_s += kProgressEveryS;
    }
    if (!sources.scene_video || t < kWarmupS || !sources.scene_video->Truth(result.frame_index, &truth)) return;
    if (truth.audible) {
      ++accuracy.audible;
      if (result.source.present) ++accuracy.audible_present;
      const double patch_w = static_cast<double>(result.frame.cols) / vision_config.grid_w;
      const double patch_h = static_cast<double>(result.frame.rows) / vision_config.grid_h;
      const double x = result.source.x * result.frame.cols, y = result.source.y * result.frame.rows;
      const cv::Rect& box = truth.source_box;
      if (x >= box.x - patch_w && x <= box.x + box.width + patch_w && y >= box.y - patch_h &&
          y <= box.y + box.height + patch_h) {
        ++accuracy.audible_located;
      }
    } else {
      ++accuracy.silent;
      if (!result.source.present) ++accuracy.silent_absent;
    }
  };

  const std::string description = sources.description;
  pipeline::Pipeline runtime(options, std::move(sources.video), std::move(sources.audio));
  platform::InstallStopSignals();
  const bool ok = runtime.Run(&error);
  sink_set.Stop();
  platform::RestoreDefaultSignals();
  PrintSummary(command, sources, runtime.stats(), accuracy, sink_set, config);
  std::fflush(stdout);
  if (!ok) {
    std::fprintf(stderr, "edgefuse: %s: %s\n", command, platform::OneLine(error).c_str());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int RunRun(int argc, char** argv) { return RunPipelineCommand("run", false, argc, argv); }
int RunDemo(int argc, char** argv) { return RunPipelineCommand("demo", true, argc, argv); }

}  // namespace edgefuse::app
