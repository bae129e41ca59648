// Opens any frame source from a description: the one entry point the pipeline and the
// command line use (frame_source.h has the read API).
//
//   std::unique_ptr<edgefuse::vision::FrameSource> source;
//   std::string error;
//   edgefuse::vision::SourceOptions options{.kind = SourceKind::kCamera, .target = "libcamera"};
//   if (!edgefuse::vision::OpenFrameSource(options, &source, &error)) { fprintf(stderr, "%s\n", error.c_str()); }
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "modalities/vision/camera_spec.h"
#include "modalities/vision/frame_source.h"

namespace edgefuse::vision {

enum class SourceKind { kCamera, kVideo, kImages, kSynthetic };

struct SourceOptions {
  SourceKind kind = SourceKind::kSynthetic;
  std::string target;     // camera name (camera_spec.h), video path, image directory or pattern
  CameraRequest camera;   // requested camera size and rate; also the synthetic scene's size and rate
  double fps = 30.0;      // image sequences: the rate their timestamps assume
  uint64_t seed = 1;      // synthetic scene
  int64_t frames = -1;    // synthetic scene: how many frames (-1: endless)
  bool realtime = false;  // files, sequences and the synthetic scene: pace at their frame rate
};

// One-line errors name what could not be opened and why (missing file, missing device,
// missing GStreamer element and its package, ...).
bool OpenFrameSource(const SourceOptions& options, std::unique_ptr<FrameSource>* source, std::string* error);

}  // namespace edgefuse::vision
