#include "platform/signals.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace edgefuse::platform {
namespace {

TEST(SignalsTest, FirstSignalSetsTheStopFlag) {
  InstallStopSignals();
  EXPECT_FALSE(StopRequested());
  raise(SIGTERM);
  EXPECT_TRUE(StopRequested());
  EXPECT_EQ(StopSignal(), SIGTERM);
  RestoreDefaultSignals();
  EXPECT_FALSE(StopRequested());

  InstallStopSignals();
  raise(SIGINT);
  EXPECT_EQ(StopSignal(), SIGINT);
  RestoreDefaultSignals();
}

TEST(SignalsTest, SecondSignalExitsAtOnce) {
  const pid_t pid = fork();
  if (pid == 0) {
    InstallStopSignals();
    raise(SIGINT);
    if (!StopRequested()) _exit(1);
    raise(SIGTERM);  // does not return
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
}

TEST(SignalsTest, RequestStopWithoutASignal) {
  InstallStopSignals();
  RequestStop();
  EXPECT_TRUE(StopRequested());
  EXPECT_EQ(StopSignal(), -1);
  RestoreDefaultSignals();
}

}  // namespace
}  // namespace edgefuse::platform
