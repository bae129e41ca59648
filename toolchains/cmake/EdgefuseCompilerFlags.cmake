# Warnings and sanitizers for the project's own targets.
option(EDGEFUSE_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)
option(EDGEFUSE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

add_compile_options(-Wall -Wextra -Wno-missing-field-initializers)
if(EDGEFUSE_WARNINGS_AS_ERRORS)
  add_compile_options(-Werror)
endif()

if(EDGEFUSE_SANITIZE)
  # Undefined behaviour aborts the test that caused it instead of printing and carrying on.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
