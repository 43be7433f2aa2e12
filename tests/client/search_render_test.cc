#include "client/cli/search_render.h"

#include <sstream>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace factgraph::cli {
namespace {

v1::SearchMatch Match(const char* text) {
  v1::SearchMatch match;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &match));
  return match;
}

TEST(SearchRenderTest, BracketsSpansMarkedByHowTheyMatched) {
  EXPECT_EQ(
      HighlightMatch(Match(R"pb(
        text: "KU Anam Hospital–고려대학교의료원"
        spans { start_offset: 3 end_offset: 7 term_match: TERM_MATCH_EXACT }
        spans { start_offset: 8 end_offset: 16 term_match: TERM_MATCH_TYPO }
        spans { start_offset: 17 end_offset: 25 term_match: TERM_MATCH_PREFIX }
      )pb")),
      "KU [Anam] [Hospital~]–[고려대학교의료원…]");
  EXPECT_EQ(
      HighlightMatch(Match(R"pb(
        text: "고려대학교 안암병원"
        spans { start_offset: 0 end_offset: 5 term_match: TERM_MATCH_PARTICLE }
      )pb")),
      "[고려대학교+] 안암병원");
}

TEST(SearchRenderTest, ExcerptsAndBadSpans) {
  EXPECT_EQ(
      HighlightMatch(Match(R"pb(
        text: "of Business at Vuno"
        text_offset: 120
        spans { start_offset: 15 end_offset: 19 term_match: TERM_MATCH_EXACT }
        spans { start_offset: 16 end_offset: 18 term_match: TERM_MATCH_EXACT }
        spans { start_offset: 18 end_offset: 40 term_match: TERM_MATCH_EXACT }
        spans { start_offset: -1 end_offset: 2 term_match: TERM_MATCH_EXACT }
      )pb")),
      "…of Business at [Vuno]");
}

TEST(SearchRenderTest, ExplanationsOneLinePerMatch) {
  v1::SearchEntitiesResponse response;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        results {
          entity { name: "people/lim-seok-hoon" }
          match_kind: MATCH_KIND_TEXT
          matches {
            field: "roles[0].title"
            text: "Head of\nBusiness"
            spans { start_offset: 0 end_offset: 4 term_match: TERM_MATCH_EXACT }
          }
        }
      )pb",
      &response));
  std::ostringstream out;
  PrintExplanations(response, out);
  EXPECT_EQ(out.str(),
            "1. people/lim-seok-hoon  MATCH_KIND_TEXT\n"
            "   roles[0].title: [Head] of Business\n");
}

}  // namespace
}  // namespace factgraph::cli
