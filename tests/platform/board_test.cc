#include "platform/board.h"

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace edgefuse::platform {
namespace {

// Each sample directory mimics a root filesystem; DetectBoard reads it exactly as it
// reads "/" on a board.
BoardInfo DetectSample(const char* name) {
  return DetectBoard(testing::ProjectTestData(std::string("platform/testdata/boards/") + name));
}

TEST(Board, RaspberryPi4ModelB) {
  BoardInfo board = DetectSample("rpi4-model-b");
  EXPECT_EQ(board.kind, BoardKind::kRaspberryPi4);
  EXPECT_EQ(board.id, "rpi4");
  EXPECT_EQ(board.name, "Raspberry Pi 4");
  EXPECT_EQ(board.model, "Raspberry Pi 4 Model B Rev 1.4");  // trailing NUL dropped
}

TEST(Board, RaspberryPi5) {
  BoardInfo board = DetectSample("rpi5");
  EXPECT_EQ(board.kind, BoardKind::kRaspberryPi5);
  EXPECT_EQ(board.id, "rpi5");
  EXPECT_EQ(board.model, "Raspberry Pi 5 Model B Rev 1.0");
}

TEST(Board, JetsonOrinNanoIsOrinNotNano) {
  BoardInfo board = DetectSample("jetson-orin-nano");
  EXPECT_EQ(board.kind, BoardKind::kJetsonOrin);
  EXPECT_EQ(board.id, "jetson-orin");
  EXPECT_EQ(board.model, "NVIDIA Jetson Orin Nano Developer Kit");
}

TEST(Board, JetsonNanoFromSysfsFallback) {
  BoardInfo board = DetectSample("jetson-nano-sysfs");
  EXPECT_EQ(board.kind, BoardKind::kJetsonNano);
  EXPECT_EQ(board.id, "jetson-nano");
}

TEST(Board, UnknownModelIsGeneric) {
  BoardInfo board = DetectSample("unknown");
  EXPECT_EQ(board.kind, BoardKind::kGeneric);
  EXPECT_EQ(board.id, "generic");
  EXPECT_EQ(board.model, "Pine64 RockPro64 v2.1");
}

TEST(Board, NoDeviceTreeIsGeneric) {
  BoardInfo board = DetectSample("does-not-exist");
  EXPECT_EQ(board.kind, BoardKind::kGeneric);
  EXPECT_EQ(board.model, "");
}

TEST(Board, OtherModelsOfTheFamilies) {
  EXPECT_EQ(IdentifyBoard("Raspberry Pi 400 Rev 1.0").kind, BoardKind::kRaspberryPi4);
  EXPECT_EQ(IdentifyBoard("Raspberry Pi Compute Module 4 Rev 1.1").kind, BoardKind::kRaspberryPi4);
  EXPECT_EQ(IdentifyBoard("Raspberry Pi Compute Module 5 Rev 1.0").kind, BoardKind::kRaspberryPi5);
  EXPECT_EQ(IdentifyBoard("Raspberry Pi 3 Model B Plus Rev 1.3").kind, BoardKind::kRaspberryPi);
  EXPECT_EQ(IdentifyBoard("NVIDIA Jetson AGX Orin Developer Kit").kind, BoardKind::kJetsonOrin);
  EXPECT_EQ(IdentifyBoard("NVIDIA Jetson Xavier NX Developer Kit").kind, BoardKind::kJetson);
  EXPECT_EQ(IdentifyBoard(std::string_view("Raspberry Pi 5 Model B Rev 1.0\0\0", 32)).kind, BoardKind::kRaspberryPi5);
}

}  // namespace
}  // namespace edgefuse::platform
