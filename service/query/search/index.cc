#include "service/query/search/index.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/hash/hash.h"
#include "service/query/search/analyzer.h"
#include "service/query/search/typo.h"
#include "service/store/collections.h"

namespace factgraph::query::search {
namespace {

using google::protobuf::Message;

bool IsAsciiWord(std::string_view word) {
  for (char c : word) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

uint64_t HashOf(std::string_view text) { return absl::HashOf(text); }

// Ties of positions beyond this are not told apart (phrases are found near
// the start of a field, where they matter).
constexpr uint32_t kMaxPosition = 65535;

// Weight of the number of references to a resource in its prior.
constexpr double kLinkPrior = 0.1;
// Source documents hold every word of their article: they rank below the
// resources the article is about.
constexpr double kSourceDocumentPrior = 0.5;

// A posting while the index is built: its term and its frequency, from
// which the weighted frequency is computed once every length is known.
struct BuildPosting {
  TermId term;
  Posting posting;
  uint8_t frequency = 0;  // Saturated at 255.
};

}  // namespace

SearchIndex SearchIndex::Build(const store::Snapshot& snapshot) {
  SearchIndex index;
  const std::vector<store::Collection>& collections = store::AllCollections();
  for (size_t c = 0; c < collections.size(); ++c) {
    for (const Message* resource : snapshot.Resources(collections[c])) {
      const auto* name_field =
          resource->GetDescriptor()->FindFieldByName("name");
      if (name_field == nullptr) continue;
      Doc& doc = index.docs_.emplace_back();
      doc.resource = resource;
      doc.collection = static_cast<uint8_t>(c);
      doc.name = resource->GetReflection()->GetStringReference(
          *resource, name_field, nullptr);
    }
  }
  std::sort(index.docs_.begin(), index.docs_.end(),
            [](const Doc& a, const Doc& b) { return a.name < b.name; });

  index.normalized_name_begin_.push_back(0);
  for (const store::NameEntry& entry : snapshot.NameEntries()) {
    // Every name entry is of a resource with a name.
    index.name_entry_docs_.push_back(
        index.FindDoc(entry.resource_name).value_or(0));
    index.normalized_names_.append(entry.normalized);
    index.normalized_name_begin_.push_back(
        static_cast<uint32_t>(index.normalized_names_.size()));
  }
  index.normalized_names_.shrink_to_fit();
  // Each resource's name entries (a counting sort by resource), its display
  // name first.
  {
    std::vector<uint32_t> next(index.docs_.size() + 1, 0);
    for (DocId d : index.name_entry_docs_) ++next[d + 1];
    index.extents_.resize(index.docs_.size() + 1);
    for (size_t d = 0; d < index.docs_.size(); ++d) {
      next[d + 1] += next[d];
      index.extents_[d].first_name_entry = next[d];
    }
    index.extents_.back().first_name_entry = next.back();
    index.doc_name_entries_.resize(index.name_entry_docs_.size());
    for (uint32_t e = 0; e < index.name_entry_docs_.size(); ++e) {
      index.doc_name_entries_[next[index.name_entry_docs_[e]]++] = e;
    }
    const absl::Span<const store::NameEntry> entries = snapshot.NameEntries();
    std::vector<std::pair<size_t, uint32_t>> ranked;  // (rank, entry)
    for (DocId d = 0; d < index.docs_.size(); ++d) {
      auto own = absl::MakeSpan(index.doc_name_entries_)
                     .subspan(index.extents_[d].first_name_entry,
                              next[d] - index.extents_[d].first_name_entry);
      if (own.size() < 2) continue;
      // Entries are in normalized order; two aliases may normalize alike
      // ("Kwang Hyung Lee", "Kwang-Hyung Lee"): the first as written wins,
      // so they are put back in field order (an entry's text is a view of
      // its field).
      const Message& resource = *index.docs_[d].resource;
      const auto* aliases =
          resource.GetDescriptor()->FindFieldByName("aliases");
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
            if (reflection
                    .GetRepeatedStringReference(resource, aliases, i, &scratch)
                    .data() == entries[e].text.data()) {
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

  absl::flat_hash_map<std::string, TermId> term_ids;
  absl::flat_hash_map<std::string, uint32_t> word_ids;
  std::vector<BuildPosting> all;
  std::array<double, kFieldClassCount> length_sums{};
  std::array<uint32_t, kFieldClassCount> length_counts{};
  // Per resource: (term, field class) -> its posting.
  absl::flat_hash_map<std::pair<TermId, uint8_t>, BuildPosting> local;
  absl::flat_hash_map<std::string, uint32_t> path_ids;
  absl::flat_hash_map<std::string, std::string_view> pooled;
  // The resource's (term, occurrence) pairs, in text order.
  std::vector<std::pair<TermId, Occurrence>> occurrences;
  for (DocId d = 0; d < index.docs_.size(); ++d) {
    Doc& doc = index.docs_[d];
    local.clear();
    occurrences.clear();
    DocExtent& extent = index.extents_[d];
    extent.first_text = static_cast<uint32_t>(index.texts_.size());
    extent.first_term = static_cast<uint32_t>(index.doc_terms_.size());
    std::array<uint32_t, kFieldClassCount> lengths{};
    ForEachText(
        *doc.resource, &snapshot,
        [&](std::string_view path, FieldClass field_class,
            std::string_view text) {
          const int c = static_cast<int>(field_class);
          const uint32_t text_index =
              static_cast<uint32_t>(index.texts_.size()) - extent.first_text;
          auto [path_it, new_path] =
              path_ids.try_emplace(absl::string_view(path.data(), path.size()),
                                   static_cast<uint32_t>(index.paths_.size()));
          if (new_path) index.paths_.emplace_back(path);
          // Type, collection and enum texts are the walk's temporaries (and
          // few): kept once in the index. Every other text is a view into
          // the snapshot's messages, which outlive the index.
          std::string_view stored = text;
          if (field_class == FieldClass::kKind) {
            auto [pool_it, new_text] =
                pooled.try_emplace(absl::string_view(text.data(), text.size()));
            if (new_text) {
              pool_it->second =
                  *index.pooled_texts_
                       .emplace_back(std::make_unique<const std::string>(
                           std::string(text)))
                       .get();
            }
            stored = pool_it->second;
          }
          index.texts_.push_back(
              StoredText(stored, path_it->second, field_class));
          // Texts of one class follow each other, a gap apart so that a
          // phrase does not span two of them.
          const uint32_t base = lengths[c] == 0 ? 0 : lengths[c] + 1;
          uint32_t used = 0;
          for (const Token& token : Analyze(text)) {
            if (token.stop_word) continue;
            auto [term_it, new_term] = term_ids.try_emplace(
                token.term, static_cast<TermId>(term_ids.size()));
            if (new_term) index.terms_.push_back(token.term);
            if (IsAsciiWord(token.word) && token.word.size() >= 4) {
              auto [word_it, new_word] = word_ids.try_emplace(
                  token.word, static_cast<uint32_t>(word_ids.size()));
              if (new_word) {
                index.words_.push_back(token.word);
                index.word_terms_.push_back(term_it->second);
              }
            }
            const uint32_t position = std::min<uint32_t>(
                base + static_cast<uint32_t>(token.position), kMaxPosition);
            auto [it, inserted] = local.try_emplace(
                std::make_pair(term_it->second, static_cast<uint8_t>(c)));
            if (inserted) {
              it->second.term = term_it->second;
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
    const double links = static_cast<double>(snapshot.LinksTo(doc.name).size());
    doc.prior =
        static_cast<float>((1 + kLinkPrior * std::log1p(links)) *
                           (lengths[static_cast<int>(FieldClass::kContent)] > 0
                                ? kSourceDocumentPrior
                                : 1.0));
    for (const auto& [key, posting] : local) all.push_back(posting);
    // Grouped by term, each group still in text order.
    std::stable_sort(
        occurrences.begin(), occurrences.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < occurrences.size(); ++i) {
      if (i == 0 || occurrences[i].first != occurrences[i - 1].first) {
        index.doc_terms_.push_back(
            DocTerm{occurrences[i].first,
                    static_cast<uint32_t>(index.occurrences_.size())});
      }
      index.occurrences_.push_back(occurrences[i].second);
    }
  }
  index.extents_.back().first_text = static_cast<uint32_t>(index.texts_.size());
  index.extents_.back().first_term =
      static_cast<uint32_t>(index.doc_terms_.size());
  index.texts_.shrink_to_fit();
  index.doc_terms_.shrink_to_fit();
  index.occurrences_.shrink_to_fit();
  for (int c = 0; c < kFieldClassCount; ++c) {
    index.average_lengths_[c] =
        length_counts[c] == 0 ? 1.0 : length_sums[c] / length_counts[c];
  }

  // Postings grouped by term (a counting sort), each list by doc and class.
  const size_t term_count = index.terms_.size();
  index.posting_begin_.assign(term_count + 1, 0);
  for (const BuildPosting& p : all) ++index.posting_begin_[p.term + 1];
  for (size_t t = 0; t < term_count; ++t) {
    index.posting_begin_[t + 1] += index.posting_begin_[t];
  }
  index.postings_.resize(all.size());
  std::vector<uint32_t> next(index.posting_begin_.begin(),
                             index.posting_begin_.end() - 1);
  static_assert(kFieldClassCount <= 16);
  for (const BuildPosting& built : all) {
    Posting p = built.posting;
    const Doc& doc = index.docs_[p.doc];
    const auto c = static_cast<FieldClass>(p.field_class);
    const double b = LengthNormalization(c);
    p.weighted_frequency =
        static_cast<float>(FieldWeight(c) * built.frequency /
                           (1 - b +
                            b * doc.lengths[p.field_class] /
                                index.average_lengths_[p.field_class]));
    p.collection = std::min<uint8_t>(doc.collection, Posting::kCollectionInDoc);
    p.name_length = static_cast<uint8_t>(std::min<uint16_t>(
        doc.lengths[static_cast<int>(FieldClass::kName)], Posting::kLongName));
    p.prior = doc.prior;
    index.postings_[next[built.term]++] = p;
  }
  all.clear();
  all.shrink_to_fit();
  index.doc_frequency_.assign(term_count, 0);
  for (TermId t = 0; t < term_count; ++t) {
    auto list =
        absl::MakeSpan(index.postings_)
            .subspan(index.posting_begin_[t],
                     index.posting_begin_[t + 1] - index.posting_begin_[t]);
    std::sort(list.begin(), list.end(), [](const Posting& a, const Posting& b) {
      return a.doc != b.doc ? a.doc < b.doc : a.field_class < b.field_class;
    });
    uint32_t docs = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      if (i == 0 || list[i].doc != list[i - 1].doc) ++docs;
    }
    index.doc_frequency_[t] = docs;
  }

  for (TermId t = 0; t < term_count; ++t) {
    index.term_ids_.emplace(index.terms_[t], t);
  }
  index.sorted_terms_.resize(term_count);
  for (TermId t = 0; t < term_count; ++t) index.sorted_terms_[t] = t;
  std::sort(
      index.sorted_terms_.begin(), index.sorted_terms_.end(),
      [&](TermId a, TermId b) { return index.terms_[a] < index.terms_[b]; });

  for (uint32_t w = 0; w < index.words_.size(); ++w) {
    const std::string& word = index.words_[w];
    index.deletions_.emplace_back(HashOf(word), w);
    ForEachDeletion(word, IndexedEdits(word.size()), [&](std::string_view v) {
      index.deletions_.emplace_back(HashOf(v), w);
    });
  }
  std::sort(index.deletions_.begin(), index.deletions_.end());
  index.deletions_.shrink_to_fit();
  return index;
}

std::optional<DocId> SearchIndex::FindDoc(std::string_view name) const {
  auto it = std::lower_bound(
      docs_.begin(), docs_.end(), name,
      [](const Doc& doc, std::string_view n) { return doc.name < n; });
  if (it == docs_.end() || it->name != name) return std::nullopt;
  return static_cast<DocId>(it - docs_.begin());
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
  return absl::MakeConstSpan(occurrences_)
      .subspan(it->first_occurrence, end - it->first_occurrence);
}

std::optional<TermId> SearchIndex::FindTerm(std::string_view term) const {
  auto it = term_ids_.find(term);
  if (it == term_ids_.end()) return std::nullopt;
  return it->second;
}

std::vector<TermId> SearchIndex::TermsWithPrefix(std::string_view prefix,
                                                 size_t limit) const {
  std::vector<TermId> found;
  auto it = std::lower_bound(
      sorted_terms_.begin(), sorted_terms_.end(), prefix,
      [&](TermId t, std::string_view p) { return terms_[t] < p; });
  for (; it != sorted_terms_.end() && found.size() < limit; ++it) {
    const std::string& term = terms_[*it];
    if (term.compare(0, prefix.size(), prefix) != 0) break;
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
    const uint64_t hash = HashOf(variant);
    auto it = std::lower_bound(deletions_.begin(), deletions_.end(), hash,
                               [](const std::pair<uint64_t, uint32_t>& e,
                                  uint64_t h) { return e.first < h; });
    for (; it != deletions_.end() && it->first == hash; ++it) {
      candidates.push_back(it->second);
    }
  };
  look_up(word);
  ForEachDeletion(word, max_edits, look_up);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()),
                   candidates.end());
  for (uint32_t w : candidates) {
    if (words_[w] == word) continue;
    const int distance = EditDistance(word, words_[w], max_edits);
    if (distance <= max_edits) emit(word_terms_[w], distance);
  }
}

void SearchIndex::Prefetch(absl::Span<const DocId> docs,
                           const store::Snapshot& snapshot) const {
  // Each stage reads what the one before it fetched.
  for (const DocId d : docs) {
    __builtin_prefetch(&docs_[d]);
    __builtin_prefetch(&extents_[d]);
    __builtin_prefetch(&extents_[d + 1]);
  }
  for (const DocId d : docs) {
    __builtin_prefetch(docs_[d].name.data());
    const DocExtent& extent = extents_[d];
    __builtin_prefetch(texts_.data() + extent.first_text);
    __builtin_prefetch(doc_terms_.data() + extent.first_term);
    __builtin_prefetch(doc_name_entries_.data() + extent.first_name_entry);
  }
  const absl::Span<const store::NameEntry> entries = snapshot.NameEntries();
  for (const DocId d : docs) {
    const DocExtent& extent = extents_[d];
    if (extent.first_term < extents_[d + 1].first_term) {
      __builtin_prefetch(occurrences_.data() +
                         doc_terms_[extent.first_term].first_occurrence);
    }
    if (extent.first_text < extents_[d + 1].first_text) {
      __builtin_prefetch(texts_[extent.first_text].text().data());
    }
    for (const uint32_t e : NameEntriesOf(d)) __builtin_prefetch(&entries[e]);
  }
  for (const DocId d : docs) {
    for (const uint32_t e : NameEntriesOf(d)) {
      __builtin_prefetch(entries[e].text.data());
      __builtin_prefetch(normalized_names_.data() + normalized_name_begin_[e]);
    }
  }
}

size_t SearchIndex::MemoryBytes() const {
  size_t bytes =
      docs_.capacity() * sizeof(Doc) + postings_.capacity() * sizeof(Posting) +
      posting_begin_.capacity() * sizeof(uint32_t) +
      doc_frequency_.capacity() * sizeof(uint32_t) +
      sorted_terms_.capacity() * sizeof(TermId) +
      word_terms_.capacity() * sizeof(TermId) +
      deletions_.capacity() * sizeof(deletions_[0]) +
      term_ids_.capacity() * (sizeof(std::pair<std::string_view, TermId>) + 1) +
      doc_name_entries_.capacity() * sizeof(uint32_t) +
      normalized_names_.capacity() +
      normalized_name_begin_.capacity() * sizeof(uint32_t) +
      extents_.capacity() * sizeof(DocExtent) +
      texts_.capacity() * sizeof(StoredText) +
      doc_terms_.capacity() * sizeof(DocTerm) +
      occurrences_.capacity() * sizeof(Occurrence);
  for (const std::string& p : paths_)
    bytes += sizeof(p) + (p.size() > 15 ? p.capacity() : 0);
  for (const auto& t : pooled_texts_) bytes += sizeof(*t) + t->capacity();
  for (const std::string& t : terms_)
    bytes += sizeof(t) + (t.size() > 15 ? t.capacity() : 0);
  for (const std::string& w : words_)
    bytes += sizeof(w) + (w.size() > 15 ? w.capacity() : 0);
  return bytes;
}

}  // namespace factgraph::query::search
