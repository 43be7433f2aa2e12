#include "service/query/search/page.h"

namespace factgraph::query::search {

void Page::Clear() {
  hits.clear();
  matches.clear();
  spans.clear();
  next_page_token.clear();
  total_size = 0;
  query.words.clear();
  query.normalized.clear();
  snapshot.reset();
  index.reset();
}

void ToResponse(const Page& page, v1::SearchEntitiesResponse* response) {
  response->Clear();
  for (const PageHit& hit : page.hits) {
    v1::SearchResult& result = *response->add_results();
    // Assigned, not set from temporaries: a reused response's strings keep
    // their capacity.
    v1::EntityRef& entity = *result.mutable_entity();
    entity.mutable_name()->assign(hit.name.data(), hit.name.size());
    entity.mutable_display_name()->assign(hit.display_name.data(),
                                          hit.display_name.size());
    result.mutable_collection()->assign(hit.collection.data(),
                                        hit.collection.size());
    result.set_score(hit.score);
    result.set_match_kind(hit.match_kind);
    result.mutable_matched_text()->assign(hit.matched_text.data(),
                                          hit.matched_text.size());
    for (uint32_t m = hit.first_match; m < hit.first_match + hit.match_count;
         ++m) {
      const PageMatch& from = page.matches[m];
      v1::SearchMatch& match = *result.add_matches();
      match.mutable_field()->assign(from.field.data(), from.field.size());
      match.mutable_text()->assign(from.text.data(), from.text.size());
      match.set_text_offset(from.text_offset);
      match.set_field_weight(from.field_weight);
      for (uint32_t s = from.first_span; s < from.first_span + from.span_count;
           ++s) {
        const PageSpan& span_from = page.spans[s];
        v1::MatchedSpan& span = *match.add_spans();
        span.set_start_offset(span_from.start_offset);
        span.set_end_offset(span_from.end_offset);
        span.mutable_query_word()->assign(span_from.query_word.data(),
                                          span_from.query_word.size());
        span.set_term_match(span_from.term_match);
      }
    }
  }
  response->set_next_page_token(page.next_page_token);
  response->set_total_size(page.total_size);
}

}  // namespace factgraph::query::search
