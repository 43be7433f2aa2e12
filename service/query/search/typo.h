// Spelling tolerance by deletion neighbourhoods (docs/search.md, "Index" and
// "Ranking"): two words within edit distance k share a string obtained from
// each by at most k deletions, so the index keeps the deletions of every word
// and a query looks up the deletions of its word: a few dozen hash lookups,
// never a scan of the vocabulary.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_TYPO_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_TYPO_H_

#include <cstddef>
#include <string_view>

#include "absl/functional/function_ref.h"

namespace factgraph::query::search {

// Edits tolerated in a query word of `length` characters: none below 5, one
// from 5, two from 9.
int AllowedEdits(size_t length);

// Edits whose deletions the index keeps for a vocabulary word of `length`
// characters: what the longest query words that may reach it need.
int IndexedEdits(size_t length);

// Calls emit(variant) for every distinct string made from `word` by deleting
// 1 to `max_deletions` characters (ASCII words only).
void ForEachDeletion(std::string_view word, int max_deletions,
                     absl::FunctionRef<void(std::string_view)> emit);

// Optimal string alignment distance (insertions, deletions, substitutions
// and adjacent transpositions), or cap + 1 when it exceeds `cap`.
int EditDistance(std::string_view a, std::string_view b, int cap);

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_TYPO_H_
