// The PortAudio library this process runs with, for `edgefuse info`.
#pragma once

#include "platform/shared_library.h"

namespace edgefuse::audio {

platform::LibraryInfo PortAudioInfo();

}  // namespace edgefuse::audio
