// The demo's picture: the attention heatmap blended on the video, a marker on the
// sound source, an audio level meter with the noise floor, and FPS / latency text.
// Drawing only (OpenCV imgproc), deterministic: the same result gives the same
// pixels. The window, MJPEG and video file sinks all show this.
//
//   edgefuse::sinks::OverlayRenderer renderer({.heatmap_alpha = 0.5f});
//   cv::Mat picture;
//   if (renderer.Render(result, &picture)) cv::imencode(".jpg", picture, jpeg);
//
// The heatmap: the grid is normalized to 0..255 between its smallest and largest
// weight, upsampled bilinearly to the frame (cell centres at the patch centres),
// coloured with the colormap, and blended with an opacity that grows with the
// value (alpha at the peak, 0 at the minimum), so cold patches show the plain
// video. A flat map carries no location and draws nothing.
#pragma once

#include <cstdint>
#include <opencv2/core/mat.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "firmware/sinks/fusion_result.h"

namespace edgefuse::sinks {

struct OverlayStyle {
  float heatmap_alpha = 0.5f;       // heatmap opacity where the map peaks, 0..1
  int colormap = cv::COLORMAP_JET;  // a cv::ColormapTypes value
  float meter_min_dbfs = -80.0f;    // the meter's bottom
  float meter_max_dbfs = 0.0f;      // the meter's top
  bool show_heatmap = true;
  bool show_marker = true;
  bool show_meter = true;
  bool show_text = true;
};

// Where the overlay's parts go on a frame of a given size.
struct OverlayLayout {
  cv::Rect meter;         // the level meter's inside (the bar fills it from the bottom)
  int marker_radius = 0;  // the source marker's circle
  double font_scale = 0.5;
  int text_thickness = 1;
};

OverlayLayout ComputeOverlayLayout(cv::Size frame);

// The row of the meter that a level reaches: meter.y + meter.height for
// meter_min_dbfs and below, meter.y for meter_max_dbfs and above.
int MeterRow(const OverlayLayout& layout, const OverlayStyle& style, float dbfs);

// The source marker's centre in pixels for normalized (x, y), clamped to the frame.
cv::Point MarkerCentre(cv::Size frame, float x, float y);

// Renders repeatedly with the same scratch buffers (no allocation per frame once the
// frame size is stable). Not thread-safe: one renderer per thread.
class OverlayRenderer {
 public:
  explicit OverlayRenderer(const OverlayStyle& style = {}) : style_(style) {}

  // Draws the overlay for result onto a copy of result.frame in *out. Returns false
  // (and leaves *out empty) when the frame is not non-empty 8-bit BGR. Out-of-range
  // values never crash: a map of the wrong size or without spread is not drawn,
  // non-finite weights count as 0, positions and levels are clamped.
  bool Render(const FusionResult& result, cv::Mat* out);

  // What an image sink shows for result: the overlay, rendered into *scratch, or with
  // overlay false the plain frame. nullptr when the frame is not 8-bit BGR.
  const cv::Mat* Picture(const FusionResult& result, bool overlay, cv::Mat* scratch);

  const OverlayStyle& style() const { return style_; }

 private:
  void DrawHeatmap(const AttentionMap& map, cv::Mat* image);
  void DrawMarker(const SourceEstimate& source, const OverlayLayout& layout, cv::Mat* image) const;
  void DrawMeter(const AudioLevel& audio, const OverlayLayout& layout, cv::Mat* image) const;
  void DrawText(const FusionResult& result, const OverlayLayout& layout, cv::Mat* image) const;

  OverlayStyle style_;
  cv::Mat grid_;                       // CV_32F, grid_h x grid_w: the weights, cleaned
  cv::Mat level_grid_;                 // CV_8U, grid_h x grid_w: normalized to 0..255
  cv::Mat level_;                      // CV_8U, frame size: the heat in 0..255
  cv::Mat colour_;                     // CV_8UC3, frame size: the colormap of level_
  std::vector<uint16_t> row_weights_;  // blend weight per byte of one row
};

// One-shot form of OverlayRenderer::Render.
bool RenderOverlay(const FusionResult& result, const OverlayStyle& style, cv::Mat* out);

}  // namespace edgefuse::sinks
