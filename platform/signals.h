// SIGINT and SIGTERM as a stop request the pipeline polls. The handler only sets an
// atomic flag (async-signal safe); a second signal while the stop is under way ends
// the process at once (_exit with 128 + the signal number), for a run that hangs.
//
//   edgefuse::platform::InstallStopSignals();
//   while (!edgefuse::platform::StopRequested()) { ... }
//   edgefuse::platform::RestoreDefaultSignals();
#pragma once

namespace edgefuse::platform {

// Installs the handlers for SIGINT and SIGTERM and clears the flag.
void InstallStopSignals();
// Puts back the default actions (and clears the flag).
void RestoreDefaultSignals();
// True once SIGINT or SIGTERM arrived (or RequestStop was called).
bool StopRequested();
// The signal that asked to stop, 0 if none.
int StopSignal();
// Sets the flag as a signal would (tests, a closed window).
void RequestStop();

}  // namespace edgefuse::platform
