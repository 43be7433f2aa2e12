#include "service/query/search/index.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/query/search/analyzer.h"
#include "service/query/search/index_builder.h"
#include "service/query/search/typo.h"
#include "service/store/collections.h"
#include "service/store/snapshot_format.h"

namespace factgraph::query::search {
namespace {

// The first 8 bytes of `text` as a big-endian number, zero-padded: of two
// strings whose keys differ, the one with the smaller key is the smaller
// (a padding zero stands where the shorter one ends, before any byte of the
// longer one), so keys order strings except among equal keys.
uint64_t PrefixKey(std::string_view text) {
  uint64_t key = 0;
  if (text.size() >= 8) {
    std::memcpy(&key, text.data(), 8);
    return __builtin_bswap64(key);
  }
  for (size_t i = 0; i < 8; ++i) {
    key =
        key << 8 | (i < text.size() ? static_cast<unsigned char>(text[i]) : 0u);
  }
  return key;
}

// a < b, deciding by the keys when they differ (no memcmp call).
bool KeyedLess(std::string_view a, std::string_view b, uint64_t b_key) {
  const uint64_t a_key = PrefixKey(a);
  if (a_key != b_key) return a_key < b_key;
  return a < b;
}

bool IsAsciiWord(std::string_view word) {
  for (char c : word) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

// Validates the sections of one index in a single pass over each, in kind
// order, and points the index's views at them (docs/snapshot-format.md,
// "Search index sections"): every id, offset and length in range, every
// offset table monotonic, terms sorted. The accessors then only assert.
class SearchIndexValidator {
 public:
  struct Section {
    std::string_view bytes;
    uint64_t file_offset = 0;
  };

  SearchIndexValidator(const store::Snapshot& snapshot,
                       std::array<Section, kSearchSectionCount> sections,
                       SearchIndex* index)
      : snapshot_(snapshot), sections_(sections), index_(*index) {}

  absl::Status Run();

 private:
  template <typename... Pieces>
  absl::Status Invalid(SearchSection kind, uint64_t at,
                       const Pieces&... pieces) const {
    return absl::InvalidArgumentError(
        absl::StrCat("section ", SearchSectionName(kind), " (file offset ",
                     section(kind).file_offset + at, "): ", pieces...));
  }
  const Section& section(SearchSection kind) const {
    return sections_[static_cast<uint32_t>(kind) - kFirstSearchSection];
  }
  // The section as an array of `count` records of T (any count when
  // `count` is nullopt).
  template <typename T>
  absl::Status Array(SearchSection kind, std::optional<size_t> count,
                     const char* what, absl::Span<const T>* out) const {
    const std::string_view bytes = section(kind).bytes;
    if (bytes.size() % sizeof(T) != 0 ||
        (count.has_value() && bytes.size() / sizeof(T) != *count)) {
      return Invalid(kind, 0, bytes.size(), " bytes, expected ",
                     count.has_value() ? absl::StrCat(*count, " ")
                                       : std::string("a whole number of "),
                     sizeof(T), "-byte records (", what, ")");
    }
    if (reinterpret_cast<uintptr_t>(bytes.data()) % alignof(T) != 0) {
      return Invalid(kind, 0, "not aligned to ", alignof(T), " bytes");
    }
    *out = absl::Span<const T>(reinterpret_cast<const T*>(bytes.data()),
                               bytes.size() / sizeof(T));
    return absl::OkStatus();
  }
  // A u32 table of `count` entries that starts at 0, never decreases and
  // ends at `end`.
  absl::Status OffsetTable(SearchSection kind, std::optional<size_t> count,
                           uint64_t end, const char* what,
                           absl::Span<const uint32_t>* out) const;
  // Strings: a blob and its offset table.
  absl::Status Blob(SearchSection bytes, SearchSection offsets,
                    std::optional<size_t> count, const char* what,
                    SearchIndex::Strings* out) const;

  absl::Status Docs();
  absl::Status NameEntries();
  absl::Status Texts();
  absl::Status Terms();
  absl::Status Postings();
  absl::Status Words();

  const store::Snapshot& snapshot_;
  const std::array<Section, kSearchSectionCount> sections_;
  SearchIndex& index_;
};

absl::Status SearchIndexValidator::OffsetTable(
    SearchSection kind, std::optional<size_t> count, uint64_t end,
    const char* what, absl::Span<const uint32_t>* out) const {
  if (absl::Status array = Array(kind, count, what, out); !array.ok()) {
    return array;
  }
  if (out->empty()) {
    return Invalid(kind, 0, "empty, expected at least the offset 0");
  }
  uint32_t previous = 0;
  for (size_t i = 0; i < out->size(); ++i) {
    const uint32_t value = (*out)[i];
    const bool last = i + 1 == out->size();
    if (value < previous || value > end || (i == 0 && value != 0) ||
        (last && value != end)) {
      return Invalid(kind, 4 * i, "offset ", i, " is ", value, ", not within ",
                     previous, "..", end,
                     i == 0
                         ? " (the first is 0)"
                         : (last ? " (the last is the indexed length)" : ""));
    }
    previous = value;
  }
  return absl::OkStatus();
}

absl::Status SearchIndexValidator::Blob(SearchSection bytes,
                                        SearchSection offsets,
                                        std::optional<size_t> count,
                                        const char* what,
                                        SearchIndex::Strings* out) const {
  out->bytes = section(bytes).bytes;
  return OffsetTable(
      offsets, count.has_value() ? std::optional(*count + 1) : std::nullopt,
      out->bytes.size(), what, &out->offsets);
}

absl::Status SearchIndexValidator::Docs() {
  const size_t count = snapshot_.resource_count();
  if (absl::Status s =
          Array(SearchSection::kDocs, count, "one per resource", &index_.docs_);
      !s.ok()) {
    return s;
  }
  for (size_t d = 0; d < count; ++d) {
    const DocRecord& doc = index_.docs_[d];
    if (doc.collection >= store::AllCollections().size() || doc.zero != 0) {
      return Invalid(SearchSection::kDocs, sizeof(DocRecord) * d, "resource ",
                     d, ": collection ", doc.collection, " (of ",
                     store::AllCollections().size(), "), padding ", doc.zero);
    }
  }
  if (absl::Status s =
          Array(SearchSection::kAverageLengths, size_t{kFieldClassCount},
                "one per field class", &index_.average_lengths_);
      !s.ok()) {
    return s;
  }
  return Array(SearchSection::kDocExtents, count + 1,
               "one per resource, plus one", &index_.extents_);
}

// An extent field: from 0, never decreasing, ending at `end`.
#define FACTGRAPH_CHECK_EXTENT(field, end)                                \
  do {                                                                    \
    uint32_t previous = 0;                                                \
    for (size_t d = 0; d < index_.extents_.size(); ++d) {                 \
      const uint32_t value = index_.extents_[d].field;                    \
      const bool last = d + 1 == index_.extents_.size();                  \
      if (value < previous || value > (end) || (d == 0 && value != 0) ||  \
          (last && value != (end))) {                                     \
        return Invalid(SearchSection::kDocExtents, sizeof(DocExtent) * d, \
                       "resource ", d, ": " #field " is ", value,         \
                       ", not within ", previous, "..", (end));           \
      }                                                                   \
      previous = value;                                                   \
    }                                                                     \
  } while (false)

absl::Status SearchIndexValidator::NameEntries() {
  const size_t entries = snapshot_.NameEntries().size();
  const size_t docs = index_.docs_.size();
  if (absl::Status s = Array(SearchSection::kNameEntryDocs, entries,
                             "one per name entry", &index_.name_entry_docs_);
      !s.ok()) {
    return s;
  }
  for (size_t e = 0; e < entries; ++e) {
    if (index_.name_entry_docs_[e] >= docs) {
      return Invalid(SearchSection::kNameEntryDocs, 4 * e, "name entry ", e,
                     ": resource ", index_.name_entry_docs_[e], " of ", docs);
    }
  }
  if (absl::Status s = Array(SearchSection::kDocNameEntries, entries,
                             "one per name entry", &index_.doc_name_entries_);
      !s.ok()) {
    return s;
  }
  FACTGRAPH_CHECK_EXTENT(first_name_entry, entries);
  for (uint32_t d = 0; d < docs; ++d) {
    for (uint32_t i = index_.extents_[d].first_name_entry;
         i < index_.extents_[d + 1].first_name_entry; ++i) {
      const uint32_t e = index_.doc_name_entries_[i];
      if (e >= entries || index_.name_entry_docs_[e] != d) {
        return Invalid(SearchSection::kDocNameEntries, 4 * uint64_t{i},
                       "entry ", i, " of resource ", d, " is ", e,
                       ", not one of its name entries (of ", entries, ")");
      }
    }
  }
  return Blob(SearchSection::kNormalizedNameBytes,
              SearchSection::kNormalizedNameOffsets, entries,
              "one per name entry, plus one", &index_.normalized_names_);
}

absl::Status SearchIndexValidator::Texts() {
  if (absl::Status s =
          Blob(SearchSection::kPathBytes, SearchSection::kPathOffsets,
               std::nullopt, "one per path, plus one", &index_.paths_);
      !s.ok()) {
    return s;
  }
  index_.pooled_texts_ = section(SearchSection::kPooledTextBytes).bytes;
  if (absl::Status s =
          Array(SearchSection::kTexts, std::nullopt, "texts", &index_.texts_);
      !s.ok()) {
    return s;
  }
  FACTGRAPH_CHECK_EXTENT(first_text, index_.texts_.size());
  for (uint32_t d = 0; d < index_.docs_.size(); ++d) {
    const uint64_t wire = snapshot_.WireBytesAt(d).size();
    for (uint32_t i = index_.extents_[d].first_text;
         i < index_.extents_[d + 1].first_text; ++i) {
      const StoredText& text = index_.texts_[i];
      const uint64_t limit = text.pooled() ? index_.pooled_texts_.size() : wire;
      if (uint64_t{text.offset()} + text.size() > limit ||
          text.path() >= index_.paths_.size() ||
          static_cast<int>(text.field_class()) >= kFieldClassCount) {
        return Invalid(SearchSection::kTexts, sizeof(StoredText) * i, "text ",
                       i, " of resource ", d, ": bytes ", text.offset(), "+",
                       text.size(), " of ", limit,
                       text.pooled() ? " pooled" : " wire", ", path ",
                       text.path(), " of ", index_.paths_.size(),
                       ", field class ", static_cast<int>(text.field_class()));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status SearchIndexValidator::Terms() {
  if (absl::Status s =
          Blob(SearchSection::kTermBytes, SearchSection::kTermOffsets,
               std::nullopt, "one per term, plus one", &index_.terms_);
      !s.ok()) {
    return s;
  }
  const size_t terms = index_.terms_.size();
  if (absl::Status s = Array(SearchSection::kSortedTerms, terms, "one per term",
                             &index_.sorted_terms_);
      !s.ok()) {
    return s;
  }
  // Strictly increasing terms, each in range: a permutation, which binary
  // searches may rely on.
  for (size_t i = 0; i < terms; ++i) {
    const TermId t = index_.sorted_terms_[i];
    if (t >= terms ||
        (i > 0 && index_.terms_.Get(index_.sorted_terms_[i - 1]) >=
                      index_.terms_.Get(t))) {
      return Invalid(SearchSection::kSortedTerms, 4 * i, "entry ", i, " is ", t,
                     ", not a term (of ", terms,
                     ") after the previous one in byte order");
    }
  }
  if (absl::Status s = Array(SearchSection::kOccurrences, std::nullopt,
                             "occurrences", &index_.occurrences_);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = Array(SearchSection::kDocTerms, std::nullopt,
                             "terms of resources", &index_.doc_terms_);
      !s.ok()) {
    return s;
  }
  FACTGRAPH_CHECK_EXTENT(first_term, index_.doc_terms_.size());
  const size_t occurrence_count = index_.occurrences_.size();
  uint32_t previous_first = 0;
  for (uint32_t d = 0; d < index_.docs_.size(); ++d) {
    const absl::Span<const StoredText> texts = index_.texts(d);
    const uint32_t end = index_.extents_[d + 1].first_term;
    for (uint32_t i = index_.extents_[d].first_term; i < end; ++i) {
      const DocTerm& term = index_.doc_terms_[i];
      if (term.term >= terms ||
          (i > index_.extents_[d].first_term &&
           index_.doc_terms_[i - 1].term >= term.term) ||
          term.first_occurrence < previous_first ||
          term.first_occurrence > occurrence_count) {
        return Invalid(SearchSection::kDocTerms, sizeof(DocTerm) * i, "entry ",
                       i, " of resource ", d, ": term ", term.term, " of ",
                       terms,
                       " (increasing within a resource), occurrences from ",
                       term.first_occurrence, " (not within ", previous_first,
                       "..", occurrence_count, ")");
      }
      previous_first = term.first_occurrence;
      const uint32_t next = i + 1 < index_.doc_terms_.size()
                                ? index_.doc_terms_[i + 1].first_occurrence
                                : static_cast<uint32_t>(occurrence_count);
      for (uint32_t o = term.first_occurrence;
           o < std::min<size_t>(next, occurrence_count); ++o) {
        const Occurrence& occurrence = index_.occurrences_[o];
        if (occurrence.text >= texts.size() ||
            occurrence.byte_start > texts[occurrence.text].size()) {
          return Invalid(SearchSection::kOccurrences, sizeof(Occurrence) * o,
                         "occurrence ", o, " of resource ", d, ": text ",
                         occurrence.text, " of ", texts.size(), ", byte ",
                         occurrence.byte_start, " past its end");
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status SearchIndexValidator::Postings() {
  const size_t terms = index_.terms_.size();
  if (absl::Status s = Array(SearchSection::kPostings, std::nullopt, "postings",
                             &index_.postings_);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = OffsetTable(
          SearchSection::kPostingBegin, terms + 1, index_.postings_.size(),
          "one per term, plus one", &index_.posting_begin_);
      !s.ok()) {
    return s;
  }
  const size_t docs = index_.docs_.size();
  const size_t collections = store::AllCollections().size();
  for (size_t i = 0; i < index_.postings_.size(); ++i) {
    const Posting& p = index_.postings_[i];
    if (p.doc >= docs || p.field_class >= kFieldClassCount ||
        (p.collection >= collections &&
         p.collection != Posting::kCollectionInDoc)) {
      return Invalid(SearchSection::kPostings, sizeof(Posting) * i, "posting ",
                     i, ": resource ", p.doc, " of ", docs, ", field class ",
                     static_cast<int>(p.field_class), ", collection ",
                     static_cast<int>(p.collection));
    }
  }
  return Array(SearchSection::kDocFrequencies, terms, "one per term",
               &index_.doc_frequency_);
}

absl::Status SearchIndexValidator::Words() {
  if (absl::Status s =
          Blob(SearchSection::kWordBytes, SearchSection::kWordOffsets,
               std::nullopt, "one per word, plus one", &index_.words_);
      !s.ok()) {
    return s;
  }
  const size_t words = index_.words_.size();
  if (absl::Status s = Array(SearchSection::kWordTerms, words, "one per word",
                             &index_.word_terms_);
      !s.ok()) {
    return s;
  }
  for (size_t w = 0; w < words; ++w) {
    if (index_.word_terms_[w] >= index_.terms_.size()) {
      return Invalid(SearchSection::kWordTerms, 4 * w, "word ", w, ": term ",
                     index_.word_terms_[w], " of ", index_.terms_.size());
    }
  }
  if (absl::Status s = Array(SearchSection::kDeletions, std::nullopt,
                             "deletions", &index_.deletions_);
      !s.ok()) {
    return s;
  }
  for (size_t i = 0; i < index_.deletions_.size(); ++i) {
    const Deletion& deletion = index_.deletions_[i];
    if (deletion.word >= words || deletion.zero != 0 ||
        (i > 0 && index_.deletions_[i - 1].hash > deletion.hash)) {
      return Invalid(SearchSection::kDeletions, sizeof(Deletion) * i,
                     "deletion ", i, ": word ", deletion.word, " of ", words,
                     ", padding ", deletion.zero,
                     ", hash not in increasing order");
    }
  }
  return absl::OkStatus();
}

#undef FACTGRAPH_CHECK_EXTENT

absl::Status SearchIndexValidator::Run() {
  for (absl::Status (SearchIndexValidator::*stage)() :
       {&SearchIndexValidator::Docs, &SearchIndexValidator::NameEntries,
        &SearchIndexValidator::Texts, &SearchIndexValidator::Terms,
        &SearchIndexValidator::Postings, &SearchIndexValidator::Words}) {
    if (absl::Status status = (this->*stage)(); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<SearchIndex> SearchIndex::Open(const store::Snapshot& snapshot) {
  std::array<SearchIndexValidator::Section, kSearchSectionCount> sections;
  size_t found = 0;
  for (uint32_t i = 0; i < kSearchSectionCount; ++i) {
    const std::optional<store::Snapshot::StoredSection> stored =
        snapshot.IndexSection(kFirstSearchSection + i);
    if (!stored.has_value()) continue;
    sections[i] = {stored->bytes, stored->file_offset};
    ++found;
  }
  if (found == 0) {
    // A seeds snapshot (or a file written without its search index).
    absl::StatusOr<SearchSections> built = BuildSearchSections(snapshot);
    if (!built.ok()) return built.status();
    return FromSections(snapshot, *std::move(built));
  }
  if (found != kSearchSectionCount) {
    for (uint32_t i = 0; i < kSearchSectionCount; ++i) {
      if (snapshot.IndexSection(kFirstSearchSection + i).has_value()) continue;
      return absl::InvalidArgumentError(
          absl::StrCat("section ",
                       SearchSectionName(
                           static_cast<SearchSection>(kFirstSearchSection + i)),
                       " is missing (the file has ", found, " of the ",
                       kSearchSectionCount, " search index sections)"));
    }
  }
  SearchIndex index;
  index.snapshot_ = &snapshot;
  if (absl::Status status =
          SearchIndexValidator(snapshot, sections, &index).Run();
      !status.ok()) {
    return status;
  }
  index.Sample();
  return index;
}

absl::StatusOr<SearchIndex> SearchIndex::FromSections(
    const store::Snapshot& snapshot, SearchSections sections) {
  SearchIndex index;
  index.snapshot_ = &snapshot;
  index.owned_ = std::make_shared<const SearchSections>(std::move(sections));
  std::array<SearchIndexValidator::Section, kSearchSectionCount> views;
  for (const auto& [kind, bytes] : *index.owned_) {
    if (kind < kFirstSearchSection ||
        kind >= kFirstSearchSection + kSearchSectionCount) {
      return absl::InternalError(absl::StrCat("search section kind ", kind));
    }
    views[kind - kFirstSearchSection] = {bytes, 0};
  }
  if (absl::Status status = SearchIndexValidator(snapshot, views, &index).Run();
      !status.ok()) {
    return status;
  }
  index.Sample();
  return index;
}

void SearchIndex::SampledKeys::Build(
    size_t count, absl::FunctionRef<std::string_view(size_t)> at) {
  count_ = count;
  samples_.clear();
  samples_.reserve((count + kStride - 1) / kStride);
  for (size_t i = 0; i < count; i += kStride) {
    samples_.push_back(PrefixKey(at(i)));
  }
}

template <typename At>
size_t SearchIndex::SampledKeys::LowerBound(std::string_view text,
                                            const At& at) const {
  const uint64_t key = PrefixKey(text);
  // Sample j is string j · kStride. A sample whose key is less than the
  // text's is a string less than it; one whose key is greater, greater.
  const auto samples_less = static_cast<size_t>(
      std::lower_bound(samples_.begin(), samples_.end(), key) -
      samples_.begin());
  const auto samples_not_greater = static_cast<size_t>(
      std::upper_bound(samples_.begin() + samples_less, samples_.end(), key) -
      samples_.begin());
  size_t low = samples_less > 0 ? (samples_less - 1) * kStride + 1 : 0;
  size_t high = samples_not_greater < samples_.size()
                    ? samples_not_greater * kStride
                    : count_;
  while (low < high) {
    const size_t middle = low + (high - low) / 2;
    if (KeyedLess(at(middle), text, key)) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

void SearchIndex::Sample() {
  name_samples_.Build(normalized_names_.size(),
                      [this](size_t i) { return normalized_names_.Get(i); });
  term_samples_.Build(sorted_terms_.size(), [this](size_t i) {
    return terms_.Get(sorted_terms_[i]);
  });
}

size_t SearchIndex::FirstNameAtLeast(std::string_view text) const {
  return name_samples_.LowerBound(
      text, [this](size_t i) { return normalized_names_.Get(i); });
}

std::string_view SearchIndex::name(DocId doc) const {
  return snapshot_->ResourceNameAt(doc);
}

std::string_view SearchIndex::text(DocId doc, const StoredText& text) const {
  return this->text(
      text.pooled() ? std::string_view() : snapshot_->WireBytesAt(doc), text);
}

std::string_view SearchIndex::text(std::string_view wire_bytes,
                                   const StoredText& text) const {
  const std::string_view bytes = text.pooled() ? pooled_texts_ : wire_bytes;
  ABSL_HARDENING_ASSERT(uint64_t{text.offset()} + text.size() <= bytes.size());
  return bytes.substr(text.offset(), text.size());
}

std::optional<DocId> SearchIndex::FindDoc(std::string_view name) const {
  const std::optional<size_t> found = snapshot_->ResourceIndex(name);
  if (!found.has_value()) return std::nullopt;
  return static_cast<DocId>(*found);
}

absl::Span<const Occurrence> SearchIndex::Occurrences(DocId doc,
                                                      TermId term) const {
  const absl::Span<const DocTerm> terms =
      Range(doc_terms_, &DocExtent::first_term, doc);
  auto it = std::lower_bound(
      terms.begin(), terms.end(), term,
      [](const DocTerm& t, TermId wanted) { return t.term < wanted; });
  if (it == terms.end() || it->term != term) return {};
  const auto global = static_cast<size_t>(it - doc_terms_.data());
  const uint32_t end = global + 1 < doc_terms_.size()
                           ? doc_terms_[global + 1].first_occurrence
                           : static_cast<uint32_t>(occurrences_.size());
  ABSL_HARDENING_ASSERT(it->first_occurrence <= end &&
                        end <= occurrences_.size());
  return occurrences_.subspan(it->first_occurrence, end - it->first_occurrence);
}

std::optional<TermId> SearchIndex::FindTerm(std::string_view term) const {
  const size_t at = term_samples_.LowerBound(
      term, [this](size_t i) { return terms_.Get(sorted_terms_[i]); });
  if (at == sorted_terms_.size() || terms_.Get(sorted_terms_[at]) != term) {
    return std::nullopt;
  }
  return sorted_terms_[at];
}

std::vector<TermId> SearchIndex::TermsWithPrefix(std::string_view prefix,
                                                 size_t limit) const {
  std::vector<TermId> found;
  auto it =
      sorted_terms_.begin() +
      static_cast<std::ptrdiff_t>(term_samples_.LowerBound(
          prefix, [this](size_t i) { return terms_.Get(sorted_terms_[i]); }));
  for (; it != sorted_terms_.end() && found.size() < limit; ++it) {
    const std::string_view term = terms_.Get(*it);
    if (term.substr(0, prefix.size()) != prefix) break;
    found.push_back(*it);
  }
  return found;
}

void SearchIndex::ForEachNeighbour(
    std::string_view word, int max_edits,
    absl::FunctionRef<void(TermId, int)> emit) const {
  if (max_edits <= 0 || !IsAsciiWord(word)) return;
  std::vector<uint32_t> candidates;
  auto look_up = [&](std::string_view variant) {
    const uint64_t hash = DeletionHash(variant);
    auto it = std::lower_bound(
        deletions_.begin(), deletions_.end(), hash,
        [](const Deletion& e, uint64_t h) { return e.hash < h; });
    for (; it != deletions_.end() && it->hash == hash; ++it) {
      candidates.push_back(it->word);
    }
  };
  look_up(word);
  ForEachDeletion(word, max_edits, look_up);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()),
                   candidates.end());
  for (uint32_t w : candidates) {
    const std::string_view candidate = words_.Get(w);
    if (candidate == word) continue;
    const int distance = EditDistance(word, candidate, max_edits);
    if (distance <= max_edits) emit(word_terms_[w], distance);
  }
}

namespace {

// Asks for the cache lines of [begin, end), at most kMaxLines of them: a
// hit's texts, terms and occurrences span a few lines each (about 12 texts,
// 17 terms and 43 occurrences per resource at 100k synthetic entities), and
// explaining reads lines of them other than the first.
template <typename T>
void PrefetchLines(const T* begin, const T* end) {
  constexpr size_t kLine = 64;
  constexpr size_t kMaxLines = 8;
  const auto* byte = reinterpret_cast<const char*>(begin);
  const auto* stop = reinterpret_cast<const char*>(end);
  for (size_t line = 0; line < kMaxLines && byte < stop;
       ++line, byte += kLine) {
    __builtin_prefetch(byte);
  }
}

}  // namespace

void SearchIndex::Prefetch(absl::Span<const DocId> docs,
                           const store::Snapshot& snapshot) const {
  // A small knowledge base (the seeds: hundreds of resources, an index of a
  // few MB) stays in cache between queries: asking for its lines again only
  // costs the instructions (about 1 % of a seeds search call).
  constexpr size_t kCachedDocs = 10000;
  if (docs_.size() < kCachedDocs) return;
  // Each stage reads what the one before it fetched.
  for (const DocId d : docs) {
    __builtin_prefetch(&docs_[d]);
    __builtin_prefetch(&extents_[d]);
    __builtin_prefetch(&extents_[d + 1]);
    // Where its name and wire bytes are: a text is a slice of the wire
    // bytes, so locating any text of the hit reads this entry.
    snapshot.PrefetchResourceEntries(d);
  }
  for (const DocId d : docs) {
    __builtin_prefetch(snapshot.ResourceNameAt(d).data());
    const DocExtent& extent = extents_[d];
    const DocExtent& next = extents_[d + 1];
    PrefetchLines(texts_.data() + extent.first_text,
                  texts_.data() + next.first_text);
    PrefetchLines(doc_terms_.data() + extent.first_term,
                  doc_terms_.data() + next.first_term);
    __builtin_prefetch(doc_name_entries_.data() + extent.first_name_entry);
  }
  const absl::Span<const store::NameEntry> entries = snapshot.NameEntries();
  for (const DocId d : docs) {
    const DocExtent& extent = extents_[d];
    const DocExtent& next = extents_[d + 1];
    if (extent.first_term < next.first_term) {
      // The resource's occurrences end where the next resource's begin.
      const uint32_t end = next.first_term < doc_terms_.size()
                               ? doc_terms_[next.first_term].first_occurrence
                               : static_cast<uint32_t>(occurrences_.size());
      PrefetchLines(
          occurrences_.data() + doc_terms_[extent.first_term].first_occurrence,
          occurrences_.data() + end);
    }
    if (extent.first_text < next.first_text) {
      __builtin_prefetch(text(d, texts_[extent.first_text]).data());
    }
    for (const uint32_t e : NameEntriesOf(d)) {
      // Both ends: a name entry is 64 bytes in a vector whose elements are
      // not line-aligned, and is_display_name is at its end.
      __builtin_prefetch(&entries[e]);
      __builtin_prefetch(&entries[e].is_display_name);
    }
  }
  for (const DocId d : docs) {
    for (const uint32_t e : NameEntriesOf(d)) {
      __builtin_prefetch(entries[e].text.data());
      __builtin_prefetch(NormalizedName(e).data());
    }
  }
}

size_t SearchIndex::MemoryBytes() const {
  size_t bytes =
      sizeof(*this) + name_samples_.MemoryBytes() + term_samples_.MemoryBytes();
  if (owned_ != nullptr) {
    bytes += sizeof(*owned_) +
             owned_->capacity() * sizeof(SearchSections::value_type);
    for (const auto& [kind, section] : *owned_) bytes += section.capacity();
  }
  return bytes;
}

const char* SearchSectionName(SearchSection section) {
  static constexpr const char* kNames[kSearchSectionCount] = {
      "SEARCH_DOCS",
      "SEARCH_DOC_EXTENTS",
      "SEARCH_NAME_ENTRY_DOCS",
      "SEARCH_DOC_NAME_ENTRIES",
      "SEARCH_NORMALIZED_NAME_BYTES",
      "SEARCH_NORMALIZED_NAME_OFFSETS",
      "SEARCH_TEXTS",
      "SEARCH_POOLED_TEXT_BYTES",
      "SEARCH_PATH_BYTES",
      "SEARCH_PATH_OFFSETS",
      "SEARCH_DOC_TERMS",
      "SEARCH_OCCURRENCES",
      "SEARCH_TERM_BYTES",
      "SEARCH_TERM_OFFSETS",
      "SEARCH_SORTED_TERMS",
      "SEARCH_POSTING_BEGIN",
      "SEARCH_POSTINGS",
      "SEARCH_DOC_FREQUENCIES",
      "SEARCH_WORD_BYTES",
      "SEARCH_WORD_OFFSETS",
      "SEARCH_WORD_TERMS",
      "SEARCH_DELETIONS",
      "SEARCH_AVERAGE_LENGTHS"};
  const uint32_t i = static_cast<uint32_t>(section) - kFirstSearchSection;
  return i < kSearchSectionCount ? kNames[i] : "SEARCH_UNKNOWN";
}

uint64_t DeletionHash(std::string_view text) {
  return store::snapshot_format::Checksum(text);
}

}  // namespace factgraph::query::search
