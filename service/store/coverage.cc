#include "service/store/coverage.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "factgraph/v1/document.pb.h"
#include "service/store/facts.h"

namespace factgraph::store {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

namespace {

std::string NameOf(const Message& message) {
  const FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName("name");
  return field ? message.GetReflection()->GetString(message, field) : "";
}

}  // namespace

CoverageReport ComputeCoverage(const Snapshot& snapshot) {
  CoverageReport report;
  absl::flat_hash_set<std::string> cited_documents;
  for (const Collection& collection : AllCollections()) {
    CoverageReport::CollectionCount& count = report.collections.emplace_back();
    count.collection = std::string(collection.id);
    const bool is_document =
        collection.descriptor == v1::Document::descriptor();
    for (const Message* resource : snapshot.Resources(collection)) {
      ++count.resources;
      const std::string name = NameOf(*resource);
      const std::vector<const v1::Citation*> citations = CitationsOf(*resource);
      report.citations += static_cast<int64_t>(citations.size());
      for (const v1::Citation* citation : citations) {
        cited_documents.insert(citation->document());
      }
      // Coverage straight from the citations' paths, not via the snapshot's
      // fact index, so that the two implementations check each other.
      ForEachFactPath(*resource, [&](absl::Span<const PathStep> steps) {
        ++count.facts;
        const std::string path = FormatPath(steps);
        bool covered = false;
        for (const v1::Citation* citation : citations) {
          for (const std::string& citation_path : citation->field_paths()) {
            covered = covered || PathCovers(citation_path, path);
          }
        }
        if (!covered)
          report.uncited_fields.push_back(absl::StrCat(name, " ", path));
      });
      if (!is_document && snapshot.LinksTo(name).empty()) {
        report.unreferenced_entities.push_back(name);
      }
    }
    report.resources += count.resources;
    report.facts += count.facts;
  }
  for (const Message* document : snapshot.Resources(
           *CollectionByDescriptor(v1::Document::descriptor()))) {
    const std::string name = NameOf(*document);
    if (!cited_documents.contains(name)) {
      report.uncited_documents.push_back(name);
    }
  }
  for (const Collection& collection : AllCollections()) {
    for (const Message* resource : snapshot.Resources(collection)) {
      report.links += snapshot.LinksFrom(NameOf(*resource)).size();
    }
  }
  return report;
}

std::string FormatCoverageReport(const CoverageReport& report) {
  size_t width = std::string_view("collection").size();
  for (const auto& count : report.collections) {
    width = std::max(width, count.collection.size());
  }
  width = std::max(width, std::string_view("total").size());
  std::string out = absl::StrFormat("%-*s %10s %10s\n", width, "collection",
                                    "resources", "facts");
  for (const auto& count : report.collections) {
    absl::StrAppendFormat(&out, "%-*s %10d %10d\n", width, count.collection,
                          count.resources, count.facts);
  }
  absl::StrAppendFormat(&out, "%-*s %10d %10d\n", width, "total",
                        report.resources, report.facts);
  absl::StrAppendFormat(&out, "\nlinks: %d\ncitations: %d\n", report.links,
                        report.citations);
  const auto list = [&out](std::string_view title,
                           const std::vector<std::string>& items) {
    absl::StrAppendFormat(&out, "%s: %d\n", title, items.size());
    for (const std::string& item : items)
      absl::StrAppend(&out, "  ", item, "\n");
  };
  list("fields without a citation", report.uncited_fields);
  list("entities nothing refers to", report.unreferenced_entities);
  list("documents no citation quotes", report.uncited_documents);
  return out;
}

}  // namespace factgraph::store
