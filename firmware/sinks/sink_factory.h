// Turns the configuration's sinks section into running sinks, fed together. The
// window falls back to MJPEG, with one line on stderr, when there is no display.
//
//   edgefuse::sinks::SinkSet sinks;
//   std::string error;
//   if (!edgefuse::sinks::StartSinks(config, {.fps = 30, .lossless = offline}, &sinks, &error)) {
//     return edgefuse::app::UsageError(error);   // "0.0.0.0:8080: Address already in use"
//   }
//   while (... && !sinks.StopRequested()) sinks.Consume(result);
//   sinks.Stop();
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "firmware/config/config.h"
#include "firmware/sinks/overlay.h"
#include "firmware/sinks/sink.h"

namespace edgefuse::sinks {

// Several sinks behind one Consume.
class SinkSet {
 public:
  SinkSet() = default;
  ~SinkSet() { Stop(); }
  SinkSet(const SinkSet&) = delete;
  SinkSet& operator=(const SinkSet&) = delete;

  void Add(std::unique_ptr<Sink> sink) { sinks_.push_back(std::move(sink)); }
  void Consume(const FusionResult& result) {
    for (auto& sink : sinks_) sink->Consume(result);
  }
  // Stops every sink (each drains its queue) and keeps them for their stats.
  void Stop() {
    for (auto& sink : sinks_) sink->Stop();
  }
  // Stops and removes every sink.
  void Clear() {
    Stop();
    sinks_.clear();
  }
  bool StopRequested() const;
  bool empty() const { return sinks_.empty(); }
  const std::vector<std::unique_ptr<Sink>>& sinks() const { return sinks_; }
  // The first sink with this name, or nullptr.
  Sink* Find(const std::string& name) const;

 private:
  std::vector<std::unique_ptr<Sink>> sinks_;
};

struct SinkContext {
  double fps = 30.0;      // the video's frame rate, for the recorded file
  bool lossless = false;  // offline input: the file and JSON lines sinks wait instead of dropping
};

OverlayStyle OverlayStyleFromConfig(const config::OverlayConfig& overlay);

// Creates and starts the sinks config.sinks asks for, in the order window, MJPEG,
// video file, JSON lines. On failure stops what started, leaves *sinks empty and
// returns a one-line *error.
bool StartSinks(const config::Config& config, const SinkContext& context, SinkSet* sinks, std::string* error);

}  // namespace edgefuse::sinks
