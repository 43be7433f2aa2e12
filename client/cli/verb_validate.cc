// factgraph validate DIR: the loader's checks and the coverage report,
// without a server.
#include <iostream>

#include "client/cli/offline_verbs.h"
#include "client/cli/render.h"
#include "client/cli/seeds_check.h"
#include "google/protobuf/struct.pb.h"
#include "service/store/coverage.h"
#include "service/store/provenance_report.h"

namespace factgraph::cli {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

Value ListOf(const std::vector<std::string>& items) {
  Value list;
  for (const std::string& item : items) {
    list.mutable_list_value()->add_values()->set_string_value(item);
  }
  if (items.empty()) list.mutable_list_value();
  return list;
}

// The coverage report as JSON, with the fields of store::CoverageReport.
Struct CoverageJson(const store::CoverageReport& report) {
  Struct json;
  auto& fields = *json.mutable_fields();
  Value& collections = fields["collections"];
  collections.mutable_list_value();
  for (const auto& count : report.collections) {
    Struct& entry =
        *collections.mutable_list_value()->add_values()->mutable_struct_value();
    (*entry.mutable_fields())["collection"].set_string_value(count.collection);
    (*entry.mutable_fields())["resources"].set_number_value(count.resources);
    (*entry.mutable_fields())["facts"].set_number_value(count.facts);
  }
  fields["resources"].set_number_value(report.resources);
  fields["facts"].set_number_value(report.facts);
  fields["links"].set_number_value(report.links);
  fields["citations"].set_number_value(report.citations);
  fields["uncitedFields"] = ListOf(report.uncited_fields);
  fields["unreferencedEntities"] = ListOf(report.unreferenced_entities);
  fields["uncitedDocuments"] = ListOf(report.uncited_documents);
  return json;
}

}  // namespace

absl::Status RunValidate(const Invocation& invocation) {
  absl::StatusOr<std::shared_ptr<const store::Snapshot>> snapshot =
      LoadSeedsReportingErrors(invocation.argument(0), std::cerr);
  if (!snapshot.ok()) return snapshot.status();
  const store::CoverageReport report = store::ComputeCoverage(**snapshot);
  if (invocation.Bool("json"))
    return PrintJson(CoverageJson(report), std::cout);
  std::cout << store::FormatCoverageReport(report)
            << store::FormatProvenanceReport(
                   store::ComputeProvenance(**snapshot));
  return absl::OkStatus();
}

}  // namespace factgraph::cli
