// One page of SearchEntities answers, as plain structs (docs/search.md,
// "Serving"): the ranking and the explainer fill it, the server writes it as
// SearchEntitiesResponse wire bytes (page_wire.h), and the other callers
// (HTTP gateway, CLI, tests) get the typed response from it (ToResponse).
//
// Its strings are views: into the snapshot (names, collection ids), into
// the search index (field paths, texts) and into `query` (the query words),
// valid while the page holds `snapshot` and `index`. Its vectors are flat
// (the matches of every hit, the spans of every match) and keep their
// capacity across Clear(), so a page reused from call to call (one per
// thread) allocates nothing in steady state.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_PAGE_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_PAGE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "factgraph/v1/factgraph_service.pb.h"
#include "service/query/search/index.h"
#include "service/query/search/scorer.h"
#include "service/store/snapshot.h"

namespace factgraph::query::search {

// A MatchedSpan.
struct PageSpan {
  int32_t start_offset = 0;
  int32_t end_offset = 0;
  std::string_view query_word;
  v1::TermMatch term_match = v1::TERM_MATCH_UNSPECIFIED;
  // Its encoded size (page_wire.cc), set when the page is measured.
  uint32_t wire_size = 0;
};

// A SearchMatch: its spans are page.spans[first_span, first_span +
// span_count).
struct PageMatch {
  std::string_view field;
  std::string_view text;
  int32_t text_offset = 0;
  double field_weight = 0;
  uint32_t first_span = 0;
  uint32_t span_count = 0;
  uint32_t wire_size = 0;
};

// A SearchResult (its entity always present): its matches are
// page.matches[first_match, first_match + match_count).
struct PageHit {
  std::string_view name;
  std::string_view display_name;
  std::string_view collection;
  double score = 0;
  v1::MatchKind match_kind = v1::MATCH_KIND_UNSPECIFIED;
  std::string_view matched_text;
  uint32_t first_match = 0;
  uint32_t match_count = 0;
  uint32_t entity_wire_size = 0;
  uint32_t wire_size = 0;
};

struct Page {
  std::vector<PageHit> hits;
  std::vector<PageMatch> matches;
  std::vector<PageSpan> spans;
  std::string next_page_token;
  int32_t total_size = 0;

  // What the views point into.
  ParsedQuery query;
  std::shared_ptr<const store::Snapshot> snapshot;
  std::shared_ptr<const SearchIndex> index;

  // Empties the page and drops its references (an idle page must not pin
  // an old snapshot), keeping the vectors' capacity.
  void Clear();
};

// The typed response the page stands for (cleared first).
void ToResponse(const Page& page, v1::SearchEntitiesResponse* response);

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_PAGE_H_
