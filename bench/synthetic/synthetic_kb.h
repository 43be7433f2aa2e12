// A synthetic knowledge base with the shape of the curated one, of any size,
// for benchmarks: institutions with parents and locations, people with
// roles, agreements with parties, projects with leads and participants,
// fundings, events and statistics, each cited by a quote of a synthetic
// article. The same options always give the same knowledge base.
#ifndef FACTGRAPH_BENCH_SYNTHETIC_SYNTHETIC_KB_H_
#define FACTGRAPH_BENCH_SYNTHETIC_SYNTHETIC_KB_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "factgraph/v1/knowledge_base.pb.h"

namespace factgraph::synthetic {

// The fewest resources other than documents GenerateKnowledgeBase makes; a
// smaller SyntheticOptions::entities is raised to it.
inline constexpr int64_t kMinSyntheticEntities = 10;

struct SyntheticOptions {
  // Number of resources other than documents (at least
  // kMinSyntheticEntities).
  int64_t entities = 10000;
  uint64_t seed = 1;
  // Resources cited by each synthetic article.
  int64_t entities_per_document = 1000;
};

// The knowledge base with every output-only field filled (document content,
// citation offsets, reference display names), as the loader would leave it.
// Collections are ordered by name.
v1::KnowledgeBase GenerateKnowledgeBase(const SyntheticOptions& options);

// Writes `kb` as a seeds directory that LoadSeeds accepts: documents/,
// documents.textproto and kb/NNNN.textproto (`resources_per_file` each).
absl::Status WriteSeedsDirectory(const v1::KnowledgeBase& kb,
                                 const std::string& directory,
                                 int resources_per_file = 10000);

// (A compiled snapshot of it: store::WriteCompiledKnowledgeBase.)

}  // namespace factgraph::synthetic

#endif  // FACTGRAPH_BENCH_SYNTHETIC_SYNTHETIC_KB_H_
