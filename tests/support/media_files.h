// Media files made with GStreamer for tests (no OpenCV, so the audio tests can use it):
// a gst-launch description run to its end, and a video whose frames carry the
// timestamps the test chose (variable frame rate), optionally with a sound track.
//
//   std::string error;
//   ASSERT_TRUE(edgefuse::testing::RunGstLaunch(
//       "audiotestsrc num-buffers=50 ! vorbisenc ! oggmux ! filesink location=" + dir.File("a.ogg"), &error))
//       << error;
//   const std::vector<int64_t> pts = {0, 40'000'000, 50'000'000, 120'000'000};
//   ASSERT_TRUE(edgefuse::testing::WriteTimestampedVideo(dir.File("vfr.mkv"), pts, {}, &error)) << error;
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace edgefuse::testing {

// The elements of the list that this system's GStreamer lacks (initializes GStreamer).
std::vector<std::string> MissingGstElements(const std::vector<std::string>& elements);

// Runs a gst-launch-1.0 style pipeline description until end of stream. False with
// GStreamer's error, or after timeout_s.
bool RunGstLaunch(const std::string& description, std::string* error, int timeout_s = 120);

struct TimestampedVideoOptions {
  int width = 160;
  int height = 120;
  // A branch ending in "mux." (e.g. "audiotestsrc num-buffers=20 ! audioconvert ! mux."),
  // muxed beside the video; "" for a video without sound.
  std::string audio_branch;
};

// Motion JPEG in Matroska: frame k, a grey picture with a white bar at x = 4 k (mod the
// width), presented at pts_ns[k] and lasting until the next one.
bool WriteTimestampedVideo(const std::string& path, std::span<const int64_t> pts_ns,
                           const TimestampedVideoOptions& options, std::string* error);

}  // namespace edgefuse::testing
