# One command-line test of a real program (tests/support, edgefuse_add_cli_test): runs
# it in a private directory, through the build's emulator when cross-compiled, and
# checks what CTest alone cannot: the exact exit status (WILL_FAIL accepts any non-zero
# one), a one-line error, and output tensors against golden files (npy_compare).
#
# Included by a script that edgefuse_add_cli_test generates, which sets:
#   EMULATOR       the emulator command (empty on the host)
#   PROGRAM ARGS   the program and its arguments; @TMP@ in an argument is the private directory
#   STATUS         the exit status expected
#   STDOUT_REGEX STDERR_REGEX   regular expressions the outputs must match ("": anything)
#   ONE_LINE_ERROR true: stderr must be exactly one line
#   COMPARE_TOOL   npy_compare; COMPARE: triples OUT GOLDEN MODE (MODE: exact, or a tolerance)
cmake_minimum_required(VERSION 3.25)

set(tmp /tmp)
if(DEFINED ENV{TMPDIR} AND IS_DIRECTORY "$ENV{TMPDIR}")
  set(tmp "$ENV{TMPDIR}")
endif()
execute_process(COMMAND mktemp -d "${tmp}/edgefuse-cli-XXXXXX" OUTPUT_VARIABLE dir OUTPUT_STRIP_TRAILING_WHITESPACE
                COMMAND_ERROR_IS_FATAL ANY)

set(failures "")
macro(check condition message)
  if(NOT (${condition}))
    string(APPEND failures "FAIL: ${message}\n")
  endif()
endmacro()

set(command ${EMULATOR} ${PROGRAM})
foreach(arg IN LISTS ARGS)
  string(REPLACE "@TMP@" "${dir}" arg "${arg}")
  list(APPEND command "${arg}")
endforeach()
execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REPLACE ";" " " shown "${command}")
message("command: ${shown}\nstatus: ${status}\nstdout:\n${out}\nstderr:\n${err}")

if(NOT status STREQUAL "${STATUS}")
  string(APPEND failures "FAIL: exit status ${status}, expected ${STATUS}\n")
endif()
if(NOT STDOUT_REGEX STREQUAL "" AND NOT out MATCHES "${STDOUT_REGEX}")
  string(APPEND failures "FAIL: stdout does not match '${STDOUT_REGEX}'\n")
endif()
if(NOT STDERR_REGEX STREQUAL "" AND NOT err MATCHES "${STDERR_REGEX}")
  string(APPEND failures "FAIL: stderr does not match '${STDERR_REGEX}'\n")
endif()
if(ONE_LINE_ERROR)
  string(REGEX MATCHALL "\n" newlines "${err}")
  list(LENGTH newlines lines)
  if(NOT lines EQUAL 1 OR NOT err MATCHES "\n$")
    string(APPEND failures "FAIL: stderr has ${lines} line ends, expected one line\n")
  endif()
endif()

list(LENGTH COMPARE compare_items)
set(index 0)
while(index LESS compare_items)
  list(SUBLIST COMPARE ${index} 3 triple)
  list(GET triple 0 produced)
  list(GET triple 1 golden)
  list(GET triple 2 mode)
  string(REPLACE "@TMP@" "${dir}" produced "${produced}")
  if(mode STREQUAL "exact")
    set(how --exact)
  else()
    set(how --max-abs ${mode})
  endif()
  execute_process(COMMAND ${EMULATOR} ${COMPARE_TOOL} ${produced} ${golden} ${how} RESULT_VARIABLE same
                  OUTPUT_VARIABLE said ERROR_VARIABLE said)
  message("${said}")
  if(NOT same EQUAL 0)
    string(APPEND failures "FAIL: ${produced} against ${golden}: ${said}")
  endif()
  math(EXPR index "${index} + 3")
endwhile()

file(REMOVE_RECURSE "${dir}")
if(failures)
  message(FATAL_ERROR "${failures}")
endif()
message("all checks passed")
