// The live view for headless boards: Motion JPEG over HTTP. A browser at
// http://BOARD:8080/ gets a page showing the stream; /stream (also /video.mjpg) is
// the multipart/x-mixed-replace stream itself, /snapshot.jpg one frame, /metrics
// the pipeline's and the sink's counters as JSON. Several viewers can watch at once:
// each has its own thread and always gets the newest frame (a slow viewer skips
// frames), and a viewer that disconnects or stalls ends only its own stream.
// Frames are JPEG-encoded once, on the sink's thread, and only while someone is
// connected.
//
//   edgefuse::sinks::MjpegSink sink({.bind = "0.0.0.0", .port = 8080});
//   std::string error;
//   if (!sink.Start(&error)) { ... "0.0.0.0:8080: Address already in use" ... }
//   EF_LOG_INFO("live view on %s", sink.url().c_str());
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <opencv2/core/mat.hpp>
#include <string>
#include <vector>

#include "firmware/sinks/overlay.h"
#include "firmware/sinks/sink.h"
#include "platform/net/http_server.h"

namespace edgefuse::sinks {

struct MjpegSinkOptions {
  std::string bind = "0.0.0.0";
  int port = 8080;   // 0: any free port (see MjpegSink::port)
  int quality = 80;  // JPEG quality, 1..100
  int max_clients = 8;
  int send_timeout_ms = 2000;  // a viewer that takes nothing for this long is dropped
  bool overlay = true;         // stream the overlay, or the plain video
  OverlayStyle style;
  SinkQueueOptions queue = {.capacity = 2};
};

class MjpegSink final : public AsyncSink {
 public:
  explicit MjpegSink(MjpegSinkOptions options)
      : AsyncSink(options.queue), options_(std::move(options)), renderer_(options_.style) {}
  ~MjpegSink() override { Stop(); }
  const char* name() const override { return "mjpeg"; }
  SinkStats stats() const override;

  // The bound port once started (useful with port 0).
  int port() const { return server_.port(); }
  // "http://<bind>:<port>/"
  std::string url() const;
  platform::net::HttpServerStats server_stats() const { return server_.stats(); }
  uint64_t frames_encoded() const;

 private:
  bool Open(std::string* error) override;
  bool Process(const FusionResult& result) override;
  void Close() override;

  void Handle(const platform::net::HttpRequest& request, platform::net::HttpResponse& response);
  void Stream(platform::net::HttpResponse& response);
  void Snapshot(platform::net::HttpResponse& response);
  std::string MetricsJson() const;

  MjpegSinkOptions options_;
  OverlayRenderer renderer_;
  platform::net::HttpServer server_;
  cv::Mat picture_;
  std::vector<int> encode_params_;

  // The newest frame, shared with the viewers' threads.
  mutable std::mutex frame_mutex_;
  std::condition_variable frame_ready_;
  std::shared_ptr<const std::vector<uint8_t>> jpeg_;
  uint64_t sequence_ = 0;  // frames published so far
  bool closing_ = false;
  FusionResult latest_;  // metadata of the newest result (no pixels), for /metrics
  uint64_t encoded_ = 0;
  uint64_t skipped_ = 0;  // frames not encoded because nobody was connected
};

}  // namespace edgefuse::sinks
