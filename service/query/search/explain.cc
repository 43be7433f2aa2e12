#include "service/query/search/explain.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "service/query/search/fields.h"

namespace factgraph::query::search {
namespace {

// A variant's occurrence in one of the hit's texts.
struct Found {
  uint32_t text;
  int32_t start;
  int32_t end;
  uint32_t byte_start;
  uint32_t word;  // variant->word, read by the sort and per span.
  const Variant* variant;
};

// The spans of one text of the hit.
struct Candidate {
  uint32_t text;        // Into the hit's texts: text order, for ties.
  uint32_t first_span;  // Into Scratch::spans.
  uint32_t span_count;
  double weight = 0;  // Field weight times the qualities of its words.
  int words = 0;      // Distinct query words matched.
};

bool FoundBefore(const Found& a, const Found& b) {
  return std::tie(a.text, a.start, a.end, a.word) <
         std::tie(b.text, b.start, b.end, b.word);
}

// What explaining one hit works in, kept per thread so that a call
// allocates nothing in steady state (docs/search.md, "Explanations").
struct Scratch {
  std::vector<std::pair<absl::Span<const Occurrence>, const Variant*>> lists;
  std::vector<Found> found;
  std::vector<uint32_t> spans;  // Into found.
  std::vector<Candidate> candidates;
  std::vector<uint8_t> seen;  // Per query word.
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

bool IsLead(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// How many of the 8 bytes at `bytes` start a code point.
int LeadBytes(const char* bytes) {
  uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  // A continuation byte is 10xxxxxx: its high bit set, the next one not.
  const uint64_t continuations = word & ~(word << 1) & 0x8080808080808080;
  // Their count, summed into the top byte (no popcount instruction is
  // assumed).
  return 8 -
         static_cast<int>(((continuations >> 7) * 0x0101010101010101) >> 56);
}

// From byte `from` of `text`, `count` code points on (or to the end);
// returns the byte reached and adds the code points passed to *passed.
size_t Forward(std::string_view text, size_t from, int32_t count,
               int32_t* passed) {
  size_t i = from;
  int32_t seen = 0;
  // Eight bytes at a time while they cannot hold the code point to stop at:
  // an excerpt walks some 240 of them (docs/search.md, "Explanations").
  while (text.size() - i >= 8) {
    const int leads = LeadBytes(text.data() + i);
    if (seen + leads > count) break;
    seen += leads;
    i += 8;
  }
  while (i < text.size()) {
    if (IsLead(text[i])) {
      if (seen == count) break;
      ++seen;
    }
    ++i;
  }
  *passed += seen;
  return i;
}

// From byte `from` of `text`, `count` code points back (or to the start);
// returns the byte reached and subtracts the code points passed from *at.
size_t Backward(std::string_view text, size_t from, int32_t count,
                int32_t* at) {
  size_t i = from;
  int32_t seen = 0;
  // Eight bytes at a time while more code points than they hold are left
  // to pass and they are not the first of the text: stepping back from
  // the start of a block reaches the lead byte below it, as stepping from
  // its lowest lead byte does.
  while (i > 8) {
    const int leads = LeadBytes(text.data() + i - 8);
    if (seen + leads >= count) break;
    seen += leads;
    *at -= leads;
    i -= 8;
  }
  for (; seen < count && i > 0; ++seen) {
    --i;
    while (i > 0 && !IsLead(text[i])) --i;
    --*at;
  }
  return i;
}

// Sets the match's text: all of `text`, or for a long one an excerpt of
// kMaxExcerptLength code points that starts a little before its first span
// (as close to it as the end of the text allows), shifting the spans (the
// last match's, at the end of `spans`) and dropping those beyond it.
// `first_byte` is where the first span starts: code points are counted only
// around it, not from the start of the text (a document's content is long).
void Excerpt(std::string_view text, size_t first_byte, PageMatch* match,
             std::vector<PageSpan>* spans) {
  // A text of at most kMaxExcerptLength bytes has at most as many code
  // points.
  if (text.size() <= static_cast<size_t>(kMaxExcerptLength)) {
    match->text = text;
    return;
  }
  PageSpan* const first = spans->data() + match->first_span;
  int32_t begin = match->span_count == 0 ? 0 : first->start_offset;
  size_t from = Backward(text, std::min(first_byte, text.size()),
                         kMaxExcerptLength / 4, &begin);
  int32_t length = 0;
  const size_t to = Forward(text, from, kMaxExcerptLength, &length);
  if (length < kMaxExcerptLength) {
    // The text ends before the excerpt would: it starts earlier instead.
    from = Backward(text, from, kMaxExcerptLength - length, &begin);
    if (from == 0 && to == text.size()) {
      match->text = text;
      return;
    }
  }
  const int32_t end = begin + kMaxExcerptLength;
  match->text = text.substr(from, to - from);
  match->text_offset = begin;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < match->span_count; ++i) {
    PageSpan span = first[i];
    if (span.start_offset < begin || span.end_offset > end) continue;
    span.start_offset -= begin;
    span.end_offset -= begin;
    first[kept++] = span;
  }
  match->span_count = kept;
  // Plain structs: shrinking frees nothing.
  spans->resize(match->first_span + kept);
}

bool IsNameClass(FieldClass field_class) {
  return field_class == FieldClass::kName || field_class == FieldClass::kAlias;
}

}  // namespace

Explainer::Explainer(const SearchIndex& index, const store::Snapshot& snapshot,
                     const ParsedQuery& query,
                     absl::Span<const Variant> variants)
    : index_(index),
      snapshot_(snapshot),
      query_(query),
      exact_forms_(ExactNameForms(query)) {
  // Variants are ordered by word, then quality: the first of a term is the
  // best of its word, and of two words the higher quality wins.
  for (const Variant& v : variants) by_term_.emplace_back(v.term, &v);
  // std::sort with the variants' order as the last key, not stable_sort,
  // which takes a buffer from the heap: the same order (the pointers are
  // into `variants`, in its order).
  std::sort(by_term_.begin(), by_term_.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    if (a.second->quality != b.second->quality) {
      return a.second->quality > b.second->quality;
    }
    return a.second < b.second;
  });
  by_term_.erase(std::unique(by_term_.begin(), by_term_.end(),
                             [](const auto& a, const auto& b) {
                               return a.first == b.first;
                             }),
                 by_term_.end());
}

void Explainer::Explain(const ScoredDoc& hit, Page* page,
                        PageHit* result) const {
  const ParsedQuery& query = query_;
  const absl::Span<const StoredText> texts = index_.texts(hit.doc);
  // Read once for every text of the hit: each is a slice of them (or of the
  // index's pool), and in a large snapshot the table entry is a cache miss.
  const std::string_view wire_bytes = snapshot_.WireBytesAt(hit.doc);
  Scratch& scratch = ThreadScratch();

  // Every occurrence of the best variant of each term, ordered by text and
  // position: one term's are in that order already (index.h), so only a
  // query with several terms that occur in the hit is sorted.
  std::vector<Found>& found = scratch.found;
  size_t count = 0;
  scratch.lists.clear();
  for (const auto& [term, variant] : by_term_) {
    const absl::Span<const Occurrence> occurrences =
        index_.Occurrences(hit.doc, term);
    if (occurrences.empty()) continue;
    scratch.lists.emplace_back(occurrences, variant);
    count += occurrences.size();
  }
  found.resize(count);
  Found* out = found.data();
  for (const auto& [occurrences, variant] : scratch.lists) {
    for (const Occurrence& o : occurrences) {
      out->text = o.text;
      out->start = o.start;
      out->end = o.end();
      out->byte_start = o.byte_start;
      out->word = static_cast<uint32_t>(variant->word);
      out->variant = variant;
      ++out;
    }
  }
  // Strictly ordered input is the only order std::sort can give it (no two
  // equal), so skipping the sort changes nothing.
  if (std::adjacent_find(found.begin(), found.end(),
                         [](const Found& a, const Found& b) {
                           return !FoundBefore(a, b);
                         }) != found.end()) {
    std::sort(found.begin(), found.end(), FoundBefore);
  }

  // Per text, its spans: pieces of one word share its offsets, so one span
  // is enough; the first occurrence of each query word adds its quality.
  // Written through pointers into vectors sized once, each candidate in
  // place: pushing copies built on the stack stalls on store forwarding.
  std::vector<uint32_t>& spans = scratch.spans;
  std::vector<Candidate>& candidates = scratch.candidates;
  std::vector<uint8_t>& seen = scratch.seen;
  spans.resize(found.size());
  candidates.clear();
  seen.resize(query.words.size());
  uint32_t span_count = 0;
  for (size_t i = 0; i < found.size();) {
    const uint32_t text = found[i].text;
    const uint32_t first_span = span_count;
    std::fill(seen.begin(), seen.end(), 0);
    double quality = 0;
    int words = 0;
    // The first occurrence of a text is always a span.
    int32_t last_end = std::numeric_limits<int32_t>::min();
    for (; i < found.size() && found[i].text == text; ++i) {
      const Found& f = found[i];
      if (f.start < last_end) continue;
      spans[span_count++] = static_cast<uint32_t>(i);
      last_end = f.end;
      if (seen[f.word] == 0) {
        seen[f.word] = 1;
        quality += f.variant->quality;
        ++words;
      }
    }
    Candidate& candidate = candidates.emplace_back();
    candidate.text = text;
    candidate.first_span = first_span;
    candidate.span_count = span_count - first_span;
    candidate.weight = quality * FieldWeight(texts[text].field_class());
    candidate.words = words;
  }
  bool all_words_in_a_name = false;
  for (const Candidate& c : candidates) {
    if (IsNameClass(texts[c.text].field_class()) &&
        c.words == static_cast<int>(query.words.size())) {
      all_words_in_a_name = true;
    }
  }
  const size_t shown =
      std::min(candidates.size(), static_cast<size_t>(kMaxMatchesPerHit));
  // Heaviest first; of equal weights, the first in text order (each text
  // is one candidate, so the order is total). Only the shown ones are
  // ordered: a hit can match in dozens of texts, and sorting them all
  // costs more than keeping the best few.
  std::partial_sort(candidates.begin(),
                    candidates.begin() + static_cast<std::ptrdiff_t>(shown),
                    candidates.end(),
                    [](const Candidate& a, const Candidate& b) {
                      if (a.weight != b.weight) return a.weight > b.weight;
                      return a.text < b.text;
                    });
  // The texts shown lie anywhere in the snapshot: their first spans are
  // asked for together, so that their cache misses overlap.
  for (size_t i = 0; i < shown; ++i) {
    const Candidate& c = candidates[i];
    __builtin_prefetch(index_.text(wire_bytes, texts[c.text]).data() +
                       found[spans[c.first_span]].byte_start);
  }
  result->first_match = static_cast<uint32_t>(page->matches.size());
  result->match_count = static_cast<uint32_t>(shown);
  for (size_t i = 0; i < shown; ++i) {
    const Candidate& c = candidates[i];
    const StoredText& text = texts[c.text];
    PageMatch& match = page->matches.emplace_back();
    match.first_span = static_cast<uint32_t>(page->spans.size());
    match.span_count = static_cast<uint32_t>(c.span_count);
    for (size_t s = c.first_span; s < c.first_span + c.span_count; ++s) {
      const Found& f = found[spans[s]];
      PageSpan& span = page->spans.emplace_back();
      span.start_offset = f.start;
      span.end_offset = f.end;
      span.query_word = query.words[f.word].word;
      span.term_match = f.variant->how;
    }
    match.field = index_.path(text.path());
    match.field_weight = FieldWeight(text.field_class());
    Excerpt(index_.text(wire_bytes, text),
            found[spans[c.first_span]].byte_start, &match, &page->spans);
  }

  // Names: from the snapshot's name entries of the hit, which hold each
  // display name and alias normalized (the display name first).
  const absl::Span<const store::NameEntry> entries = snapshot_.NameEntries();
  std::string_view exact_text;
  std::string_view prefix_text;
  bool prefix_of_name = false;
  for (const uint32_t e : index_.NameEntriesOf(hit.doc)) {
    const store::NameEntry& entry = entries[e];
    const std::string_view normalized = index_.NormalizedName(e);
    if (exact_text.empty() && hit.tier != NameTier::kNone &&
        (hit.tier == NameTier::kExactName) == entry.is_display_name &&
        std::find(exact_forms_.begin(), exact_forms_.end(), normalized) !=
            exact_forms_.end()) {
      exact_text = entry.text;
    }
    if (!prefix_of_name && normalized.size() > query.normalized.size() &&
        normalized.compare(0, query.normalized.size(), query.normalized) == 0) {
      prefix_of_name = true;
      prefix_text = entry.text;
    }
  }
  if (hit.tier == NameTier::kExactName) {
    result->match_kind = v1::MATCH_KIND_EXACT_NAME;
    result->matched_text = exact_text;
  } else if (hit.tier == NameTier::kExactAlias) {
    result->match_kind = v1::MATCH_KIND_EXACT_ALIAS;
    result->matched_text = exact_text;
  } else if (prefix_of_name) {
    result->match_kind = v1::MATCH_KIND_PREFIX;
    result->matched_text = prefix_text;
  } else {
    result->match_kind =
        all_words_in_a_name ? v1::MATCH_KIND_TOKEN : v1::MATCH_KIND_TEXT;
    if (result->match_count > 0) {
      result->matched_text = page->matches[result->first_match].text;
    }
  }
}

}  // namespace factgraph::query::search
