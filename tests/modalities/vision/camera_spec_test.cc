// Camera names, preset pipelines and the default camera of each board, with the
// installed elements played by a fake ElementCheck.
#include "modalities/vision/camera_spec.h"

#include <gtest/gtest.h>

#include <set>

namespace edgefuse::vision {
namespace {

using platform::BoardKind;

ElementCheck Has(std::set<std::string> elements) {
  return [elements](std::string_view e) { return elements.count(std::string(e)) != 0; };
}

const std::set<std::string> kBase = {"videotestsrc", "videoconvert", "appsink", "v4l2src", "jpegdec"};

CameraSpec Parse(std::string_view name, BoardKind board = BoardKind::kGeneric, const ElementCheck& has = Has(kBase)) {
  CameraSpec spec;
  std::string error;
  EXPECT_TRUE(ParseCameraName(name, {.width = 640, .height = 480, .fps = 30}, has, board, &spec, &error))
      << name << ": " << error;
  return spec;
}

std::string ParseError(std::string_view name) {
  CameraSpec spec;
  std::string error;
  EXPECT_FALSE(ParseCameraName(name, {}, Has(kBase), BoardKind::kGeneric, &spec, &error)) << name;
  return error;
}

TEST(CameraSpec, DeviceIndexesInEveryForm) {
  for (const char* name : {"2", "/dev/video2", "v4l2:2"}) {
    const CameraSpec spec = Parse(name);
    EXPECT_EQ(spec.kind, CameraKind::kV4l2) << name;
    EXPECT_EQ(spec.index, 2) << name;
  }
}

TEST(CameraSpec, PresetsBuildPipelinesEndingInTheNewestFrameAppsink) {
  const std::string sink =
      "videoconvert ! video/x-raw,format=BGR ! appsink name=edgefuse_sink drop=true "
      "max-buffers=1 sync=false";
  EXPECT_EQ(Parse("libcamera").pipeline, "libcamerasrc ! video/x-raw,width=640,height=480,framerate=30/1 ! " + sink);
  EXPECT_EQ(Parse("libcamera:/base/soc/i2c0mux/i2c@1/imx708@1a").pipeline,
            "libcamerasrc camera-name=\"/base/soc/i2c0mux/i2c@1/imx708@1a\" ! "
            "video/x-raw,width=640,height=480,framerate=30/1 ! " +
                sink);
  EXPECT_EQ(Parse("jetson-csi:1").pipeline,
            "nvarguscamerasrc sensor-id=1 ! video/x-raw(memory:NVMM),width=640,height=480,framerate=30/1 ! "
            "nvvidconv ! video/x-raw,format=BGRx ! " +
                sink);
  EXPECT_EQ(Parse("usb-mjpeg").pipeline,
            "v4l2src device=/dev/video0 ! image/jpeg,width=640,height=480,framerate=30/1 ! jpegdec ! " + sink);
  EXPECT_EQ(Parse("videotest:ball").pipeline,
            "videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=480,framerate=30/1 ! " + sink);
  EXPECT_EQ(Parse("jetson-csi").preset, "jetson-csi");
}

TEST(CameraSpec, UserPipelinesGetTheAppsinkWhenTheyHaveNone) {
  EXPECT_EQ(Parse("gst:videotestsrc ! videoscale").pipeline, "videotestsrc ! videoscale ! " + GstSinkSuffix());
  EXPECT_EQ(Parse("v4l2src ! appsink name=mine").pipeline, "v4l2src ! appsink name=mine");
  EXPECT_EQ(Parse("v4l2src ! appsink name=mine").kind, CameraKind::kGstreamer);
}

TEST(CameraSpec, MalformedNamesAreRefusedWithAReason) {
  EXPECT_NE(ParseError("webcam").find("not a device index"), std::string::npos);
  EXPECT_NE(ParseError("jetson-csi:left").find("not a number"), std::string::npos);
  EXPECT_NE(ParseError("videotest:ball pattern=snow").find("must not contain"), std::string::npos);
  EXPECT_NE(ParseError("gst:  ").find("empty GStreamer pipeline"), std::string::npos);
  EXPECT_NE(ParseError("-1").find("not a device index"), std::string::npos);
  CameraSpec spec;
  std::string error;
  EXPECT_FALSE(ParseCameraName("0", {.width = 0}, Has(kBase), BoardKind::kGeneric, &spec, &error));
}

TEST(CameraSpec, EachBoardDefaultsToItsOwnCamera) {
  std::string note;
  const auto with_libcamera = Has({"libcamerasrc", "videoconvert", "appsink"});
  const auto with_argus = Has({"nvarguscamerasrc", "nvvidconv", "videoconvert", "appsink"});
  EXPECT_EQ(DefaultCameraName(BoardKind::kRaspberryPi5, with_libcamera, &note), "libcamera");
  EXPECT_EQ(note, "");
  EXPECT_EQ(DefaultCameraName(BoardKind::kRaspberryPi4, with_libcamera, &note), "libcamera");
  EXPECT_EQ(DefaultCameraName(BoardKind::kJetsonOrin, with_argus, &note), "jetson-csi");
  EXPECT_EQ(DefaultCameraName(BoardKind::kJetsonNano, with_argus, &note), "jetson-csi");
  EXPECT_EQ(DefaultCameraName(BoardKind::kGeneric, with_libcamera, &note), "0");

  // A Raspberry Pi without the libcamera GStreamer plugin falls back to V4L2 and says why.
  EXPECT_EQ(DefaultCameraName(BoardKind::kRaspberryPi5, Has(kBase), &note), "0");
  EXPECT_NE(note.find("install gstreamer1.0-libcamera"), std::string::npos) << note;
  EXPECT_EQ(DefaultCameraName(BoardKind::kJetsonOrin, Has(kBase), &note), "0");
  EXPECT_NE(note.find("nvidia-l4t-gstreamer"), std::string::npos) << note;

  const CameraSpec spec = Parse("default", BoardKind::kRaspberryPi5, with_libcamera);
  EXPECT_EQ(spec.name, "libcamera");
  EXPECT_EQ(spec.kind, CameraKind::kGstreamer);
  EXPECT_EQ(Parse("", BoardKind::kGeneric).kind, CameraKind::kV4l2);
}

}  // namespace
}  // namespace edgefuse::vision
