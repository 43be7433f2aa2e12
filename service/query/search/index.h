// The full-text index of one snapshot (docs/search.md, "Index"): for every
// term, the resources whose texts contain it, per field class, with the term
// frequency and its first position; per resource, the length of each field
// class, its texts and where each of its terms occurs in them (for
// explanations); the vocabulary in sorted order (for prefixes) and its
// deletion neighbourhood (for typos). Built once per snapshot, then only
// read.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_INDEX_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_INDEX_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "service/query/search/fields.h"
#include "service/store/snapshot.h"

namespace factgraph::query::search {

using TermId = uint32_t;
using DocId = uint32_t;

// One (term, resource, field class) occurrence, with what ranking reads of
// the resource, so that scoring a hit reads its postings only, never the
// resource's Doc (a cache miss per matching resource at 100k entities and
// more; docs/search.md, "Ranking cost"). 16 bytes.
struct Posting {
  // name_length values from this one on, and this collection, mean "read
  // the Doc" (no knowledge base comes near; they only bound the layout).
  static constexpr uint8_t kLongName = 255;
  static constexpr uint8_t kCollectionInDoc = 15;

  DocId doc;
  uint8_t field_class : 4;  // FieldClass.
  uint8_t collection : 4;   // Doc::collection, or kCollectionInDoc.
  // Terms in the resource's display name (Doc::lengths), or kLongName.
  uint8_t name_length;
  uint16_t first_position;  // Of the first occurrence, saturated.
  // The BM25F term frequency of this field class: weight · frequency /
  // (1 − b + b · length / average length), computed once when the index is
  // built, so that scoring does not read the resource's lengths.
  float weighted_frequency;
  float prior;  // Doc::prior.
};
static_assert(sizeof(Posting) == 16);

// One text of a resource, as ForEachText visits it (fields.h). 16 bytes:
// there are about a dozen per resource.
class StoredText {
 public:
  // Path ids beyond this share the last one (no knowledge base comes near).
  static constexpr uint32_t kMaxPaths = 1u << 24;

  StoredText(std::string_view text, uint32_t path, FieldClass field_class)
      : data_(text.data()),
        size_(static_cast<uint32_t>(text.size())),
        path_and_class_(std::min(path, kMaxPaths - 1) << 8 |
                        static_cast<uint32_t>(field_class)) {}

  // A view into the snapshot's messages, or into the index (enum values,
  // type and collection names).
  std::string_view text() const { return {data_, size_}; }
  uint32_t path() const { return path_and_class_ >> 8; }  // SearchIndex::path
  FieldClass field_class() const {
    return static_cast<FieldClass>(path_and_class_ & 0xFF);
  }

 private:
  const char* data_;
  uint32_t size_;
  uint32_t path_and_class_;
};

// Where a term occurs in one of a resource's texts: in code points (as
// spans are), and the byte where it starts (so that an excerpt of a long
// text is cut without counting the code points before it). 12 bytes: there
// is one per word of every text.
struct Occurrence {
  // Occurrences are kept in the first kMaxTexts texts of a resource.
  static constexpr uint32_t kMaxTexts = 65535;

  uint32_t byte_start;
  int32_t start;
  uint16_t text;    // Index into SearchIndex::texts(doc).
  uint16_t length;  // In code points, saturated.

  int32_t end() const { return start + length; }
};

// A term of one resource and its occurrences.
struct DocTerm {
  TermId term;
  uint32_t first_occurrence;  // Its occurrences end where the next's begin.
};

// Where a resource's texts, terms and name entries begin in the index's
// arrays (they end where the next resource's begin). Kept apart from Doc,
// which scoring reads once per posting: explaining reads these for the page
// only.
struct DocExtent {
  uint32_t first_text = 0;
  uint32_t first_term = 0;
  uint32_t first_name_entry = 0;
};

struct Doc {
  const google::protobuf::Message* resource = nullptr;
  std::string_view name;
  // Terms per field class (saturated at 65535).
  std::array<uint16_t, kFieldClassCount> lengths{};
  // Its collection, as a position in store::AllCollections(): filtering
  // and naming collections need not read the resource.
  uint8_t collection = 0;
  // Static rank, multiplying every score (scorer.cc): resources that many
  // others reference rank a little higher; source documents, which hold
  // every word of their article, lower.
  float prior = 1;
};

class SearchIndex {
 public:
  static SearchIndex Build(const store::Snapshot& snapshot);

  SearchIndex() = default;
  SearchIndex(SearchIndex&&) = default;
  SearchIndex& operator=(SearchIndex&&) = default;

  // Resources, ordered by name: DocId order is name order.
  absl::Span<const Doc> docs() const { return docs_; }
  std::optional<DocId> FindDoc(std::string_view name) const;
  // The resource of each of the snapshot's NameEntries(), by position.
  DocId NameEntryDoc(size_t position) const {
    return name_entry_docs_[position];
  }
  // NameEntries()[position].normalized, from a copy the index keeps in one
  // block: finding the names equal to or starting with a query reads them
  // side by side, not each from its resource's memory.
  std::string_view NormalizedName(size_t position) const {
    const uint32_t begin = normalized_name_begin_[position];
    return std::string_view(normalized_names_)
        .substr(begin, normalized_name_begin_[position + 1] - begin);
  }
  // The positions in the snapshot's NameEntries() of the display name and
  // aliases of `doc`: the display name first, then the aliases in field
  // order.
  absl::Span<const uint32_t> NameEntriesOf(DocId doc) const {
    return Range(doc_name_entries_, &DocExtent::first_name_entry, doc);
  }

  // The texts of `doc` in ForEachText order, and the path of one.
  absl::Span<const StoredText> texts(DocId doc) const {
    return Range(texts_, &DocExtent::first_text, doc);
  }
  std::string_view path(uint32_t id) const { return paths_[id]; }
  // Where `term` occurs in the texts of `doc`, ordered by text, then offset;
  // stop words are not kept. Empty when it does not occur.
  absl::Span<const Occurrence> Occurrences(DocId doc, TermId term) const;
  // Average length of each field class over the resources that have it.
  double average_length(int field_class) const {
    return average_lengths_[field_class];
  }

  std::optional<TermId> FindTerm(std::string_view term) const;
  std::string_view term(TermId id) const { return terms_[id]; }
  // Ordered by doc, then field class.
  absl::Span<const Posting> postings(TermId id) const {
    return absl::MakeConstSpan(postings_).subspan(
        posting_begin_[id], posting_begin_[id + 1] - posting_begin_[id]);
  }
  // Number of resources containing the term.
  uint32_t document_frequency(TermId id) const { return doc_frequency_[id]; }

  // Terms that start with `prefix` (in term order), at most `limit`.
  std::vector<TermId> TermsWithPrefix(std::string_view prefix,
                                      size_t limit) const;
  // Calls emit(term, distance) for each indexed word within `max_edits` of
  // `word` (ASCII; other words have no neighbours), other than `word`.
  void ForEachNeighbour(
      std::string_view word, int max_edits,
      absl::FunctionRef<void(TermId term, int distance)> emit) const;

  // Asks the memory for what naming and explaining `docs` reads first: their
  // Doc, extents, names, texts, terms and name entries (in the index and in
  // `snapshot`). A page's hits lie anywhere in an index of 100k resources
  // and more: requested together, their cache misses overlap instead of
  // following each other (docs/search.md, "Ranking cost").
  void Prefetch(absl::Span<const DocId> docs,
                const store::Snapshot& snapshot) const;

  // Bytes held by the index (vectors, strings and hash tables).
  size_t MemoryBytes() const;

 private:
  // The elements of `all` that belong to `doc`.
  template <typename T>
  absl::Span<const T> Range(const std::vector<T>& all,
                            uint32_t DocExtent::*first, DocId doc) const {
    const uint32_t begin = extents_[doc].*first;
    return absl::MakeConstSpan(all).subspan(begin,
                                            extents_[doc + 1].*first - begin);
  }

  std::vector<Doc> docs_;
  std::vector<DocExtent> extents_;  // docs_.size() + 1 entries.
  std::vector<DocId> name_entry_docs_;
  std::vector<uint32_t> doc_name_entries_;
  std::string normalized_names_;                 // NormalizedName.
  std::vector<uint32_t> normalized_name_begin_;  // Entries + 1.
  std::vector<StoredText> texts_;
  std::vector<DocTerm> doc_terms_;
  std::vector<Occurrence> occurrences_;
  std::vector<std::string> paths_;
  // Texts that are not in the snapshot's messages (enum values): stable
  // addresses for StoredText's views.
  std::vector<std::unique_ptr<const std::string>> pooled_texts_;
  std::array<double, kFieldClassCount> average_lengths_{};
  std::vector<std::string> terms_;
  absl::flat_hash_map<std::string_view, TermId> term_ids_;
  std::vector<TermId> sorted_terms_;
  std::vector<uint32_t> posting_begin_;  // terms_.size() + 1 entries.
  std::vector<Posting> postings_;
  std::vector<uint32_t> doc_frequency_;
  // Indexed words (ASCII, unstemmed) for typo matching, with their terms.
  std::vector<std::string> words_;
  std::vector<TermId> word_terms_;
  // (hash of a deletion variant or of the word itself, word), sorted.
  std::vector<std::pair<uint64_t, uint32_t>> deletions_;
};

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_INDEX_H_
