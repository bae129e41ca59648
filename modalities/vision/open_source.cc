#include "modalities/vision/open_source.h"

#include "modalities/vision/file_sources.h"
#include "modalities/vision/gst_camera_source.h"
#include "modalities/vision/synthetic_scene.h"
#include "modalities/vision/v4l2_camera_source.h"
#include "platform/board.h"
#include "platform/log.h"

namespace edgefuse::vision {

bool OpenFrameSource(const SourceOptions& options, std::unique_ptr<FrameSource>* source, std::string* error) {
  source->reset();
  switch (options.kind) {
    case SourceKind::kCamera: {
      CameraSpec spec;
      if (!ParseCameraName(options.target, options.camera, InstalledGstElements(), platform::DetectBoard().kind, &spec,
                           error)) {
        return false;
      }
      if (!spec.note.empty()) EF_LOG_WARN("%s", spec.note.c_str());
      if (spec.kind == CameraKind::kV4l2) {
        *source = V4l2CameraSource::Open(spec.index, options.camera, {}, error);
      } else {
        *source = GstCameraSource::Open(spec.name, spec.pipeline, {}, error);
      }
      break;
    }
    case SourceKind::kVideo:
      *source = VideoFileSource::Open(options.target, {.realtime = options.realtime}, error);
      break;
    case SourceKind::kImages:
      *source = ImageSequenceSource::Open(options.target, {.realtime = options.realtime, .fps = options.fps}, error);
      break;
    case SourceKind::kSynthetic: {
      if (options.camera.width < 16 || options.camera.height < 16 || options.camera.fps <= 0) {
        *error = "the synthetic scene needs at least 16x16 pixels and a positive frame rate";
        return false;
      }
      SceneConfig config;
      config.width = options.camera.width;
      config.height = options.camera.height;
      config.fps = options.camera.fps;
      config.seed = options.seed;
      *source = std::make_unique<SyntheticSource>(config, options.frames, options.realtime);
      break;
    }
  }
  return *source != nullptr;
}

}  // namespace edgefuse::vision
