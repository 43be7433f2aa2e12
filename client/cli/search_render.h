// How `factgraph search` shows why a hit matched: each matched text with its
// matched words in brackets, marked by how they matched.
#ifndef FACTGRAPH_CLIENT_CLI_SEARCH_RENDER_H_
#define FACTGRAPH_CLIENT_CLI_SEARCH_RENDER_H_

#include <ostream>
#include <string>

#include "factgraph/v1/factgraph_service.pb.h"

namespace factgraph::cli {

// `match.text` with every span in brackets: "[word]" for the same word,
// "[word…]" where the query word is a prefix of it, "[word~]" within a
// spelling distance, "[word+]" where the query word adds a Korean particle.
// An excerpt that starts inside the field's text begins with "…".
// Spans outside the text or overlapping are ignored.
std::string HighlightMatch(const v1::SearchMatch& match);

// One line per hit ("1. people/x  MATCH_KIND"), then one per match
// ("   field: highlighted text").
void PrintExplanations(const v1::SearchEntitiesResponse& response,
                       std::ostream& out);

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_SEARCH_RENDER_H_
