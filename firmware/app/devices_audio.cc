// The audio part of `edgefuse devices`: PortAudio's input devices and the rates each
// accepts.
#include <cstdio>

#include "firmware/app/devices.h"
#include "modalities/audio/portaudio_device.h"

namespace edgefuse::app {

bool ListAudioInputsJson(core::Json* inputs, std::string* error) {
  std::vector<audio::AudioInputInfo> list;
  if (!audio::ListAudioInputs(&list, error)) return false;
  for (const auto& input : list) {
    core::Json& json = inputs->Append(core::Json::Object());
    json.Set("index", input.index);
    json.Set("name", input.name);
    json.Set("host_api", input.host_api);
    json.Set("max_channels", input.max_channels);
    json.Set("default_rate_hz", input.default_rate_hz);
    json.Set("default", input.is_default);
    core::Json& rates = json.Set("rates_hz", core::Json::Array());
    for (int rate : input.rates_hz) rates.Append(rate);
  }
  return true;
}

void PrintAudioInputs(const core::Json& inputs) {
  if (inputs.Items().empty()) {
    std::printf("audio inputs: none\n");
    return;
  }
  std::printf("audio inputs (PortAudio):\n");
  for (const auto& input : inputs.Items()) {
    std::string rates;
    for (const auto& rate : input.Find("rates_hz")->Items()) {
      rates.push_back(' ');
      rates.append(std::to_string(rate.AsInt()));
    }
    std::printf("  %2lld%s %s [%s], %lld ch, rates:%s\n", static_cast<long long>(input.Find("index")->AsInt()),
                input.Find("default")->AsBool() ? "*" : " ", input.Find("name")->AsString().c_str(),
                input.Find("host_api")->AsString().c_str(), static_cast<long long>(input.Find("max_channels")->AsInt()),
                rates.empty() ? " none" : rates.c_str());
  }
}

}  // namespace edgefuse::app
