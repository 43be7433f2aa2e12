// Output of the CLI: values as people read them, aligned tables, the
// field-by-field view of one resource, and the protobuf JSON mapping.
// Everything is driven by descriptors, so one printer serves every message.
#ifndef FACTGRAPH_CLIENT_CLI_RENDER_H_
#define FACTGRAPH_CLIENT_CLI_RENDER_H_

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "factgraph/v1/common.pb.h"
#include "factgraph/v1/fact.pb.h"
#include "google/protobuf/message.h"

namespace factgraph::cli {

// "2024-07-18"; partial dates as written: "November 2025", "July 18",
// "the 8th", "2004"; " (inferred)" when inferred.
std::string FormatDate(const v1::Date& date);
// The amount as written, with the exact value beside it when they differ:
// "KRW 15.1 billion (KRW 15100000000)".
std::string FormatMoney(const v1::Money& money);
// "institutions/kaist (KAIST)".
std::string FormatEntityRef(const v1::EntityRef& ref);
// documents/x: "quote" [display_name, kind]
// A stated citation as `document: "quote" [paths]`; a curated one marked
// as such, with its note, reference and any context quote.
std::string FormatCitation(const v1::Citation& citation);
// "stated" or "CURATED" (capitals: the one a reader must notice).
std::string FormatFactKind(v1::CitationKind kind);
std::string FormatFactValue(const v1::FactValue& value);

// One element of a field as text: scalars as they are, enums by value name,
// the shared types above through their formatters, other messages as their
// compact text format.
std::string FormatField(const google::protobuf::Message& message,
                        const google::protobuf::FieldDescriptor* field,
                        int index);

// Every set leaf of a message as (path, text): "roles[0].title" ->
// "President". Messages of the shared types are leaves.
std::vector<std::pair<std::string, std::string>> FlattenFields(
    const google::protobuf::Message& message);

// A table with a header row, columns aligned by display width (Hangul and
// other wide characters count two). The first column (a resource name, a
// field path) is never cut, so that it can be pasted into another command;
// the other cells are cut with "…" at `max_cell_width`, and further, widest
// first, until the table fits the terminal.
class Table {
 public:
  explicit Table(std::vector<std::string> header, int max_cell_width = 60)
      : header_(std::move(header)), max_cell_width_(max_cell_width) {}
  void AddRow(std::vector<std::string> row);
  size_t size() const { return rows_.size(); }
  // Drops the columns that are empty in every row (the header does not
  // count); keeps at least the first.
  void DropEmptyColumns();
  // Fits `terminal_width` columns (0: no limit) as far as cutting cells to
  // no less than kMinCutWidth allows.
  void Print(std::ostream& out, int terminal_width) const;
  void Print(std::ostream& out) const { Print(out, TerminalWidth()); }

  // The columns of the terminal: $COLUMNS if set, else the width of the
  // terminal on standard output, else 0 (not a terminal: no limit).
  static int TerminalWidth();

  static constexpr int kMinCutWidth = 10;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  int max_cell_width_;
};

// An enum value without its type's prefix: INSTITUTION_KIND_UNIVERSITY ->
// UNIVERSITY (AIP-126 prefixes every value with the enum's name).
std::string ShortEnumName(const google::protobuf::EnumValueDescriptor& value);

// Terminal columns the UTF-8 text takes.
int DisplayWidth(const std::string& text);
// Text cut to at most `width` columns, ending in "…" when cut; newlines and
// tabs become spaces.
std::string FitToWidth(const std::string& text, int width);

// The proto3 JSON mapping, one line, followed by a newline.
absl::Status PrintJson(const google::protobuf::Message& message,
                       std::ostream& out);

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_RENDER_H_
