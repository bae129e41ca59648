// Counts calls of the global operator new in the test binary that links
// allocation_counter.cc (which replaces it), to check that a call allocates nothing:
//
//   const size_t before = edgefuse::testing::NewCallCount();
//   block->Run(...);
//   EXPECT_EQ(edgefuse::testing::NewCallCount(), before);
#pragma once

#include <cstddef>

namespace edgefuse::testing {

// Calls of any replaceable global operator new so far, on every thread.
size_t NewCallCount();

}  // namespace edgefuse::testing
