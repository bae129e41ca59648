// The sound of a media file (a phone's MP4, a camera's MOV, MKV, WebM, Ogg, MPEG-PS/TS,
// AVI; or an audio-only file), decoded with GStreamer to the pipeline's format: mono
// int16 at 16 kHz (DESIGN.md §2). `edgefuse localize` uses it when no --audio is
// given, and `edgefuse run` serves it as an AudioSource paced like a WAV file.
//
//   std::vector<int16_t> samples;
//   std::string error;
//   if (!edgefuse::audio::ReadMediaAudio("clip.mp4", &samples, &error)) {
//     // "clip.mp4: the file has no audio track"
//     // "clip.mp4: no GStreamer decoder for its audio (MPEG-4 AAC): install gstreamer1.0-libav"
//   }
//   auto source = edgefuse::audio::MediaAudioSource::Open("clip.mp4", {.realtime = true}, &error);
//
// Decoding: filesrc ! decodebin ! audioconvert ! audioresample !
// audio/x-raw,format=S16LE,channels=1,rate=16000 ! appsink, pulled until end of stream.
// Video streams are demultiplexed but never decoded here (the picture is OpenCV's
// job): only their first timestamps are read, so that sample 0 is at the first video
// frame, the origin OpenCV's media time counts from. Buffers are placed at their
// presentation time: a gap in the track becomes silence, so the sound stays aligned.
// Errors are one line naming the file: no such file, no audio track, a missing
// decoder or demuxer (with the Debian package that provides it), a corrupt file, or
// a decoder that made no progress for MediaAudioOptions::stall_timeout_ns.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "modalities/audio/frontend_settings.h"
#include "modalities/audio/paced_source.h"

namespace edgefuse::audio {

struct MediaAudioOptions {
  // Longest time without a decoded buffer or a pipeline event (including the wait for
  // the first one) before decoding is abandoned with an error.
  int64_t stall_timeout_ns = 20'000'000'000;
  double max_seconds = 6 * 3600.0;  // longer tracks are refused (memory: 32 kB per second)
  // Shift the samples so that sample 0 is at the first video frame (files with video).
  bool align_to_video = true;
};

struct MediaAudio {
  std::vector<int16_t> samples;  // mono, 16 kHz
  std::string codec;             // "MPEG-4 AAC", "MPEG-1 Layer 2 (MP2)", ... ("" if the file does not say)
  int file_rate_hz = 0;          // the track before down-mixing and resampling
  int file_channels = 0;
  int64_t audio_start_ns = 0;   // stream time of the first decoded sample
  int64_t video_start_ns = -1;  // stream time of the first video frame; -1: no video stream
  int64_t shift_samples = 0;    // silence prepended (+) or samples dropped (-) for the alignment
  int64_t gap_samples = 0;      // silence inserted for gaps in the track's timestamps
  double seconds() const { return static_cast<double>(samples.size()) / kSampleRateHz; }
};

// Decodes the first audio track of path. False with a one-line *error (prefixed by the
// path).
bool ReadMediaAudio(const std::string& path, std::vector<int16_t>* samples_16k_mono, std::string* error);
bool ReadMediaAudio(const std::string& path, const MediaAudioOptions& options, MediaAudio* audio, std::string* error);

// "MPEG-4 AAC, 48000 Hz, 2 ch, 5.57 s"
std::string DescribeMediaAudio(const MediaAudio& audio);

// A media file's audio track, decoded once at Open and served like a WAV file: as
// fast as it is read or paced in real time (PacedSource).
class MediaAudioSource final : public PacedSource {
 public:
  static std::unique_ptr<MediaAudioSource> Open(const std::string& path, PacedOptions options, std::string* error,
                                                SourceClock clock = SourceClock::Monotonic(),
                                                const MediaAudioOptions& media = {});
  // "audio track of clip.mp4 (MPEG-4 AAC, 48000 Hz, 2 ch, 5.57 s)"
  std::string Describe() const override;
  const MediaAudio& audio() const { return audio_; }

 protected:
  size_t Generate(int64_t first, std::span<int16_t> out) override;
  int64_t Length() const override;

 private:
  MediaAudioSource(PacedOptions options, SourceClock clock) : PacedSource(options, std::move(clock)) {}
  std::string path_;
  MediaAudio audio_;
};

// A sound file as a source: WAV (by its .wav extension) through the strict parser of
// wav.h, anything else through GStreamer. nullptr with a one-line *error.
std::unique_ptr<PacedSource> OpenSoundFile(const std::string& path, PacedOptions options, std::string* error);

}  // namespace edgefuse::audio
