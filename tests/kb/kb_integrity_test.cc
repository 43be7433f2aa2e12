// Properties of the whole loaded knowledge base: the size of every
// collection, and citation offsets that point at their quotes.
#include <map>
#include <string>
#include <string_view>

#include "factgraph/v1/document.pb.h"
#include "factgraph/v1/funding.pb.h"
#include "factgraph/v1/knowledge_base.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/store/collections.h"
#include "tests/kb/seeds_snapshot.h"

namespace factgraph::test_support {
namespace {

// Decodes UTF-8 (the loader has validated it) into code points, since
// citation offsets count code points.
std::u32string CodePoints(std::string_view text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    const int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t code_point = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (int k = 1; k < length; ++k) {
      code_point = (code_point << 6) | (text[i + k] & 0x3F);
    }
    out.push_back(code_point);
    i += length;
  }
  return out;
}

// The comparison the loader promises: runs of whitespace are one space and
// typographic quotes are plain ones.
std::u32string Normalized(std::u32string_view text) {
  std::u32string out;
  for (char32_t c : text) {
    if (c == U'\u2018' || c == U'\u2019') c = U'\'';
    if (c == U'\u201C' || c == U'\u201D') c = U'"';
    const bool space =
        c == U' ' || c == U'\n' || c == U'\r' || c == U'\t' || c == U'\u00A0';
    if (space) {
      if (out.empty() || out.back() != U' ') out.push_back(U' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

const v1::Document* DocumentNamed(std::string_view name) {
  return FindAs<v1::Document>(name);
}

TEST(KbIntegrityTest, EveryCollectionMeetsItsFloor) {
  const std::map<std::string, int> floors = {
      {"institutions", 55}, {"people", 20},   {"agreements", 6},
      {"projects", 10},     {"fundings", 5},  {"events", 6},
      {"statistics", 12},   {"documents", 5}, {"statements", 64}};
  for (const store::Collection& collection : store::AllCollections()) {
    const std::string id(collection.id);
    ASSERT_TRUE(floors.count(id)) << id;
    EXPECT_GE(SeedsSnapshot().Resources(collection).size(),
              static_cast<size_t>(floors.at(id)))
        << id;
  }
  EXPECT_EQ(SeedsSnapshot().knowledge_base().documents_size(), 5);
}

TEST(KbIntegrityTest, EveryCitationOffsetSpansItsQuote) {
  int citations = 0;
  for (const store::Collection& collection : store::AllCollections()) {
    const google::protobuf::FieldDescriptor* citations_field =
        collection.descriptor->FindFieldByName("citations");
    ASSERT_NE(citations_field, nullptr) << collection.id;
    for (const google::protobuf::Message* resource :
         SeedsSnapshot().Resources(collection)) {
      const auto* reflection = resource->GetReflection();
      for (int i = 0; i < reflection->FieldSize(*resource, citations_field);
           ++i) {
        const auto& citation = static_cast<const v1::Citation&>(
            reflection->GetRepeatedMessage(*resource, citations_field, i));
        // A curated citation may quote nothing (its note is its support).
        if (citation.kind() == v1::CITATION_KIND_CURATED &&
            citation.quote().empty()) {
          continue;
        }
        const v1::Document* document = DocumentNamed(citation.document());
        ASSERT_NE(document, nullptr) << citation.document();
        const std::u32string content = CodePoints(document->content());
        ASSERT_LT(citation.start_offset(), citation.end_offset());
        ASSERT_LE(static_cast<size_t>(citation.end_offset()), content.size());
        const std::u32string_view span = std::u32string_view(content).substr(
            citation.start_offset(),
            citation.end_offset() - citation.start_offset());
        EXPECT_EQ(Normalized(span), Normalized(CodePoints(citation.quote())))
            << resource->ShortDebugString().substr(0, 80);
        ++citations;
      }
    }
  }
  EXPECT_GE(citations, 300);
}

TEST(KbIntegrityTest, ArpaHCitationOffsetsPointAtTheExactQuote) {
  const auto* funding = FindAs<v1::Funding>("fundings/arpa-h-frailty-project");
  ASSERT_NE(funding, nullptr);
  ASSERT_GE(funding->citations_size(), 1);
  const v1::Citation& citation = funding->citations(0);
  const v1::Document* document = DocumentNamed("documents/kumc-rnd-first");
  ASSERT_NE(document, nullptr);
  // The quote holds typographic quotes, so byte and code point offsets differ.
  const std::u32string content = CodePoints(document->content());
  const std::u32string quote = CodePoints(citation.quote());
  const size_t expected_start = content.find(quote);
  ASSERT_NE(expected_start, std::u32string::npos);
  EXPECT_EQ(citation.start_offset(), static_cast<int>(expected_start));
  EXPECT_EQ(citation.end_offset(),
            static_cast<int>(expected_start + quote.size()));
  EXPECT_EQ(content.substr(citation.start_offset(),
                           citation.end_offset() - citation.start_offset()),
            quote);
  EXPECT_NE(document->content().find(citation.quote()),
            static_cast<size_t>(citation.start_offset()));
}

TEST(KbIntegrityTest, DocumentContentIsTheArticle) {
  const v1::Document* document = DocumentNamed("documents/ku-kaist-symposium");
  ASSERT_NE(document, nullptr);
  EXPECT_EQ(document->content().size(), 3168u);
  EXPECT_EQ(document->content().rfind("KU-KAIST Joint Symposium Explores", 0),
            0u);
}

}  // namespace
}  // namespace factgraph::test_support
