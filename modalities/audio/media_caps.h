// What edgefuse knows about GStreamer media types, for its one-line errors: the Debian
// package whose plugin decodes (audio caps) or demultiplexes (container caps) a
// stream, and a codec's plain name. Pure string functions on caps as GStreamer prints
// them ("audio/mpeg, mpegversion=(int)4, ..."); no GStreamer call.
//
//   edgefuse::audio::GstPackageForCaps("audio/mpeg, mpegversion=(int)4")  // "gstreamer1.0-libav"
//   edgefuse::audio::AudioCodecName("audio/mpeg, mpegversion=(int)1, layer=(int)2")  // "MPEG-1 Layer 2 (MP2)"
#pragma once

#include <string>

namespace edgefuse::audio {

// "" when edgefuse does not know the caps.
std::string GstPackageForCaps(const std::string& caps);

// "MPEG-4 AAC", "Vorbis", ...; the caps' media type when edgefuse has no name for it.
std::string AudioCodecName(const std::string& caps);

// The media type: "audio/mpeg" of "audio/mpeg, mpegversion=(int)4".
std::string CapsMediaType(const std::string& caps);

}  // namespace edgefuse::audio
