// The configuration: defaults, the shipped and documented files, every kind of
// error with its key path, --set and the common flags, and the rules across keys.
#include "firmware/config/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "firmware/config/config_cli.h"
#include "platform/file.h"
#include "tests/support/test_support.h"

namespace edgefuse::config {
namespace {

const std::string kConfigDir = EDGEFUSE_CONFIG_DIR;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  static const testing::ScratchDir dir;  // private to this process, removed at exit
  const std::string path = dir.File(name);
  std::string error;
  EXPECT_TRUE(platform::WriteFileBytes(
      path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()), &error))
      << error;
  return path;
}

// Applies a JSON text as "config.json" to the defaults; returns the error ("" if none).
std::string ApplyText(const std::string& text, Config* config) {
  core::Json doc;
  std::string error;
  if (!core::ParseJson(text, &doc, &error)) return "parse: " + error;
  *config = Config();
  return ApplyConfigJson(doc, "config.json", config, &error) ? "" : error;
}

std::string Dump(const Config& config) { return ConfigToJson(config).Dump(); }

TEST(Config, DefaultsAreValidAndRoundTrip) {
  const Config defaults;
  std::string error;
  EXPECT_TRUE(ValidateConfig(defaults, &error)) << error;
  Config back;
  back.sinks.mjpeg.port = 1;  // to be overwritten
  EXPECT_EQ(ApplyText(Dump(defaults), &back), "");
  EXPECT_EQ(Dump(back), Dump(defaults));
  EXPECT_EQ(defaults.frontends.vision.grid_w, 16);
  EXPECT_EQ(defaults.frontends.vision.grid_h, 12);
  EXPECT_EQ(defaults.sinks.mjpeg.port, 8080);
}

TEST(Config, ShippedFileIsTheDefaults) {
  Config config;
  config.runtime.threads = 3;
  std::string error;
  ASSERT_TRUE(LoadConfigFile(kConfigDir + "/edgefuse.json", &config, &error)) << error;
  EXPECT_TRUE(ValidateConfig(config, &error)) << error;
  EXPECT_EQ(Dump(config), Dump(Config()));
}

TEST(Config, DocumentedExampleParsesAndEveryKeyIsDocumented) {
  const std::string readme = ReadText(kConfigDir + "/README.md");
  ASSERT_FALSE(readme.empty());
  const std::regex block("```json\n([^`]*)```");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(readme, match, block)) << "no ```json block in the README";
  Config config;
  EXPECT_EQ(ApplyText(match[1].str(), &config), "");
  std::string error;
  EXPECT_TRUE(ValidateConfig(config, &error)) << error;
  EXPECT_NE(Dump(config), Dump(Config())) << "the example should show changed settings";
  for (const ConfigKey& key : ConfigKeys()) {
    EXPECT_NE(readme.find("| `" + key.path + "` |"), std::string::npos) << key.path << " is not in the schema table";
  }
}

TEST(Config, FileOverridesOnlyWhatItNames) {
  Config config;
  ASSERT_EQ(ApplyText(R"({"sinks": {"mjpeg": {"enabled": true, "port": 8090}}, "sources": {"audio": {"device": 2}}})",
                      &config),
            "");
  EXPECT_TRUE(config.sinks.mjpeg.enabled);
  EXPECT_EQ(config.sinks.mjpeg.port, 8090);
  EXPECT_EQ(config.sinks.mjpeg.bind, "0.0.0.0");
  EXPECT_EQ(config.sources.audio.device, "2");  // an index, kept as text
  EXPECT_EQ(config.fusion.window_frames, Config().fusion.window_frames);
}

TEST(Config, ErrorsNameTheKeyPath) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"sinks": {"mjpeg": {"port": "http"}}})",
       R"(config.json: sinks.mjpeg.port: expected an integer in 1..65535, got "http")"},
      {R"({"sinks": {"mjpeg": {"port": 70000}}})",
       "config.json: sinks.mjpeg.port: expected an integer in 1..65535, got 70000"},
      {R"({"sinks": {"mjpeg": {"port": 80.5}}})",
       "config.json: sinks.mjpeg.port: expected an integer in 1..65535, got 80.5"},
      {R"({"sinks": {"overlay": {"alpha": 1.5}}})",
       "config.json: sinks.overlay.alpha: expected a number in 0..1, got 1.5"},
      {R"({"sinks": {"window": {"mode": "maybe"}}})",
       R"(config.json: sinks.window.mode: expected one of "auto", "on", "off", got "maybe")"},
      {R"({"sinks": {"window": {"fullscreen": 1}}})",
       "config.json: sinks.window.fullscreen: expected true or false, got 1"},
      {R"({"sinks": {"mjpg": {}}})",
       "config.json: sinks.mjpg: unknown key (expected one of window, mjpeg, video, jsonl, overlay)"},
      {R"({"sink": {}})",
       "config.json: sink: unknown key (expected one of sources, frontends, fusion, sinks, runtime)"},
      {R"({"sinks": {"mjpeg": {"port": 8080, "colour": "red"}}})",
       "config.json: sinks.mjpeg.colour: unknown key (expected one of enabled, bind, port, quality, max_clients)"},
      // A key with a control character stays on one line (found by the fuzzer).
      {R"({"sources": {"video": {"ki\nd": "auto"}}})",
       "config.json: 'sources.video.ki\\nd': unknown key (expected one of kind, index, pipeline, file, width, height, "
       "fps)"},
      {R"({"sinks": 3})", "config.json: sinks: expected an object, got 3"},
      {R"([1, 2])", "config.json: the top level: expected an object, got [1,2]"},
      {R"({"fusion": {"lags_ms": [0, 700]}})",
       "config.json: fusion.lags_ms: expected a list of 1 to 16 integers in -500..500, got [0,700]"},
      {R"({"fusion": {"lags_ms": []}})",
       "config.json: fusion.lags_ms: expected a list of 1 to 16 integers in -500..500, got []"},
      {R"({"sources": {"audio": {"device": -1}}})",
       "config.json: sources.audio.device: expected a string or a non-negative integer, got -1"},
      {R"({"sources": {"video": {"file": null}}})", "config.json: sources.video.file: expected a string, got null"},
      {R"({"runtime": {"log_level": "loud"}})",
       R"(config.json: runtime.log_level: expected one of "debug", "info", "warn", "error", "off", got "loud")"},
  };
  for (const auto& [text, expected] : cases) {
    Config config;
    EXPECT_EQ(ApplyText(text, &config), expected) << text;
  }
}

TEST(Config, FileErrorsNameTheFile) {
  Config config;
  std::string error;
  EXPECT_FALSE(LoadConfigFile("/nonexistent/edgefuse.json", &config, &error));
  EXPECT_EQ(error, "/nonexistent/edgefuse.json: No such file or directory");
  const std::string bad_json = WriteTemp("bad.json", "{\n  \"sinks\": {\n    \"mjpeg\": {\"port\": 80,}\n  }\n}\n");
  EXPECT_FALSE(LoadConfigFile(bad_json, &config, &error));
  EXPECT_EQ(error.rfind(bad_json + ": invalid JSON: ", 0), 0u) << error;
  EXPECT_NE(error.find("at line 3, column 26"), std::string::npos) << error;
  const std::string bad_value = WriteTemp("port.json", R"({"sinks": {"mjpeg": {"port": "http"}}})");
  EXPECT_FALSE(LoadConfigFile(bad_value, &config, &error));
  EXPECT_EQ(error, bad_value + R"(: sinks.mjpeg.port: expected an integer in 1..65535, got "http")");
}

TEST(Config, SetTakesJsonOrText) {
  Config config;
  std::string error;
  ASSERT_TRUE(ApplySetting("sinks.mjpeg.port=8081", "--set", &config, &error)) << error;
  EXPECT_EQ(config.sinks.mjpeg.port, 8081);
  ASSERT_TRUE(ApplySetting("sinks.mjpeg.bind=127.0.0.1", "--set", &config, &error)) << error;
  EXPECT_EQ(config.sinks.mjpeg.bind, "127.0.0.1");
  ASSERT_TRUE(ApplySetting("sources.video.pipeline=v4l2src ! videoconvert ! appsink", "--set", &config, &error));
  EXPECT_EQ(config.sources.video.pipeline, "v4l2src ! videoconvert ! appsink");
  ASSERT_TRUE(ApplySetting("sinks.window.title=\"a=b\"", "--set", &config, &error)) << error;
  EXPECT_EQ(config.sinks.window.title, "a=b");
  ASSERT_TRUE(ApplySetting("sources.audio.device=2", "--set", &config, &error)) << error;
  EXPECT_EQ(config.sources.audio.device, "2");
  ASSERT_TRUE(ApplySetting("runtime.log_level=debug", "--set", &config, &error)) << error;
  EXPECT_EQ(config.runtime.log_level, platform::LogLevel::kDebug);
  ASSERT_TRUE(ApplySetting("fusion.lags_ms=[-66,0,66]", "--set", &config, &error)) << error;
  EXPECT_EQ(config.fusion.lags_ms, (std::vector<int>{-66, 0, 66}));
  ASSERT_TRUE(ApplySetting("sinks.mjpeg={\"enabled\": true, \"quality\": 60}", "--set", &config, &error)) << error;
  EXPECT_TRUE(config.sinks.mjpeg.enabled);
  EXPECT_EQ(config.sinks.mjpeg.quality, 60);
  EXPECT_EQ(config.sinks.mjpeg.port, 8081);

  const std::pair<const char*, const char*> bad[] = {
      {"sinks.mjpeg.port=http", R"(--set: sinks.mjpeg.port: expected an integer in 1..65535, got "http")"},
      {"sinks.mjpeg.port", R"(--set: expected KEY=VALUE, got "sinks.mjpeg.port")"},
      {"=3", R"(--set: expected KEY=VALUE, got "=3")"},
      {"line\nbreak", R"(--set: expected KEY=VALUE, got "line\nbreak")"},

      {"sinks.mjpeg.prot=1",
       "--set: sinks.mjpeg.prot: unknown key (expected one of enabled, bind, port, quality, max_clients)"},
      {"nosuch.section.key=1", "--set: nosuch.section.key: unknown key"},
      {"sinks=3", "--set: sinks: expected an object, got 3"},
  };
  for (const auto& [setting, expected] : bad) {
    EXPECT_FALSE(ApplySetting(setting, "--set", &config, &error)) << setting;
    EXPECT_EQ(error, expected) << setting;
  }
}

TEST(Config, RulesAcrossKeys) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"sources": {"video": {"kind": "file"}}})",
       R"(sources.video.file: required when sources.video.kind is "file")"},
      {R"({"sources": {"video": {"kind": "gstreamer"}}})",
       R"(sources.video.pipeline: required when sources.video.kind is "gstreamer")"},
      {R"({"sources": {"audio": {"kind": "file"}}})",
       R"(sources.audio.file: required when sources.audio.kind is "file")"},
      {R"({"frontends": {"vision": {"width": 330}}})", "frontends.vision.width: 330 is not a multiple of grid_w (16)"},
      {R"({"frontends": {"vision": {"grid_h": 7}}})", "frontends.vision.height: 240 is not a multiple of grid_h (7)"},
      {R"({"frontends": {"audio": {"hop_ms": 30}}})", "frontends.audio.hop_ms: 30 is longer than window_ms (25)"},
      {R"({"fusion": {"window_frames": 4}})",
       "fusion.lags_ms: a lag of -100 ms is more than half of the window (4 frames at 30 fps)"},
      {R"({"sinks": {"video": {"fourcc": "MJPEG"}}})", R"(sinks.video.fourcc: expected 4 characters, got "MJPEG")"},
      {R"({"sinks": {"video": {"fourcc": "MJ\nPG"}}})", R"(sinks.video.fourcc: expected 4 characters, got "MJ\nPG")"},

      {R"({"sinks": {"mjpeg": {"bind": ""}}})", "sinks.mjpeg.bind: must not be empty"},
  };
  for (const auto& [text, expected] : cases) {
    Config config;
    ASSERT_EQ(ApplyText(text, &config), "") << text;
    std::string error;
    EXPECT_FALSE(ValidateConfig(config, &error)) << text;
    EXPECT_EQ(error, expected) << text;
  }
}

// Runs ParseArgs + ConfigFromArgs on a command line; returns the error ("" if none).
std::string FromArgs(std::vector<std::string> args, Config* config) {
  args.insert(args.begin(), "run");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  app::ParsedArgs parsed;
  const int status = app::ParseArgs("run", ConfigOptions(), static_cast<int>(argv.size()), argv.data(), &parsed);
  if (status >= 0) return "ParseArgs returned " + std::to_string(status);
  std::string error;
  return ConfigFromArgs(parsed, config, &error) ? "" : error;
}

TEST(Config, FlagsOverrideTheFileAndSetOverridesFlags) {
  const std::string file =
      WriteTemp("run.json", R"({"sinks": {"mjpeg": {"port": 8090, "quality": 70}}, "runtime": {"threads": 2}})");
  Config config;
  ASSERT_EQ(FromArgs({"--config", file, "--mjpeg", "8081", "--set", "sinks.mjpeg.quality=50", "--set",
                      "sinks.mjpeg.quality=55", "--threads", "3"},
                     &config),
            "");
  EXPECT_TRUE(config.sinks.mjpeg.enabled);
  EXPECT_EQ(config.sinks.mjpeg.port, 8081);   // flag over file
  EXPECT_EQ(config.sinks.mjpeg.quality, 55);  // the last --set
  EXPECT_EQ(config.runtime.threads, 3);
  ASSERT_EQ(FromArgs({"--config", file, "--mjpeg", "8081", "--set", "sinks.mjpeg.port=9000"}, &config), "");
  EXPECT_EQ(config.sinks.mjpeg.port, 9000);  // --set over flag
}

TEST(Config, CommonFlagsPickSources) {
  Config config;
  ASSERT_EQ(FromArgs({"--camera", "2", "--audio", "USB"}, &config), "");
  EXPECT_EQ(config.sources.video.kind, VideoSourceKind::kCamera);
  EXPECT_EQ(config.sources.video.index, 2);
  EXPECT_EQ(config.sources.audio.kind, AudioSourceKind::kDevice);
  EXPECT_EQ(config.sources.audio.device, "USB");
  ASSERT_EQ(FromArgs({"--camera", "libcamera"}, &config), "");
  EXPECT_EQ(config.sources.video.kind, VideoSourceKind::kLibcamera);
  ASSERT_EQ(FromArgs({"--camera", "videotestsrc ! appsink", "--audio", "take1.WAV", "--audio-offset", "-40"}, &config),
            "");
  EXPECT_EQ(config.sources.video.kind, VideoSourceKind::kGstreamer);
  EXPECT_EQ(config.sources.video.pipeline, "videotestsrc ! appsink");
  EXPECT_EQ(config.sources.audio.kind, AudioSourceKind::kFile);
  EXPECT_EQ(config.sources.audio.file, "take1.WAV");
  EXPECT_EQ(config.sources.audio.offset_ms, -40.0);
  // A media file's sound (GStreamer), and with --video alone the video's own ("auto").
  ASSERT_EQ(FromArgs({"--video", "clip.mp4", "--audio", "take2.M4A"}, &config), "");
  EXPECT_EQ(config.sources.audio.kind, AudioSourceKind::kFile);
  EXPECT_EQ(config.sources.audio.file, "take2.M4A");
  ASSERT_EQ(FromArgs({"--video", "clip.mp4"}, &config), "");
  EXPECT_EQ(config.sources.video.kind, VideoSourceKind::kFile);
  EXPECT_EQ(config.sources.audio.kind, AudioSourceKind::kAuto);
  ASSERT_EQ(FromArgs({"--synthetic", "--seed", "7", "--record", "out.avi", "--jsonl", "-", "--no-window"}, &config),
            "");
  EXPECT_EQ(config.sources.video.kind, VideoSourceKind::kSynthetic);
  EXPECT_EQ(config.sources.audio.kind, AudioSourceKind::kSynthetic);
  EXPECT_EQ(config.sources.synthetic.seed, 7);
  EXPECT_EQ(config.sinks.video.path, "out.avi");
  EXPECT_EQ(config.sinks.jsonl.path, "-");
  EXPECT_EQ(config.sinks.window.mode, WindowMode::kOff);
}

TEST(Config, FlagErrorsNameTheFlagAndKey) {
  Config config;
  EXPECT_EQ(FromArgs({"--mjpeg", "http"}, &config),
            R"(--mjpeg: sinks.mjpeg.port: expected an integer in 1..65535, got "http")");
  EXPECT_EQ(FromArgs({"--log-level", "loud"}, &config),
            R"(--log-level: runtime.log_level: expected one of "debug", "info", "warn", "error", "off", got "loud")");
  EXPECT_EQ(FromArgs({"--window", "--no-window"}, &config), "--window and --no-window contradict each other");
  EXPECT_EQ(FromArgs({"--video", ""}, &config), R"(sources.video.file: required when sources.video.kind is "file")");
  EXPECT_EQ(FromArgs({"--config", "/nonexistent.json"}, &config), "/nonexistent.json: No such file or directory");
  // Only options whose metavariable ends in "..." (--set) may repeat.
  EXPECT_EQ(FromArgs({"--mjpeg", "8081", "--mjpeg", "8082"}, &config), "ParseArgs returned 2");
}

}  // namespace
}  // namespace edgefuse::config
