#include "firmware/sinks/window_sink.h"

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <opencv2/highgui.hpp>
#include <thread>

#include "platform/display.h"

namespace edgefuse::sinks {
namespace {

// Every HighGUI call of the process runs on this one thread. Qt binds its application
// to the first thread that opens a window, and a window opened later from another
// thread deadlocks; a window sink stopped and started again gets a new sink thread,
// so the GUI work cannot live on the sink's own thread.
class GuiThread {
 public:
  static GuiThread& Instance() {
    static GuiThread gui;
    return gui;
  }

  // Runs task on the GUI thread and waits for it; rethrows what it threw.
  void Run(const std::function<void()>& task) {
    std::lock_guard<std::mutex> one_at_a_time(run_mutex_);
    std::unique_lock<std::mutex> lock(mutex_);
    task_ = &task;
    failure_ = nullptr;
    wake_.notify_all();
    wake_.wait(lock, [this] { return task_ == nullptr; });
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  GuiThread() : thread_([this] { Loop(); }) {}
  ~GuiThread() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return task_ != nullptr || stop_; });
      if (stop_) return;
      lock.unlock();
      std::exception_ptr failure;
      try {
        (*task_)();
      } catch (...) {
        failure = std::current_exception();
      }
      lock.lock();
      failure_ = failure;
      task_ = nullptr;
      wake_.notify_all();
    }
  }

  std::mutex run_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  const std::function<void()>* task_ = nullptr;
  std::exception_ptr failure_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

bool Set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && value[0] != '\0';
}

}  // namespace

bool WindowDisplayAvailable(std::string* reason) {
  if (!Set("DISPLAY") && !Set("WAYLAND_DISPLAY")) {
    *reason = "no display: DISPLAY and WAYLAND_DISPLAY are unset";
    return false;
  }
  std::string x11_error;
  if (platform::X11DisplayAvailable(&x11_error)) return true;
  // Debian's HighGUI is Qt, which uses X11 (or XWayland) unless told otherwise.
  const char* qpa = std::getenv("QT_QPA_PLATFORM");
  if (qpa != nullptr && std::strncmp(qpa, "wayland", 7) == 0) {
    std::string wayland_error;
    if (platform::WaylandDisplayAvailable(&wayland_error)) return true;
    *reason = wayland_error;
    return false;
  }
  *reason = Set("DISPLAY") ? x11_error
                           : "WAYLAND_DISPLAY is set but DISPLAY is not: the window needs X11 or XWayland "
                             "(or QT_QPA_PLATFORM=wayland)";
  return false;
}

bool WindowSink::Open(std::string* error) {
  stop_requested_ = false;
  shown_ = false;
  if (!WindowDisplayAvailable(error)) return false;
  try {
    GuiThread::Instance().Run([this] {
      const int flags =
          options_.fullscreen ? cv::WINDOW_NORMAL | cv::WINDOW_GUI_NORMAL : cv::WINDOW_AUTOSIZE | cv::WINDOW_GUI_NORMAL;
      cv::namedWindow(options_.title, flags);
      if (options_.fullscreen) {
        cv::setWindowProperty(options_.title, cv::WND_PROP_FULLSCREEN, cv::WINDOW_FULLSCREEN);
      } else {
        cv::moveWindow(options_.title, 0, 0);
      }
      cv::waitKey(1);
    });
  } catch (const cv::Exception& e) {
    *error = std::string("cannot open a window: ") + e.what();
    return false;
  }
  open_ = true;
  return true;
}

bool WindowSink::Process(const FusionResult& result) {
  if (stop_requested_) return true;  // closed by the user: the pipeline is stopping
  const cv::Mat* picture = renderer_.Picture(result, options_.overlay, &picture_);
  if (picture == nullptr) return false;
  GuiThread::Instance().Run([this, picture] {
    cv::imshow(options_.title, *picture);
    shown_ = true;
    PumpEvents();
  });
  return true;
}

void WindowSink::PollEvents() {
  if (!open_ || stop_requested_) return;
  GuiThread::Instance().Run([this] { PumpEvents(); });
}

void WindowSink::PumpEvents() {
  const int key = cv::waitKey(1);
  if (key == 'q' || key == 'Q' || key == 27) stop_requested_ = true;
  // Closed with the window manager's button: the window is gone. (Asked only once a
  // frame is up: before that the window may not be mapped yet.)
  if (shown_ && cv::getWindowProperty(options_.title, cv::WND_PROP_VISIBLE) < 1.0) stop_requested_ = true;
}

void WindowSink::Close() {
  if (!open_) return;
  try {
    GuiThread::Instance().Run([this] {
      cv::destroyWindow(options_.title);
      cv::waitKey(1);
    });
  } catch (const cv::Exception&) {
    // Already destroyed by the user closing it.
  }
  open_ = false;
  shown_ = false;
}

}  // namespace edgefuse::sinks
