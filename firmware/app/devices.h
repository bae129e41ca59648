// `edgefuse devices`: what can be opened, one lister per kind of device, each in its own
// devices_<kind>.cc; adding one means one line in kDeviceListers (devices_command.cc)
// and its declarations here.
#pragma once

#include <string>

#include "core/json/json.h"

namespace edgefuse::app {

// Audio inputs through PortAudio: fills a JSON array; false with a reason when
// PortAudio itself fails.
bool ListAudioInputsJson(core::Json* inputs, std::string* error);
void PrintAudioInputs(const core::Json& inputs);

}  // namespace edgefuse::app
