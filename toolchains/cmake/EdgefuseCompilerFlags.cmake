# Warnings and sanitizers for the project's own targets.
option(EDGEFUSE_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)
option(EDGEFUSE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

add_compile_options(-Wall -Wextra -Wno-missing-field-initializers)
# No fused multiply-add contraction: GCC contracts a * b + c into one FMA on aarch64
# (not on x86-64 without -mfma), so float code that computes quantization parameters,
# feeds integer kernels or reads their results would round differently on the desk
# and on the board. With contraction off, int8 and 16x8 results are the same bytes on
# every CPU (tests/golden/attention/integer). Kernels that want FMA ask for it
# explicitly (vfmaq_f32, std::fma).
add_compile_options(-ffp-contract=off)
if(EDGEFUSE_WARNINGS_AS_ERRORS)
  add_compile_options(-Werror)
endif()

if(EDGEFUSE_SANITIZE)
  # Undefined behaviour aborts the test that caused it instead of printing and carrying on.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
