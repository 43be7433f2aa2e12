// The full-text index of one snapshot (docs/search.md, "Index"): for every
// term, the resources whose texts contain it, per field class, with the term
// frequency and its first position; per resource, the length of each field
// class, its texts and where each of its terms occurs in them (for
// explanations); the vocabulary in sorted order (for prefixes) and its
// deletion neighbourhood (for typos). Built by index_builder.h into the
// sections of index_format.h, which a compiled snapshot file holds; this
// class validates them once and then reads them in place (from the file's
// mapping, or from its own copy for a seeds snapshot).
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

#include "absl/base/macros.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "service/query/search/fields.h"
#include "service/query/search/index_format.h"
#include "service/store/snapshot.h"

namespace factgraph::query::search {

using TermId = uint32_t;
using DocId = uint32_t;

class SearchIndex {
 public:
  // The index of `snapshot`, which must outlive it: read from the
  // snapshot's search sections when its file has them (validated first:
  // INVALID_ARGUMENT naming the section and its file offset for anything
  // out of range or out of order), else built in memory by
  // BuildSearchSections and read the same way.
  static absl::StatusOr<SearchIndex> Open(const store::Snapshot& snapshot);
  // The index over `sections` (as BuildSearchSections makes them), which it
  // keeps.
  static absl::StatusOr<SearchIndex> FromSections(
      const store::Snapshot& snapshot, SearchSections sections);

  SearchIndex() = default;
  SearchIndex(SearchIndex&&) = default;
  SearchIndex& operator=(SearchIndex&&) = default;

  // Resources, ordered by name: DocId order is name order, the snapshot's
  // resource order.
  absl::Span<const DocRecord> docs() const { return docs_; }
  std::string_view name(DocId doc) const;
  std::optional<DocId> FindDoc(std::string_view name) const;
  // The resource of each of the snapshot's NameEntries(), by position.
  DocId NameEntryDoc(size_t position) const {
    ABSL_HARDENING_ASSERT(position < name_entry_docs_.size());
    return name_entry_docs_[position];
  }
  // NameEntries()[position].normalized, from a copy the index keeps in one
  // block: finding the names equal to or starting with a query reads them
  // side by side, not each from its resource's memory.
  std::string_view NormalizedName(size_t position) const {
    return normalized_names_.Get(position);
  }
  // The first name entry position whose NormalizedName is not less than
  // `text` (NameEntries().size() when there is none): the names equal to a
  // query and those that start with it begin there. A search of a small
  // in-memory sample first (docs/search.md, "Ranking cost").
  size_t FirstNameAtLeast(std::string_view text) const;
  // The positions in the snapshot's NameEntries() of the display name and
  // aliases of `doc`: the display name first, then the aliases in field
  // order.
  absl::Span<const uint32_t> NameEntriesOf(DocId doc) const {
    return Range(doc_name_entries_, &DocExtent::first_name_entry, doc);
  }

  // The texts of `doc` in ForEachText order, the bytes of one and the path
  // of one.
  absl::Span<const StoredText> texts(DocId doc) const {
    return Range(texts_, &DocExtent::first_text, doc);
  }
  std::string_view text(DocId doc, const StoredText& text) const;
  // The same, given the snapshot's WireBytesAt(doc): a caller reading
  // several texts of one resource locates its bytes once.
  std::string_view text(std::string_view wire_bytes,
                        const StoredText& text) const;
  std::string_view path(uint32_t id) const { return paths_.Get(id); }
  // Where `term` occurs in the texts of `doc`, ordered by text, then offset;
  // stop words are not kept. Empty when it does not occur.
  absl::Span<const Occurrence> Occurrences(DocId doc, TermId term) const;
  // Average length of each field class over the resources that have it.
  double average_length(int field_class) const {
    ABSL_HARDENING_ASSERT(field_class >= 0 && field_class < kFieldClassCount);
    return average_lengths_[static_cast<size_t>(field_class)];
  }

  std::optional<TermId> FindTerm(std::string_view term) const;
  size_t term_count() const { return terms_.size(); }
  std::string_view term(TermId id) const { return terms_.Get(id); }
  // Ordered by doc, then field class.
  absl::Span<const Posting> postings(TermId id) const {
    ABSL_HARDENING_ASSERT(id + size_t{1} < posting_begin_.size());
    return postings_.subspan(posting_begin_[id],
                             posting_begin_[id + 1] - posting_begin_[id]);
  }
  // Number of resources containing the term.
  uint32_t document_frequency(TermId id) const {
    ABSL_HARDENING_ASSERT(id < doc_frequency_.size());
    return doc_frequency_[id];
  }

  // Terms that start with `prefix` (in term order), at most `limit`.
  std::vector<TermId> TermsWithPrefix(std::string_view prefix,
                                      size_t limit) const;
  // Calls emit(term, distance) for each indexed word within `max_edits` of
  // `word` (ASCII; other words have no neighbours), other than `word`.
  void ForEachNeighbour(
      std::string_view word, int max_edits,
      absl::FunctionRef<void(TermId term, int distance)> emit) const;

  // Asks the memory for what naming and explaining `docs` reads first: their
  // records, extents, names, texts, terms and name entries (in the index and
  // in `snapshot`). A page's hits lie anywhere in an index of 100k resources
  // and more: requested together, their cache misses overlap instead of
  // following each other (docs/search.md, "Ranking cost").
  void Prefetch(absl::Span<const DocId> docs,
                const store::Snapshot& snapshot) const;

  // Bytes the index owns on the heap: its sections for a seeds snapshot,
  // next to nothing when it reads a file's mapping (the samples of its
  // names and terms: 8 bytes per 16 of each).
  size_t MemoryBytes() const;

 private:
  // Strings delimited by a validated u32 offset table.
  struct Strings {
    std::string_view bytes;
    absl::Span<const uint32_t> offsets;
    size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::string_view Get(size_t i) const {
      ABSL_HARDENING_ASSERT(i + 1 < offsets.size());
      ABSL_HARDENING_ASSERT(offsets[i] <= offsets[i + 1] &&
                            offsets[i + 1] <= bytes.size());
      return bytes.substr(offsets[i], offsets[i + 1] - offsets[i]);
    }
  };
  friend class SearchIndexValidator;

  // The first 8 bytes of every kStride-th of a sorted run of strings, as
  // big-endian numbers (zero-padded), built when the index is opened: a
  // lower bound searches these (a few kB, which stay in cache between
  // queries) and then kStride strings that lie side by side, rather than
  // binary-searching the whole run with a cache miss or two per step and a
  // memcmp each (docs/search.md, "Ranking cost").
  class SampledKeys {
   public:
    static constexpr size_t kStride = 16;
    // `count` strings, `at(i)` the i-th in sorted order.
    void Build(size_t count, absl::FunctionRef<std::string_view(size_t)> at);
    // The first i < count with at(i) >= text, else count (index.cc).
    template <typename At>
    size_t LowerBound(std::string_view text, const At& at) const;
    size_t MemoryBytes() const {
      return samples_.capacity() * sizeof(uint64_t);
    }

   private:
    size_t count_ = 0;
    std::vector<uint64_t> samples_;
  };
  // Builds the samples, once the sections are validated.
  void Sample();

  // The elements of `all` that belong to `doc`.
  template <typename T>
  absl::Span<const T> Range(absl::Span<const T> all, uint32_t DocExtent::*first,
                            DocId doc) const {
    ABSL_HARDENING_ASSERT(doc + size_t{1} < extents_.size());
    const uint32_t begin = extents_[doc].*first;
    const uint32_t end = extents_[doc + 1].*first;
    ABSL_HARDENING_ASSERT(begin <= end && end <= all.size());
    return all.subspan(begin, end - begin);
  }

  const store::Snapshot* snapshot_ = nullptr;
  // The sections, when the index owns them (a seeds snapshot).
  std::shared_ptr<const SearchSections> owned_;
  absl::Span<const DocRecord> docs_;
  absl::Span<const DocExtent> extents_;  // docs_.size() + 1 entries.
  absl::Span<const uint32_t> name_entry_docs_;
  absl::Span<const uint32_t> doc_name_entries_;
  Strings normalized_names_;  // One per name entry.
  absl::Span<const StoredText> texts_;
  std::string_view pooled_texts_;
  Strings paths_;
  absl::Span<const DocTerm> doc_terms_;
  absl::Span<const Occurrence> occurrences_;
  Strings terms_;
  absl::Span<const TermId> sorted_terms_;
  absl::Span<const uint32_t> posting_begin_;  // terms_.size() + 1 entries.
  absl::Span<const Posting> postings_;
  absl::Span<const uint32_t> doc_frequency_;
  // Indexed words (ASCII, unstemmed) for typo matching, with their terms.
  Strings words_;
  absl::Span<const TermId> word_terms_;
  absl::Span<const Deletion> deletions_;      // Sorted by hash, then word.
  absl::Span<const double> average_lengths_;  // kFieldClassCount entries.
  SampledKeys name_samples_;                  // Of normalized_names_.
  SampledKeys term_samples_;  // Of the terms in sorted_terms_ order.
};

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_INDEX_H_
