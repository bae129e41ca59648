#include "firmware/sinks/sink_factory.h"

#include "firmware/sinks/jsonl_sink.h"
#include "firmware/sinks/mjpeg_sink.h"
#include "firmware/sinks/video_file_sink.h"
#include "firmware/sinks/window_sink.h"
#include "platform/log.h"

namespace edgefuse::sinks {
namespace {

int OpenCvColormap(config::Colormap colormap) {
  switch (colormap) {
    case config::Colormap::kJet: return cv::COLORMAP_JET;
    case config::Colormap::kTurbo: return cv::COLORMAP_TURBO;
    case config::Colormap::kInferno: return cv::COLORMAP_INFERNO;
    case config::Colormap::kViridis: return cv::COLORMAP_VIRIDIS;
    case config::Colormap::kHot: return cv::COLORMAP_HOT;
  }
  return cv::COLORMAP_JET;
}

bool StartOne(std::unique_ptr<Sink> sink, SinkSet* sinks, std::string* error) {
  if (!sink->Start(error)) {
    *error = std::string(sink->name()) + " sink: " + *error;
    sinks->Clear();  // stops what already started
    return false;
  }
  sinks->Add(std::move(sink));
  return true;
}

}  // namespace

bool SinkSet::StopRequested() const {
  for (const auto& sink : sinks_) {
    if (sink->StopRequested()) return true;
  }
  return false;
}

Sink* SinkSet::Find(const std::string& name) const {
  for (const auto& sink : sinks_) {
    if (name == sink->name()) return sink.get();
  }
  return nullptr;
}

OverlayStyle OverlayStyleFromConfig(const config::OverlayConfig& overlay) {
  OverlayStyle style;
  style.heatmap_alpha = static_cast<float>(overlay.alpha);
  style.colormap = OpenCvColormap(overlay.colormap);
  return style;
}

bool StartSinks(const config::Config& config, const SinkContext& context, SinkSet* sinks, std::string* error) {
  const config::SinksConfig& c = config.sinks;
  const OverlayStyle style = OverlayStyleFromConfig(c.overlay);
  const SinkQueueOptions live{.capacity = config.runtime.sink_queue, .lossless = false};
  const SinkQueueOptions recorded{.capacity = config.runtime.sink_queue, .lossless = context.lossless};
  sinks->Clear();
  bool want_mjpeg = c.mjpeg.enabled;

  if (c.window.mode != config::WindowMode::kOff) {
    auto window = std::make_unique<WindowSink>(
        WindowSinkOptions{.title = c.window.title, .fullscreen = c.window.fullscreen, .style = style, .queue = live});
    std::string window_error;
    if (window->Start(&window_error)) {
      sinks->Add(std::move(window));
    } else {
      // The one line a headless board prints; the stream it gets instead follows.
      EF_LOG_WARN("no window (%s); streaming MJPEG instead", window_error.c_str());
      want_mjpeg = true;
    }
  }
  if (want_mjpeg) {
    auto mjpeg = std::make_unique<MjpegSink>(MjpegSinkOptions{.bind = c.mjpeg.bind,
                                                              .port = c.mjpeg.port,
                                                              .quality = c.mjpeg.quality,
                                                              .max_clients = c.mjpeg.max_clients,
                                                              .style = style,
                                                              .queue = live});
    MjpegSink* raw = mjpeg.get();
    if (!StartOne(std::move(mjpeg), sinks, error)) return false;
    EF_LOG_INFO("live view: %s", raw->url().c_str());
  }
  if (!c.video.path.empty()) {
    auto video = std::make_unique<VideoFileSink>(VideoFileSinkOptions{.path = c.video.path,
                                                                      .fourcc = c.video.fourcc,
                                                                      .fps = context.fps,
                                                                      .overlay = c.video.overlay,
                                                                      .style = style,
                                                                      .queue = recorded});
    if (!StartOne(std::move(video), sinks, error)) return false;
  }
  if (!c.jsonl.path.empty()) {
    auto jsonl = std::make_unique<JsonlSink>(
        JsonlSinkOptions{.path = c.jsonl.path, .metrics_interval_s = c.jsonl.metrics_interval_s, .queue = recorded});
    if (!StartOne(std::move(jsonl), sinks, error)) return false;
  }
  return true;
}

}  // namespace edgefuse::sinks
