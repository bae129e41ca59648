#include "modalities/audio/media_caps.h"

#include <string_view>

namespace edgefuse::audio {
namespace {

struct CapsPackage {
  const char* caps;  // a media type, or a prefix ending in '/'
  const char* package;
};

// Where the decoder (audio) or the demuxer (containers) comes from in Debian bookworm.
// Video decoders are never needed: OpenCV decodes the picture.
constexpr CapsPackage kCapsPackages[] = {
    {"audio/x-vorbis", "gstreamer1.0-plugins-base"},
    {"audio/x-opus", "gstreamer1.0-plugins-base"},
    {"audio/x-flac", "gstreamer1.0-plugins-good"},
    {"audio/x-alaw", "gstreamer1.0-plugins-good"},
    {"audio/x-mulaw", "gstreamer1.0-plugins-good"},
    {"audio/x-wavpack", "gstreamer1.0-plugins-good"},
    {"audio/x-speex", "gstreamer1.0-plugins-good"},
    {"audio/x-wav", "gstreamer1.0-plugins-good"},
    {"audio/x-m4a", "gstreamer1.0-plugins-good"},
    // AAC, MP2 and MP3, AC-3, E-AC-3, DTS, WMA, ALAC, AMR, ADPCM, QDM2, ...: avdec_*.
    {"audio/", "gstreamer1.0-libav"},
    {"application/ogg", "gstreamer1.0-plugins-base"},
    {"application/x-id3", "gstreamer1.0-plugins-good"},
    {"application/x-apetag", "gstreamer1.0-plugins-good"},
    {"application/mxf", "gstreamer1.0-plugins-bad"},
    {"video/mpegts", "gstreamer1.0-plugins-bad"},
    {"video/x-matroska", "gstreamer1.0-plugins-good"},
    {"video/webm", "gstreamer1.0-plugins-good"},
    {"video/quicktime", "gstreamer1.0-plugins-good"},
    {"application/x-3gp", "gstreamer1.0-plugins-good"},
    {"video/x-msvideo", "gstreamer1.0-plugins-good"},
    {"video/x-flv", "gstreamer1.0-plugins-good"},
    {"video/x-dv", "gstreamer1.0-plugins-good"},
    {"video/x-ms-asf", "gstreamer1.0-plugins-ugly"},
};

struct CapsCodec {
  const char* caps;
  const char* codec;
};

constexpr CapsCodec kCapsCodecs[] = {
    {"audio/x-vorbis", "Vorbis"},    {"audio/x-opus", "Opus"},
    {"audio/x-flac", "FLAC"},        {"audio/x-ac3", "AC-3"},
    {"audio/x-eac3", "E-AC-3"},      {"audio/x-dts", "DTS"},
    {"audio/x-wma", "WMA"},          {"audio/x-alac", "ALAC"},
    {"audio/x-amr-nb-sh", "AMR-NB"}, {"audio/x-amr-wb-sh", "AMR-WB"},
    {"audio/x-adpcm", "ADPCM"},      {"audio/x-speex", "Speex"},
    {"audio/x-raw", "PCM"},          {"audio/x-qdm2", "QDesign Music 2"},
};

bool Has(const std::string& caps, std::string_view field) { return caps.find(field) != std::string::npos; }

}  // namespace

std::string CapsMediaType(const std::string& caps) { return caps.substr(0, caps.find(',')); }

std::string GstPackageForCaps(const std::string& caps) {
  const std::string type = CapsMediaType(caps);
  // MPEG program streams (systemstream=true) need mpegpsdemux; elementary MPEG video is
  // not edgefuse's to decode here.
  if (type == "video/mpeg") return Has(caps, "systemstream=(boolean)true") ? "gstreamer1.0-plugins-bad" : "";
  for (const auto& entry : kCapsPackages) {
    const std::string_view key = entry.caps;
    if (key.back() == '/' ? type.starts_with(key) : type == key) return entry.package;
  }
  return "";
}

std::string AudioCodecName(const std::string& caps) {
  std::string type = CapsMediaType(caps);
  if (type == "audio/mpeg") {
    if (Has(caps, "mpegversion=(int)4") || Has(caps, "mpegversion=(int)2")) return "MPEG-4 AAC";
    if (Has(caps, "layer=(int)1")) return "MPEG-1 Layer 1 (MP1)";
    if (Has(caps, "layer=(int)2")) return "MPEG-1 Layer 2 (MP2)";
    if (Has(caps, "layer=(int)3")) return "MPEG-1 Layer 3 (MP3)";
    return "MPEG audio";
  }
  for (const auto& entry : kCapsCodecs) {
    if (type == entry.caps) return entry.codec;
  }
  return type;
}

}  // namespace edgefuse::audio
