#include "modalities/audio/media_audio.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string_view>

#include "modalities/audio/frontend_settings.h"
#include "modalities/audio/media_caps.h"
#include "platform/clock.h"

namespace edgefuse::audio {
namespace {

constexpr int64_t kPollNs = 50'000'000;
constexpr int64_t kNsPerS = 1'000'000'000;
// decodebin drops an error that an element posts while it is being plugged (a race with
// its state change), and then nothing ever happens: when every streaming thread has
// stopped and nothing moved for this long, the file ended without saying so.
constexpr int64_t kStoppedGraceNs = 1'000'000'000;
// The first video frame is the lowest presentation time among the first buffers: in
// decode order, B-frames come before the frames they are shown after.
constexpr int kVideoStartBuffers = 16;
// Timestamp jitter below 20 ms is not a gap; a jump beyond 10 s is a broken timestamp,
// not silence worth filling.
constexpr int64_t kGapToleranceSamples = kSampleRateHz / 50;
constexpr int64_t kMaxGapSamples = int64_t{10} * kSampleRateHz;

// decodebin's GstAutoplugSelectResult, which no public header declares.
constexpr int kAutoplugTry = 0;
constexpr int kAutoplugExpose = 1;

// QuickTime files from some cameras carry MPEG audio (layer 1, 2 or 3) under
// Microsoft's WAVE format tag 0x50, sample entry 'ms\0P', which qtdemux leaves
// unmapped: edgefuse relabels the stream as MPEG audio and parses it itself.
constexpr std::string_view kMsMpegCaps = "audio/x-gst-fourcc-ms_P";

struct ElementPackage {
  const char* element;
  const char* package;
};

constexpr ElementPackage kRequiredElements[] = {
    {"filesrc", "libgstreamer1.0-0"},
    {"fakesink", "libgstreamer1.0-0"},
    {"capsfilter", "libgstreamer1.0-0"},
    {"decodebin", "gstreamer1.0-plugins-base"},
    {"audioconvert", "gstreamer1.0-plugins-base"},
    {"audioresample", "gstreamer1.0-plugins-base"},
    {"appsink", "gstreamer1.0-plugins-base"},
};

std::string CapsText(const GstCaps* caps) {
  if (caps == nullptr) return "";
  gchar* text = gst_caps_to_string(caps);
  std::string result = text != nullptr ? text : "";
  g_free(text);
  return result;
}

std::string CapsName(const GstCaps* caps) {
  if (caps == nullptr || gst_caps_get_size(caps) == 0) return "";
  return gst_structure_get_name(gst_caps_get_structure(caps, 0));
}

bool HaveElement(const char* name) {
  GstElementFactory* factory = gst_element_factory_find(name);
  if (factory == nullptr) return false;
  gst_object_unref(factory);
  return true;
}

bool EnsureGst(std::string* error) {
  // gst_init_check is idempotent and thread-safe; modalities/vision may have called it.
  GError* gerror = nullptr;
  const bool ok = gst_init_check(nullptr, nullptr, &gerror) != FALSE;
  if (!ok) *error = std::string("GStreamer could not be initialized: ") + (gerror ? gerror->message : "?");
  if (gerror != nullptr) g_error_free(gerror);
  return ok;
}

// "<message> (<element>: <last line of the debug text>)".
std::string DescribeError(GstMessage* message) {
  GError* gerror = nullptr;
  gchar* debug = nullptr;
  gst_message_parse_error(message, &gerror, &debug);
  std::string text = gerror != nullptr ? gerror->message : "unknown error";
  std::string detail = debug != nullptr ? debug : "";
  while (!detail.empty() && detail.back() == '\n') detail.pop_back();
  if (const size_t nl = detail.find_last_of('\n'); nl != std::string::npos) detail = detail.substr(nl + 1);
  const char* source = GST_MESSAGE_SRC_NAME(message);
  if (source != nullptr || !detail.empty()) {
    text += std::string(" (") + (source != nullptr ? source : "?") + (detail.empty() ? "" : ": " + detail) + ")";
  }
  if (gerror != nullptr) g_error_free(gerror);
  g_free(debug);
  return text;
}

// "no GStreamer decoder for its audio (MPEG-4 AAC): install gstreamer1.0-libav".
// description: GStreamer's name for the missing element ("MPEG-4 AAC decoder"), or "".
std::string MissingDecoderMessage(const std::string& caps, std::string description) {
  constexpr std::string_view kSuffix = " decoder";
  if (description.ends_with(kSuffix)) description.resize(description.size() - kSuffix.size());
  const std::string package = GstPackageForCaps(caps);
  return "no GStreamer decoder for its audio (" + (description.empty() ? AudioCodecName(caps) : description) +
         "): " + (package.empty() ? "no package known to edgefuse provides one (" + caps + ")" : "install " + package);
}

GstElement* Make(const char* factory) { return gst_element_factory_make(factory, nullptr); }

// Whether the pipeline has streaming threads and all of them are paused or stopped:
// demuxers pause theirs at the end of the file or on an error.
bool StreamingStopped(GstElement* pipeline) {
  int tasks = 0, running = 0;
  GstIterator* elements = gst_bin_iterate_recurse(GST_BIN(pipeline));
  GValue element_value = G_VALUE_INIT;
  while (gst_iterator_next(elements, &element_value) == GST_ITERATOR_OK) {
    GstIterator* pads = gst_element_iterate_pads(GST_ELEMENT(g_value_get_object(&element_value)));
    GValue pad_value = G_VALUE_INIT;
    while (gst_iterator_next(pads, &pad_value) == GST_ITERATOR_OK) {
      GstPad* pad = GST_PAD(g_value_get_object(&pad_value));
      GST_OBJECT_LOCK(pad);
      GstTask* task = GST_PAD_TASK(pad) != nullptr ? GST_TASK(gst_object_ref(GST_PAD_TASK(pad))) : nullptr;
      GST_OBJECT_UNLOCK(pad);
      if (task != nullptr) {
        ++tasks;
        running += gst_task_get_state(task) == GST_TASK_STARTED ? 1 : 0;
        gst_object_unref(task);
      }
      g_value_reset(&pad_value);
    }
    g_value_unset(&pad_value);
    gst_iterator_free(pads);
    g_value_reset(&element_value);
  }
  g_value_unset(&element_value);
  gst_iterator_free(elements);
  return tasks > 0 && running == 0;
}

// One decoding run: filesrc ! decodebin, with the first audio stream linked to
// audioconvert ! audioresample ! capsfilter ! appsink when decodebin exposes it, and
// everything else to fakesinks. decodebin's signals and the pad probes come from
// streaming threads; Run's thread reads the bus and pulls the appsink.
class TrackDecoder {
 public:
  TrackDecoder(std::string path, const MediaAudioOptions& options, MediaAudio* audio)
      : path_(std::move(path)), options_(options), audio_(audio) {}
  ~TrackDecoder() {
    if (pipeline_ != nullptr) gst_element_set_state(pipeline_, GST_STATE_NULL);
    if (sink_ != nullptr) gst_object_unref(sink_);
    if (bus_ != nullptr) gst_object_unref(bus_);
    if (pipeline_ != nullptr) gst_object_unref(pipeline_);
  }
  TrackDecoder(const TrackDecoder&) = delete;
  TrackDecoder& operator=(const TrackDecoder&) = delete;

  // Decodes the whole track into audio->samples; "" on success, else why not (one
  // line, without the path).
  std::string Run();

 private:
  struct MissingPlugin {
    std::string caps;         // the stream's caps
    std::string description;  // GStreamer's: "MPEG-4 AAC decoder"
  };

  bool Start(std::string* why);
  void Handle(GstMessage* message);
  void DrainBus();
  void WaitForVideoStart();
  void Append(GstSample* sample);
  std::string WhyNoAudio();  // the appsink never got a stream
  void AlignToVideo();
  void Progress() { last_progress_ns_.store(platform::MonotonicNowNs()); }

  // Streaming-thread side.
  bool BuildAudioBranch(GstPad* pad, bool ms_mpeg, std::string* why);
  void LinkToFakesink(GstPad* pad);
  static void OnPadAdded(GstElement*, GstPad* pad, gpointer self);
  static void OnNoMorePads(GstElement*, gpointer self);
  static void OnUnknownType(GstElement*, GstPad*, GstCaps* caps, gpointer self);
  static gboolean OnAutoplugContinue(GstElement*, GstPad*, GstCaps* caps, gpointer);
  static gint OnAutoplugSelect(GstElement*, GstPad*, GstCaps*, GstElementFactory* factory, gpointer);
  static GstPadProbeReturn OnVideoData(GstPad*, GstPadProbeInfo* info, gpointer self);
  static GstPadProbeReturn OnAudioData(GstPad*, GstPadProbeInfo*, gpointer self);
  static GstPadProbeReturn RelabelMsMpeg(GstPad*, GstPadProbeInfo* info, gpointer);

  const std::string path_;
  const MediaAudioOptions options_;
  MediaAudio* const audio_;
  GstElement* pipeline_ = nullptr;
  GstBus* bus_ = nullptr;
  std::atomic<int64_t> last_progress_ns_{0};

  // The caller's thread only.
  std::string error_;  // the first error on the bus
  GQuark error_domain_ = 0;
  int error_code_ = 0;
  bool eos_ = false;
  std::vector<MissingPlugin> missing_;
  bool have_origin_ = false;
  int64_t origin_ns_ = 0;

  std::mutex mutex_;            // guards what the streaming threads write
  GstElement* sink_ = nullptr;  // the audio branch's appsink (a reference), once linked
  bool no_more_pads_ = false;
  std::string branch_error_;
  std::vector<std::string> unknown_audio_;  // caps of audio streams without a decoder
  int file_rate_hz_ = 0;
  int file_channels_ = 0;
  bool video_probed_ = false;
  GstSegment video_segment_;
  int video_buffers_ = 0;
  bool video_ended_ = false;
  int64_t video_start_ns_ = -1;
};

bool TrackDecoder::Start(std::string* why) {
  for (const auto& [element, package] : kRequiredElements) {
    if (!HaveElement(element)) {
      *why = std::string("GStreamer element '") + element + "' is missing: install " + package;
      return false;
    }
  }
  pipeline_ = GST_ELEMENT(gst_object_ref_sink(gst_pipeline_new(nullptr)));
  GstElement* src = Make("filesrc");
  GstElement* decodebin = Make("decodebin");
  g_object_set(src, "location", path_.c_str(), nullptr);
  gst_bin_add_many(GST_BIN(pipeline_), src, decodebin, nullptr);
  if (!gst_element_link(src, decodebin)) {
    *why = "could not set up GStreamer's decoder";
    return false;
  }
  g_signal_connect(decodebin, "pad-added", G_CALLBACK(OnPadAdded), this);
  g_signal_connect(decodebin, "no-more-pads", G_CALLBACK(OnNoMorePads), this);
  g_signal_connect(decodebin, "unknown-type", G_CALLBACK(OnUnknownType), this);
  g_signal_connect(decodebin, "autoplug-continue", G_CALLBACK(OnAutoplugContinue), this);
  g_signal_connect(decodebin, "autoplug-select", G_CALLBACK(OnAutoplugSelect), this);
  bus_ = gst_element_get_bus(pipeline_);
  gst_pipeline_use_clock(GST_PIPELINE(pipeline_), nullptr);  // as fast as the CPU allows
  gst_segment_init(&video_segment_, GST_FORMAT_TIME);
  Progress();
  // A failure to start is reported on the bus; Run reads it there.
  gst_element_set_state(pipeline_, GST_STATE_PLAYING);
  return true;
}

std::string TrackDecoder::Run() {
  std::string why;
  if (!Start(&why)) return why;
  const auto max_samples = static_cast<size_t>(options_.max_seconds * kSampleRateHz);
  for (;;) {
    DrainBus();
    if (!error_.empty() || eos_) break;
    GstElement* sink = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!branch_error_.empty()) return branch_error_;
      sink = sink_;
      if (sink == nullptr && no_more_pads_) break;  // every stream is out, none is sound
    }
    const int64_t quiet = platform::MonotonicNowNs() - last_progress_ns_.load();
    if (quiet > options_.stall_timeout_ns) {
      return "decoding made no progress for " + std::to_string(options_.stall_timeout_ns / 1'000'000) +
             " ms (a decoder that never started or stalled: corrupt file or broken plugin)";
    }
    if (quiet > kStoppedGraceNs && StreamingStopped(pipeline_)) {
      DrainBus();
      if (!error_.empty() || eos_) break;
      if (sink == nullptr) return "corrupt or truncated: GStreamer stopped reading it before finding its streams";
      return "corrupt or truncated: GStreamer stopped reading it after " +
             std::to_string(audio_->samples.size() / kSampleRateHz) + " s of audio, without an error";
    }
    if (sink == nullptr) {
      if (GstMessage* message = gst_bus_timed_pop(bus_, static_cast<GstClockTime>(kPollNs))) {
        Handle(message);
        gst_message_unref(message);
      }
      continue;
    }
    GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), static_cast<GstClockTime>(kPollNs));
    if (sample == nullptr) {
      if (gst_app_sink_is_eos(GST_APP_SINK(sink))) break;
      continue;
    }
    Progress();
    Append(sample);
    gst_sample_unref(sample);
    if (audio_->samples.size() > max_samples) {
      char hours[32];
      std::snprintf(hours, sizeof hours, "%.1f h", options_.max_seconds / 3600.0);
      return std::string("the audio track is longer than ") + hours + ", more than edgefuse holds in memory";
    }
  }
  WaitForVideoStart();

  bool have_branch = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    have_branch = sink_ != nullptr;
    audio_->file_rate_hz = file_rate_hz_;
    audio_->file_channels = file_channels_;
    audio_->video_start_ns = video_start_ns_;
  }
  if (!have_branch) return WhyNoAudio();
  const std::vector<int16_t>& out = audio_->samples;
  if (!error_.empty()) {
    if (out.empty()) return "corrupt or truncated: no audio could be decoded: " + error_;
    return "corrupt or truncated: decoding failed after " + std::to_string(out.size() / kSampleRateHz) +
           " s of audio: " + error_;
  }
  if (out.empty()) return "its audio track holds no sound that could be decoded";
  if (options_.align_to_video && audio_->video_start_ns >= 0) AlignToVideo();
  return "";
}

void TrackDecoder::WaitForVideoStart() {
  // The sound may end before the picture's first timestamps have come through their
  // own streaming thread: wait for them (demultiplexing only, no decoding), or for
  // the end of everything.
  for (;;) {
    DrainBus();
    if (eos_ || !error_.empty()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!video_probed_ || video_ended_ || video_buffers_ >= kVideoStartBuffers) return;
    }
    const int64_t quiet = platform::MonotonicNowNs() - last_progress_ns_.load();
    if (quiet > kStoppedGraceNs && StreamingStopped(pipeline_)) return;
    if (quiet > options_.stall_timeout_ns) return;
    if (GstMessage* message = gst_bus_timed_pop(bus_, static_cast<GstClockTime>(kPollNs / 5))) {
      Handle(message);
      gst_message_unref(message);
    }
  }
}

void TrackDecoder::DrainBus() {
  while (GstMessage* message = gst_bus_pop(bus_)) {
    Handle(message);
    gst_message_unref(message);
  }
}

void TrackDecoder::Handle(GstMessage* message) {
  Progress();
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR:
      if (error_.empty()) {
        GError* gerror = nullptr;
        gst_message_parse_error(message, &gerror, nullptr);
        error_domain_ = gerror != nullptr ? gerror->domain : 0;
        error_code_ = gerror != nullptr ? gerror->code : 0;
        if (gerror != nullptr) g_error_free(gerror);
        error_ = DescribeError(message);
      }
      break;
    case GST_MESSAGE_EOS: eos_ = true; break;
    case GST_MESSAGE_TAG: {
      if (!audio_->codec.empty()) break;
      GstTagList* tags = nullptr;
      gst_message_parse_tag(message, &tags);
      gchar* codec = nullptr;
      if (tags != nullptr && gst_tag_list_get_string(tags, GST_TAG_AUDIO_CODEC, &codec) && codec != nullptr) {
        audio_->codec = codec;
      }
      g_free(codec);
      if (tags != nullptr) gst_tag_list_unref(tags);
      break;
    }
    case GST_MESSAGE_ELEMENT: {
      const GstStructure* s = gst_message_get_structure(message);
      if (s == nullptr || !gst_structure_has_name(s, "missing-plugin")) break;
      MissingPlugin plugin;
      if (const GValue* detail = gst_structure_get_value(s, "detail"); detail != nullptr) {
        if (GST_VALUE_HOLDS_CAPS(detail)) plugin.caps = CapsText(gst_value_get_caps(detail));
        if (G_VALUE_HOLDS_STRING(detail)) plugin.caps = g_value_get_string(detail);
      }
      if (const char* name = gst_structure_get_string(s, "name"); name != nullptr) plugin.description = name;
      missing_.push_back(plugin);
      break;
    }
    default: break;
  }
}

void TrackDecoder::Append(GstSample* sample) {
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  GstMapInfo map;
  if (buffer == nullptr || !gst_buffer_map(buffer, &map, GST_MAP_READ)) return;
  std::vector<int16_t>& out = audio_->samples;
  if (GST_BUFFER_PTS_IS_VALID(buffer)) {
    const guint64 stream_time =
        gst_segment_to_stream_time(gst_sample_get_segment(sample), GST_FORMAT_TIME, GST_BUFFER_PTS(buffer));
    if (GST_CLOCK_TIME_IS_VALID(stream_time)) {
      const auto t = static_cast<int64_t>(stream_time);
      if (!have_origin_) {
        // The track's timeline starts at its first timestamped buffer.
        origin_ns_ = t - static_cast<int64_t>(out.size()) * kNsPerS / kSampleRateHz;
        audio_->audio_start_ns = origin_ns_;
        have_origin_ = true;
      } else {
        // Where this buffer belongs on the timeline: a gap in the track becomes silence.
        const int64_t gap = (t - origin_ns_) * kSampleRateHz / kNsPerS - static_cast<int64_t>(out.size());
        if (gap > kGapToleranceSamples && gap <= kMaxGapSamples) {
          out.insert(out.end(), static_cast<size_t>(gap), 0);
          audio_->gap_samples += gap;
        }
      }
    }
  }
  const auto* pcm = reinterpret_cast<const int16_t*>(map.data);
  out.insert(out.end(), pcm, pcm + map.size / sizeof(int16_t));
  gst_buffer_unmap(buffer, &map);
}

void TrackDecoder::AlignToVideo() {
  // Sample 0 at the first video frame, the origin of OpenCV's media time.
  std::vector<int16_t>& out = audio_->samples;
  int64_t shift = (audio_->audio_start_ns - audio_->video_start_ns) * kSampleRateHz / kNsPerS;
  if (shift > 0) {
    shift = std::min(shift, kMaxGapSamples);
    out.insert(out.begin(), static_cast<size_t>(shift), 0);
  } else if (shift < 0) {
    const size_t drop = std::min(static_cast<size_t>(-shift), out.size());
    out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(drop));
  }
  audio_->shift_samples = shift;
}

std::string TrackDecoder::WhyNoAudio() {
  std::vector<std::string> unknown_audio;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    unknown_audio = unknown_audio_;
  }
  // A sound stream no decoder is installed for.
  for (const auto& caps : unknown_audio) {
    std::string description;
    for (const auto& m : missing_) {
      if (CapsMediaType(m.caps) == CapsMediaType(caps)) description = m.description;
    }
    return MissingDecoderMessage(caps, description);
  }
  for (const auto& m : missing_) {
    if (CapsMediaType(m.caps).starts_with("audio/")) return MissingDecoderMessage(m.caps, m.description);
  }
  // A container no demuxer is installed for: whether it has sound is unknown.
  for (const auto& m : missing_) {
    const std::string package = GstPackageForCaps(m.caps);
    if (package.empty()) continue;
    return "GStreamer cannot demultiplex it (" + (m.description.empty() ? m.caps : m.description) +
           " is missing): install " + package;
  }
  if (error_domain_ == GST_STREAM_ERROR && error_code_ == GST_STREAM_ERROR_TYPE_NOT_FOUND) {
    return "not a media file GStreamer can read (corrupt, truncated or unsupported format)";
  }
  if (!error_.empty() && !(error_domain_ == GST_CORE_ERROR && error_code_ == GST_CORE_ERROR_MISSING_PLUGIN)) {
    return "corrupt or unsupported: " + error_;
  }
  return "the file has no audio track";
}

// ---- streaming threads ---------------------------------------------------------------

// audioconvert ! audioresample ! audio/x-raw,S16LE,mono,16 kHz ! appsink, fed from pad
// (through a parser and a decoder first for relabelled MPEG audio). Called with mutex_.
bool TrackDecoder::BuildAudioBranch(GstPad* pad, bool ms_mpeg, std::string* why) {
  std::vector<GstElement*> chain;
  if (ms_mpeg) {
    const char* decoder = HaveElement("mpg123audiodec") ? "mpg123audiodec" : "avdec_mp2float";
    if (!HaveElement("mpegaudioparse") || !HaveElement(decoder)) {
      *why =
          "no GStreamer decoder for its audio (MPEG audio in a QuickTime 'ms\\0P' track): install "
          "gstreamer1.0-plugins-good";
      return false;
    }
    chain.push_back(Make("mpegaudioparse"));
    chain.push_back(Make(decoder));
  }
  for (const char* factory : {"audioconvert", "audioresample", "capsfilter", "appsink"}) {
    chain.push_back(Make(factory));
  }
  if (std::find(chain.begin(), chain.end(), nullptr) != chain.end()) {
    for (GstElement* e : chain) {
      if (e != nullptr) gst_object_unref(gst_object_ref_sink(e));
    }
    *why = "could not create GStreamer's audio conversion elements";
    return false;
  }
  GstElement* filter = chain[chain.size() - 2];
  GstElement* sink = chain.back();
  GstCaps* caps =
      gst_caps_new_simple("audio/x-raw", "format", G_TYPE_STRING, "S16LE", "layout", G_TYPE_STRING, "interleaved",
                          "channels", G_TYPE_INT, 1, "rate", G_TYPE_INT, kSampleRateHz, nullptr);
  g_object_set(filter, "caps", caps, nullptr);
  gst_caps_unref(caps);
  // A bounded queue: the demuxer waits for the reader rather than filling memory.
  g_object_set(sink, "sync", FALSE, "max-buffers", 256u, "drop", FALSE, "emit-signals", FALSE, nullptr);
  for (GstElement* e : chain) gst_bin_add(GST_BIN(pipeline_), e);
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    if (!gst_element_link(chain[i], chain[i + 1])) {
      *why = "could not link GStreamer's audio conversion elements";
      return false;
    }
  }
  for (GstElement* e : chain) gst_element_sync_state_with_parent(e);
  if (ms_mpeg) {
    // On the pad inside decodebin that feeds the exposed one: a ghost pad checks the
    // caps against its peer before its own probes run.
    GstPad* feed = GST_IS_GHOST_PAD(pad) ? gst_ghost_pad_get_target(GST_GHOST_PAD(pad)) : GST_PAD(gst_object_ref(pad));
    if (feed != nullptr) {
      gst_pad_add_probe(feed, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, RelabelMsMpeg, nullptr, nullptr);
      gst_object_unref(feed);
    }
  }
  GstPad* input = gst_element_get_static_pad(chain.front(), "sink");
  // No caps check: a relabelled stream's pad still shows its old caps.
  const GstPadLinkReturn linked = gst_pad_link_full(pad, input, GST_PAD_LINK_CHECK_NOTHING);
  gst_object_unref(input);
  if (linked != GST_PAD_LINK_OK) {
    *why = "could not link its audio stream";
    return false;
  }
  gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, OnAudioData, this, nullptr);
  sink_ = GST_ELEMENT(gst_object_ref(sink));
  return true;
}

// Streams not decoded here still need a sink, or the demuxer stops with not-linked.
void TrackDecoder::LinkToFakesink(GstPad* pad) {
  GstElement* sink = Make("fakesink");
  if (sink == nullptr) return;
  g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);
  gst_bin_add(GST_BIN(pipeline_), sink);
  gst_element_sync_state_with_parent(sink);
  GstPad* input = gst_element_get_static_pad(sink, "sink");
  gst_pad_link_full(pad, input, GST_PAD_LINK_CHECK_NOTHING);
  gst_object_unref(input);
}

void TrackDecoder::OnPadAdded(GstElement*, GstPad* pad, gpointer data) {
  auto* self = static_cast<TrackDecoder*>(data);
  self->Progress();
  GstCaps* caps = gst_pad_get_current_caps(pad);
  if (caps == nullptr) caps = gst_pad_query_caps(pad, nullptr);
  const std::string name = CapsName(caps);
  const bool ms_mpeg = name == kMsMpegCaps;
  std::lock_guard<std::mutex> lock(self->mutex_);
  if ((name == "audio/x-raw" || ms_mpeg) && self->sink_ == nullptr && self->branch_error_.empty()) {
    const GstStructure* s = gst_caps_get_structure(caps, 0);
    gst_structure_get_int(s, "rate", &self->file_rate_hz_);
    gst_structure_get_int(s, "channels", &self->file_channels_);
    std::string why;
    if (!self->BuildAudioBranch(pad, ms_mpeg, &why)) self->branch_error_ = why;
  } else {
    // Video (demultiplexed, not decoded), further sound tracks, subtitles, data.
    if ((name.starts_with("video/") || name.starts_with("image/")) && !self->video_probed_) {
      self->video_probed_ = true;
      gst_pad_add_probe(pad,
                        static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM),
                        OnVideoData, self, nullptr);
    }
    self->LinkToFakesink(pad);
  }
  if (caps != nullptr) gst_caps_unref(caps);
}

void TrackDecoder::OnNoMorePads(GstElement*, gpointer data) {
  auto* self = static_cast<TrackDecoder*>(data);
  self->Progress();
  std::lock_guard<std::mutex> lock(self->mutex_);
  self->no_more_pads_ = true;
}

void TrackDecoder::OnUnknownType(GstElement*, GstPad*, GstCaps* caps, gpointer data) {
  auto* self = static_cast<TrackDecoder*>(data);
  if (!CapsName(caps).starts_with("audio/")) return;  // video is not decoded here anyway
  std::lock_guard<std::mutex> lock(self->mutex_);
  self->unknown_audio_.push_back(CapsText(caps));
}

// MPEG audio under the 'ms\0P' tag is exposed as it is, to be relabelled.
gboolean TrackDecoder::OnAutoplugContinue(GstElement*, GstPad*, GstCaps* caps, gpointer) {
  return CapsName(caps) == kMsMpegCaps ? FALSE : TRUE;
}

// Video, images and subtitles are exposed undecoded: only their timestamps matter here.
gint TrackDecoder::OnAutoplugSelect(GstElement*, GstPad*, GstCaps*, GstElementFactory* factory, gpointer) {
  const char* klass = gst_element_factory_get_metadata(factory, GST_ELEMENT_METADATA_KLASS);
  if (klass == nullptr) return kAutoplugTry;
  const auto has = [klass](const char* word) { return std::strstr(klass, word) != nullptr; };
  const bool codec = has("Decoder") || has("Parser");
  const bool picture = has("Video") || has("Image") || has("Subtitle");
  return codec && picture && !has("Audio") ? kAutoplugExpose : kAutoplugTry;
}

GstPadProbeReturn TrackDecoder::OnVideoData(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<TrackDecoder*>(data);
  self->Progress();
  std::lock_guard<std::mutex> lock(self->mutex_);
  if ((info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) != 0) {
    GstEvent* event = GST_PAD_PROBE_INFO_EVENT(info);
    if (GST_EVENT_TYPE(event) == GST_EVENT_EOS) self->video_ended_ = true;
    const GstSegment* segment = nullptr;
    if (GST_EVENT_TYPE(event) == GST_EVENT_SEGMENT) gst_event_parse_segment(event, &segment);
    if (segment != nullptr && segment->format == GST_FORMAT_TIME) gst_segment_copy_into(segment, &self->video_segment_);
    return GST_PAD_PROBE_OK;
  }
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  if (buffer == nullptr || self->video_buffers_ >= kVideoStartBuffers) return GST_PAD_PROBE_OK;
  ++self->video_buffers_;
  if (!GST_BUFFER_PTS_IS_VALID(buffer)) return GST_PAD_PROBE_OK;
  const guint64 stream_time =
      gst_segment_to_stream_time(&self->video_segment_, GST_FORMAT_TIME, GST_BUFFER_PTS(buffer));
  if (!GST_CLOCK_TIME_IS_VALID(stream_time)) return GST_PAD_PROBE_OK;
  const auto t = static_cast<int64_t>(stream_time);
  if (self->video_start_ns_ < 0 || t < self->video_start_ns_) self->video_start_ns_ = t;
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn TrackDecoder::OnAudioData(GstPad*, GstPadProbeInfo*, gpointer data) {
  static_cast<TrackDecoder*>(data)->Progress();
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn TrackDecoder::RelabelMsMpeg(GstPad*, GstPadProbeInfo* info, gpointer) {
  GstEvent* event = GST_PAD_PROBE_INFO_EVENT(info);
  if (event == nullptr || GST_EVENT_TYPE(event) != GST_EVENT_CAPS) return GST_PAD_PROBE_OK;
  GstCaps* mpeg = gst_caps_from_string("audio/mpeg, mpegversion=(int)1, parsed=(boolean)false");
  gst_event_unref(event);
  GST_PAD_PROBE_INFO_DATA(info) = gst_event_new_caps(mpeg);
  gst_caps_unref(mpeg);
  return GST_PAD_PROBE_OK;
}

}  // namespace

std::string DescribeMediaAudio(const MediaAudio& audio) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f s", audio.seconds());
  std::string text = audio.codec.empty() ? "" : audio.codec + ", ";
  if (audio.file_rate_hz > 0) text += std::to_string(audio.file_rate_hz) + " Hz, ";
  if (audio.file_channels > 0) text += std::to_string(audio.file_channels) + " ch, ";
  return text + seconds;
}

bool ReadMediaAudio(const std::string& path, std::vector<int16_t>* samples_16k_mono, std::string* error) {
  MediaAudio audio;
  if (!ReadMediaAudio(path, {}, &audio, error)) return false;
  *samples_16k_mono = std::move(audio.samples);
  return true;
}

bool ReadMediaAudio(const std::string& path, const MediaAudioOptions& options, MediaAudio* audio, std::string* error) {
  *audio = MediaAudio{};
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  std::string why;
  if (ec || !std::filesystem::exists(status)) {
    why = "No such file or directory";
  } else if (!std::filesystem::is_regular_file(status)) {
    why = "not a regular file";
  } else if (std::filesystem::file_size(path, ec) == 0) {
    why = "empty file";
  } else if (!EnsureGst(&why)) {
  } else {
    why = TrackDecoder(path, options, audio).Run();
  }
  if (why.empty()) return true;
  audio->samples.clear();
  *error = path + ": " + why;
  return false;
}

std::unique_ptr<PacedSource> OpenSoundFile(const std::string& path, PacedOptions options, std::string* error) {
  std::string extension = std::filesystem::path(path).extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (extension == ".wav") return WavSource::Open(path, options, error);
  return MediaAudioSource::Open(path, options, error);
}

std::unique_ptr<MediaAudioSource> MediaAudioSource::Open(const std::string& path, PacedOptions options,
                                                         std::string* error, SourceClock clock,
                                                         const MediaAudioOptions& media) {
  std::unique_ptr<MediaAudioSource> source(new MediaAudioSource(options, std::move(clock)));
  source->path_ = path;
  if (!ReadMediaAudio(path, media, &source->audio_, error)) return nullptr;
  return source;
}

size_t MediaAudioSource::Generate(int64_t first, std::span<int16_t> out) {
  const auto& samples = audio_.samples;
  const size_t n = std::min(out.size(), samples.size() - static_cast<size_t>(first));
  std::copy_n(samples.begin() + first, n, out.begin());
  return n;
}

int64_t MediaAudioSource::Length() const { return static_cast<int64_t>(audio_.samples.size()); }

std::string MediaAudioSource::Describe() const {
  return "audio track of " + path_ + " (" + DescribeMediaAudio(audio_) + ")" + (options_.realtime ? ", real time" : "");
}

}  // namespace edgefuse::audio
