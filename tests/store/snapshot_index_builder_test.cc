// The index layouts of store_indexes.h as snapshot_index_builder.h writes
// them; the indexes' contents over a knowledge base are tested through
// Snapshot (snapshot_test.cc).
#include "service/store/snapshot_index_builder.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/store_indexes.h"

namespace factgraph::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(KeyTableTest, InternNumbersKeysInOrderOfFirstAppearance) {
  KeyTableWriter writer;
  EXPECT_EQ(writer.Intern("people/ada"), 0u);
  EXPECT_EQ(writer.Intern("institutions/kaist"), 1u);
  EXPECT_EQ(writer.Intern("people/ada"), 0u);
  EXPECT_EQ(writer.Intern(""), 2u);
  const KeyTable table = std::move(writer).Finish();
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table.keys[0], "people/ada");
  EXPECT_EQ(table.keys[1], "institutions/kaist");
  EXPECT_EQ(table.keys[2], "");
  EXPECT_EQ(table.keys.bytes, "people/adainstitutions/kaist");
  EXPECT_THAT(table.keys.offsets, ElementsAre(0, 10, 28, 28));
  EXPECT_EQ(table.Find("people/ada"), 0u);
  EXPECT_EQ(table.Find("institutions/kaist"), 1u);
  EXPECT_EQ(table.Find(""), 2u);
  EXPECT_EQ(table.Find("people/ad"), KeyTable::kNotFound);
  EXPECT_EQ(table.Find("people/ada "), KeyTable::kNotFound);
}

TEST(KeyTableTest, AddKeepsRepeatedKeysButFindsTheFirst) {
  KeyTableWriter writer;
  EXPECT_TRUE(writer.Add("a"));
  EXPECT_TRUE(writer.Add("b"));
  EXPECT_FALSE(writer.Add("a"));
  const KeyTable table = std::move(writer).Finish();
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table.keys[2], "a");
  EXPECT_EQ(table.Find("a"), 0u);
  EXPECT_EQ(table.Find("b"), 1u);
}

TEST(KeyTableTest, GrowingKeepsEveryKeyAndLeavesAnEmptySlot) {
  KeyTableWriter writer;  // Sized for no keys: grows many times.
  constexpr uint32_t kKeys = 5000;
  for (uint32_t i = 0; i < kKeys; ++i) {
    ASSERT_EQ(writer.Intern(absl::StrCat("key ", i)), i);
  }
  const KeyTable table = std::move(writer).Finish();
  ASSERT_EQ(table.size(), kKeys);
  for (uint32_t i = 0; i < kKeys; ++i) {
    ASSERT_EQ(table.Find(absl::StrCat("key ", i)), i);
  }
  EXPECT_EQ(table.Find(absl::StrCat("key ", kKeys)), KeyTable::kNotFound);
  // A power of two at most 3/4 full.
  EXPECT_EQ(table.slots.size() & (table.slots.size() - 1), 0u);
  EXPECT_LE(kKeys * 4, table.slots.size() * 3);
}

TEST(KeyTableTest, EmptyTableFindsNothing) {
  EXPECT_EQ(KeyTable().Find("x"), KeyTable::kNotFound);
  EXPECT_EQ(KeyTableWriter().Finish().Find(""), KeyTable::kNotFound);
}

TEST(PostingListsTest, GroupsItemsByKeyInTheirOrder) {
  const PostingLists positions =
      BuildPostingLists(4, std::vector<uint32_t>{2, 0, 2, 1}, {});
  EXPECT_THAT(positions.begins, ElementsAre(0, 1, 2, 4, 4));
  EXPECT_THAT(positions.List(0), ElementsAre(1));
  EXPECT_THAT(positions.List(1), ElementsAre(3));
  EXPECT_THAT(positions.List(2), ElementsAre(0, 2));
  EXPECT_THAT(positions.List(3), IsEmpty());
  EXPECT_THAT(positions.List(KeyTable::kNotFound), IsEmpty());

  const PostingLists values =
      BuildPostingLists(3, std::vector<uint32_t>{2, 0, 2, 1},
                        std::vector<uint32_t>{10, 11, 12, 13});
  EXPECT_THAT(values.List(0), ElementsAre(11));
  EXPECT_THAT(values.List(1), ElementsAre(13));
  EXPECT_THAT(values.List(2), ElementsAre(10, 12));
}

}  // namespace
}  // namespace factgraph::store
