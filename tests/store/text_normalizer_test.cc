#include "service/store/text_normalizer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace factgraph::store {
namespace {

using ::testing::ElementsAre;

TEST(TextNormalizerTest, KeepsHangulAsItIs) {
  EXPECT_EQ(NormalizeForSearch("고려대학교"), "고려대학교");
  // Decomposed jamo are recomposed into the same syllables.
  EXPECT_EQ(NormalizeForSearch("\u1100\u1169\u1105\u1167"), "고려");
}

TEST(TextNormalizerTest, FoldsCaseAndPunctuation) {
  EXPECT_EQ(NormalizeForSearch("Kwang-Hyung LEE"), "kwang hyung lee");
  EXPECT_EQ(NormalizeForSearch("  KU (Korea Univ.), Anam-dong!  "),
            "ku korea univ anam dong");
  EXPECT_EQ(NormalizeForSearch("Medical Building #1"), "medical building 1");
  EXPECT_EQ(NormalizeForSearch("Straße"), "strasse");
}

TEST(TextNormalizerTest, FoldsWidthAndAccents) {
  EXPECT_EQ(NormalizeForSearch("ＫＡＩＳＴ"), "kaist");
  EXPECT_EQ(NormalizeForSearch("Café"), "cafe");
  EXPECT_EQ(NormalizeForSearch("Cafe\u0301"), "cafe");
  EXPECT_EQ(NormalizeForSearch("“Korea’s” — first"), "korea s first");
  EXPECT_EQ(NormalizeForSearch("한국\u3000과학"), "한국 과학");
}

TEST(TextNormalizerTest, EmptyAndInvalidInput) {
  EXPECT_EQ(NormalizeForSearch(""), "");
  EXPECT_EQ(NormalizeForSearch(" -- "), "");
  EXPECT_EQ(NormalizeForSearch("a\xff"
                               "b\xc3"),
            "a b");
}

TEST(TextNormalizerTest, SplitsTokens) {
  EXPECT_THAT(SplitTokens("kwang hyung lee"),
              ElementsAre("kwang", "hyung", "lee"));
  EXPECT_TRUE(SplitTokens("").empty());
}

}  // namespace
}  // namespace factgraph::store
