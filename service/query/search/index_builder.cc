#include "service/query/search/index_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/query/search/analyzer.h"
#include "service/query/search/record_spool.h"
#include "service/query/search/typo.h"
#include "service/store/collections.h"
#include "service/store/snapshot_file_builder.h"

namespace factgraph::query::search {
namespace {

using google::protobuf::Message;

bool IsAsciiWord(std::string_view word) {
  for (char c : word) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Ties of positions beyond this are not told apart (phrases are found near
// the start of a field, where they matter).
constexpr uint32_t kMaxPosition = 65535;

// Weight of the number of references to a resource in its prior.
constexpr double kLinkPrior = 0.1;
// Source documents hold every word of their article: they rank below the
// resources the article is about.
constexpr double kSourceDocumentPrior = 0.5;

// What the format's u32 counts and offsets can address.
constexpr size_t kMaxU32 = std::numeric_limits<uint32_t>::max();

using store::snapshot_format::SectionSink;

// Hands the records of `spool` to `out` as section `kind`, then frees them.
template <typename T>
absl::Status EmitSpool(SearchSection kind, RecordSpool<T>* spool,
                       SectionSink& out) {
  out.BeginSection(static_cast<uint32_t>(kind));
  absl::Status status = spool->ForEachChunk([&](absl::Span<const T> chunk) {
    out.Append(std::string_view(reinterpret_cast<const char*>(chunk.data()),
                                chunk.size() * sizeof(T)));
  });
  out.EndSection();
  spool->Clear();
  return status;
}

// The bytes of an array of records (index_format.h: little-endian, no
// implicit padding, so their memory is their stored form).
template <typename T>
std::string_view BytesOf(const std::vector<T>& values) {
  return std::string_view(reinterpret_cast<const char*>(values.data()),
                          values.size() * sizeof(T));
}

// Hands `values` to `out` as section `kind`, then frees them: the draft
// shrinks as the file grows.
template <typename T>
void Emit(SearchSection kind, std::vector<T>* values, SectionSink& out) {
  out(static_cast<uint32_t>(kind), BytesOf(*values));
  std::vector<T>().swap(*values);
}

// Strings concatenated, with the u32 offset table that delimits them.
struct Blob {
  std::string bytes;
  std::vector<uint32_t> offsets{0};

  void Add(std::string_view text) {
    bytes.append(text);
    offsets.push_back(
        static_cast<uint32_t>(std::min<size_t>(bytes.size(), kMaxU32)));
  }
  bool fits() const { return bytes.size() <= kMaxU32; }
};

// A posting while the index is built: its term and its frequency, from
// which the weighted frequency is computed once every length is known.
struct BuildPosting {
  uint32_t term;
  Posting posting;
  uint8_t frequency = 0;  // Saturated at 255.
};

// Everything the sections are made of, filled stage by stage.
struct Draft {
  std::vector<DocRecord> docs;
  std::vector<DocExtent> extents;  // docs.size() + 1.
  std::vector<uint32_t> name_entry_docs;
  std::vector<uint32_t> doc_name_entries;
  Blob normalized_names;
  RecordSpool<StoredText> texts;
  std::string pooled_texts;
  Blob paths;
  RecordSpool<DocTerm> doc_terms;
  RecordSpool<Occurrence> occurrences;
  std::vector<std::string> terms;  // By TermId.
  RecordSpool<BuildPosting> postings;
  std::vector<std::string> words;
  std::vector<uint32_t> word_terms;
  std::array<double, kFieldClassCount> average_lengths{};
};

// SEARCH_NAME_ENTRY_DOCS, SEARCH_DOC_NAME_ENTRIES (each resource's entries,
// its display name first, then its aliases in field order) and the
// normalized names, a copy of NameEntries()[e].normalized kept in one block:
// finding the names equal to or starting with a query reads them side by
// side, not each from its resource's memory.
void NameEntrySections(const store::Snapshot& snapshot, Draft* draft) {
  const absl::Span<const store::NameEntry> entries = snapshot.NameEntries();
  const size_t doc_count = snapshot.resource_count();
  for (const store::NameEntry& entry : entries) {
    // Every name entry is of a resource with a name.
    draft->name_entry_docs.push_back(static_cast<uint32_t>(
        snapshot.ResourceIndex(entry.resource_name).value_or(0)));
    draft->normalized_names.Add(entry.normalized);
  }
  // A counting sort by resource.
  std::vector<uint32_t> next(doc_count + 1, 0);
  for (uint32_t d : draft->name_entry_docs) ++next[d + 1];
  for (size_t d = 0; d < doc_count; ++d) {
    next[d + 1] += next[d];
    draft->extents[d].first_name_entry = next[d];
  }
  draft->extents.back().first_name_entry = next.back();
  draft->doc_name_entries.resize(draft->name_entry_docs.size());
  for (uint32_t e = 0; e < draft->name_entry_docs.size(); ++e) {
    draft->doc_name_entries[next[draft->name_entry_docs[e]]++] = e;
  }
  std::vector<std::pair<size_t, uint32_t>> ranked;  // (rank, entry)
  for (uint32_t d = 0; d < doc_count; ++d) {
    const uint32_t first = draft->extents[d].first_name_entry;
    auto own =
        absl::MakeSpan(draft->doc_name_entries)
            .subspan(first, draft->extents[d + 1].first_name_entry - first);
    if (own.size() < 2) continue;
    // Entries are in normalized order; two aliases may normalize alike
    // ("Kwang Hyung Lee", "Kwang-Hyung Lee"): the first as written wins,
    // so they are put back in field order (an entry's text is a view of
    // its field).
    const Message& resource = snapshot.ResourceAt(d);
    const auto* aliases = resource.GetDescriptor()->FindFieldByName("aliases");
    ranked.clear();
    for (uint32_t e : own) {
      size_t rank = 0;
      if (!entries[e].is_display_name && aliases != nullptr &&
          aliases->is_repeated() &&
          aliases->cpp_type() ==
              google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
        const google::protobuf::Reflection& reflection =
            *resource.GetReflection();
        const int count = reflection.FieldSize(resource, aliases);
        rank = static_cast<size_t>(count) + 1;
        std::string scratch;
        for (int i = 0; i < count; ++i) {
          if (reflection.GetRepeatedStringReference(
                  resource, aliases, i, &scratch) == entries[e].text) {
            rank = static_cast<size_t>(i) + 1;
            break;
          }
        }
      }
      ranked.emplace_back(rank, e);
    }
    std::sort(ranked.begin(), ranked.end());
    for (size_t i = 0; i < own.size(); ++i) own[i] = ranked[i].second;
  }
}

// SEARCH_DOCS, SEARCH_TEXTS, SEARCH_POOLED_TEXT_BYTES, the paths, the
// resources' terms and occurrences, the vocabulary, the words for typos and
// the postings (without their weighted frequencies): one walk over every
// text of every resource.
void TextSections(const store::Snapshot& snapshot, Draft* draft) {
  absl::flat_hash_map<std::string, uint32_t> term_ids;
  absl::flat_hash_map<std::string, uint32_t> word_ids;
  std::array<double, kFieldClassCount> length_sums{};
  std::array<uint32_t, kFieldClassCount> length_counts{};
  // Per resource: (term, field class) -> its posting.
  absl::flat_hash_map<std::pair<uint32_t, uint8_t>, BuildPosting> local;
  absl::flat_hash_map<std::string, uint32_t> path_ids;
  absl::flat_hash_map<std::string, uint32_t> pooled;  // Text -> offset.
  // The resource's (term, occurrence) pairs, in text order.
  std::vector<std::pair<uint32_t, Occurrence>> occurrences;
  const std::vector<store::Collection>& collections = store::AllCollections();
  const size_t doc_count = snapshot.resource_count();
  draft->docs.resize(doc_count);
  for (uint32_t d = 0; d < doc_count; ++d) {
    DocRecord& doc = draft->docs[d];
    const Message& resource = snapshot.ResourceAt(d);
    const std::string_view wire = snapshot.WireBytesAt(d);
    const store::Collection* collection =
        store::CollectionByDescriptor(resource.GetDescriptor());
    doc.collection = static_cast<uint8_t>(
        collection == nullptr ? 0 : collection - collections.data());
    local.clear();
    occurrences.clear();
    DocExtent& extent = draft->extents[d];
    extent.first_text = static_cast<uint32_t>(draft->texts.size());
    extent.first_term = static_cast<uint32_t>(draft->doc_terms.size());
    std::array<uint32_t, kFieldClassCount> lengths{};
    ForEachText(
        resource, &snapshot,
        [&](std::string_view path, FieldClass field_class,
            std::string_view text) {
          const int c = static_cast<int>(field_class);
          const uint32_t text_index =
              static_cast<uint32_t>(draft->texts.size()) - extent.first_text;
          auto [path_it, new_path] = path_ids.try_emplace(
              absl::string_view(path.data(), path.size()),
              static_cast<uint32_t>(draft->paths.offsets.size() - 1));
          if (new_path) draft->paths.Add(path);
          // A string field lies verbatim in the resource's wire bytes (any
          // place holding the same bytes will do); type, collection and enum
          // texts, and a reference's target's aliases, are pooled once.
          const size_t found = field_class == FieldClass::kKind || text.empty()
                                   ? std::string_view::npos
                                   : wire.find(text);
          if (found != std::string_view::npos || text.empty()) {
            draft->texts.emplace_back(
                static_cast<uint32_t>(found == std::string_view::npos ? 0
                                                                      : found),
                static_cast<uint32_t>(text.size()), path_it->second,
                field_class, false);
          } else {
            auto [pool_it, new_text] =
                pooled.try_emplace(absl::string_view(text.data(), text.size()),
                                   static_cast<uint32_t>(std::min<size_t>(
                                       draft->pooled_texts.size(), kMaxU32)));
            if (new_text) draft->pooled_texts.append(text);
            draft->texts.emplace_back(pool_it->second,
                                      static_cast<uint32_t>(text.size()),
                                      path_it->second, field_class, true);
          }
          // Texts of one class follow each other, a gap apart so that a
          // phrase does not span two of them.
          const uint32_t base = lengths[c] == 0 ? 0 : lengths[c] + 1;
          uint32_t used = 0;
          for (const Token& token : Analyze(text)) {
            if (token.stop_word) continue;
            auto [term_it, new_term] = term_ids.try_emplace(
                token.term, static_cast<uint32_t>(term_ids.size()));
            if (new_term) draft->terms.push_back(token.term);
            if (IsAsciiWord(token.word) && token.word.size() >= 4) {
              auto [word_it, new_word] = word_ids.try_emplace(
                  token.word, static_cast<uint32_t>(word_ids.size()));
              if (new_word) {
                draft->words.push_back(token.word);
                draft->word_terms.push_back(term_it->second);
              }
            }
            const uint32_t position = std::min<uint32_t>(
                base + static_cast<uint32_t>(token.position), kMaxPosition);
            auto [it, inserted] = local.try_emplace(
                std::make_pair(term_it->second, static_cast<uint8_t>(c)));
            if (inserted) {
              it->second.term = term_it->second;
              it->second.posting = Posting{};
              it->second.posting.doc = d;
              it->second.posting.field_class = static_cast<uint8_t>(c) & 0xF;
              it->second.posting.first_position =
                  static_cast<uint16_t>(position);
            }
            if (it->second.frequency < 255) ++it->second.frequency;
            if (text_index < Occurrence::kMaxTexts) {
              occurrences.emplace_back(
                  term_it->second,
                  Occurrence{static_cast<uint32_t>(token.byte_start),
                             token.start, static_cast<uint16_t>(text_index),
                             static_cast<uint16_t>(std::min<int32_t>(
                                 token.end - token.start, 65535))});
            }
            used = static_cast<uint32_t>(token.position) + 1;
          }
          lengths[c] = base + used;
        });
    for (int c = 0; c < kFieldClassCount; ++c) {
      doc.lengths[c] =
          static_cast<uint16_t>(std::min<uint32_t>(lengths[c], 65535));
      if (lengths[c] > 0) {
        length_sums[c] += doc.lengths[c];
        ++length_counts[c];
      }
    }
    const double links = static_cast<double>(
        snapshot.LinksTo(snapshot.ResourceNameAt(d)).size());
    doc.prior =
        static_cast<float>((1 + kLinkPrior * std::log1p(links)) *
                           (lengths[static_cast<int>(FieldClass::kContent)] > 0
                                ? kSourceDocumentPrior
                                : 1.0));
    for (const auto& [key, posting] : local) draft->postings.push_back(posting);
    // Grouped by term, each group still in text order.
    std::stable_sort(
        occurrences.begin(), occurrences.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < occurrences.size(); ++i) {
      if (i == 0 || occurrences[i].first != occurrences[i - 1].first) {
        draft->doc_terms.push_back(
            DocTerm{occurrences[i].first,
                    static_cast<uint32_t>(draft->occurrences.size())});
      }
      draft->occurrences.push_back(occurrences[i].second);
    }
  }
  draft->extents.back().first_text = static_cast<uint32_t>(draft->texts.size());
  draft->extents.back().first_term =
      static_cast<uint32_t>(draft->doc_terms.size());
  for (int c = 0; c < kFieldClassCount; ++c) {
    draft->average_lengths[c] =
        length_counts[c] == 0 ? 1.0 : length_sums[c] / length_counts[c];
  }
}

// SEARCH_POSTING_BEGIN, SEARCH_POSTINGS and SEARCH_DOC_FREQUENCIES:
// postings grouped by term (a counting sort), each list by doc and class,
// with their weighted frequencies.
absl::Status PostingSections(Draft* draft, SectionSink& out) {
  const size_t term_count = draft->terms.size();
  std::vector<uint32_t> begin(term_count + 1, 0);
  absl::Status status =
      draft->postings.ForEachChunk([&](absl::Span<const BuildPosting> chunk) {
        for (const BuildPosting& p : chunk) ++begin[p.term + 1];
      });
  for (size_t t = 0; t < term_count; ++t) begin[t + 1] += begin[t];
  std::vector<Posting> postings(draft->postings.size());
  std::vector<uint32_t> next(begin.begin(), begin.end() - 1);
  static_assert(kFieldClassCount <= 16);
  if (status.ok()) {
    status =
        draft->postings.ForEachChunk([&](absl::Span<const BuildPosting> chunk) {
          for (const BuildPosting& built : chunk) {
            Posting p = built.posting;
            const DocRecord& doc = draft->docs[p.doc];
            const auto c = static_cast<FieldClass>(p.field_class);
            const double b = LengthNormalization(c);
            p.weighted_frequency =
                static_cast<float>(FieldWeight(c) * built.frequency /
                                   (1 - b +
                                    b * doc.lengths[p.field_class] /
                                        draft->average_lengths[p.field_class]));
            p.collection =
                std::min<uint8_t>(doc.collection, Posting::kCollectionInDoc);
            p.name_length = static_cast<uint8_t>(std::min<uint16_t>(
                doc.lengths[static_cast<int>(FieldClass::kName)],
                Posting::kLongName));
            p.prior = doc.prior;
            postings[next[built.term]++] = p;
          }
        });
  }
  draft->postings.Clear();
  if (!status.ok()) return status;
  std::vector<uint32_t> frequencies(term_count, 0);
  for (size_t t = 0; t < term_count; ++t) {
    auto list =
        absl::MakeSpan(postings).subspan(begin[t], begin[t + 1] - begin[t]);
    std::sort(list.begin(), list.end(), [](const Posting& a, const Posting& b) {
      return a.doc != b.doc ? a.doc < b.doc : a.field_class < b.field_class;
    });
    uint32_t docs = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      if (i == 0 || list[i].doc != list[i - 1].doc) ++docs;
    }
    frequencies[t] = docs;
  }
  Emit(SearchSection::kPostingBegin, &begin, out);
  Emit(SearchSection::kPostings, &postings, out);
  Emit(SearchSection::kDocFrequencies, &frequencies, out);
  return absl::OkStatus();
}

// SEARCH_SORTED_TERMS: the vocabulary in byte order, for prefixes and
// lookups.
std::vector<uint32_t> SortedTerms(const std::vector<std::string>& terms) {
  std::vector<uint32_t> sorted(terms.size());
  for (uint32_t t = 0; t < terms.size(); ++t) sorted[t] = t;
  std::sort(sorted.begin(), sorted.end(),
            [&](uint32_t a, uint32_t b) { return terms[a] < terms[b]; });
  return sorted;
}

// SEARCH_DELETIONS: the deletion neighbourhood of every word, sorted.
std::vector<Deletion> Deletions(const std::vector<std::string>& words) {
  std::vector<Deletion> deletions;
  for (uint32_t w = 0; w < words.size(); ++w) {
    const std::string& word = words[w];
    deletions.push_back(Deletion{DeletionHash(word), w, 0});
    ForEachDeletion(word, IndexedEdits(word.size()), [&](std::string_view v) {
      deletions.push_back(Deletion{DeletionHash(v), w, 0});
    });
  }
  std::sort(deletions.begin(), deletions.end(),
            [](const Deletion& a, const Deletion& b) {
              return a.hash != b.hash ? a.hash < b.hash : a.word < b.word;
            });
  return deletions;
}

void EmitBlob(SearchSection bytes, SearchSection offsets, Blob* blob,
              SectionSink& out) {
  out(static_cast<uint32_t>(bytes), blob->bytes);
  std::string().swap(blob->bytes);
  Emit(offsets, &blob->offsets, out);
}

}  // namespace

absl::Status WriteSearchSections(const store::Snapshot& snapshot,
                                 SectionSink& out) {
  if (snapshot.resource_count() >= kMaxU32 ||
      snapshot.NameEntries().size() >= kMaxU32) {
    return absl::InternalError("too many resources for the search index");
  }
  Draft draft;
  draft.extents.resize(snapshot.resource_count() + 1);
  NameEntrySections(snapshot, &draft);
  TextSections(snapshot, &draft);
  Blob terms, words;
  for (const std::string& term : draft.terms) terms.Add(term);
  for (const std::string& word : draft.words) words.Add(word);
  if (!draft.normalized_names.fits() || !draft.paths.fits() || !terms.fits() ||
      !words.fits() || draft.pooled_texts.size() > kMaxU32 ||
      draft.texts.size() >= kMaxU32 || draft.doc_terms.size() >= kMaxU32 ||
      draft.occurrences.size() >= kMaxU32 || draft.postings.size() >= kMaxU32) {
    return absl::InternalError(
        "the search index outgrows the 32-bit offsets of its sections");
  }
  // In kind order; each part of the draft is freed once written, except
  // the docs, which the postings read.
  out(static_cast<uint32_t>(SearchSection::kDocs), BytesOf(draft.docs));
  Emit(SearchSection::kDocExtents, &draft.extents, out);
  Emit(SearchSection::kNameEntryDocs, &draft.name_entry_docs, out);
  Emit(SearchSection::kDocNameEntries, &draft.doc_name_entries, out);
  EmitBlob(SearchSection::kNormalizedNameBytes,
           SearchSection::kNormalizedNameOffsets, &draft.normalized_names, out);
  if (absl::Status status = EmitSpool(SearchSection::kTexts, &draft.texts, out);
      !status.ok()) {
    return status;
  }
  out(static_cast<uint32_t>(SearchSection::kPooledTextBytes),
      draft.pooled_texts);
  std::string().swap(draft.pooled_texts);
  EmitBlob(SearchSection::kPathBytes, SearchSection::kPathOffsets, &draft.paths,
           out);
  if (absl::Status status =
          EmitSpool(SearchSection::kDocTerms, &draft.doc_terms, out);
      !status.ok()) {
    return status;
  }
  if (absl::Status status =
          EmitSpool(SearchSection::kOccurrences, &draft.occurrences, out);
      !status.ok()) {
    return status;
  }
  EmitBlob(SearchSection::kTermBytes, SearchSection::kTermOffsets, &terms, out);
  {
    std::vector<uint32_t> sorted_terms = SortedTerms(draft.terms);
    Emit(SearchSection::kSortedTerms, &sorted_terms, out);
  }
  if (absl::Status status = PostingSections(&draft, out); !status.ok()) {
    return status;
  }
  std::vector<std::string>().swap(draft.terms);
  EmitBlob(SearchSection::kWordBytes, SearchSection::kWordOffsets, &words, out);
  Emit(SearchSection::kWordTerms, &draft.word_terms, out);
  {
    std::vector<Deletion> deletions = Deletions(draft.words);
    Emit(SearchSection::kDeletions, &deletions, out);
  }
  std::vector<double> average_lengths(draft.average_lengths.begin(),
                                      draft.average_lengths.end());
  Emit(SearchSection::kAverageLengths, &average_lengths, out);
  return absl::OkStatus();
}

absl::StatusOr<SearchSections> BuildSearchSections(
    const store::Snapshot& snapshot) {
  store::SectionCollector collector;
  collector.sections.reserve(kSearchSectionCount);
  if (absl::Status status = WriteSearchSections(snapshot, collector);
      !status.ok()) {
    return status;
  }
  return std::move(collector.sections);
}

}  // namespace factgraph::query::search
