// OpenCV works, not only links: colour conversion, resizing and PNG encoding give
// known results.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "modalities/vision/opencv_info.h"

namespace {

TEST(OpenCv, GreyConversionAndAreaResize) {
  // 4x4 BGR image, each 2x2 block one colour.
  cv::Mat bgr(4, 4, CV_8UC3);
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 4; ++x) {
      bgr.at<cv::Vec3b>(y, x) = (y < 2) == (x < 2) ? cv::Vec3b(255, 255, 255) : cv::Vec3b(0, 0, 255);
    }
  }
  cv::Mat grey;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  EXPECT_EQ(grey.at<uint8_t>(0, 0), 255);
  EXPECT_EQ(grey.at<uint8_t>(0, 3), 76);  // pure red: 0.299 * 255 rounded
  cv::Mat small;
  cv::resize(grey, small, cv::Size(2, 2), 0, 0, cv::INTER_AREA);
  ASSERT_EQ(small.size(), cv::Size(2, 2));
  EXPECT_EQ(small.at<uint8_t>(0, 0), 255);
  EXPECT_EQ(small.at<uint8_t>(0, 1), 76);
  EXPECT_EQ(small.at<uint8_t>(1, 0), 76);
  EXPECT_EQ(small.at<uint8_t>(1, 1), 255);
}

TEST(OpenCv, PngRoundTripIsLossless) {
  cv::Mat image(7, 5, CV_8UC3);
  cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(256));
  std::vector<uint8_t> png;
  ASSERT_TRUE(cv::imencode(".png", image, png));
  cv::Mat decoded = cv::imdecode(png, cv::IMREAD_COLOR);
  ASSERT_EQ(decoded.size(), image.size());
  EXPECT_EQ(cv::norm(image, decoded, cv::NORM_INF), 0.0);
}

TEST(OpenCv, ReportsVersion46) {
  const auto info = edgefuse::vision::OpenCvInfo();
  EXPECT_EQ(info.version.rfind("4.6", 0), 0u) << info.version;
  EXPECT_NE(info.path.find("libopencv_core"), std::string::npos) << info.path;
}

}  // namespace
