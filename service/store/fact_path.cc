#include "service/store/fact_path.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace factgraph::store {

using google::protobuf::FieldDescriptor;

namespace {

// This Abseil's string_view is not std::string_view.
absl::string_view Text(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

}  // namespace

std::string FormatPath(absl::Span<const PathStep> steps) {
  std::string text;
  for (const PathStep& step : steps) {
    if (!text.empty()) text.push_back('.');
    absl::StrAppend(&text, step.field->name());
    if (step.index >= 0) absl::StrAppend(&text, "[", step.index, "]");
  }
  return text;
}

std::string FormatPredicate(absl::Span<const PathStep> steps) {
  std::string text;
  for (const PathStep& step : steps) {
    if (!text.empty()) text.push_back('.');
    absl::StrAppend(&text, step.field->name());
  }
  return text;
}

FieldPath MakeFieldPath(absl::Span<const PathStep> steps) {
  return FieldPath{std::vector<PathStep>(steps.begin(), steps.end()),
                   FormatPath(steps), FormatPredicate(steps)};
}

absl::StatusOr<std::vector<PathStep>> ParseFieldPath(
    const google::protobuf::Descriptor* descriptor, std::string_view path) {
  std::vector<PathStep> steps;
  if (path.empty()) return absl::InvalidArgumentError("empty field path");
  std::string_view rest = path;
  const google::protobuf::Descriptor* current = descriptor;
  while (true) {
    const size_t end = rest.find_first_of(".[");
    const std::string_view field_name = rest.substr(0, end);
    if (current == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "field path \"", Text(path), "\" continues below a scalar field"));
    }
    const FieldDescriptor* field =
        current->FindFieldByName(std::string(field_name));
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("field path \"", Text(path), "\": ", current->name(),
                       " has no field \"", Text(field_name), "\""));
    }
    PathStep step{field, -1};
    rest =
        end == std::string_view::npos ? std::string_view() : rest.substr(end);
    if (!rest.empty() && rest.front() == '[') {
      const size_t close = rest.find(']');
      int index = 0;
      if (close == std::string_view::npos ||
          !absl::SimpleAtoi(Text(rest.substr(1, close - 1)), &index) ||
          index < 0 ||
          !absl::ascii_isdigit(static_cast<unsigned char>(rest[1]))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "field path \"", Text(path), "\" has a malformed index"));
      }
      if (!field->is_repeated()) {
        return absl::InvalidArgumentError(
            absl::StrCat("field path \"", Text(path), "\" indexes \"",
                         field->name(), "\", which is not repeated"));
      }
      step.index = index;
      rest = rest.substr(close + 1);
    }
    steps.push_back(step);
    if (rest.empty()) break;
    if (rest.front() != '.' || rest.size() == 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("field path \"", Text(path), "\" is malformed"));
    }
    rest = rest.substr(1);
    current = field->type() == FieldDescriptor::TYPE_MESSAGE
                  ? field->message_type()
                  : nullptr;
  }
  return steps;
}

absl::Status CheckIndexesInRange(const google::protobuf::Message& resource,
                                 absl::Span<const PathStep> steps) {
  const google::protobuf::Message* message = &resource;
  for (const PathStep& step : steps) {
    const google::protobuf::Reflection* reflection = message->GetReflection();
    if (step.field->is_repeated()) {
      const int size = reflection->FieldSize(*message, step.field);
      if (step.index >= size) {
        return absl::InvalidArgumentError(absl::StrCat(
            "index ", step.index, " is out of range: \"", step.field->name(),
            "\" has ", size, size == 1 ? " element" : " elements"));
      }
      // Without an index the path covers every element: nothing below it
      // can be checked against one element.
      if (step.index < 0) return absl::OkStatus();
      if (step.field->type() == FieldDescriptor::TYPE_MESSAGE) {
        message =
            &reflection->GetRepeatedMessage(*message, step.field, step.index);
      }
    } else if (step.field->type() == FieldDescriptor::TYPE_MESSAGE) {
      message = &reflection->GetMessage(*message, step.field);
    }
  }
  return absl::OkStatus();
}

namespace {

// Reads "name" or "name[i]" at the start of `path`; returns the length read.
size_t ReadStep(std::string_view path, std::string_view* name,
                std::string_view* index) {
  size_t end = path.find_first_of(".[");
  *name = path.substr(0, end);
  *index = std::string_view();
  if (end != std::string_view::npos && path[end] == '[') {
    const size_t close = path.find(']', end);
    if (close == std::string_view::npos) return path.size();
    *index = path.substr(end + 1, close - end - 1);
    end = close + 1;
  }
  return end == std::string_view::npos ? path.size() : end;
}

}  // namespace

bool PathCovers(std::string_view citation_path, std::string_view fact_path) {
  // Most citation paths name one top-level field ("display_name"): a prefix
  // test decides them without parsing.
  if (citation_path.find_first_of(".[") == std::string_view::npos) {
    if (fact_path.size() < citation_path.size() ||
        fact_path.compare(0, citation_path.size(), citation_path) != 0) {
      return false;
    }
    return fact_path.size() == citation_path.size() ||
           fact_path[citation_path.size()] == '.' ||
           fact_path[citation_path.size()] == '[';
  }
  while (!citation_path.empty()) {
    if (fact_path.empty()) return false;
    std::string_view citation_name, citation_index, fact_name, fact_index;
    const size_t citation_len =
        ReadStep(citation_path, &citation_name, &citation_index);
    const size_t fact_len = ReadStep(fact_path, &fact_name, &fact_index);
    if (citation_name != fact_name) return false;
    if (!citation_index.empty() && citation_index != fact_index) return false;
    citation_path.remove_prefix(citation_len);
    fact_path.remove_prefix(fact_len);
    if (!citation_path.empty()) {
      if (citation_path.front() != '.' || fact_path.empty() ||
          fact_path.front() != '.') {
        return false;
      }
      citation_path.remove_prefix(1);
      fact_path.remove_prefix(1);
    }
  }
  return true;
}

}  // namespace factgraph::store
