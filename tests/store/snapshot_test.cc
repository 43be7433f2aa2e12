#include "service/store/snapshot.h"

#include <filesystem>
#include <fstream>

#include "factgraph/v1/institution.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/facts.h"
#include "service/store/loader.h"
#include "service/store/snapshot_file_builder.h"
#include "tests/store/seeds_fixture.h"
#include "tests/support/temp_path.h"

namespace factgraph::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = LoadSeeds(test_support::WriteSmallSeeds());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    snapshot_ = *std::move(loaded);
  }

  std::vector<std::string> Paths(absl::Span<const FactIndex> facts) const {
    std::vector<std::string> paths;
    for (FactIndex i : facts) {
      paths.push_back(absl::StrCat(std::string(snapshot_->FactSubject(i)), " ",
                                   std::string(snapshot_->FactPath(i))));
    }
    return paths;
  }

  std::shared_ptr<const Snapshot> snapshot_;
};

TEST_F(SnapshotTest, FindsResourcesByNameAndCollection) {
  const auto* kaist = static_cast<const v1::Institution*>(
      snapshot_->Find("institutions/kaist"));
  ASSERT_NE(kaist, nullptr);
  EXPECT_EQ(kaist->display_name(), "KAIST");
  EXPECT_EQ(snapshot_->Find("institutions/nope"), nullptr);
  EXPECT_EQ(snapshot_->Find(""), nullptr);
  EXPECT_EQ(snapshot_->resource_count(), 7u);
  std::vector<std::string> names;
  for (const auto* resource :
       snapshot_->Resources(*CollectionById("institutions"))) {
    names.push_back(static_cast<const v1::Institution*>(resource)->name());
  }
  EXPECT_THAT(names, ElementsAre("institutions/kaist",
                                 "institutions/korea-university"));
  EXPECT_EQ(snapshot_->id().size(), 32u);
}

TEST_F(SnapshotTest, IndexesFacts) {
  EXPECT_EQ(snapshot_->fact_count(), 28u);
  // Ordered by subject, then field order.
  EXPECT_EQ(snapshot_->FactSubject(0), "agreements/kaist-ku");
  EXPECT_EQ(snapshot_->FactSubject(27), "statistics/speakers");
  EXPECT_THAT(Paths(snapshot_->FactsBySubject("institutions/korea-university")),
              ElementsAre("institutions/korea-university display_name",
                          "institutions/korea-university aliases[0]",
                          "institutions/korea-university kind"));
  EXPECT_THAT(Paths(snapshot_->FactsByPredicate("roles.institution")),
              ElementsAre("people/lee-kwang-hyung roles[0].institution"));
  EXPECT_THAT(Paths(snapshot_->FactsByObject("institutions/kaist")),
              ElementsAre("agreements/kaist-ku parties[0]",
                          "people/lee-kwang-hyung roles[0].institution",
                          "statistics/speakers subject"));
  EXPECT_THAT(Paths(snapshot_->FactsByObject("KRW 15100000000")),
              ElementsAre("fundings/project-grant amount"));
  EXPECT_THAT(Paths(snapshot_->FactsByObject("2023-11-07")),
              ElementsAre("people/lee-kwang-hyung roles[0].as_of"));
  EXPECT_THAT(Paths(snapshot_->FactsByObject("INSTITUTION_KIND_UNIVERSITY")),
              ElementsAre("institutions/kaist kind",
                          "institutions/korea-university kind"));
  // The three curated aliases cite no document.
  EXPECT_EQ(snapshot_->FactsByDocument("documents/article").size(), 25u);
  EXPECT_TRUE(snapshot_->FactsByDocument("documents/other").empty());
  EXPECT_TRUE(snapshot_->FactsBySubject("people/nobody").empty());
  EXPECT_EQ(snapshot_->FactObjectKey(0),
            "KAIST-KU research cooperation agreement");
  const v1::Fact fact = snapshot_->GetFact(snapshot_->FactsByObject("1.5")[0]);
  EXPECT_EQ(fact.subject(), "statistics/speakers");
  EXPECT_EQ(fact.subject_display_name(), "Speakers");
  EXPECT_EQ(fact.predicate(), "value");
  EXPECT_EQ(fact.citations(0).quote(), "spoke at Café Anam");
}

TEST_F(SnapshotTest, GetFactAgreesWithFactsOfEveryResource) {
  // FactsOf matches citation paths on every call; the snapshot decides the
  // covering citations when it is built. One message reused for every fact,
  // forwards and backwards, must read the same as a new one each time.
  std::vector<std::string> expected;
  for (FactIndex i = 0; i < snapshot_->fact_count();) {
    for (const v1::Fact& fact : FactsOf(snapshot_->FactResource(i))) {
      expected.push_back(fact.DebugString());
      ++i;
    }
  }
  ASSERT_EQ(expected.size(), snapshot_->fact_count());
  v1::Fact reused;
  for (FactIndex i = 0; i < snapshot_->fact_count(); ++i) {
    EXPECT_EQ(snapshot_->GetFact(i).DebugString(), expected[i]) << i;
    snapshot_->GetFact(i, &reused);
    EXPECT_EQ(reused.DebugString(), expected[i]) << i;
  }
  for (FactIndex i = snapshot_->fact_count(); i-- > 0;) {
    snapshot_->GetFact(i, &reused);
    EXPECT_EQ(reused.DebugString(), expected[i]) << i;
  }
}

TEST_F(SnapshotTest, GetFactOverwritesAReusedMessage) {
  v1::Fact fact;
  // Two citations of the person; roles[0].as_of is covered by the second
  // only, display_name by the first only.
  const absl::Span<const FactIndex> person =
      snapshot_->FactsBySubject("people/lee-kwang-hyung");
  ASSERT_EQ(Paths(person), (std::vector<std::string>{
                               "people/lee-kwang-hyung display_name",
                               "people/lee-kwang-hyung aliases[0]",
                               "people/lee-kwang-hyung roles[0].title",
                               "people/lee-kwang-hyung roles[0].institution",
                               "people/lee-kwang-hyung roles[0].as_of"}));
  snapshot_->GetFact(person[4], &fact);
  EXPECT_EQ(fact.subject(), "people/lee-kwang-hyung");
  EXPECT_EQ(fact.subject_display_name(), "Lee Kwang-hyung");
  EXPECT_EQ(fact.predicate(), "roles.as_of");
  EXPECT_EQ(fact.path(), "roles[0].as_of");
  EXPECT_EQ(fact.object().kind_case(), v1::FactValue::kDateValue);
  EXPECT_EQ(fact.object().date_value().year(), 2023);
  EXPECT_EQ(fact.object().date_value().day(), 7);
  ASSERT_EQ(fact.citations_size(), 1);
  EXPECT_EQ(fact.citations(0).quote(), "November 7, 2023");
  EXPECT_THAT(fact.citations(0).field_paths(), ElementsAre("roles[0].as_of"));

  snapshot_->GetFact(snapshot_->FactsByObject("1.5")[0], &fact);
  EXPECT_EQ(fact.subject(), "statistics/speakers");
  EXPECT_EQ(fact.subject_display_name(), "Speakers");
  EXPECT_EQ(fact.predicate(), "value");
  EXPECT_EQ(fact.path(), "value");
  EXPECT_EQ(fact.object().kind_case(), v1::FactValue::kDoubleValue);
  EXPECT_EQ(fact.object().double_value(), 1.5);
  ASSERT_EQ(fact.citations_size(), 1);
  EXPECT_EQ(fact.citations(0).quote(), "spoke at Café Anam");
  EXPECT_THAT(fact.citations(0).field_paths(),
              ElementsAre("display_name", "subject", "value", "unit"));

  snapshot_->GetFact(person[3], &fact);
  EXPECT_EQ(fact.path(), "roles[0].institution");
  EXPECT_EQ(fact.object().kind_case(), v1::FactValue::kEntityValue);
  EXPECT_EQ(fact.object().entity_value().name(), "institutions/kaist");
  ASSERT_EQ(fact.citations_size(), 1);
  EXPECT_EQ(fact.citations(0).quote(), "KAIST President Lee Kwang-hyung");
}

TEST_F(SnapshotTest, CoveringCitationsOfAResourceWithManyCitations) {
  // More citations than the per-fact mask holds: the covering ones are
  // matched when the fact is read, with the same result.
  v1::KnowledgeBase kb = snapshot_->knowledge_base();
  v1::Institution* kaist = kb.mutable_institutions(0);
  ASSERT_EQ(kaist->name(), "institutions/kaist");
  for (int i = 0; i < 40; ++i) {
    v1::Citation* citation = kaist->add_citations();
    citation->set_document("documents/article");
    citation->set_quote(absl::StrCat("quote ", i));
    citation->add_field_paths(i % 2 == 0 ? "kind" : "aliases[0]");
  }
  const std::shared_ptr<const Snapshot> many =
      Snapshot::Build(kb, "many", absl::Now());
  const absl::Span<const FactIndex> facts =
      many->FactsBySubject("institutions/kaist");
  ASSERT_EQ(Paths(facts),
            (std::vector<std::string>{"institutions/kaist display_name",
                                      "institutions/kaist aliases[0]",
                                      "institutions/kaist kind"}));
  const std::vector<v1::Fact> expected = FactsOf(many->FactResource(facts[0]));
  v1::Fact fact;
  for (size_t i = 0; i < facts.size(); ++i) {
    many->GetFact(facts[i], &fact);
    EXPECT_EQ(fact.DebugString(), expected[i].DebugString()) << i;
  }
  many->GetFact(facts[2], &fact);
  ASSERT_EQ(fact.citations_size(), 21);
  EXPECT_EQ(fact.citations(0).quote(), "KAIST and Korea University");
  EXPECT_EQ(fact.citations(1).quote(), "quote 0");
  EXPECT_EQ(fact.citations(20).quote(), "quote 38");
  many->GetFact(facts[0], &fact);
  ASSERT_EQ(fact.citations_size(), 1);
  EXPECT_EQ(fact.citations(0).quote(), "KAIST and Korea University");
}

TEST_F(SnapshotTest, ObjectKeyViews) {
  std::string scratch;
  for (FactIndex i = 0; i < snapshot_->fact_count(); ++i) {
    EXPECT_EQ(snapshot_->FactObjectKey(i, &scratch),
              ObjectKey(snapshot_->GetFact(i).object()))
        << i;
  }
  // Computed keys are written to the scratch string; stored text is not.
  scratch = "unchanged";
  const FactIndex value = snapshot_->FactsByObject("1.5")[0];
  const FactIndex name = snapshot_->FactsBySubject("institutions/kaist")[0];
  const FactIndex kind = snapshot_->FactsBySubject("institutions/kaist")[2];
  const FactIndex party = snapshot_->FactsByObject("institutions/kaist")[0];
  EXPECT_EQ(snapshot_->FactObjectKey(name, &scratch), "KAIST");
  EXPECT_EQ(snapshot_->FactObjectKey(kind, &scratch),
            "INSTITUTION_KIND_UNIVERSITY");
  EXPECT_EQ(snapshot_->FactObjectKey(party, &scratch), "institutions/kaist");
  EXPECT_EQ(scratch, "unchanged");
  const std::string_view key = snapshot_->FactObjectKey(value, &scratch);
  EXPECT_EQ(key, "1.5");
  EXPECT_EQ(scratch, "1.5");
  EXPECT_EQ(snapshot_->FactObjectKey(value), "1.5");
}

TEST_F(SnapshotTest, IndexesLinks) {
  EXPECT_THAT(Paths(snapshot_->LinksFrom("agreements/kaist-ku")),
              ElementsAre("agreements/kaist-ku parties[0]",
                          "agreements/kaist-ku parties[1]"));
  EXPECT_THAT(Paths(snapshot_->LinksTo("agreements/kaist-ku")),
              ElementsAre("fundings/project-grant recipient"));
  EXPECT_THAT(Paths(snapshot_->LinksTo("institutions/kaist")),
              ElementsAre("agreements/kaist-ku parties[0]",
                          "people/lee-kwang-hyung roles[0].institution",
                          "statistics/speakers subject"));
  EXPECT_TRUE(snapshot_->LinksFrom("institutions/kaist").empty());
  EXPECT_TRUE(snapshot_->LinksTo("people/lee-kwang-hyung").empty());
}

TEST_F(SnapshotTest, IndexesNamesForSearch) {
  std::vector<std::string> normalized;
  for (const NameEntry& entry : snapshot_->NameEntries()) {
    normalized.emplace_back(entry.normalized);
  }
  EXPECT_THAT(
      normalized,
      ElementsAre("kaist", "kaist ku research cooperation agreement",
                  "korea advanced institute of science and technology",
                  "korea university", "ku", "lee kwang hyung", "project grant",
                  "speakers", "test article", "이광형"));
  const NameEntry& hangul = snapshot_->NameEntries()[9];
  EXPECT_EQ(hangul.text, "이광형");
  EXPECT_FALSE(hangul.is_display_name);
  EXPECT_EQ(hangul.resource, snapshot_->Find("people/lee-kwang-hyung"));
  EXPECT_TRUE(snapshot_->NameEntries()[0].is_display_name);
  EXPECT_THAT(snapshot_->NameEntriesWithToken("kaist"), ElementsAre(0u, 1u));
  EXPECT_THAT(snapshot_->NameEntriesWithToken("korea"), ElementsAre(2u, 3u));
  EXPECT_THAT(snapshot_->NameEntriesWithToken("이광형"), ElementsAre(9u));
  EXPECT_TRUE(snapshot_->NameEntriesWithToken("kai").empty());
}

// Names that share their first 8 bytes (which the sort compares as one
// integer), names shorter than 8 bytes, equal normalised texts (ordered by
// resource name, then display name first, then as written) and a resource
// with several aliases.
TEST(CollectionsTest, CollectionIndexOfFieldIsThePositionOfTheField) {
  const std::vector<Collection>& collections = AllCollections();
  // KnowledgeBase field 3 is `agreements` (knowledge_base.proto).
  ASSERT_GE(CollectionIndexOfField(3), 0);
  EXPECT_EQ(collections[CollectionIndexOfField(3)].id, "agreements");
  for (size_t c = 0; c < collections.size(); ++c) {
    EXPECT_EQ(CollectionIndexOfField(
                  static_cast<uint32_t>(collections[c].kb_field->number())),
              static_cast<int>(c))
        << collections[c].id;
  }
  EXPECT_EQ(CollectionIndexOfField(0), -1);
  EXPECT_EQ(CollectionIndexOfField(1000), -1);
  EXPECT_EQ(CollectionIndexOfField(UINT32_MAX), -1);
}

TEST(SnapshotNamesTest, OrdersNamesByNormalizedTextThenResource) {
  v1::KnowledgeBase kb;
  const auto add = [&kb](const std::string& name, const std::string& display,
                         std::vector<std::string> aliases) {
    v1::Institution* institution = kb.add_institutions();
    institution->set_name(name);
    institution->set_display_name(display);
    for (const std::string& alias : aliases) institution->add_aliases(alias);
  };
  add("institutions/d", "Research Institute B", {"RI", "Research-Institute A"});
  add("institutions/c", "Research Institute", {});
  add("institutions/b", "research institute", {"Research Institute B"});
  add("institutions/a", "Research Inst", {"ri"});
  const auto snapshot = Snapshot::Build(kb, "test", absl::UnixEpoch());
  std::vector<std::string> order;
  for (const NameEntry& entry : snapshot->NameEntries()) {
    order.push_back(absl::StrCat(std::string(entry.normalized), " | ",
                                 std::string(entry.resource_name), " | ",
                                 std::string(entry.text),
                                 entry.is_display_name ? " (display)" : ""));
  }
  EXPECT_THAT(
      order,
      ElementsAre(
          "research inst | institutions/a | Research Inst (display)",
          "research institute | institutions/b | research institute (display)",
          "research institute | institutions/c | Research Institute (display)",
          "research institute a | institutions/d | Research-Institute A",
          "research institute b | institutions/b | Research Institute B",
          "research institute b | institutions/d | Research Institute B "
          "(display)",
          "ri | institutions/a | ri", "ri | institutions/d | RI"));
  EXPECT_THAT(snapshot->NameEntriesWithToken("ri"), ElementsAre(6u, 7u));
  EXPECT_THAT(snapshot->NameEntriesWithToken("b"), ElementsAre(4u, 5u));
}

TEST_F(SnapshotTest, CompiledSnapshotRoundTripKeepsTheId) {
  const ::factgraph::test_support::ScopedTempPath path_file("small.fgsnap");
  const std::string& path = path_file.path();
  ASSERT_TRUE(WriteCompiledSnapshot(*snapshot_, path).ok());
  const auto loaded = LoadCompiledSnapshot(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->id(), snapshot_->id());
  EXPECT_EQ((*loaded)->source(), path);
  ASSERT_EQ((*loaded)->fact_count(), snapshot_->fact_count());
  for (FactIndex i = 0; i < snapshot_->fact_count(); ++i) {
    EXPECT_EQ((*loaded)->GetFact(i).SerializeAsString(),
              snapshot_->GetFact(i).SerializeAsString());
  }
  // Built from the same content in memory: the same id again.
  EXPECT_EQ(
      Snapshot::Build(snapshot_->knowledge_base(), "copy", absl::Now())->id(),
      snapshot_->id());
  // Different content, different id.
  v1::KnowledgeBase changed = snapshot_->knowledge_base();
  changed.mutable_institutions(0)->set_description("changed");
  EXPECT_NE(Snapshot::Build(changed, "changed", absl::Now())->id(),
            snapshot_->id());
}

TEST_F(SnapshotTest, BuildSortsCollectionsAndIdIgnoresInputOrder) {
  v1::KnowledgeBase reversed = snapshot_->knowledge_base();
  std::reverse(reversed.mutable_institutions()->pointer_begin(),
               reversed.mutable_institutions()->pointer_end());
  const auto rebuilt = Snapshot::Build(reversed, "reversed", absl::Now());
  EXPECT_EQ(rebuilt->id(), snapshot_->id());
  EXPECT_EQ(rebuilt->knowledge_base().institutions(0).name(),
            "institutions/kaist");
}

TEST_F(SnapshotTest, RejectsCorruptCompiledSnapshots) {
  const ::factgraph::test_support::ScopedTempPath path_file("corrupt.fgsnap");
  const std::string& path = path_file.path();
  {
    std::ofstream out(path, std::ios::binary);
    out << "\x0a\xff\xff\xff\x0f garbage";
  }
  const auto corrupt = LoadCompiledSnapshot(path);
  EXPECT_EQ(corrupt.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(corrupt.status().message(),
            path + ": not a compiled snapshot (wrong magic number)");

  const auto missing = LoadCompiledSnapshot(
      factgraph::test_support::ScopedTempPath("missing.fgsnap").path());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);

  v1::KnowledgeBase dangling = snapshot_->knowledge_base();
  dangling.mutable_agreements(0)->mutable_parties(0)->set_name(
      "institutions/gone");
  *dangling.add_institutions() = dangling.institutions(0);
  const ::factgraph::test_support::ScopedTempPath bad_file("dangling.fgsnap");
  const std::string& bad = bad_file.path();
  {
    std::ofstream out(bad, std::ios::binary);
    out << *BuildSnapshotFile(dangling);
  }
  const auto invalid = LoadCompiledSnapshot(bad);
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid.status().message(),
            bad +
                ": invalid compiled snapshot:\n"
                "duplicate name \"institutions/kaist\"\n"
                "agreements/kaist-ku parties[0]: reference to unknown "
                "entity \"institutions/gone\"");
}

}  // namespace
}  // namespace factgraph::store
