#include "tests/support/media_files.h"

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>

#include <algorithm>

namespace edgefuse::testing {
namespace {

bool InitGst(std::string* error) {
  GError* gerror = nullptr;
  if (gst_init_check(nullptr, nullptr, &gerror)) return true;
  *error = std::string("GStreamer: ") + (gerror != nullptr ? gerror->message : "?");
  if (gerror != nullptr) g_error_free(gerror);
  return false;
}

// Plays an already built pipeline to its end; unrefs it.
bool RunToEnd(GstElement* pipeline, std::string* error, int timeout_s) {
  GstBus* bus = gst_element_get_bus(pipeline);
  bool ok = gst_element_set_state(pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE;
  if (!ok) *error = "the pipeline did not start";
  while (ok) {
    GstMessage* message = gst_bus_timed_pop_filtered(bus, static_cast<GstClockTime>(timeout_s) * GST_SECOND,
                                                     static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
    if (message == nullptr) {
      *error = "no end of stream after " + std::to_string(timeout_s) + " s";
      ok = false;
      break;
    }
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
      GError* gerror = nullptr;
      gst_message_parse_error(message, &gerror, nullptr);
      *error = std::string(GST_MESSAGE_SRC_NAME(message)) + ": " + (gerror != nullptr ? gerror->message : "?");
      if (gerror != nullptr) g_error_free(gerror);
      ok = false;
    }
    gst_message_unref(message);
    break;
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(bus);
  gst_object_unref(pipeline);
  return ok;
}

GstElement* Parse(const std::string& description, std::string* error) {
  GError* gerror = nullptr;
  GstElement* pipeline = gst_parse_launch(description.c_str(), &gerror);
  if (gerror != nullptr) {
    *error = "cannot build '" + description + "': " + gerror->message;
    g_error_free(gerror);
    if (pipeline != nullptr) gst_object_unref(pipeline);
    return nullptr;
  }
  return pipeline;
}

}  // namespace

std::vector<std::string> MissingGstElements(const std::vector<std::string>& elements) {
  std::string ignored;
  if (!InitGst(&ignored)) return elements;
  std::vector<std::string> missing;
  for (const auto& name : elements) {
    GstElementFactory* factory = gst_element_factory_find(name.c_str());
    if (factory == nullptr) {
      missing.push_back(name);
    } else {
      gst_object_unref(factory);
    }
  }
  return missing;
}

bool RunGstLaunch(const std::string& description, std::string* error, int timeout_s) {
  if (!InitGst(error)) return false;
  GstElement* pipeline = Parse(description, error);
  return pipeline != nullptr && RunToEnd(pipeline, error, timeout_s);
}

bool WriteTimestampedVideo(const std::string& path, std::span<const int64_t> pts_ns,
                           const TimestampedVideoOptions& options, std::string* error) {
  if (!InitGst(error)) return false;
  const int w = options.width, h = options.height;
  const std::string description =
      "appsrc name=frames format=time caps=video/x-raw,format=BGR,width=" + std::to_string(w) +
      ",height=" + std::to_string(h) + ",framerate=0/1 ! videoconvert ! jpegenc ! mux. " + options.audio_branch +
      " matroskamux name=mux ! filesink location=\"" + path + "\"";
  GstElement* pipeline = Parse(description, error);
  if (pipeline == nullptr) return false;
  GstElement* src = gst_bin_get_by_name(GST_BIN(pipeline), "frames");
  // Push every frame before playing: appsrc queues them (no limit), so nothing waits.
  g_object_set(src, "max-bytes", guint64{0}, "block", FALSE, nullptr);
  const size_t stride = static_cast<size_t>(w) * 3;
  for (size_t k = 0; k < pts_ns.size(); ++k) {
    GstBuffer* buffer = gst_buffer_new_allocate(nullptr, stride * static_cast<size_t>(h), nullptr);
    GstMapInfo map;
    gst_buffer_map(buffer, &map, GST_MAP_WRITE);
    std::fill(map.data, map.data + map.size, uint8_t{90});
    const int bar = static_cast<int>((4 * k) % static_cast<size_t>(std::max(4, w - 4)));
    for (int y = 0; y < h; ++y) {
      std::fill(map.data + static_cast<size_t>(y) * stride + static_cast<size_t>(bar) * 3,
                map.data + static_cast<size_t>(y) * stride + static_cast<size_t>(bar + 4) * 3, uint8_t{255});
    }
    gst_buffer_unmap(buffer, &map);
    GST_BUFFER_PTS(buffer) = static_cast<GstClockTime>(pts_ns[k]);
    const int64_t next = k + 1 < pts_ns.size() ? pts_ns[k + 1] : pts_ns[k] + 40'000'000;
    GST_BUFFER_DURATION(buffer) = static_cast<GstClockTime>(next - pts_ns[k]);
    gst_app_src_push_buffer(GST_APP_SRC(src), buffer);  // takes the buffer
  }
  gst_app_src_end_of_stream(GST_APP_SRC(src));
  gst_object_unref(src);
  return RunToEnd(pipeline, error, 120);
}

}  // namespace edgefuse::testing
