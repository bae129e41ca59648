#include "modalities/vision/gst_camera_source.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <utility>

#include "modalities/vision/camera_spec.h"
#include "modalities/vision/gst_support.h"
#include "platform/clock.h"
#include "platform/log.h"

namespace edgefuse::vision {
namespace {

constexpr int kArrivalRing = 8;
constexpr int64_t kPollNs = 100'000'000;  // bus checks while waiting for a frame
constexpr int64_t kMaxReopenDelayNs = 4'000'000'000;
constexpr int64_t kMaxCaptureLatencyNs = 1'000'000'000;  // PTS older than this is not trusted

// "<message> (<element>: <last line of the debug text>)".
std::string DescribeBusMessage(GstMessage* message) {
  GError* gerror = nullptr;
  gchar* debug = nullptr;
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
    gst_message_parse_error(message, &gerror, &debug);
  } else {
    gst_message_parse_warning(message, &gerror, &debug);
  }
  std::string text = gerror != nullptr ? gerror->message : "unknown error";
  std::string detail;
  if (debug != nullptr) {
    std::string d = debug;
    detail = d.substr(d.find_last_of('\n') == std::string::npos ? 0 : d.find_last_of('\n') + 1);
  }
  const char* source = GST_MESSAGE_SRC_NAME(message);
  if (source != nullptr || !detail.empty()) {
    text += " (" + std::string(source != nullptr ? source : "?") + (detail.empty() ? "" : ": " + detail) + ")";
  }
  if (gerror != nullptr) g_error_free(gerror);
  g_free(debug);
  return text;
}

GstElement* FindAppsink(GstElement* pipeline) {
  if (GstElement* named = gst_bin_get_by_name(GST_BIN(pipeline), kGstSinkName); named != nullptr) return named;
  GstElement* found = nullptr;
  GstIterator* it = gst_bin_iterate_recurse(GST_BIN(pipeline));
  GValue item = G_VALUE_INIT;
  while (found == nullptr && gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
    auto* element = GST_ELEMENT(g_value_get_object(&item));
    GstElementFactory* factory = gst_element_get_factory(element);
    if (factory != nullptr && std::string(GST_OBJECT_NAME(factory)) == "appsink") {
      found = GST_ELEMENT(gst_object_ref(element));
    }
    g_value_reset(&item);
  }
  g_value_unset(&item);
  gst_iterator_free(it);
  return found;
}

}  // namespace

// One running pipeline. The streaming thread writes the arrival ring through the pad
// probe; Read looks up the buffer it pulled there to learn its sequence number.
struct GstCameraSource::Pipeline {
  struct Arrival {
    const GstBuffer* buffer = nullptr;
    int64_t index = -1;
    int64_t arrival_ns = 0;
  };

  GstElement* pipeline = nullptr;
  GstElement* sink = nullptr;
  GstBus* bus = nullptr;
  GstPad* sink_pad = nullptr;
  gulong probe_id = 0;
  GstClockTime base_time = 0;
  bool monotonic_clock = false;

  std::mutex mutex;
  Arrival ring[kArrivalRing];
  int64_t first_index = 0;
  int64_t arrivals = 0;

  static GstPadProbeReturn OnBuffer(GstPad*, GstPadProbeInfo* info, gpointer data) {
    auto* self = static_cast<Pipeline*>(data);
    const int64_t now = platform::MonotonicNowNs();
    std::lock_guard<std::mutex> lock(self->mutex);
    self->ring[self->arrivals % kArrivalRing] = {GST_PAD_PROBE_INFO_BUFFER(info), self->first_index + self->arrivals,
                                                 now};
    ++self->arrivals;
    return GST_PAD_PROBE_OK;
  }

  // The arrival record of a buffer still held by the caller (newest first: a buffer
  // object recycled by a pool appears again only after its previous use ended).
  Arrival Find(const GstBuffer* buffer) {
    std::lock_guard<std::mutex> lock(mutex);
    for (int64_t i = arrivals - 1; i >= 0 && i >= arrivals - kArrivalRing; --i) {
      if (ring[i % kArrivalRing].buffer == buffer) return ring[i % kArrivalRing];
    }
    return Arrival{};
  }

  int64_t NextIndex() {
    std::lock_guard<std::mutex> lock(mutex);
    return first_index + arrivals;
  }

  ~Pipeline() {
    if (pipeline != nullptr) gst_element_set_state(pipeline, GST_STATE_NULL);
    if (sink_pad != nullptr) {
      if (probe_id != 0) gst_pad_remove_probe(sink_pad, probe_id);
      gst_object_unref(sink_pad);
    }
    if (bus != nullptr) gst_object_unref(bus);
    if (sink != nullptr) gst_object_unref(sink);
    if (pipeline != nullptr) gst_object_unref(pipeline);
  }
};

GstCameraSource::GstCameraSource(std::string name, std::string pipeline, const GstCameraOptions& options)
    : name_(std::move(name)), description_(std::move(pipeline)), options_(options) {
  info_.kind = "camera";
  info_.description = description_;
  info_.live = true;
  reopen_delay_ns_ = options_.reopen_delay_ns;
}

GstCameraSource::~GstCameraSource() { Stop(); }

std::unique_ptr<GstCameraSource> GstCameraSource::Open(const std::string& name, const std::string& pipeline,
                                                       const GstCameraOptions& options, std::string* error) {
  std::unique_ptr<GstCameraSource> source(new GstCameraSource(name, pipeline, options));
  std::string why;
  if (!source->Start(&why)) {
    *error = "camera '" + name + "': " + why;
    return nullptr;
  }
  return source;
}

bool GstCameraSource::Start(std::string* error) {
  if (!EnsureGstInitialized(error)) return false;
  auto p = std::make_unique<Pipeline>();
  GstParseContext* context = gst_parse_context_new();
  GError* gerror = nullptr;
  GstElement* parsed = gst_parse_launch_full(description_.c_str(), context, GST_PARSE_FLAG_FATAL_ERRORS, &gerror);
  std::vector<std::string> missing;
  if (gchar** names = gst_parse_context_get_missing_elements(context); names != nullptr) {
    for (gchar** n = names; *n != nullptr; ++n) missing.emplace_back(*n);
    g_strfreev(names);
  }
  gst_parse_context_free(context);
  const std::string parse_error = gerror != nullptr ? gerror->message : "?";
  if (gerror != nullptr) g_error_free(gerror);
  if (parsed != nullptr) gst_object_ref_sink(parsed);  // we own it from here on
  if (!missing.empty() || parsed == nullptr) {
    *error = !missing.empty() ? MissingElementsMessage(missing) : "bad GStreamer pipeline: " + parse_error;
    if (parsed != nullptr) gst_object_unref(parsed);
    return false;
  }
  if (GST_IS_PIPELINE(parsed)) {
    p->pipeline = parsed;
  } else {
    // A single element parses to itself; put it in a pipeline for a clock and a bus.
    p->pipeline = GST_ELEMENT(gst_object_ref_sink(gst_pipeline_new(nullptr)));
    gst_bin_add(GST_BIN(p->pipeline), parsed);
    gst_object_unref(parsed);
  }
  p->sink = FindAppsink(p->pipeline);
  if (p->sink == nullptr) {
    *error = "the pipeline has no appsink to take frames from";
    return false;
  }
  GstCaps* bgr = gst_caps_from_string("video/x-raw,format=BGR");
  g_object_set(p->sink, "drop", TRUE, "max-buffers", 1u, "sync", FALSE, "emit-signals", FALSE, "caps", bgr, nullptr);
  gst_caps_unref(bgr);

  // The system clock reads CLOCK_MONOTONIC, the clock platform::MonotonicNowNs reads,
  // so base time + running time of a buffer is its capture time on our clock.
  GstClock* clock = gst_system_clock_obtain();
  GstClockType clock_type = GST_CLOCK_TYPE_REALTIME;
  g_object_get(clock, "clock-type", &clock_type, nullptr);
  p->monotonic_clock = clock_type == GST_CLOCK_TYPE_MONOTONIC;
  gst_pipeline_use_clock(GST_PIPELINE(p->pipeline), clock);
  gst_object_unref(clock);

  p->first_index = next_index_;
  p->sink_pad = gst_element_get_static_pad(p->sink, "sink");
  p->probe_id = gst_pad_add_probe(p->sink_pad, GST_PAD_PROBE_TYPE_BUFFER, &Pipeline::OnBuffer, p.get(), nullptr);
  p->bus = gst_element_get_bus(p->pipeline);

  GstStateChangeReturn result = gst_element_set_state(p->pipeline, GST_STATE_PLAYING);
  if (result == GST_STATE_CHANGE_ASYNC) {
    result = gst_element_get_state(p->pipeline, nullptr, nullptr, static_cast<GstClockTime>(options_.start_timeout_ns));
  }
  if (result == GST_STATE_CHANGE_FAILURE || result == GST_STATE_CHANGE_ASYNC) {
    GstMessage* message = gst_bus_pop_filtered(p->bus, GST_MESSAGE_ERROR);
    *error = message != nullptr ? "could not start: " + DescribeBusMessage(message)
             : result == GST_STATE_CHANGE_ASYNC
                 ? "did not start within " + std::to_string(options_.start_timeout_ns / 1'000'000) + " ms"
                 : "could not start (no reason given)";
    if (message != nullptr) gst_message_unref(message);
    return false;
  }
  p->base_time = gst_element_get_base_time(p->pipeline);
  pipeline_ = std::move(p);
  lost_reason_.clear();
  return true;
}

void GstCameraSource::Stop() {
  if (pipeline_ == nullptr) return;
  next_index_ = pipeline_->NextIndex();
  pipeline_.reset();
}

void GstCameraSource::Lost(const std::string& why) {
  Stop();
  lost_reason_ = why;
  reopen_at_ns_ = platform::MonotonicNowNs() + reopen_delay_ns_;
  EF_LOG_WARN("camera '%s' stopped: %s%s", name_.c_str(), why.c_str(), options_.reopen ? "; reopening" : "");
}

ReadStatus GstCameraSource::Read(Frame* frame) {
  const int64_t deadline = platform::MonotonicNowNs() + options_.frame_timeout_ns;
  for (;;) {
    int64_t now = platform::MonotonicNowNs();
    if (pipeline_ == nullptr) {
      if (!options_.reopen) return Fail("camera '" + name_ + "' stopped: " + lost_reason_);
      if (now >= reopen_at_ns_) {
        std::string why;
        if (Start(&why)) {
          ++stats_.reopens;
          reopen_delay_ns_ = options_.reopen_delay_ns;
          EF_LOG_INFO("camera '%s' reopened", name_.c_str());
          continue;
        }
        lost_reason_ = why;
        reopen_delay_ns_ = std::min(2 * reopen_delay_ns_, kMaxReopenDelayNs);
        reopen_at_ns_ = now + reopen_delay_ns_;
      }
      if (now >= deadline) return Fail("camera '" + name_ + "' is unavailable (" + lost_reason_ + "); retrying");
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(reopen_at_ns_, deadline) - now));
      continue;
    }
    if (GstMessage* message = gst_bus_pop_filtered(pipeline_->bus, GstMessageType(GST_MESSAGE_ERROR | GST_MESSAGE_EOS));
        message != nullptr) {
      const std::string why =
          GST_MESSAGE_TYPE(message) == GST_MESSAGE_EOS ? "end of stream" : DescribeBusMessage(message);
      gst_message_unref(message);
      Lost(why);
      continue;
    }
    const int64_t wait = std::max<int64_t>(0, std::min(kPollNs, deadline - now));
    GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(pipeline_->sink), static_cast<GstClockTime>(wait));
    if (sample == nullptr) {
      if (gst_app_sink_is_eos(GST_APP_SINK(pipeline_->sink))) {
        Lost("end of stream");
        continue;
      }
      if (platform::MonotonicNowNs() >= deadline) {
        return Fail("camera '" + name_ + "': no frame for " + std::to_string(options_.frame_timeout_ns / 1'000'000) +
                    " ms");
      }
      continue;
    }

    GstBuffer* buffer = gst_sample_get_buffer(sample);
    GstVideoInfo video;
    GstVideoFrame mapped;
    if (buffer == nullptr || !gst_video_info_from_caps(&video, gst_sample_get_caps(sample)) ||
        GST_VIDEO_INFO_FORMAT(&video) != GST_VIDEO_FORMAT_BGR ||
        !gst_video_frame_map(&mapped, &video, buffer, GST_MAP_READ)) {
      gst_sample_unref(sample);
      return Fail("camera '" + name_ + "': the appsink delivered a sample that is not a BGR video frame");
    }
    const cv::Mat view(GST_VIDEO_INFO_HEIGHT(&video), GST_VIDEO_INFO_WIDTH(&video), CV_8UC3,
                       GST_VIDEO_FRAME_PLANE_DATA(&mapped, 0),
                       static_cast<size_t>(GST_VIDEO_FRAME_PLANE_STRIDE(&mapped, 0)));
    view.copyTo(frame->bgr);
    gst_video_frame_unmap(&mapped);

    const Pipeline::Arrival arrival = pipeline_->Find(buffer);
    now = platform::MonotonicNowNs();
    int64_t timestamp = arrival.index >= 0 ? arrival.arrival_ns : now;
    const GstClockTime running =
        gst_segment_to_running_time(gst_sample_get_segment(sample), GST_FORMAT_TIME, GST_BUFFER_PTS(buffer));
    if (pipeline_->monotonic_clock && GST_CLOCK_TIME_IS_VALID(running)) {
      const auto captured = static_cast<int64_t>(pipeline_->base_time + running);
      if (captured <= timestamp && captured >= timestamp - kMaxCaptureLatencyNs) timestamp = captured;
    }
    gst_sample_unref(sample);

    const int64_t index = arrival.index >= 0 ? arrival.index : last_index_ + 1;
    if (last_index_ >= 0 && index > last_index_ + 1) stats_.drops += index - last_index_ - 1;
    last_index_ = index;
    if (first_timestamp_ns_ < 0) first_timestamp_ns_ = timestamp;
    frame->index = index;
    frame->timestamp_ns = timestamp;
    frame->media_time_ns = timestamp - first_timestamp_ns_;
    info_.width = frame->bgr.cols;
    info_.height = frame->bgr.rows;
    ++stats_.frames;
    return ReadStatus::kOk;
  }
}

}  // namespace edgefuse::vision
