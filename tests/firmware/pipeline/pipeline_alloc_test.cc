// No allocation per frame in steady state: every operator new of the process (all
// stage threads, the audio source, the fusion) is counted between two frames after
// the warm-up (the fusion window filled, every buffer sized). The one allocation the
// runtime cannot avoid is inside OpenCV's cv::resize (its row buffer) in the vision
// front-end; it is measured on its own and must be all there is.
#include <gtest/gtest.h>

#include "modalities/vision/patch_frontend.h"
#include "tests/firmware/pipeline/allocation_counter.h"
#include "tests/firmware/pipeline/pipeline_test_support.h"

namespace edgefuse::pipeline {
namespace {

constexpr int kReplayFrames = 64;

// Frames rendered ahead of time and replayed (the scene's own rendering allocates
// inside cv::ellipse, which is not the runtime's doing).
class ReplaySource final : public vision::FrameSource {
 public:
  ReplaySource(scene::AvScene* scene, int64_t frames, int64_t anchor_ns) : frames_(frames), anchor_ns_(anchor_ns) {
    scene::AvFrameTruth truth;
    recorded_.resize(kReplayFrames);
    for (int i = 0; i < kReplayFrames; ++i) scene->RenderFrame(i, &recorded_[static_cast<size_t>(i)], &truth);
    info_.kind = "synthetic";
    info_.fps = 30.0;
  }
  vision::ReadStatus Read(vision::Frame* frame) override {
    if (next_ >= frames_) return vision::ReadStatus::kEnd;
    recorded_[static_cast<size_t>(next_ % kReplayFrames)].copyTo(frame->bgr);
    frame->index = next_;
    frame->timestamp_ns = anchor_ns_ + next_ * 1'000'000'000 / 30;
    ++next_;
    return vision::ReadStatus::kOk;
  }

 private:
  std::vector<cv::Mat> recorded_;
  int64_t frames_;
  int64_t anchor_ns_;
  int64_t next_ = 0;
};

TEST(PipelineAllocationTest, SteadyStateAllocatesNothingPerFrame) {
  SceneRig rig = MakeSceneRig(13, 320, 240, 20.0, /*realtime=*/false, 0.001);
  constexpr int64_t kFrom = 200, kTo = 500;  // the fusion window is 60 frames

  // What the vision front-end allocates per frame by itself (OpenCV's resize).
  uint64_t frontend_per_frame = 0;
  {
    vision::PatchFrontEnd frontend;
    vision::PatchTokens tokens;
    std::string error;
    cv::Mat frame;
    scene::AvFrameTruth truth;
    rig.scene->RenderFrame(1, &frame, &truth);
    ASSERT_TRUE(frontend.Process(frame, &tokens, &error));
    ASSERT_TRUE(frontend.Process(frame, &tokens, &error));
    const uint64_t before = testing::Allocations();
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(frontend.Process(frame, &tokens, &error));
    frontend_per_frame = (testing::Allocations() - before) / 10;
    EXPECT_LE(frontend_per_frame, 2u);
  }

  PipelineOptions options = FastOptions(true);
  options.audio_clock = rig.audio_raw->SimulatedClock();
  uint64_t at_from = 0, at_to = 0;
  options.on_result = [&](const sinks::FusionResult& result) {
    if (result.frame_index == kFrom) at_from = testing::Allocations();
    if (result.frame_index == kTo) at_to = testing::Allocations();
  };
  auto video = std::make_unique<ReplaySource>(rig.scene.get(), 600, rig.video_raw->anchor_ns());
  Pipeline pipeline(options, std::move(video), std::move(rig.audio));
  std::string error;
  const uint64_t before = testing::Allocations();
  ASSERT_TRUE(pipeline.Run(&error)) << error;
  ASSERT_EQ(pipeline.stats().frames_fused, 600);
  EXPECT_GT(at_from, before);  // the counter works: start-up allocates
  // The stages run a few frames apart (the front-end up to 5 frames ahead of the
  // fusion), so the front-end's count over the span is within 8 frames of the span;
  // one more allocation per frame anywhere would double it.
  const uint64_t counted = at_to - at_from;
  EXPECT_LE(counted, static_cast<uint64_t>(kTo - kFrom + 8) * frontend_per_frame)
      << "allocations over " << (kTo - kFrom) << " frames, " << frontend_per_frame
      << " per frame in the vision front-end's cv::resize";
  EXPECT_GE(counted, static_cast<uint64_t>(kTo - kFrom - 8) * frontend_per_frame);
}

}  // namespace
}  // namespace edgefuse::pipeline
