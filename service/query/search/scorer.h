// Query parsing and ranking (docs/search.md, "Ranking").
//
// A query is analyzed like the texts (analyzer.h); its stop words are
// dropped unless it has nothing else. Each word is looked up as its term
// and, ranked below it, as its variants: Korean words by prefix and without
// a particle; a word that is not in the index (a typo, or a word being
// typed) as the last word by prefix, and with 5+ letters within one edit,
// 9+ within two (typo.h). A resource's score is a
// BM25F sum over the words (each counting its best variant), scaled by the
// square of the share of words it matches, with a bonus for words that
// follow each other in one of its texts as in the query. An exact name adds
// 100, an exact alias 50, so that they rank first.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_SCORER_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_SCORER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "factgraph/v1/factgraph_service.pb.h"
#include "service/query/search/index.h"
#include "service/store/snapshot.h"

namespace factgraph::query::search {

struct QueryWord {
  std::string word;  // Normalized.
  std::string term;  // As indexed (analyzer.h).
  bool hangul = false;
};

struct ParsedQuery {
  // store::NormalizeForSearch of the whole query, for exact names.
  std::string normalized;
  // Inline: a query has few words (SearchLimits::max_query_words), and
  // parsing one allocates nothing more than its long words.
  absl::InlinedVector<QueryWord, 4> words;
};

// INVALID_ARGUMENT when the query has no word; OUT_OF_RANGE beyond
// `max_words` words (stop words included).
absl::StatusOr<ParsedQuery> ParseQuery(std::string_view text, int max_words);

// The texts a name or alias must equal, normalized, to be an exact match:
// the query, and the query without the particle of its last word when that
// is Korean ("고려대학교의" is also "고려대학교").
absl::InlinedVector<std::string, 2> ExactNameForms(const ParsedQuery& query);

// One indexed term a query word is looked up as.
struct Variant {
  TermId term;
  int word;        // Index into ParsedQuery::words.
  double quality;  // 1 for the word itself, less for the others.
  v1::TermMatch how;
};

// A query's variants: most words have one (themselves), kept inline.
using Variants = absl::InlinedVector<Variant, 8>;

// The variants of every word, ordered by word, then best quality first.
Variants ExpandQuery(const SearchIndex& index, const ParsedQuery& query);

enum class NameTier : uint8_t { kNone = 0, kExactAlias = 1, kExactName = 2 };

struct ScoredDoc {
  DocId doc;
  double score;
  NameTier tier;
};

// The hits of a query, best first.
struct Ranking {
  // The first `keep` hits in RanksBefore order (all of them when fewer).
  std::vector<ScoredDoc> top;
  // Every hit.
  size_t total = 0;
};

// How RankDocs accumulates scores: kFastest scores a one-variant query
// resource by resource as its postings are read; kGeneral accumulates every
// query in a map by resource, as many variants need. Both give the same
// ranking, to the bit (tests/query/search_ranking_paths_test.cc).
enum class RankingPath { kFastest, kGeneral };

// Every resource that matches a word (or whose name or alias equals the
// query) and whose collection (a position in store::AllCollections()) is
// `wanted`, counted; the best `keep` of them kept, in a bounded heap rather
// than a sorted vector of every hit (docs/search.md, "Ranking cost").
Ranking RankDocs(const SearchIndex& index, const store::Snapshot& snapshot,
                 const ParsedQuery& query, absl::Span<const Variant> variants,
                 absl::FunctionRef<bool(uint8_t collection)> wanted,
                 size_t keep, RankingPath path = RankingPath::kFastest);

// Ranking order: score, then name.
inline bool RanksBefore(const ScoredDoc& a, const ScoredDoc& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.doc < b.doc;
}

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_SCORER_H_
