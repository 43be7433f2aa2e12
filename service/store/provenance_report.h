// How the knowledge base supports its values: stated or curated, how many
// values the loader checked against their quotes, and which sentences of
// each article a stated citation covers. Part of `factgraph validate`
// (docs/provenance.md).
#ifndef FACTGRAPH_SERVICE_STORE_PROVENANCE_REPORT_H_
#define FACTGRAPH_SERVICE_STORE_PROVENANCE_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "service/store/snapshot.h"

namespace factgraph::store {

struct ProvenanceReport {
  int64_t values = 0;   // Facts of every resource.
  int64_t stated = 0;   // Facts a stated citation covers.
  int64_t curated = 0;  // Facts only curated citations cover.
  int64_t checked = 0;  // Values checked against their stated quotes.
  struct CuratedValue {
    std::string subject;  // "institutions/kaist".
    std::string path;     // "aliases[1]".
    std::string note;     // The curated citations' notes.
  };
  std::vector<CuratedValue> curated_values;

  enum class SentenceStatus { kCovered, kBoilerplate, kUncovered };
  struct Sentence {
    int32_t start_offset = 0;  // Code points, whitespace trimmed.
    int32_t end_offset = 0;
    std::string text;
    SentenceStatus status = SentenceStatus::kUncovered;
  };
  struct Article {
    std::string document;
    std::vector<Sentence> sentences;  // ICU sentence breaks, in order.
    int64_t covered = 0;
    int64_t boilerplate = 0;
    int64_t uncovered = 0;
    // Per collection (AllCollections() order, documents left out): how many
    // resources cite the article.
    std::vector<std::pair<std::string, int64_t>> resources;
  };
  std::vector<Article> articles;
};

ProvenanceReport ComputeProvenance(const Snapshot& snapshot);

// The figures, every curated value with its note, and per article every
// sentence marked covered / boilerplate / NOT COVERED.
std::string FormatProvenanceReport(const ProvenanceReport& report);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_PROVENANCE_REPORT_H_
