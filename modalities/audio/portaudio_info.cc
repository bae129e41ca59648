#include "modalities/audio/portaudio_info.h"

#include <portaudio.h>

namespace edgefuse::audio {

platform::LibraryInfo PortAudioInfo() {
  platform::LibraryInfo info;
  info.name = "PortAudio";
  const PaVersionInfo* version = Pa_GetVersionInfo();
  info.version = version != nullptr && version->versionText != nullptr ? version->versionText : "unknown";
  info.source = "library";
  info.path = platform::SharedLibraryPathOf(reinterpret_cast<const void*>(&Pa_GetVersionInfo));
  return info;
}

}  // namespace edgefuse::audio
