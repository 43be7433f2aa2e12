// The search normaliser and analyzer on any bytes (valid UTF-8 out, single
// spaces, no empty tokens; words with offsets inside the text, in order), the
// query parser (at most SearchLimits::max_query_words words, 32, and
// max_query_length characters, 512: longer queries are refused, so a query's
// cost is bounded) and SearchEntities over the real knowledge base with the
// same text as its query: ranking and explanations (spans inside their
// texts, each covering words of its text, scores in order, pages within
// their size).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "service/query/search.h"
#include "service/query/search/analyzer.h"
#include "service/query/search/scorer.h"
#include "service/store/text_normalizer.h"
#include "service/store/utf8.h"
#include "unicode/utf8.h"

namespace {

// Byte offset of code point `index` in valid UTF-8 `text`.
size_t ByteOffsetOf(std::string_view text, int32_t index) {
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(text.size());
  for (int32_t seen = 0; seen < index && i < length; ++seen) {
    U8_FWD_1(text.data(), i, length);
  }
  return static_cast<size_t>(i);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace factgraph;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string normalized = store::NormalizeForSearch(text);
  if (!store::IsValidUtf8(normalized))
    fuzz::Fail("normalised text is not UTF-8");
  if (!normalized.empty() &&
      (normalized.front() == ' ' || normalized.back() == ' ' ||
       normalized.find("  ") != std::string::npos)) {
    fuzz::Fail("normalised text has stray spaces: " + normalized);
  }
  for (std::string_view token : store::SplitTokens(normalized)) {
    if (token.empty()) fuzz::Fail("empty token");
  }

  // Pieces of one word (a compatibility character that normalizes to
  // several words) share its offsets; words otherwise follow each other.
  int32_t previous_start = -1;
  int32_t previous_end = 0;
  // CodePointCount is defined on valid UTF-8 only (requests are proto3
  // strings, valid by the time they reach search); on other bytes only the
  // order of the words is checked.
  const bool valid_utf8 = store::IsValidUtf8(text);
  const int32_t code_points = query::search::CodePointCount(text);
  for (const query::search::Token& token : query::search::Analyze(text)) {
    if (token.word.empty() || token.term.empty()) fuzz::Fail("empty word");
    const bool same_word =
        token.start == previous_start && token.end == previous_end;
    if ((!same_word && token.start < previous_end) ||
        token.end <= token.start || (valid_utf8 && token.end > code_points)) {
      fuzz::Fail("word offsets out of order or outside the text");
    }
    if (!store::IsValidUtf8(token.word)) fuzz::Fail("word is not UTF-8");
    previous_start = token.start;
    previous_end = token.end;
  }

  static store::SnapshotHolder* holder = [] {
    auto* created = new store::SnapshotHolder();
    created->Swap(fuzz::SeedsSnapshot());
    return created;
  }();
  static const query::PageTokenCodec tokens;
  v1::SearchEntitiesRequest request;
  // Proto strings are UTF-8 on the wire; the service never sees other bytes.
  if (!store::IsValidUtf8(text)) return 0;
  request.set_query(text);
  absl::StatusOr<query::SearchOutcome> outcome = query::SearchEntities(
      *holder, holder->Current(), request, query::SearchLimits(), tokens);
  if (!outcome.ok()) {
    const absl::StatusCode code = outcome.status().code();
    if (code != absl::StatusCode::kInvalidArgument &&
        code != absl::StatusCode::kOutOfRange) {
      fuzz::Fail(outcome.status().ToString());
    }
    return 0;
  }
  const v1::SearchEntitiesResponse& response = outcome->response;
  if (response.results_size() > 10) fuzz::Fail("page too large");
  if (response.total_size() < response.results_size()) {
    fuzz::Fail("total_size below the page");
  }
  for (int i = 0; i < response.results_size(); ++i) {
    const v1::SearchResult& result = response.results(i);
    if (i > 0 && result.score() > response.results(i - 1).score()) {
      fuzz::Fail("results out of score order");
    }
    if (result.matches_size() > 3) fuzz::Fail("more than three matches");
    for (const v1::SearchMatch& match : result.matches()) {
      const int32_t length = query::search::CodePointCount(match.text());
      int32_t end = 0;
      for (const v1::MatchedSpan& span : match.spans()) {
        if (span.start_offset() < end ||
            span.end_offset() <= span.start_offset() ||
            span.end_offset() > length) {
          fuzz::Fail("span outside its text or out of order: " + match.field());
        }
        end = span.end_offset();
        // Spans come from the occurrences the index stored when it was
        // built: each must cover words of the text returned, exactly.
        const size_t from = ByteOffsetOf(match.text(), span.start_offset());
        const std::vector<query::search::Token> words = query::search::Analyze(
            std::string_view(match.text())
                .substr(from,
                        ByteOffsetOf(match.text(), span.end_offset()) - from));
        if (words.empty() || words.front().start != 0 ||
            words.back().end != span.end_offset() - span.start_offset()) {
          fuzz::Fail("span does not cover a word of its text: " +
                     match.field());
        }
      }
    }
  }
  return 0;
}
