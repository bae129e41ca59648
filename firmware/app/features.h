// `edgefuse features <kind> ...`: the modality front-ends alone, on files, for checking
// (DESIGN.md §5). Each kind lives in its own features_<kind>.cc; adding one means one
// line in kFeatureKinds (features_command.cc) and its declaration here.
#pragma once

namespace edgefuse::app {

// argv[0] is the kind ("audio").
int RunFeaturesAudio(int argc, char** argv);

}  // namespace edgefuse::app
