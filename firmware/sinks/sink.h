// Where fusion results go: a window, an MJPEG stream, a video file, JSON lines. Every
// sink has the same life cycle (Start, Consume per frame, Stop) and counters.
// Consume never waits for the sink's work: it copies the result into the sink's
// short queue and returns; the sink's own thread renders and writes. When the queue
// is full the oldest waiting result is dropped and counted (the newest frame wins),
// unless the sink is lossless (offline runs, where every frame must be written and
// the producer may wait).
//
//   std::unique_ptr<edgefuse::sinks::Sink> sink = std::make_unique<edgefuse::sinks::JsonlSink>(options);
//   std::string error;
//   if (!sink->Start(&error)) { ... one-line error ... }
//   for (...) sink->Consume(result);
//   sink->Stop();                                    // drains what is queued
//   edgefuse::sinks::SinkStats stats = sink->stats();
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "firmware/sinks/fusion_result.h"

namespace edgefuse::sinks {

struct SinkStats {
  uint64_t received = 0;  // results handed to Consume
  uint64_t written = 0;   // results shown, encoded, or written out
  uint64_t dropped = 0;   // results dropped because the sink was behind
  uint64_t errors = 0;    // results the sink failed to write
  // MJPEG only: viewers connected now, and streams that ended because the viewer
  // closed the connection or stalled.
  int clients = 0;
  uint64_t client_disconnects = 0;
};

class Sink {
 public:
  virtual ~Sink() = default;
  // "window", "mjpeg", "video", "jsonl".
  virtual const char* name() const = 0;
  // Opens what the sink writes to. False with a one-line *error, and nothing running.
  virtual bool Start(std::string* error) = 0;
  // Hands over one result; returns at once (see the file comment). Call from one
  // thread at a time.
  virtual void Consume(const FusionResult& result) = 0;
  // Writes out what is queued, stops the sink's thread and closes its output.
  // Idempotent.
  virtual void Stop() = 0;
  virtual SinkStats stats() const = 0;
  // True when the user asked to end the run through this sink (the window closed, q
  // or Esc pressed). The pipeline polls it.
  virtual bool StopRequested() const { return false; }
};

struct SinkQueueOptions {
  int capacity = 4;       // results waiting for the sink's thread
  bool lossless = false;  // wait for room instead of dropping (offline runs only)
};

// The queue and thread every sink here is built on. Subclasses implement Process
// (and optionally Open/Close, run on the sink's thread, and Idle), and their
// destructors must call Stop(): the thread calls their overrides, so it has to end
// before they are destroyed.
class AsyncSink : public Sink {
 public:
  explicit AsyncSink(SinkQueueOptions queue) : queue_options_(queue) {}
  ~AsyncSink() override;

  bool Start(std::string* error) final;
  void Consume(const FusionResult& result) final;
  void Stop() final;
  SinkStats stats() const override;

 protected:
  // On the sink's thread, before any Process; false with *error fails Start.
  virtual bool Open(std::string* /*error*/) { return true; }
  // On the sink's thread, one result at a time, in order. Returns false when the
  // result could not be written (counted as an error).
  virtual bool Process(const FusionResult& result) = 0;
  // On the sink's thread, after the queue is drained at Stop.
  virtual void Close() {}
  // On the sink's thread, every idle_interval_ms() while no result is waiting (a
  // window must keep its event loop turning). 0 disables it.
  virtual int idle_interval_ms() const { return 0; }
  virtual void Idle() {}
  // Counts a failure that happened outside Process (e.g. on a viewer's thread).
  void CountError();

 private:
  void Run();

  SinkQueueOptions queue_options_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;     // the sink's thread: a result arrived, or stop
  std::condition_variable space_;    // a lossless producer: a slot is free
  std::vector<FusionResult> slots_;  // ring of waiting results
  FusionResult current_;             // the one being processed; swapped with a slot
  size_t head_ = 0;                  // oldest waiting result
  size_t count_ = 0;                 // waiting results
  bool running_ = false;
  bool stopping_ = false;
  // Open's outcome, handed back to Start.
  bool opened_ = false;
  bool open_done_ = false;
  std::string open_error_;
  SinkStats stats_;
};

}  // namespace edgefuse::sinks
