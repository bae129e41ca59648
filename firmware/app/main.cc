// edgefuse: the command-line entry point (DESIGN.md §5).
#include "firmware/app/commands.h"

int main(int argc, char** argv) { return edgefuse::app::Main(argc, argv); }
