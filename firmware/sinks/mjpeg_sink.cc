#include "firmware/sinks/mjpeg_sink.h"

#include <chrono>
#include <opencv2/imgcodecs.hpp>
#include <string_view>

#include "core/json/json.h"

namespace edgefuse::sinks {
namespace {

using platform::net::HttpRequest;
using platform::net::HttpResponse;

constexpr std::string_view kBoundary = "edgefuseframe";

// The page a browser gets at "/": the stream, and a line of metrics refreshed every second.
constexpr std::string_view kIndexHtml = R"html(<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>edgefuse live view</title>
<style>body{margin:0;background:#111;color:#ccc;font:14px sans-serif;text-align:center}
img{max-width:100%;height:auto;display:block;margin:0 auto}</style></head>
<body><img src="/stream" alt="edgefuse live view"><p id="metrics">&nbsp;</p>
<script>
setInterval(function () {
  fetch('/metrics').then(function (r) { return r.json(); }).then(function (m) {
    document.getElementById('metrics').textContent = (m.fps || 0).toFixed(1) + ' fps, latency p50 ' +
        (m.latency_p50_ms || 0).toFixed(0) + ' ms, p99 ' + (m.latency_p99_ms || 0).toFixed(0) + ' ms, ' +
        m.http.clients + ' connection(s)';
  }).catch(function () {});
}, 1000);
</script></body></html>
)html";

std::string_view Bytes(const std::vector<uint8_t>& data) {
  return {reinterpret_cast<const char*>(data.data()), data.size()};
}

}  // namespace

std::string MjpegSink::url() const {
  const std::string host = options_.bind.find(':') != std::string::npos ? "[" + options_.bind + "]" : options_.bind;
  return "http://" + host + ":" + std::to_string(port()) + "/";
}

SinkStats MjpegSink::stats() const {
  SinkStats stats = AsyncSink::stats();
  const platform::net::HttpServerStats http = server_.stats();
  stats.clients = http.active;
  stats.client_disconnects = http.disconnects;
  return stats;
}

uint64_t MjpegSink::frames_encoded() const {
  std::lock_guard<std::mutex> lock(frame_mutex_);
  return encoded_;
}

bool MjpegSink::Open(std::string* error) {
  encode_params_ = {cv::IMWRITE_JPEG_QUALITY, options_.quality};
  {
    std::lock_guard<std::mutex> lock(frame_mutex_);
    jpeg_.reset();
    sequence_ = encoded_ = skipped_ = 0;
    closing_ = false;
  }
  platform::net::HttpServerOptions http;
  http.bind = options_.bind;
  http.port = options_.port;
  http.max_clients = options_.max_clients;
  http.send_timeout_ms = options_.send_timeout_ms;
  return server_.Start(
      http, [this](const HttpRequest& request, HttpResponse& response) { Handle(request, response); }, error);
}

bool MjpegSink::Process(const FusionResult& result) {
  {
    std::lock_guard<std::mutex> lock(frame_mutex_);
    latest_.frame_index = result.frame_index;
    latest_.timestamp_ns = result.timestamp_ns;
    latest_.stream_start_ns = result.stream_start_ns;
    latest_.source = result.source;
    latest_.audio = result.audio;
    latest_.metrics = result.metrics;
  }
  // Encoding costs milliseconds per frame on a board: skip it while nobody watches.
  if (server_.stats().active == 0) {
    std::lock_guard<std::mutex> lock(frame_mutex_);
    ++skipped_;
    return true;
  }
  const cv::Mat* picture = renderer_.Picture(result, options_.overlay, &picture_);
  if (picture == nullptr) return false;
  auto jpeg = std::make_shared<std::vector<uint8_t>>();
  if (!cv::imencode(".jpg", *picture, *jpeg, encode_params_)) return false;
  {
    std::lock_guard<std::mutex> lock(frame_mutex_);
    jpeg_ = std::move(jpeg);
    ++sequence_;
    ++encoded_;
  }
  frame_ready_.notify_all();
  return true;
}

void MjpegSink::Close() {
  {
    std::lock_guard<std::mutex> lock(frame_mutex_);
    closing_ = true;
  }
  frame_ready_.notify_all();
  server_.Stop();
}

void MjpegSink::Handle(const HttpRequest& request, HttpResponse& response) {
  if (request.path == "/" || request.path == "/index.html") {
    response.Send(200, "text/html; charset=utf-8", kIndexHtml);
  } else if (request.path == "/stream" || request.path == "/video.mjpg") {
    Stream(response);
  } else if (request.path == "/snapshot.jpg") {
    Snapshot(response);
  } else if (request.path == "/metrics") {
    response.Send(200, "application/json", MetricsJson());
  } else {
    response.Send(404, "text/plain", "not found: try /, /stream, /snapshot.jpg or /metrics\n");
  }
}

void MjpegSink::Stream(HttpResponse& response) {
  if (!response.BeginMultipart(kBoundary)) return;
  uint64_t seen;
  {
    // Start with the next frame: the last one may be old if nobody was watching.
    std::lock_guard<std::mutex> lock(frame_mutex_);
    seen = sequence_;
  }
  for (;;) {
    std::shared_ptr<const std::vector<uint8_t>> jpeg;
    {
      std::unique_lock<std::mutex> lock(frame_mutex_);
      // A bounded wait, so that a stopping server is noticed without a new frame.
      frame_ready_.wait_for(lock, std::chrono::milliseconds(200), [&] { return sequence_ != seen || closing_; });
      if (closing_ || response.stopping()) return;
      if (sequence_ == seen) continue;
      // The newest frame only: a viewer slower than the pipeline skips frames.
      seen = sequence_;
      jpeg = jpeg_;
    }
    if (!response.SendPart("image/jpeg", Bytes(*jpeg))) return;
  }
}

void MjpegSink::Snapshot(HttpResponse& response) {
  std::shared_ptr<const std::vector<uint8_t>> jpeg;
  {
    std::unique_lock<std::mutex> lock(frame_mutex_);
    const uint64_t seen = sequence_;
    // Prefer a fresh frame; fall back to the last one if the pipeline is not producing.
    frame_ready_.wait_for(lock, std::chrono::seconds(1), [&] { return sequence_ != seen || closing_; });
    jpeg = jpeg_;
  }
  if (jpeg == nullptr) {
    response.Send(503, "text/plain", "no frame yet\n");
    return;
  }
  response.Send(200, "image/jpeg", Bytes(*jpeg));
}

std::string MjpegSink::MetricsJson() const {
  using core::Json;
  Json doc = Json::Object();
  const SinkStats sink = AsyncSink::stats();
  const platform::net::HttpServerStats http = server_.stats();
  std::lock_guard<std::mutex> lock(frame_mutex_);
  const PipelineMetrics& m = latest_.metrics;
  doc.Set("frame", latest_.frame_index);
  doc.Set("t", latest_.seconds());
  doc.Set("fps", m.fps);
  doc.Set("latency_p50_ms", m.latency_p50_ms);
  doc.Set("latency_p99_ms", m.latency_p99_ms);
  doc.Set("frames_dropped", m.frames_dropped);
  doc.Set("audio_overruns", m.audio_overruns);
  doc.Set("level_dbfs", static_cast<double>(latest_.audio.level_dbfs));
  doc.Set("noise_floor_dbfs", static_cast<double>(latest_.audio.noise_floor_dbfs));
  Json& source = doc.Set("source", Json::Object());
  source.Set("present", latest_.source.present);
  source.Set("x", static_cast<double>(latest_.source.x));
  source.Set("y", static_cast<double>(latest_.source.y));
  source.Set("confidence", static_cast<double>(latest_.source.confidence));
  Json& stages = doc.Set("stages", Json::Object());
  for (const StageLatency& stage : m.stages) {
    Json& s = stages.Set(stage.name, Json::Object());
    s.Set("p50_ms", stage.p50_ms);
    s.Set("p99_ms", stage.p99_ms);
  }
  Json& sink_json = doc.Set("sink", Json::Object());
  sink_json.Set("received", sink.received);
  sink_json.Set("dropped", sink.dropped);
  sink_json.Set("errors", sink.errors);
  sink_json.Set("encoded", encoded_);
  sink_json.Set("skipped_no_viewer", skipped_);
  Json& http_json = doc.Set("http", Json::Object());
  http_json.Set("clients", http.active);
  http_json.Set("accepted", http.accepted);
  http_json.Set("rejected", http.rejected);
  http_json.Set("disconnects", http.disconnects);
  http_json.Set("bytes_sent", http.bytes_sent);
  return doc.Dump() + "\n";
}

}  // namespace edgefuse::sinks
