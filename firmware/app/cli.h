// Command-line parsing for the edgefuse subcommands: long options only
// ("--name value", "--name=value", boolean "--flag"), a generated --help, and a
// one-line error (exit status 2) for anything unknown or malformed.
//
//   static constexpr edgefuse::app::OptionSpec kOptions[] = {
//       {"json", nullptr, "print JSON instead of text"},
//       {"out", "FILE", "where to write the result"},
//   };
//   edgefuse::app::ParsedArgs args;
//   if (int status = edgefuse::app::ParseArgs("info", kOptions, argc, argv, &args); status >= 0) return status;
//   bool json = args.Has("json");
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

namespace edgefuse::app {

// Exit statuses shared by all subcommands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the work failed (device error, I/O error)
inline constexpr int kExitUsage = 2;    // bad command line or bad input file

struct OptionSpec {
  const char* name;   // without the leading "--"
  const char* value;  // metavariable ("FILE") for options that take a value, nullptr for flags;
                      // ending in "..." ("KEY=VALUE...") it may be given more than once
  const char* help;
};

class ParsedArgs {
 public:
  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  // The value of an option, or fallback when it was not given.
  const std::string& Get(const std::string& name, const std::string& fallback = "") const;
  // Every value of a repeatable option, in command-line order (empty when not given).
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  friend int ParseArgs(const char*, std::span<const OptionSpec>, int, char**, ParsedArgs*, const char*);
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> repeated_;
  std::vector<std::string> positional_;
};

// Parses argv[1..argc) of subcommand `command`. Returns -1 when the command should
// run; otherwise the exit status to return at once (0 after printing --help, 2
// after printing a one-line error). `usage` is the synopsis shown by --help.
// Positional arguments are rejected unless positional_name names them.
int ParseArgs(const char* command, std::span<const OptionSpec> options, int argc, char** argv, ParsedArgs* args,
              const char* positional_name = nullptr);

// Prints "edgefuse: <message>" to stderr and returns kExitUsage, for bad input
// found after parsing (a value out of range, a malformed file).
int UsageError(const std::string& message);

// Parses a whole decimal integer in [min, max]; false on anything else.
bool ParseInt(const std::string& text, long min, long max, long* value);

}  // namespace edgefuse::app
