// The factgraph command line: a verb, its arguments and its options, parsed
// by hand against a table of verbs so that every mistake gets a usage error
// that names the verb and the offending word.
#ifndef FACTGRAPH_CLIENT_CLI_COMMAND_LINE_H_
#define FACTGRAPH_CLIENT_CLI_COMMAND_LINE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace factgraph::cli {

// Exit code of a usage error (sysexits.h EX_USAGE). Distinct from every gRPC
// status code (0..16), which are the exit codes of everything else.
inline constexpr int kUsageExitCode = 64;

// A usage error: main prints it with a pointer to `factgraph help VERB` and
// exits with kUsageExitCode.
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

struct OptionSpec {
  std::string name;  // Without dashes: "page_size".
  bool takes_value = true;
  std::string help;
  char short_name = '\0';  // '-o FILE'; '\0' for none.
};

// The options every verb accepts.
const std::vector<OptionSpec>& GlobalOptions();

class Invocation;

struct VerbSpec {
  std::string name;
  std::vector<std::string> arguments;  // Positional argument names: "NAME".
  std::string summary;
  std::vector<OptionSpec> options;  // Beside GlobalOptions().
  bool supports_json = true;
  absl::Status (*run)(const Invocation&) = nullptr;
};

// A parsed command line. Options are looked up by name; typed accessors
// report bad values as usage errors naming the option.
class Invocation {
 public:
  Invocation(const VerbSpec* verb, std::vector<std::string> arguments,
             std::map<std::string, std::string> options)
      : verb_(verb),
        arguments_(std::move(arguments)),
        options_(std::move(options)) {}

  const VerbSpec& verb() const { return *verb_; }
  const std::string& argument(size_t index) const { return arguments_[index]; }

  bool Has(absl::string_view option) const;
  // The option's value, or `fallback` when it is not given.
  std::string String(absl::string_view option,
                     absl::string_view fallback = "") const;
  // A boolean option: given without a value, or with true/false (the parser
  // refuses anything else).
  bool Bool(absl::string_view option) const;
  absl::StatusOr<int> Int(absl::string_view option, int fallback) const;
  absl::StatusOr<absl::Duration> Duration(absl::string_view option,
                                          absl::Duration fallback) const;

 private:
  const VerbSpec* verb_;
  std::vector<std::string> arguments_;
  std::map<std::string, std::string> options_;
};

// What the words after the program name ask for.
struct ParsedCommandLine {
  // Set when the words ask for help ("help [VERB]", "--help", "VERB --help")
  // instead of running a verb; `help_verb` is empty for the overview.
  bool help = false;
  std::string help_verb;
  std::optional<Invocation> invocation;
};

// Global options may come before or after the verb; verb options after it.
// "--name=value", "--name value", "-o value"; "--" ends the options.
absl::StatusOr<ParsedCommandLine> ParseCommandLine(
    const std::vector<std::string>& words, const std::vector<VerbSpec>& verbs);

// "usage: factgraph VERB ARGS [options]" with every option explained.
std::string VerbUsage(const VerbSpec& verb);
// Every verb, one line each, and the global options.
std::string Overview(const std::vector<VerbSpec>& verbs);

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_COMMAND_LINE_H_
