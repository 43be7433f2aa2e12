// What the knowledge base covers and what it leaves unsupported: the report
// `factgraph validate` prints.
#ifndef FACTGRAPH_SERVICE_STORE_COVERAGE_H_
#define FACTGRAPH_SERVICE_STORE_COVERAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "service/store/snapshot.h"

namespace factgraph::store {

struct CoverageReport {
  struct CollectionCount {
    std::string collection;  // Collection id, e.g. "institutions".
    int64_t resources = 0;
    int64_t facts = 0;
  };
  std::vector<CollectionCount> collections;  // AllCollections() order.
  int64_t resources = 0;
  int64_t facts = 0;
  int64_t links = 0;      // Facts whose object is a reference.
  int64_t citations = 0;  // Citations over all resources.
  // Fact paths ("people/x roles[0].title") no citation covers, computed from
  // the resources' citations (independently of the fact index).
  std::vector<std::string> uncited_fields;
  // Resources (other than documents) that no reference points to.
  std::vector<std::string> unreferenced_entities;
  // Documents that no citation quotes.
  std::vector<std::string> uncited_documents;
};

CoverageReport ComputeCoverage(const Snapshot& snapshot);

// A readable, aligned text table followed by the lists, one name a line.
std::string FormatCoverageReport(const CoverageReport& report);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_COVERAGE_H_
