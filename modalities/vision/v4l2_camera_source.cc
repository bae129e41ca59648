#include "modalities/vision/v4l2_camera_source.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <opencv2/videoio.hpp>
#include <thread>

#include "platform/clock.h"
#include "platform/log.h"

namespace edgefuse::vision {
namespace {

constexpr int64_t kMaxReopenDelayNs = 4'000'000'000;

std::string DevicePath(int index) { return "/dev/video" + std::to_string(index); }

// Opens the device; "" on success, else why not.
std::string OpenCapture(int index, const CameraRequest& request, cv::VideoCapture* capture) {
  const std::string path = DevicePath(index);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return "no such device";
  const std::vector<int> params = {cv::CAP_PROP_FRAME_WIDTH, request.width,    cv::CAP_PROP_FRAME_HEIGHT,
                                   request.height,           cv::CAP_PROP_FPS, request.fps};
  if (!capture->open(index, cv::CAP_V4L2, params) || !capture->isOpened()) {
    return "OpenCV's V4L2 back end cannot open it (busy, not a capture device, or no permission)";
  }
  return "";
}

}  // namespace

// The grabber thread and the one-frame mailbox it shares with Read.
struct V4l2CameraSource::Grabber {
  int index = 0;
  std::string name;
  CameraRequest request;
  int64_t reopen_delay_ns = 0;
  cv::VideoCapture capture;
  std::thread thread;

  std::mutex mutex;
  std::condition_variable ready;
  bool stop = false;
  cv::Mat newest;             // the newest frame, swapped out by Read
  int64_t newest_index = -1;  // its sequence number; -1 until the first frame
  int64_t newest_timestamp = 0;
  int64_t sequence = 0;  // frames grabbed so far
  int64_t reopens = 0;
  std::string problem;  // why the camera is not delivering ("" while it is)

  void Run() {
    cv::Mat scratch;
    int64_t delay = reopen_delay_ns;
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (stop) return;
      }
      if (!capture.isOpened()) {
        const std::string why = OpenCapture(index, request, &capture);
        std::unique_lock<std::mutex> lock(mutex);
        if (why.empty()) {
          ++reopens;
          problem.clear();
          delay = reopen_delay_ns;
          EF_LOG_INFO("camera %s reopened", name.c_str());
          continue;
        }
        problem = why;
        ready.wait_for(lock, std::chrono::nanoseconds(delay), [this] { return stop; });
        delay = std::min(2 * delay, kMaxReopenDelayNs);
        continue;
      }
      if (!capture.grab()) {
        capture.release();
        std::lock_guard<std::mutex> lock(mutex);
        problem = "stopped delivering frames (unplugged?)";
        EF_LOG_WARN("camera %s %s; reopening", name.c_str(), problem.c_str());
        continue;
      }
      const int64_t timestamp = platform::MonotonicNowNs();
      if (!capture.retrieve(scratch) || scratch.type() != CV_8UC3) continue;
      std::lock_guard<std::mutex> lock(mutex);
      cv::swap(scratch, newest);
      newest_index = sequence++;
      newest_timestamp = timestamp;
      ready.notify_all();
    }
  }
};

std::unique_ptr<V4l2CameraSource> V4l2CameraSource::Open(int index, const CameraRequest& request,
                                                         const V4l2CameraOptions& options, std::string* error) {
  auto grabber = std::make_unique<Grabber>();
  grabber->index = index;
  grabber->name = std::to_string(index) + " (" + DevicePath(index) + ")";
  grabber->request = request;
  grabber->reopen_delay_ns = options.reopen_delay_ns;
  if (std::string why = OpenCapture(index, request, &grabber->capture); !why.empty()) {
    *error = "camera " + grabber->name + ": " + why;
    return nullptr;
  }
  std::unique_ptr<V4l2CameraSource> source(new V4l2CameraSource());
  source->options_ = options;
  source->info_.kind = "camera";
  source->info_.description = "V4L2 " + DevicePath(index);
  source->info_.width = static_cast<int>(grabber->capture.get(cv::CAP_PROP_FRAME_WIDTH));
  source->info_.height = static_cast<int>(grabber->capture.get(cv::CAP_PROP_FRAME_HEIGHT));
  source->info_.fps = grabber->capture.get(cv::CAP_PROP_FPS);
  source->info_.live = true;
  Grabber* g = grabber.get();
  grabber->thread = std::thread([g] { g->Run(); });
  source->grabber_ = std::move(grabber);
  return source;
}

V4l2CameraSource::~V4l2CameraSource() {
  if (grabber_ == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(grabber_->mutex);
    grabber_->stop = true;
  }
  grabber_->ready.notify_all();
  grabber_->thread.join();
}

ReadStatus V4l2CameraSource::Read(Frame* frame) {
  Grabber& g = *grabber_;
  std::unique_lock<std::mutex> lock(g.mutex);
  const bool fresh = g.ready.wait_for(lock, std::chrono::nanoseconds(options_.frame_timeout_ns),
                                      [&] { return g.newest_index > last_index_; });
  stats_.reopens = g.reopens;
  if (!fresh) {
    return Fail("camera " + g.name + ": " +
                (g.problem.empty() ? "no frame for " + std::to_string(options_.frame_timeout_ns / 1'000'000) + " ms"
                                   : g.problem + "; retrying"));
  }
  // Hand the newest frame over and give the grabber our old buffer to fill next.
  cv::swap(frame->bgr, g.newest);
  if (last_index_ >= 0) stats_.drops += g.newest_index - last_index_ - 1;
  last_index_ = g.newest_index;
  frame->index = g.newest_index;
  frame->timestamp_ns = g.newest_timestamp;
  if (first_timestamp_ns_ < 0) first_timestamp_ns_ = frame->timestamp_ns;
  frame->media_time_ns = frame->timestamp_ns - first_timestamp_ns_;
  ++stats_.frames;
  return ReadStatus::kOk;
}

}  // namespace edgefuse::vision
