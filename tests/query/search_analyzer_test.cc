// The parts of search below SearchEntities: the analyzer, the typo index's
// distances and deletions, the fields a resource is searched by.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/query/search/analyzer.h"
#include "service/query/search/fields.h"
#include "service/query/search/typo.h"
#include "tests/query/fixture.h"

namespace factgraph::query::search {
namespace {

using ::testing::ElementsAre;

struct Word {
  std::string word;
  std::string term;
  int start;
  int end;
  int position;
  bool stop;
  bool operator==(const Word& o) const {
    return word == o.word && term == o.term && start == o.start &&
           end == o.end && position == o.position && stop == o.stop;
  }
};

void PrintTo(const Word& w, std::ostream* os) {
  *os << w.word << "/" << w.term << "@" << w.start << "-" << w.end << "#"
      << w.position << (w.stop ? " stop" : "");
}

std::vector<Word> Words(std::string_view text) {
  std::vector<Word> words;
  for (const Token& t : Analyze(text)) {
    words.push_back({t.word, t.term, t.start, t.end, t.position, t.stop_word});
  }
  return words;
}

TEST(AnalyzerTest, StemsEnglishAndMarksStopWords) {
  EXPECT_THAT(Words("Physician-scientists trained in the U.S."),
              ElementsAre(Word{"physician", "physician", 0, 9, 0, false},
                          Word{"scientists", "scientist", 10, 20, 1, false},
                          Word{"trained", "train", 21, 28, 2, false},
                          Word{"in", "in", 29, 31, 3, true},
                          Word{"the", "the", 32, 35, 3, true},
                          Word{"us", "us", 36, 39, 3, false}));
  EXPECT_EQ(StemEnglish("agreements"), StemEnglish("agreement"));
  EXPECT_EQ(StemEnglish("training"), "train");
  EXPECT_TRUE(IsStopWord("between"));
  EXPECT_FALSE(IsStopWord("hospital"));
}

TEST(AnalyzerTest, OffsetsAreCodePointsAndAccentsAndWidthsFold) {
  EXPECT_THAT(
      Words("Café–ＫＡＩＳＴ 고려대학교의"),
      ElementsAre(Word{"cafe", "cafe", 0, 4, 0, false},
                  Word{"kaist", "kaist", 5, 10, 1, false},
                  Word{"고려대학교의", "고려대학교의", 11, 17, 2, false}));
  // Combining accents stay in their word.
  EXPECT_THAT(Words("Cafe\xcc\x81 x"),
              ElementsAre(Word{"cafe", "cafe", 0, 5, 0, false},
                          Word{"x", "x", 6, 7, 1, false}));
  EXPECT_TRUE(Analyze(" —!? ").empty());
  // Bad bytes separate words.
  EXPECT_THAT(Words("ab\xff"
                    "cd"),
              ElementsAre(Word{"ab", "ab", 0, 2, 0, false},
                          Word{"cd", "cd", 3, 5, 1, false}));
}

TEST(AnalyzerTest, AnalyzingIntoAVectorReplacesWhatItHeld) {
  std::vector<Token> tokens;
  Analyze("U.S. hospitals of Seoul", &tokens);
  Analyze("Anam", &tokens);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].word, "anam");
  EXPECT_EQ(tokens[0].term, "anam");
  EXPECT_EQ(tokens[0].byte_end, 4);
  Analyze("the U.S. of", &tokens);
  std::vector<std::string> words;
  for (const Token& t : tokens) words.push_back(t.word);
  EXPECT_THAT(words, ElementsAre("the", "us", "of"));
  EXPECT_EQ(tokens[1].position, 0);
  EXPECT_EQ(tokens[2].position, 1);
  Analyze(" —!? ", &tokens);
  EXPECT_TRUE(tokens.empty());
}

TEST(TypoTest, AllowedEditsByLength) {
  EXPECT_EQ(AllowedEdits(4), 0);
  EXPECT_EQ(AllowedEdits(5), 1);
  EXPECT_EQ(AllowedEdits(8), 1);
  EXPECT_EQ(AllowedEdits(9), 2);
}

TEST(TypoTest, EditDistanceWithTranspositionsCapped) {
  EXPECT_EQ(EditDistance("hospitl", "hospital", 1), 1);
  EXPECT_EQ(EditDistance("universty", "university", 2), 1);
  EXPECT_EQ(EditDistance("center", "centre", 1), 1);
  EXPECT_EQ(EditDistance("daejon", "daejeon", 1), 1);
  EXPECT_EQ(EditDistance("kaist", "kaist", 1), 0);
  EXPECT_EQ(EditDistance("abcdef", "badcfe", 2), 3);
  EXPECT_EQ(EditDistance("a", "abcdef", 2), 3);
}

TEST(TypoTest, DeletionsAreDistinct) {
  std::vector<std::string> one, two;
  ForEachDeletion("seoul", 1, [&](std::string_view v) { one.emplace_back(v); });
  EXPECT_THAT(one, ElementsAre("eoul", "seol", "seou", "seul", "soul"));
  ForEachDeletion("aab", 2, [&](std::string_view v) { two.emplace_back(v); });
  EXPECT_THAT(two, ElementsAre("aa", "ab", "a", "b"));
}

TEST(FieldsTest, EveryTextWithItsPathAndClass) {
  const auto snapshot = test_support::FixtureSnapshot();
  const auto* agreement = snapshot->Find("agreements/ncc-kaist");
  ASSERT_NE(agreement, nullptr);
  std::vector<std::string> seen;
  ForEachText(*agreement, snapshot.get(),
              [&](std::string_view path, FieldClass field_class,
                  std::string_view text) {
                seen.push_back(std::string(path) + " " +
                               std::string(FieldClassId(field_class)) + " " +
                               std::string(text));
              });
  EXPECT_THAT(seen,
              ::testing::IsSupersetOf(
                  {"@type kind Agreement", "kind kind cooperation agreement",
                   "@collection kind agreements",
                   "display_name name NCC–KAIST cooperation agreement",
                   "parties[0].display_name reference National Cancer "
                   "Center",
                   "parties[0].@aliases[0] reference NCC",
                   "parties[0].@aliases[1] reference 국립암센터"}));
  for (const std::string& s : seen) {
    EXPECT_EQ(s.find("parties[0].name"), std::string::npos) << s;
  }
  EXPECT_EQ(FieldWeight(FieldClass::kName), 8);
  EXPECT_EQ(FieldWeight(FieldClass::kAlias), 6);
  EXPECT_EQ(FieldWeight(FieldClass::kReference), 3);
  EXPECT_EQ(FieldWeight(FieldClass::kQuote), 0.6);
}

}  // namespace
}  // namespace factgraph::query::search
