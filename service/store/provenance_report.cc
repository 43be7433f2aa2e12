#include "service/store/provenance_report.h"

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "factgraph/v1/document.pb.h"
#include "service/store/facts.h"
#include "service/store/quote_matcher.h"
#include "service/store/support_check.h"
#include "unicode/brkiter.h"
#include "unicode/locid.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"

namespace factgraph::store {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

namespace {

using Range = std::pair<int32_t, int32_t>;  // Code points, [first, second).

std::string StringField(const Message& message, const char* name) {
  const FieldDescriptor* field = message.GetDescriptor()->FindFieldByName(name);
  return field ? message.GetReflection()->GetString(message, field) : "";
}

bool Overlaps(const Range& a, const Range& b) {
  return a.first < b.second && b.first < a.second;
}

// Every occurrence of `passage` in `content` (compared as quotes are), in
// code points: a credit line may recur under every photo.
std::vector<Range> FindAll(std::string_view content, std::string_view passage) {
  std::vector<Range> ranges;
  size_t byte = 0;
  int32_t base = 0;
  while (byte < content.size()) {
    const std::string_view rest = content.substr(byte);
    const std::optional<QuoteMatcher::Match> match =
        QuoteMatcher(rest).Find(passage);
    if (!match) break;
    ranges.emplace_back(base + match->start_offset, base + match->end_offset);
    // Resume one code point after the start of this occurrence.
    const int32_t skip = match->start_offset + 1;
    size_t i = 0;
    for (int32_t code_point = 0; code_point < skip && i < rest.size();
         ++code_point) {
      ++i;
      while (i < rest.size() &&
             (static_cast<unsigned char>(rest[i]) & 0xC0) == 0x80) {
        ++i;
      }
    }
    byte += i;
    base += skip;
  }
  return ranges;
}

// The sentences of `content` (ICU sentence breaks), whitespace trimmed, in
// code points; empty ones dropped.
std::vector<ProvenanceReport::Sentence> SplitSentences(
    const std::string& content) {
  std::vector<ProvenanceReport::Sentence> sentences;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(content);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> breaks(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getEnglish(),
                                                 status));
  if (U_FAILURE(status)) return sentences;
  breaks->setText(text);
  int32_t code_points = 0;  // Code points before `previous`.
  int32_t previous = 0;
  const auto to_code_points = [&](int32_t index) {
    code_points += text.countChar32(previous, index - previous);
    previous = index;
    return code_points;
  };
  for (int32_t start = breaks->first(), end = breaks->next();
       end != icu::BreakIterator::DONE; start = end, end = breaks->next()) {
    int32_t first = start;
    int32_t last = end;
    while (first < last && u_isUWhiteSpace(text.char32At(first))) {
      first = text.moveIndex32(first, 1);
    }
    while (last > first &&
           u_isUWhiteSpace(text.char32At(text.moveIndex32(last, -1)))) {
      last = text.moveIndex32(last, -1);
    }
    if (first == last) continue;
    ProvenanceReport::Sentence& sentence = sentences.emplace_back();
    sentence.start_offset = to_code_points(first);
    sentence.end_offset = to_code_points(last);
    text.tempSubStringBetween(first, last).toUTF8String(sentence.text);
  }
  return sentences;
}

}  // namespace

ProvenanceReport ComputeProvenance(const Snapshot& snapshot) {
  ProvenanceReport report;
  // Per document: the ranges stated citations quote, and per collection how
  // many resources cite it.
  absl::flat_hash_map<std::string, std::vector<Range>> stated_ranges;
  absl::flat_hash_map<std::string, std::vector<int64_t>> citing;
  const std::vector<Collection>& collections = AllCollections();
  for (size_t c = 0; c < collections.size(); ++c) {
    for (const Message* resource : snapshot.Resources(collections[c])) {
      std::vector<std::string> cited;
      for (const v1::Citation* citation_pointer : CitationsOf(*resource)) {
        const v1::Citation& citation = *citation_pointer;
        if (citation.document().empty()) continue;
        if (IsStated(citation)) {
          stated_ranges[citation.document()].emplace_back(
              citation.start_offset(), citation.end_offset());
        }
        cited.push_back(citation.document());
      }
      std::sort(cited.begin(), cited.end());
      cited.erase(std::unique(cited.begin(), cited.end()), cited.end());
      for (const std::string& document : cited) {
        std::vector<int64_t>& counts = citing[document];
        counts.resize(collections.size());
        ++counts[c];
      }
      report.checked += CheckSupport(
          *resource, [](absl::Span<const PathStep>, std::string) {});
      const std::string subject = StringField(*resource, "name");
      ForEachFactPath(*resource, [&](absl::Span<const PathStep> steps) {
        ++report.values;
        const std::string path = FormatPath(steps);
        const std::vector<const v1::Citation*> covering =
            CoveringCitations(*resource, path);
        if (KindOfSupport(covering) == v1::CITATION_KIND_STATED) {
          ++report.stated;
          return;
        }
        ++report.curated;
        std::vector<std::string> notes;
        for (const v1::Citation* citation : covering) {
          notes.push_back(citation->note());
        }
        report.curated_values.push_back(
            {subject, path, absl::StrJoin(notes, " / ")});
      });
    }
  }
  for (const Message* document : snapshot.Resources(
           *CollectionByDescriptor(v1::Document::descriptor()))) {
    const auto& doc = static_cast<const v1::Document&>(*document);
    ProvenanceReport::Article& article = report.articles.emplace_back();
    article.document = doc.name();
    const std::vector<Range>& stated = stated_ranges[doc.name()];
    std::vector<Range> boilerplate;
    for (const std::string& passage : doc.boilerplate()) {
      for (const Range& range : FindAll(doc.content(), passage)) {
        boilerplate.push_back(range);
      }
    }
    article.sentences = SplitSentences(doc.content());
    for (ProvenanceReport::Sentence& sentence : article.sentences) {
      const Range range(sentence.start_offset, sentence.end_offset);
      const auto overlaps = [&](const Range& other) {
        return Overlaps(range, other);
      };
      const auto inside = [&](const Range& other) {
        return other.first <= range.first && range.second <= other.second;
      };
      if (std::any_of(stated.begin(), stated.end(), overlaps)) {
        sentence.status = ProvenanceReport::SentenceStatus::kCovered;
        ++article.covered;
      } else if (std::any_of(boilerplate.begin(), boilerplate.end(), inside)) {
        sentence.status = ProvenanceReport::SentenceStatus::kBoilerplate;
        ++article.boilerplate;
      } else {
        ++article.uncovered;
      }
    }
    std::vector<int64_t>& counts = citing[doc.name()];
    counts.resize(collections.size());
    for (size_t c = 0; c < collections.size(); ++c) {
      if (collections[c].descriptor == v1::Document::descriptor()) continue;
      article.resources.emplace_back(std::string(collections[c].id), counts[c]);
    }
  }
  return report;
}

std::string FormatProvenanceReport(const ProvenanceReport& report) {
  const auto percent = [](int64_t part, int64_t whole) {
    return whole == 0 ? 100.0 : 100.0 * static_cast<double>(part) / whole;
  };
  std::string out = absl::StrFormat(
      "\nprovenance\nvalues: %d\nvalues stated: %d\nvalues curated: %d\n"
      "values checked against their stated quotes: %d\n",
      report.values, report.stated, report.curated, report.checked);
  absl::StrAppend(&out, "curated values and their notes:\n");
  for (const ProvenanceReport::CuratedValue& value : report.curated_values) {
    absl::StrAppend(&out, "  ", value.subject, " ", value.path, ": ",
                    value.note, "\n");
  }
  absl::StrAppend(&out, "\nsentence coverage (ICU sentence breaks)\n");
  for (const ProvenanceReport::Article& article : report.articles) {
    const int64_t content = article.covered + article.uncovered;
    absl::StrAppendFormat(
        &out,
        "%s: %d sentences, %d boilerplate, content sentences covered %d/%d "
        "(%.1f %%)\n",
        article.document, article.sentences.size(), article.boilerplate,
        article.covered, content, percent(article.covered, content));
    std::vector<std::string> counts;
    for (const auto& [collection, count] : article.resources) {
      counts.push_back(absl::StrCat(collection, " ", count));
    }
    absl::StrAppend(
        &out, "  resources citing it: ", absl::StrJoin(counts, ", "), "\n");
    for (const ProvenanceReport::Sentence& sentence : article.sentences) {
      const char* mark =
          sentence.status == ProvenanceReport::SentenceStatus::kCovered
              ? "covered    "
          : sentence.status == ProvenanceReport::SentenceStatus::kBoilerplate
              ? "boilerplate"
              : "NOT COVERED";
      absl::StrAppendFormat(&out, "  %s [%d,%d) %s\n", mark,
                            sentence.start_offset, sentence.end_offset,
                            sentence.text);
    }
  }
  int64_t covered = 0, content = 0;
  for (const ProvenanceReport::Article& article : report.articles) {
    covered += article.covered;
    content += article.covered + article.uncovered;
  }
  absl::StrAppendFormat(&out,
                        "content sentences covered, all articles: %d/%d "
                        "(%.1f %%)\n",
                        covered, content, percent(covered, content));
  return out;
}

}  // namespace factgraph::store
