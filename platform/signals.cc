#include "platform/signals.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace edgefuse::platform {
namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal flag must be lock free");

extern "C" void HandleStopSignal(int signal_number) {
  int expected = 0;
  if (!g_signal.compare_exchange_strong(expected, signal_number)) {
    // The second signal: the orderly stop is taking too long.
    _exit(128 + signal_number);
  }
}

void SetHandler(void (*handler)(int)) {
  struct sigaction action = {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

void InstallStopSignals() {
  g_signal.store(0);
  SetHandler(&HandleStopSignal);
}

void RestoreDefaultSignals() {
  SetHandler(SIG_DFL);
  g_signal.store(0);
}

bool StopRequested() { return g_signal.load() != 0; }
int StopSignal() { return g_signal.load(); }
void RequestStop() {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, -1);
}

}  // namespace edgefuse::platform
