// PortAudio works, not only links: it initializes, enumerates host APIs and devices
// (zero devices is a valid answer on a server), and terminates.
#include <gtest/gtest.h>
#include <portaudio.h>

#include "modalities/audio/portaudio_info.h"

namespace {

TEST(PortAudio, InitializesAndEnumerates) {
  ASSERT_EQ(Pa_Initialize(), paNoError);
  const PaHostApiIndex apis = Pa_GetHostApiCount();
  EXPECT_GE(apis, 1) << "Debian's PortAudio always has ALSA";
  bool has_alsa = false;
  for (PaHostApiIndex i = 0; i < apis; ++i) {
    const PaHostApiInfo* api = Pa_GetHostApiInfo(i);
    ASSERT_NE(api, nullptr);
    has_alsa |= api->type == paALSA;
  }
  EXPECT_TRUE(has_alsa);
  const PaDeviceIndex devices = Pa_GetDeviceCount();
  EXPECT_GE(devices, 0);
  for (PaDeviceIndex i = 0; i < devices; ++i) {
    const PaDeviceInfo* device = Pa_GetDeviceInfo(i);
    ASSERT_NE(device, nullptr);
    EXPECT_NE(device->name, nullptr);
  }
  std::printf("[edgefuse] PortAudio: %d host APIs, %d devices\n", apis, devices);
  EXPECT_EQ(Pa_Terminate(), paNoError);
}

TEST(PortAudio, ReportsVersion19) {
  const auto info = edgefuse::audio::PortAudioInfo();
  EXPECT_NE(info.version.find("V19"), std::string::npos) << info.version;
  EXPECT_NE(info.path.find("libportaudio"), std::string::npos) << info.path;
}

}  // namespace
