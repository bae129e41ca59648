// A media file's sound through GStreamer (media_audio.h): tones muxed by GStreamer's own
// encoders (PCM in Matroska, Vorbis in Ogg, AAC in MP4) come back at 16 kHz mono with
// their frequency, length and start; a late audio start and a gap in the track keep
// their place on the timeline; a file without sound, a missing decoder, noise, a
// truncated file, a missing file and a stalled decoder are one-line errors.
#include "modalities/audio/media_audio.h"

#include <gst/gst.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "modalities/audio/media_caps.h"
#include "tests/support/media_files.h"
#include "tests/support/test_support.h"

namespace edgefuse::audio {
namespace {

constexpr double kToneHz = 440.0;

// Zero crossings per second / 2 over [begin, end).
double ToneFrequency(const std::vector<int16_t>& s, size_t begin, size_t end) {
  int crossings = 0;
  for (size_t i = begin + 1; i < end; ++i) crossings += (s[i - 1] < 0) != (s[i] < 0) ? 1 : 0;
  return crossings / 2.0 / (static_cast<double>(end - begin) / 16000.0);
}

double Rms(const std::vector<int16_t>& s, size_t begin, size_t end) {
  double sum = 0;
  for (size_t i = begin; i < end; ++i) sum += static_cast<double>(s[i]) * s[i];
  return std::sqrt(sum / static_cast<double>(end - begin));
}

// A tone of `seconds` at `rate` Hz (stereo), 1024 samples per buffer.
std::string ToneBranch(double seconds, int rate, const std::string& encoder, const std::string& extra = "") {
  const int buffers = static_cast<int>(std::ceil(seconds * rate / 1024.0));
  return "audiotestsrc wave=sine freq=440 volume=0.5 samplesperbuffer=1024 num-buffers=" + std::to_string(buffers) +
         " " + extra + " ! audio/x-raw,rate=" + std::to_string(rate) + ",channels=2 ! audioconvert ! " + encoder;
}

std::string VideoBranch(int frames, const std::string& encoder = "jpegenc") {
  return "videotestsrc num-buffers=" + std::to_string(frames) +
         " ! video/x-raw,width=160,height=120,framerate=15/1 ! videoconvert ! " + encoder;
}

void Make(const std::string& description) {
  std::string error;
  ASSERT_TRUE(testing::RunGstLaunch(description, &error)) << error;
}

void ExpectTone(const MediaAudio& audio, double seconds, double tolerance_s) {
  ASSERT_FALSE(audio.samples.empty());
  EXPECT_NEAR(audio.seconds(), seconds, tolerance_s);
  const size_t n = audio.samples.size();
  EXPECT_NEAR(ToneFrequency(audio.samples, n / 4, 3 * n / 4), kToneHz, 3.0);
  // volume 0.5 of full scale, stereo down-mixed: RMS 0.5 / sqrt(2) of 32767.
  EXPECT_NEAR(Rms(audio.samples, n / 4, 3 * n / 4), 0.5 / std::sqrt(2.0) * 32767, 1500);
}

TEST(MediaAudio, PcmInMatroskaWithVideo) {
  testing::ScratchDir dir;
  const std::string path = dir.File("tone.mkv");
  Make(ToneBranch(2.0, 44100, "mux.") + " " + VideoBranch(30, "jpegenc ! mux.") +
       " matroskamux name=mux ! filesink location=" + path);
  MediaAudio audio;
  std::string error;
  ASSERT_TRUE(ReadMediaAudio(path, {}, &audio, &error)) << error;
  // 87 buffers of 1024 samples at 44.1 kHz = 2.0201 s.
  ExpectTone(audio, 87 * 1024 / 44100.0, 0.002);
  EXPECT_EQ(audio.file_rate_hz, 44100);
  EXPECT_EQ(audio.file_channels, 2);
  EXPECT_EQ(audio.video_start_ns, 0);
  EXPECT_EQ(audio.shift_samples, 0);
  EXPECT_EQ(audio.gap_samples, 0);
  std::printf("[edgefuse] %s: %s\n", path.c_str(), DescribeMediaAudio(audio).c_str());

  // The short form gives the same samples.
  std::vector<int16_t> samples;
  ASSERT_TRUE(ReadMediaAudio(path, &samples, &error)) << error;
  EXPECT_EQ(samples, audio.samples);
}

TEST(MediaAudio, VorbisInOggWithoutVideo) {
  testing::ScratchDir dir;
  const std::string path = dir.File("tone.ogg");
  Make(ToneBranch(1.5, 48000, "vorbisenc ! oggmux ! filesink location=" + path));
  MediaAudio audio;
  std::string error;
  ASSERT_TRUE(ReadMediaAudio(path, {}, &audio, &error)) << error;
  ExpectTone(audio, 71 * 1024 / 48000.0, 0.01);
  EXPECT_EQ(audio.codec, "Vorbis");
  EXPECT_EQ(audio.file_rate_hz, 48000);
  EXPECT_EQ(audio.video_start_ns, -1);
}

// What phones and cameras write: AAC in MP4 (here without a picture: GStreamer in
// Debian has no MP4 video encoder that stamps its frames) and in QuickTime with Motion
// JPEG.
TEST(MediaAudio, AacInMp4AndMov) {
  const auto missing = testing::MissingGstElements({"avenc_aac", "avdec_aac", "mp4mux", "qtmux"});
  ASSERT_TRUE(missing.empty())
      << "install gstreamer1.0-libav and gstreamer1.0-plugins-good (toolchains/install-deps.sh)";
  testing::ScratchDir dir;
  for (const auto& [name, video, mux] :
       {std::tuple{"tone.mp4", "", "mp4mux"}, std::tuple{"tone.mov", "jpegenc ! mux.", "qtmux"}}) {
    const std::string path = dir.File(name);
    Make(ToneBranch(2.0, 48000, "avenc_aac ! mux.") + " " + (*video ? VideoBranch(30, video) : "") + " " + mux +
         " name=mux ! filesink location=" + path);
    MediaAudio audio;
    std::string error;
    ASSERT_TRUE(ReadMediaAudio(path, {}, &audio, &error)) << error;
    ExpectTone(audio, 94 * 1024 / 48000.0, 0.05);  // AAC frames of 1024 samples, the encoder's priming cut
    EXPECT_NE(audio.codec.find("AAC"), std::string::npos) << audio.codec;
    EXPECT_EQ(audio.file_rate_hz, 48000);
    EXPECT_EQ(audio.video_start_ns, *video ? 0 : -1);
    std::printf("[edgefuse] %s: %s, shifted by %lld samples\n", path.c_str(), DescribeMediaAudio(audio).c_str(),
                static_cast<long long>(audio.shift_samples));
  }
}

TEST(MediaAudio, LateAudioStartIsSilenceBeforeIt) {
  // The sound starts 0.5 s after the first video frame.
  testing::ScratchDir dir;
  const std::string path = dir.File("late.mkv");
  Make(ToneBranch(1.0, 16000, "mux.", "timestamp-offset=500000000") + " " + VideoBranch(30, "jpegenc ! mux.") +
       " matroskamux name=mux ! filesink location=" + path);
  MediaAudio audio;
  std::string error;
  ASSERT_TRUE(ReadMediaAudio(path, {}, &audio, &error)) << error;
  EXPECT_EQ(audio.video_start_ns, 0);
  EXPECT_NEAR(static_cast<double>(audio.audio_start_ns), 5e8, 1e6);
  EXPECT_NEAR(static_cast<double>(audio.shift_samples), 8000, 16);
  ASSERT_GT(audio.samples.size(), 9000u);
  EXPECT_EQ(Rms(audio.samples, 0, 7900), 0.0);
  EXPECT_GT(Rms(audio.samples, 8100, 9000), 5000.0);

  // Unaligned, sample 0 is the first decoded one.
  MediaAudio raw;
  ASSERT_TRUE(ReadMediaAudio(path, {.align_to_video = false}, &raw, &error)) << error;
  EXPECT_EQ(raw.shift_samples, 0);
  EXPECT_GT(Rms(raw.samples, 0, 1000), 5000.0);
}

TEST(MediaAudio, LateVideoStartDropsTheSoundBeforeIt) {
  // The picture starts 0.5 s into the file, the sound at 0: sample 0 is the sound at
  // the first frame (OpenCV counts the picture's media time from that frame).
  std::vector<int64_t> pts;
  for (int k = 0; k < 30; ++k) pts.push_back(500'000'000 + k * 40'000'000LL);
  testing::ScratchDir dir;
  const std::string path = dir.File("late-video.mkv");
  std::string error;
  ASSERT_TRUE(testing::WriteTimestampedVideo(path, pts, {.audio_branch = ToneBranch(2.0, 16000, "mux.")}, &error))
      << error;
  MediaAudio aligned, raw;
  ASSERT_TRUE(ReadMediaAudio(path, {}, &aligned, &error)) << error;
  ASSERT_TRUE(ReadMediaAudio(path, {.align_to_video = false}, &raw, &error)) << error;
  EXPECT_EQ(aligned.video_start_ns, 500'000'000);
  EXPECT_EQ(aligned.audio_start_ns, 0);
  EXPECT_EQ(aligned.shift_samples, -8000);
  ASSERT_EQ(aligned.samples.size() + 8000, raw.samples.size());
  EXPECT_TRUE(std::equal(aligned.samples.begin(), aligned.samples.end(), raw.samples.begin() + 8000));
}

TEST(MediaAudio, GapInTheTrackBecomesSilence) {
  // Two tone bursts of 16 and 8 buffers (1.024 s and 0.512 s), concatenated, the second
  // stamped 1 s later than where the first ends: a 1 s hole in the track.
  testing::ScratchDir dir;
  const std::string path = dir.File("gap.mka");
  Make("concat name=c ! audioconvert ! matroskamux ! filesink location=" + path + " " + ToneBranch(1.0, 16000, "c.") +
       " " + ToneBranch(0.5, 16000, "c.", "timestamp-offset=1000000000"));
  MediaAudio audio;
  std::string error;
  ASSERT_TRUE(ReadMediaAudio(path, {}, &audio, &error)) << error;
  std::printf("[edgefuse] gap: %s, %lld samples of silence inserted\n", DescribeMediaAudio(audio).c_str(),
              static_cast<long long>(audio.gap_samples));
  const size_t tone1 = 16 * 1024;  // 16 buffers of 1024 at 16 kHz
  EXPECT_NEAR(static_cast<double>(audio.gap_samples), 16000, 32);
  ASSERT_NEAR(static_cast<double>(audio.samples.size()), tone1 + 16000 + 8 * 1024, 64);
  EXPECT_GT(Rms(audio.samples, 1000, tone1 - 100), 5000.0);
  EXPECT_EQ(Rms(audio.samples, tone1 + 100, tone1 + 15900), 0.0);
  EXPECT_GT(Rms(audio.samples, tone1 + 16100, audio.samples.size() - 100), 5000.0);
}

TEST(MediaAudio, VideoWithoutSoundSaysSo) {
  testing::ScratchDir dir;
  const std::string path = dir.File("silent.mkv");
  Make(VideoBranch(15, "jpegenc ! matroskamux ! filesink location=" + path));
  MediaAudio audio;
  std::string error;
  EXPECT_FALSE(ReadMediaAudio(path, {}, &audio, &error));
  EXPECT_EQ(error, path + ": the file has no audio track");
}

TEST(MediaAudio, MissingDecoderNamesThePackage) {
  testing::ScratchDir dir;
  const std::string path = dir.File("tone.ogg");
  Make(ToneBranch(0.5, 48000, "vorbisenc ! oggmux ! filesink location=" + path));
  // As if gstreamer1.0-plugins-base's Vorbis decoder were not installed: decodebin
  // plugs only elements with a rank.
  GstPluginFeature* decoder = gst_registry_lookup_feature(gst_registry_get(), "vorbisdec");
  ASSERT_NE(decoder, nullptr);
  const guint rank = gst_plugin_feature_get_rank(decoder);
  gst_plugin_feature_set_rank(decoder, GST_RANK_NONE);
  MediaAudio audio;
  std::string error;
  const bool ok = ReadMediaAudio(path, {}, &audio, &error);
  gst_plugin_feature_set_rank(decoder, rank);
  gst_object_unref(decoder);
  EXPECT_FALSE(ok);
  EXPECT_EQ(error, path + ": no GStreamer decoder for its audio (Vorbis): install gstreamer1.0-plugins-base");
}

TEST(MediaCaps, PackagesAndCodecNames) {
  EXPECT_EQ(GstPackageForCaps("audio/mpeg, mpegversion=(int)4, stream-format=(string)raw"), "gstreamer1.0-libav");
  EXPECT_EQ(GstPackageForCaps("audio/mpeg, mpegversion=(int)1, layer=(int)2"), "gstreamer1.0-libav");
  EXPECT_EQ(GstPackageForCaps("audio/x-opus"), "gstreamer1.0-plugins-base");
  EXPECT_EQ(GstPackageForCaps("video/mpeg, systemstream=(boolean)true, mpegversion=(int)2"),
            "gstreamer1.0-plugins-bad");
  EXPECT_EQ(GstPackageForCaps("video/mpegts, systemstream=(boolean)true"), "gstreamer1.0-plugins-bad");
  EXPECT_EQ(GstPackageForCaps("video/quicktime"), "gstreamer1.0-plugins-good");
  EXPECT_EQ(GstPackageForCaps("video/x-h264"), "");
  EXPECT_EQ(AudioCodecName("audio/mpeg, mpegversion=(int)4, stream-format=(string)raw"), "MPEG-4 AAC");
  EXPECT_EQ(AudioCodecName("audio/mpeg, mpegversion=(int)1, layer=(int)2"), "MPEG-1 Layer 2 (MP2)");
  EXPECT_EQ(AudioCodecName("audio/x-vorbis"), "Vorbis");
  EXPECT_EQ(AudioCodecName("audio/x-something, rate=(int)8000"), "audio/x-something");
}

TEST(MediaAudio, BadFilesAreOneLineErrors) {
  testing::ScratchDir dir;
  MediaAudio audio;
  std::string error;
  EXPECT_FALSE(ReadMediaAudio(dir.File("missing.mp4"), {}, &audio, &error));
  EXPECT_EQ(error, dir.File("missing.mp4") + ": No such file or directory");
  EXPECT_FALSE(ReadMediaAudio(dir.path(), {}, &audio, &error));
  EXPECT_EQ(error, dir.path() + ": not a regular file");
  { std::ofstream(dir.File("empty.mp4")); }
  EXPECT_FALSE(ReadMediaAudio(dir.File("empty.mp4"), {}, &audio, &error));
  EXPECT_EQ(error, dir.File("empty.mp4") + ": empty file");

  EF_SEEDED_RNG(rng);
  std::string noise(20000, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  { std::ofstream(dir.File("noise.mp4"), std::ios::binary) << noise; }
  EXPECT_FALSE(ReadMediaAudio(dir.File("noise.mp4"), {}, &audio, &error));
  EXPECT_EQ(error,
            dir.File("noise.mp4") + ": not a media file GStreamer can read (corrupt, truncated or unsupported format)");

  // An MP4 cut in half: its index (written last) is gone.
  const std::string cut = dir.File("cut.mp4");
  Make(ToneBranch(1.0, 48000, "avenc_aac ! mp4mux ! filesink location=" + cut));
  std::filesystem::resize_file(cut, std::filesystem::file_size(cut) / 2);
  EXPECT_FALSE(ReadMediaAudio(cut, {}, &audio, &error));
  EXPECT_EQ(error.rfind(cut + ": ", 0), 0u) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  std::printf("[edgefuse] %s\n", error.c_str());
}

TEST(MediaAudio, StalledDecodingTimesOut) {
  // No time at all for a decoder to start: the wait ends with an error, not a hang.
  testing::ScratchDir dir;
  const std::string path = dir.File("tone.mkv");
  Make(ToneBranch(1.0, 16000, "matroskamux ! filesink location=" + path));
  MediaAudio audio;
  std::string error;
  EXPECT_FALSE(ReadMediaAudio(path, {.stall_timeout_ns = 0}, &audio, &error));
  EXPECT_NE(error.find("made no progress"), std::string::npos) << error;
  EXPECT_EQ(error.rfind(path + ": ", 0), 0u) << error;
}

TEST(MediaAudioSource, ServesTheTrackLikeAWavFile) {
  testing::ScratchDir dir;
  const std::string path = dir.File("tone.mkv");
  Make(ToneBranch(1.0, 16000, "matroskamux ! filesink location=" + path));
  std::string error;
  auto source = MediaAudioSource::Open(path, {.realtime = false}, &error);
  ASSERT_NE(source, nullptr) << error;
  EXPECT_NE(source->Describe().find("audio track of " + path + " ("), std::string::npos) << source->Describe();
  ASSERT_TRUE(source->Start(&error)) << error;
  std::vector<int16_t> all, hop(160);
  for (;;) {
    const AudioRead read = source->Read(hop, 0);
    EXPECT_EQ(read.first_sample_index, static_cast<int64_t>(all.size()));
    all.insert(all.end(), hop.begin(), hop.begin() + static_cast<std::ptrdiff_t>(read.samples));
    if (read.end_of_stream) break;
    ASSERT_EQ(read.samples, hop.size());
  }
  EXPECT_EQ(all, source->audio().samples);
  EXPECT_EQ(all.size(), 16u * 1024);

  EXPECT_EQ(MediaAudioSource::Open(dir.File("missing.mkv"), {}, &error), nullptr);
  EXPECT_EQ(error, dir.File("missing.mkv") + ": No such file or directory");
}

}  // namespace
}  // namespace edgefuse::audio
