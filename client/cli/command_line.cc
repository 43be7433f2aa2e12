#include "client/cli/command_line.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace factgraph::cli {
namespace {

constexpr absl::string_view kUsagePayload = "factgraph.cli/usage";

const OptionSpec* FindOption(const std::vector<OptionSpec>& options,
                             absl::string_view name) {
  for (const OptionSpec& option : options) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

const OptionSpec* FindShortOption(const std::vector<OptionSpec>& options,
                                  char short_name) {
  for (const OptionSpec& option : options) {
    if (option.short_name != '\0' && option.short_name == short_name) {
      return &option;
    }
  }
  return nullptr;
}

std::string OptionLine(const OptionSpec& option) {
  std::string left = absl::StrCat("  --", option.name);
  if (option.short_name != '\0') {
    left = absl::StrCat("  -", std::string(1, option.short_name), ", --",
                        option.name);
  }
  if (option.takes_value) absl::StrAppend(&left, "=", "VALUE");
  if (left.size() < 30) left.resize(30, ' ');
  return absl::StrCat(left, " ", option.help, "\n");
}

std::string Synopsis(const VerbSpec& verb) {
  std::string synopsis = absl::StrCat("factgraph ", verb.name);
  for (const std::string& argument : verb.arguments) {
    absl::StrAppend(&synopsis, " ", argument);
  }
  return synopsis;
}

}  // namespace

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

const std::vector<OptionSpec>& GlobalOptions() {
  static const auto* const options = new std::vector<OptionSpec>{
      {"server", true,
       "host:port of factgraphd (default $FACTGRAPH_SERVER, else "
       "localhost:50051)"},
      {"timeout", true, "deadline of each call, e.g. 10s, 500ms (default 10s)"},
      {"json", false, "print the protobuf JSON mapping of the response"},
      {"tls", false, "use TLS with the system's root certificates"},
      {"tls_ca_file", true,
       "PEM roots to verify the server with (implies --tls)"},
      {"tls_cert_file", true, "PEM client certificate for mutual TLS"},
      {"tls_key_file", true, "PEM private key of --tls_cert_file"},
      {"tls_server_name", true,
       "name to expect in the server's certificate instead of the host"},
      {"token_file", true,
       "file holding the bearer token sent as 'authorization' (reload)"},
      {"help", false, "show the usage of the verb"},
  };
  return *options;
}

bool Invocation::Has(absl::string_view option) const {
  return options_.find(std::string(option)) != options_.end();
}

std::string Invocation::String(absl::string_view option,
                               absl::string_view fallback) const {
  auto it = options_.find(std::string(option));
  return it == options_.end() ? std::string(fallback) : it->second;
}

bool Invocation::Bool(absl::string_view option) const {
  auto it = options_.find(std::string(option));
  if (it == options_.end()) return false;
  return it->second.empty() || it->second == "true";
}

absl::StatusOr<int> Invocation::Int(absl::string_view option,
                                    int fallback) const {
  auto it = options_.find(std::string(option));
  if (it == options_.end()) return fallback;
  int value = 0;
  if (!absl::SimpleAtoi(it->second, &value)) {
    return UsageError(absl::StrCat("--", option, " takes an integer, not \"",
                                   it->second, "\""));
  }
  return value;
}

absl::StatusOr<absl::Duration> Invocation::Duration(
    absl::string_view option, absl::Duration fallback) const {
  auto it = options_.find(std::string(option));
  if (it == options_.end()) return fallback;
  absl::Duration value;
  if (!absl::ParseDuration(it->second, &value) ||
      value <= absl::ZeroDuration()) {
    return UsageError(absl::StrCat("--", option,
                                   " takes a positive duration such as 10s "
                                   "or 500ms, not \"",
                                   it->second, "\""));
  }
  return value;
}

absl::StatusOr<ParsedCommandLine> ParseCommandLine(
    const std::vector<std::string>& words, const std::vector<VerbSpec>& verbs) {
  ParsedCommandLine parsed;
  const VerbSpec* verb = nullptr;
  std::vector<std::string> arguments;
  std::map<std::string, std::string> options;
  bool options_ended = false;
  bool help_verb_requested = false;

  // Options known at this point: the globals, then the verb's once known.
  auto lookup = [&](absl::string_view name) -> const OptionSpec* {
    if (const OptionSpec* option = FindOption(GlobalOptions(), name)) {
      return option;
    }
    return verb == nullptr ? nullptr : FindOption(verb->options, name);
  };
  auto where = [&]() {
    return verb == nullptr ? std::string("factgraph")
                           : absl::StrCat("factgraph ", verb->name);
  };

  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    const bool is_long =
        !options_ended && absl::StartsWith(word, "--") && word.size() > 2;
    const bool is_short = !options_ended && !is_long && word.size() == 2 &&
                          word[0] == '-' && word[1] != '-';
    if (!options_ended && word == "--") {
      options_ended = true;
      continue;
    }
    if (is_long || is_short) {
      const OptionSpec* option = nullptr;
      std::string name;
      std::optional<std::string> value;
      if (is_long) {
        std::string body = word.substr(2);
        size_t equals = body.find('=');
        name = body.substr(0, equals);
        if (equals != std::string::npos) value = body.substr(equals + 1);
        option = lookup(name);
      } else {
        if (word[1] == 'h') {
          option = FindOption(GlobalOptions(), "help");
        } else if (verb != nullptr) {
          option = FindShortOption(verb->options, word[1]);
        }
        name = option == nullptr ? word : option->name;
      }
      if (option == nullptr) {
        return UsageError(
            absl::StrCat(where(), ": unknown option ",
                         is_long ? absl::StrCat("--", name) : word));
      }
      if (option->takes_value && !value.has_value()) {
        if (i + 1 >= words.size()) {
          return UsageError(
              absl::StrCat(where(), ": option --", name, " needs a value"));
        }
        value = words[++i];
      }
      if (!option->takes_value && value.has_value() && !value->empty() &&
          *value != "true" && *value != "false") {
        return UsageError(absl::StrCat(where(), ": --", option->name,
                                       " takes true or false, not \"", *value,
                                       "\""));
      }
      if (options.count(option->name) != 0) {
        return UsageError(
            absl::StrCat(where(), ": option --", option->name, " given twice"));
      }
      options[option->name] = value.value_or("");
      continue;
    }
    if (verb == nullptr && !help_verb_requested) {
      if (word == "help") {
        help_verb_requested = true;
        continue;
      }
      auto found =
          std::find_if(verbs.begin(), verbs.end(),
                       [&](const VerbSpec& v) { return v.name == word; });
      if (found == verbs.end()) {
        std::vector<std::string> names;
        for (const VerbSpec& v : verbs) names.push_back(v.name);
        return UsageError(
            absl::StrCat("factgraph: unknown verb \"", word,
                         "\"; verbs: ", absl::StrJoin(names, ", ")));
      }
      verb = &*found;
      continue;
    }
    arguments.push_back(word);
  }

  if (help_verb_requested) {
    parsed.help = true;
    if (arguments.size() > 1) {
      return UsageError("factgraph help: takes at most one verb");
    }
    if (!arguments.empty()) {
      auto found = std::find_if(
          verbs.begin(), verbs.end(),
          [&](const VerbSpec& v) { return v.name == arguments[0]; });
      if (found == verbs.end()) {
        return UsageError(absl::StrCat("factgraph help: unknown verb \"",
                                       arguments[0], "\""));
      }
      parsed.help_verb = found->name;
    }
    return parsed;
  }
  if (options.count("help") != 0) {
    parsed.help = true;
    if (verb != nullptr) parsed.help_verb = verb->name;
    return parsed;
  }
  if (verb == nullptr) {
    return UsageError("factgraph: no verb given");
  }
  if (arguments.size() != verb->arguments.size()) {
    if (arguments.size() < verb->arguments.size()) {
      return UsageError(absl::StrCat(where(), ": missing ",
                                     verb->arguments[arguments.size()]));
    }
    return UsageError(absl::StrCat(where(), ": unexpected argument \"",
                                   arguments[verb->arguments.size()], "\""));
  }
  if (!verb->supports_json && options.count("json") != 0) {
    return UsageError(absl::StrCat(where(), ": --json is not supported"));
  }
  parsed.invocation.emplace(verb, std::move(arguments), std::move(options));
  return parsed;
}

std::string VerbUsage(const VerbSpec& verb) {
  std::string usage = absl::StrCat("usage: ", Synopsis(verb), " [options]\n\n",
                                   verb.summary, "\n");
  if (!verb.options.empty()) {
    absl::StrAppend(&usage, "\noptions:\n");
    for (const OptionSpec& option : verb.options) {
      absl::StrAppend(&usage, OptionLine(option));
    }
  }
  absl::StrAppend(&usage, "\nglobal options:\n");
  for (const OptionSpec& option : GlobalOptions()) {
    absl::StrAppend(&usage, OptionLine(option));
  }
  return usage;
}

namespace {

// The summary's first sentence, whole, wrapped at 80 columns under the
// overview's summary column.
std::string WrappedFirstSentence(const std::string& summary) {
  constexpr size_t kIndent = 31;
  constexpr size_t kWidth = 80 - kIndent;
  std::string flat = absl::StrReplaceAll(summary, {{"\n", " "}});
  // A sentence ends at ". " before a capital, but not after "e.g." / "i.e.".
  for (size_t end = flat.find(". "); end != std::string::npos;
       end = flat.find(". ", end + 1)) {
    const bool abbreviation =
        end >= 3 && (flat.compare(end - 3, 3, "e.g") == 0 ||
                     flat.compare(end - 3, 3, "i.e") == 0);
    if (!abbreviation && end + 2 < flat.size() &&
        absl::ascii_isupper(static_cast<unsigned char>(flat[end + 2]))) {
      flat.resize(end + 1);
      break;
    }
  }
  std::string text;
  size_t line_length = 0;
  for (absl::string_view word : absl::StrSplit(flat, ' ', absl::SkipEmpty())) {
    if (line_length > 0 && line_length + 1 + word.size() > kWidth) {
      absl::StrAppend(&text, "\n", std::string(kIndent, ' '));
      line_length = 0;
    } else if (line_length > 0) {
      text.push_back(' ');
      ++line_length;
    }
    absl::StrAppend(&text, word);
    line_length += word.size();
  }
  return text;
}

}  // namespace

std::string Overview(const std::vector<VerbSpec>& verbs) {
  std::string text =
      "usage: factgraph VERB [arguments] [options]\n\n"
      "Queries a factgraphd server; validate and compile work offline.\n\n"
      "verbs:\n";
  for (const VerbSpec& verb : verbs) {
    std::string synopsis = Synopsis(verb).substr(sizeof("factgraph"));
    std::string left = absl::StrCat("  ", synopsis);
    if (left.size() < 30) left.resize(30, ' ');
    absl::StrAppend(&text, left, " ", WrappedFirstSentence(verb.summary), "\n");
  }
  absl::StrAppend(&text, "\nglobal options:\n");
  for (const OptionSpec& option : GlobalOptions()) {
    absl::StrAppend(&text, OptionLine(option));
  }
  absl::StrAppend(
      &text,
      "\nexit status: 0 on success; the gRPC status code (1-16) of a failed "
      "call\nor local step, e.g. 5 NOT_FOUND, 3 INVALID_ARGUMENT, 14 "
      "UNAVAILABLE;\n64 for a usage error. Run 'factgraph help VERB' for a "
      "verb's options.\n");
  return text;
}

}  // namespace factgraph::cli
