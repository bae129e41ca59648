#include "firmware/sinks/overlay.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace edgefuse::sinks {
namespace {

const cv::Scalar kWhite(255, 255, 255);
const cv::Scalar kBlack(0, 0, 0);
const cv::Scalar kMeterBackground(40, 40, 40);
const cv::Scalar kMeterActive(0, 200, 0);     // green: above the noise floor
const cv::Scalar kMeterQuiet(140, 140, 140);  // grey: at or below it
const cv::Scalar kNoiseFloor(0, 220, 255);    // amber line

double Finite(double value, double fallback) { return std::isfinite(value) ? value : fallback; }

}  // namespace

OverlayLayout ComputeOverlayLayout(cv::Size frame) {
  OverlayLayout layout;
  const int short_side = std::min(frame.width, frame.height);
  const int margin = std::max(4, short_side / 40);
  const int meter_width = std::max(6, frame.width / 48);
  const int top = frame.height / 6;
  layout.meter =
      cv::Rect(frame.width - margin - meter_width, top, meter_width, std::max(1, frame.height - margin - top));
  layout.marker_radius = std::max(6, short_side / 18);
  layout.font_scale = std::clamp(frame.width / 1280.0, 0.35, 1.2);
  layout.text_thickness = frame.width >= 1280 ? 2 : 1;
  return layout;
}

int MeterRow(const OverlayLayout& layout, const OverlayStyle& style, float dbfs) {
  const float span = style.meter_max_dbfs - style.meter_min_dbfs;
  double fraction = span > 0.0f ? (Finite(dbfs, style.meter_min_dbfs) - style.meter_min_dbfs) / span : 0.0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  const int filled = static_cast<int>(std::lround(fraction * layout.meter.height));
  return layout.meter.y + layout.meter.height - filled;
}

cv::Point MarkerCentre(cv::Size frame, float x, float y) {
  const double cx = std::clamp(Finite(x, 0.5), 0.0, 1.0) * frame.width;
  const double cy = std::clamp(Finite(y, 0.5), 0.0, 1.0) * frame.height;
  return {std::min(frame.width - 1, static_cast<int>(cx)), std::min(frame.height - 1, static_cast<int>(cy))};
}

bool OverlayRenderer::Render(const FusionResult& result, cv::Mat* out) {
  if (result.frame.empty() || result.frame.type() != CV_8UC3) {
    out->release();
    return false;
  }
  result.frame.copyTo(*out);
  const OverlayLayout layout = ComputeOverlayLayout(out->size());
  if (style_.show_heatmap) DrawHeatmap(result.attention, out);
  if (style_.show_marker && result.source.present) DrawMarker(result.source, layout, out);
  if (style_.show_meter) DrawMeter(result.audio, layout, out);
  if (style_.show_text) DrawText(result, layout, out);
  return true;
}

const cv::Mat* OverlayRenderer::Picture(const FusionResult& result, bool overlay, cv::Mat* scratch) {
  if (overlay) return Render(result, scratch) ? scratch : nullptr;
  return result.frame.empty() || result.frame.type() != CV_8UC3 ? nullptr : &result.frame;
}

void OverlayRenderer::DrawHeatmap(const AttentionMap& map, cv::Mat* image) {
  if (map.grid_w <= 0 || map.grid_h <= 0 ||
      map.weights.size() != static_cast<size_t>(map.grid_w) * static_cast<size_t>(map.grid_h)) {
    return;
  }
  grid_.create(map.grid_h, map.grid_w, CV_32F);
  float lo = 0.0f, hi = 0.0f;
  for (int y = 0; y < map.grid_h; ++y) {
    float* row = grid_.ptr<float>(y);
    for (int x = 0; x < map.grid_w; ++x) {
      const float w = map.at(x, y);
      row[x] = std::isfinite(w) && w > 0.0f ? w : 0.0f;
      lo = (x == 0 && y == 0) ? row[x] : std::min(lo, row[x]);
      hi = std::max(hi, row[x]);
    }
  }
  if (hi - lo <= 1e-6f * std::max(hi, 1e-30f)) return;  // flat: no place is hotter than another
  // Normalized to 0..255 on the grid, then upsampled as 8-bit: OpenCV's fixed-point
  // bilinear path, several times faster than upsampling floats at 640x480.
  grid_.convertTo(level_grid_, CV_8U, 255.0 / (hi - lo), -255.0 * lo / (hi - lo));
  cv::resize(level_grid_, level_, image->size(), 0, 0, cv::INTER_LINEAR);
  cv::applyColorMap(level_, colour_, style_.colormap);

  // out = frame + (colour - frame) * alpha * level / 255, in 8.8 fixed point, the
  // per-level weight from a table.
  const int alpha256 = static_cast<int>(std::lround(std::clamp(style_.heatmap_alpha, 0.0f, 1.0f) * 256.0f));
  uint16_t weight[256];
  for (int v = 0; v < 256; ++v) weight[v] = static_cast<uint16_t>((v * alpha256 + 127) / 255);  // 0..256
  // One weight per byte of the row, so that the blend below is a plain loop over
  // bytes the compiler vectorizes (16-bit lanes).
  const int row_bytes = image->cols * 3;
  row_weights_.resize(static_cast<size_t>(row_bytes));
  uint16_t* w = row_weights_.data();
  for (int y = 0; y < image->rows; ++y) {
    uint8_t* dst = image->ptr<uint8_t>(y);
    const uint8_t* heat = level_.ptr<uint8_t>(y);
    const uint8_t* colour = colour_.ptr<uint8_t>(y);
    for (int x = 0; x < image->cols; ++x) w[3 * x] = w[3 * x + 1] = w[3 * x + 2] = weight[heat[x]];
    for (int i = 0; i < row_bytes; ++i) {
      dst[i] = static_cast<uint8_t>((dst[i] * (256 - w[i]) + colour[i] * w[i] + 128) >> 8);
    }
  }
}

void OverlayRenderer::DrawMarker(const SourceEstimate& source, const OverlayLayout& layout, cv::Mat* image) const {
  const cv::Point centre = MarkerCentre(image->size(), source.x, source.y);
  const int r = layout.marker_radius;
  // Black under white, so the marker reads on any background.
  for (const auto& [colour, thickness] : {std::pair{kBlack, 4}, std::pair{kWhite, 2}}) {
    cv::circle(*image, centre, r, colour, thickness, cv::LINE_AA);
    cv::line(*image, centre - cv::Point(2 * r, 0), centre - cv::Point(r / 2, 0), colour, thickness, cv::LINE_AA);
    cv::line(*image, centre + cv::Point(r / 2, 0), centre + cv::Point(2 * r, 0), colour, thickness, cv::LINE_AA);
    cv::line(*image, centre - cv::Point(0, 2 * r), centre - cv::Point(0, r / 2), colour, thickness, cv::LINE_AA);
    cv::line(*image, centre + cv::Point(0, r / 2), centre + cv::Point(0, 2 * r), colour, thickness, cv::LINE_AA);
  }
  char label[16];
  const double confidence = std::clamp(Finite(source.confidence, 0.0), 0.0, 1.0);
  std::snprintf(label, sizeof label, "%d%%", static_cast<int>(std::lround(confidence * 100.0)));
  const cv::Point at = centre + cv::Point(r + 4, -r - 4);
  cv::putText(*image, label, at, cv::FONT_HERSHEY_SIMPLEX, layout.font_scale, kBlack, layout.text_thickness + 2,
              cv::LINE_AA);
  cv::putText(*image, label, at, cv::FONT_HERSHEY_SIMPLEX, layout.font_scale, kWhite, layout.text_thickness,
              cv::LINE_AA);
}

void OverlayRenderer::DrawMeter(const AudioLevel& audio, const OverlayLayout& layout, cv::Mat* image) const {
  const cv::Rect& meter = layout.meter;
  cv::rectangle(*image, meter - cv::Point(1, 1) + cv::Size(2, 2), kBlack, 1);
  cv::rectangle(*image, meter, kMeterBackground, cv::FILLED);
  const int level_row = MeterRow(layout, style_, audio.level_dbfs);
  const int floor_row = MeterRow(layout, style_, audio.noise_floor_dbfs);
  const int bottom = meter.y + meter.height;
  if (level_row < bottom) {
    const bool above_floor = Finite(audio.level_dbfs, -1e9) > Finite(audio.noise_floor_dbfs, -1e9);
    cv::rectangle(*image, cv::Rect(meter.x, level_row, meter.width, bottom - level_row),
                  above_floor ? kMeterActive : kMeterQuiet, cv::FILLED);
  }
  const int floor_y = std::min(floor_row, bottom - 1);
  cv::line(*image, {meter.x - 3, floor_y}, {meter.x + meter.width + 2, floor_y}, kNoiseFloor, 2);
}

void OverlayRenderer::DrawText(const FusionResult& result, const OverlayLayout& layout, cv::Mat* image) const {
  const PipelineMetrics& m = result.metrics;
  char lines[2][96];
  std::snprintf(lines[0], sizeof lines[0], "%.1f fps  latency p50 %.0f ms  p99 %.0f ms", Finite(m.fps, 0),
                Finite(m.latency_p50_ms, 0), Finite(m.latency_p99_ms, 0));
  if (result.source.present) {
    std::snprintf(lines[1], sizeof lines[1], "source %.0f%%  dropped %" PRIu64 "  overruns %" PRIu64,
                  std::clamp(Finite(result.source.confidence, 0), 0.0, 1.0) * 100.0, m.frames_dropped,
                  m.audio_overruns);
  } else {
    std::snprintf(lines[1], sizeof lines[1], "no source  dropped %" PRIu64 "  overruns %" PRIu64, m.frames_dropped,
                  m.audio_overruns);
  }
  int baseline = 0;
  const cv::Size size =
      cv::getTextSize(lines[0], cv::FONT_HERSHEY_SIMPLEX, layout.font_scale, layout.text_thickness, &baseline);
  const int line_height = size.height + baseline + 4;
  cv::Point at(6, 4 + size.height);
  for (const char* line : lines) {
    const cv::Size s =
        cv::getTextSize(line, cv::FONT_HERSHEY_SIMPLEX, layout.font_scale, layout.text_thickness, &baseline);
    cv::rectangle(*image, cv::Rect(at.x - 3, at.y - s.height - 3, s.width + 6, s.height + baseline + 5), kBlack,
                  cv::FILLED);
    cv::putText(*image, line, at, cv::FONT_HERSHEY_SIMPLEX, layout.font_scale, kWhite, layout.text_thickness,
                cv::LINE_AA);
    at.y += line_height;
  }
}

bool RenderOverlay(const FusionResult& result, const OverlayStyle& style, cv::Mat* out) {
  OverlayRenderer renderer(style);
  return renderer.Render(result, out);
}

}  // namespace edgefuse::sinks
