// The search index as index sections of a compiled snapshot file
// (docs/snapshot-format.md "Search index sections"): the section kinds, in
// the range the store reserves for search, and the fixed-width records that
// the builder (index_builder.h) writes and the reader (index.h) reads in
// place. Every record is little-endian with no implicit padding; the reader
// views the sections as arrays of them, so they are laid out for the
// platforms the server runs on (checked below) and validated before use.
#ifndef FACTGRAPH_SERVICE_QUERY_SEARCH_INDEX_FORMAT_H_
#define FACTGRAPH_SERVICE_QUERY_SEARCH_INDEX_FORMAT_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/query/search/fields.h"

namespace factgraph::query::search {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the search index sections are read in place as little-endian");

// In the store's search range (snapshot_format::kSearchIndexKinds), in the
// order they are written. "Per doc" means per resource in name order (DocId
// order); blobs are concatenated strings delimited by u32 offset tables of
// one entry more than strings, starting at 0 and ending at the blob's size.
enum class SearchSection : uint32_t {
  kDocs = 200,                   // DocRecord per doc.
  kDocExtents = 201,             // DocExtent per doc, plus one.
  kNameEntryDocs = 202,          // u32 DocId per snapshot name entry.
  kDocNameEntries = 203,         // u32 name entry positions, by doc.
  kNormalizedNameBytes = 204,    // Blob: each name entry's normalized text.
  kNormalizedNameOffsets = 205,  // u32 offsets into it.
  kTexts = 206,                  // StoredText per text, by doc.
  kPooledTextBytes = 207,        // Texts not in any resource's wire bytes.
  kPathBytes = 208,              // Blob: text paths ("roles[2].title").
  kPathOffsets = 209,            // u32 offsets into it.
  kDocTerms = 210,               // DocTerm per (doc, term), by doc, term.
  kOccurrences = 211,            // Occurrence per DocTerm occurrence.
  kTermBytes = 212,              // Blob: terms, in TermId order.
  kTermOffsets = 213,            // u32 offsets into it.
  kSortedTerms = 214,            // u32 TermIds in term (byte) order.
  kPostingBegin = 215,           // u32 per term, plus one: into kPostings.
  kPostings = 216,               // Posting, by term, doc, field class.
  kDocFrequencies = 217,         // u32 per term.
  kWordBytes = 218,              // Blob: words for typo matching.
  kWordOffsets = 219,            // u32 offsets into it.
  kWordTerms = 220,              // u32 TermId per word.
  kDeletions = 221,              // Deletion records, sorted.
  kAverageLengths = 222,         // f64 per field class.
};
inline constexpr uint32_t kFirstSearchSection = 200;
inline constexpr uint32_t kSearchSectionCount = 23;

// "SEARCH_DOCS" etc., for error messages and the format doc.
const char* SearchSectionName(SearchSection section);

// One resource: what ranking reads of it. 24 bytes.
struct DocRecord {
  // Terms per field class (saturated at 65535).
  std::array<uint16_t, kFieldClassCount> lengths;
  // Its collection, as a position in store::AllCollections(): filtering
  // and naming collections need not read the resource.
  uint8_t collection;
  uint8_t zero;  // Padding, 0.
  // Static rank, multiplying every score (scorer.cc): resources that many
  // others reference rank a little higher; source documents, which hold
  // every word of their article, lower.
  float prior;
};
static_assert(sizeof(DocRecord) == 24);

// Where a resource's texts, terms and name entries begin in the index's
// arrays (they end where the next resource's begin). Kept apart from
// DocRecord, which scoring reads once per posting: explaining reads these
// for the page only. 12 bytes.
struct DocExtent {
  uint32_t first_text = 0;
  uint32_t first_term = 0;
  uint32_t first_name_entry = 0;
};
static_assert(sizeof(DocExtent) == 12);

// One (term, resource, field class) occurrence, with what ranking reads of
// the resource, so that scoring a hit reads its postings only, never the
// resource's DocRecord (a cache miss per matching resource at 100k entities
// and more; docs/search.md, "Ranking cost"). 16 bytes; the bit-fields are
// allocated from the low bits of their byte (the System V ABI's rule, which
// GCC and Clang follow).
struct Posting {
  // name_length values from this one on, and this collection, mean "read
  // the DocRecord" (no knowledge base comes near; they only bound the
  // layout).
  static constexpr uint8_t kLongName = 255;
  static constexpr uint8_t kCollectionInDoc = 15;

  uint32_t doc;
  uint8_t field_class : 4;  // FieldClass.
  uint8_t collection : 4;   // DocRecord::collection, or kCollectionInDoc.
  // Terms in the resource's display name (DocRecord::lengths), or kLongName.
  uint8_t name_length;
  uint16_t first_position;  // Of the first occurrence, saturated.
  // The BM25F term frequency of this field class: weight · frequency /
  // (1 − b + b · length / average length), computed once when the index is
  // built, so that scoring does not read the resource's lengths.
  float weighted_frequency;
  float prior;  // DocRecord::prior.
};
static_assert(sizeof(Posting) == 16);

// One text of a resource, as ForEachText visits it (fields.h): where its
// bytes are, its path and its field class. 12 bytes. A text is a slice of
// the resource's own wire bytes (Snapshot::WireBytesAt), where every string
// field lies verbatim, or, when it is not there (enum values, type and
// collection names, a reference's target's aliases), of kPooledTextBytes.
class StoredText {
 public:
  // Path ids beyond this share the last one (no knowledge base comes near).
  static constexpr uint32_t kMaxPaths = 1u << 24;
  // In the low byte: the field class, and this bit for pooled texts.
  static constexpr uint32_t kPooled = 0x80;

  StoredText(uint32_t offset, uint32_t size, uint32_t path,
             FieldClass field_class, bool pooled)
      : offset_(offset),
        size_(size),
        path_and_class_(std::min(path, kMaxPaths - 1) << 8 |
                        static_cast<uint32_t>(field_class) |
                        (pooled ? kPooled : 0)) {}

  uint32_t offset() const { return offset_; }
  uint32_t size() const { return size_; }
  bool pooled() const { return (path_and_class_ & kPooled) != 0; }
  uint32_t path() const { return path_and_class_ >> 8; }  // SearchIndex::path
  FieldClass field_class() const {
    return static_cast<FieldClass>(path_and_class_ & 0x7F);
  }

 private:
  uint32_t offset_;
  uint32_t size_;
  uint32_t path_and_class_;
};
static_assert(sizeof(StoredText) == 12);

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
static_assert(sizeof(Occurrence) == 12);

// A term of one resource and its occurrences. 8 bytes.
struct DocTerm {
  uint32_t term;
  uint32_t first_occurrence;  // Its occurrences end where the next's begin.
};
static_assert(sizeof(DocTerm) == 8);

// XXH3-64 of a deletion variant (or of a word itself), and the word. 16
// bytes. Sorted by hash, then word.
struct Deletion {
  uint64_t hash;
  uint32_t word;
  uint32_t zero;  // Padding, 0.
};
static_assert(sizeof(Deletion) == 16);

// The hash of the deletion neighbourhood: stable across processes, unlike
// absl::Hash, since the file keeps it.
uint64_t DeletionHash(std::string_view text);

// The sections of one index, in kind order: what the builder makes and the
// reader takes (the in-memory index of a seeds snapshot owns them).
using SearchSections = std::vector<std::pair<uint32_t, std::string>>;

}  // namespace factgraph::query::search

#endif  // FACTGRAPH_SERVICE_QUERY_SEARCH_INDEX_FORMAT_H_
