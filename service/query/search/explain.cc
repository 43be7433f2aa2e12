#include "service/query/search/explain.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "service/query/search/analyzer.h"
#include "service/query/search/fields.h"
#include "service/store/text_normalizer.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace factgraph::query::search {
namespace {

struct Candidate {
  v1::SearchMatch match;
  double weight = 0;  // Field weight times the qualities of its words.
  int order = 0;      // Text order, for ties.
  int words = 0;      // Distinct query words matched.
  FieldClass field_class = FieldClass::kName;
};

// Byte offset of code point `index` in valid UTF-8 `text`.
size_t ByteOffset(std::string_view text, int32_t index) {
  size_t i = 0;
  for (int32_t seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == index) return i;
      ++seen;
    }
  }
  return text.size();
}

// Cuts a long text to an excerpt that starts a little before its first
// span, shifting the spans.
void Excerpt(std::string_view text, v1::SearchMatch* match) {
  const int32_t length = CodePointCount(text);
  if (length <= kMaxExcerptLength) {
    match->set_text(std::string(text));
    return;
  }
  const int32_t first =
      match->spans().empty() ? 0 : match->spans(0).start_offset();
  const int32_t begin = std::max(
      0, std::min(first - kMaxExcerptLength / 4, length - kMaxExcerptLength));
  const int32_t end = begin + kMaxExcerptLength;
  const size_t from = ByteOffset(text, begin);
  match->set_text(std::string(text.substr(from, ByteOffset(text, end) - from)));
  match->set_text_offset(begin);
  google::protobuf::RepeatedPtrField<v1::MatchedSpan> kept;
  for (const v1::MatchedSpan& span : match->spans()) {
    if (span.start_offset() < begin || span.end_offset() > end) continue;
    v1::MatchedSpan& shifted = *kept.Add();
    shifted = span;
    shifted.set_start_offset(span.start_offset() - begin);
    shifted.set_end_offset(span.end_offset() - begin);
  }
  match->mutable_spans()->Swap(&kept);
}

// Texts are searched for the terms' probes before they are analyzed: most
// texts of a hit (its quotes, a document's content) match nothing, and
// analyzing them cost more than the rest of a search.
//
// A term's probe: its first four bytes (a stem can end differently from
// the word: "happi" of "happy"), a Hangul term whole.
std::string Probe(std::string_view term) {
  if (!term.empty() && static_cast<unsigned char>(term[0]) >= 0x80) {
    return std::string(term);
  }
  return std::string(term.substr(0, 4));
}

// True if `text` has a letter that normalization changes into ASCII or
// other letters (accents, full width, Hangul jamo): probes may then miss it.
bool NeedsNormalization(std::string_view text) {
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(text.size());
  while (i < length) {
    if (static_cast<unsigned char>(text[static_cast<size_t>(i)]) < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    if (c >= 0xAC00 && c <= 0xD7A3) continue;  // Hangul syllables.
    if (c < 0 || u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK) {
      return true;
    }
  }
  return false;
}

size_t FindIgnoringAsciiCase(std::string_view text, std::string_view probe) {
  auto it = std::search(
      text.begin(), text.end(), probe.begin(), probe.end(), [](char a, char b) {
        return absl::ascii_tolower(static_cast<unsigned char>(a)) == b;
      });
  return it == text.end() ? std::string_view::npos
                          : static_cast<size_t>(it - text.begin());
}

struct TextWindow {
  size_t begin;  // Bytes.
  size_t size;
  int32_t code_point_offset;  // Of `begin`.
};

// Texts longer than this are analyzed only around their first match.
constexpr size_t kMaxAnalyzedBytes = 512;
constexpr size_t kWindowBefore = 120;

// The part of `text` to analyze: all of it, or a window around the first
// probe in a long text; nothing when no probe occurs in it.
std::optional<TextWindow> FindWindow(std::string_view text,
                                     const std::vector<std::string>& probes) {
  const bool exact = NeedsNormalization(text);
  size_t first = std::string_view::npos;
  for (const std::string& probe : probes) {
    first = std::min(first, FindIgnoringAsciiCase(text, probe));
  }
  if (first == std::string_view::npos && !exact) return std::nullopt;
  if (text.size() <= kMaxAnalyzedBytes || first == std::string_view::npos) {
    return TextWindow{0, text.size(), 0};
  }
  auto boundary = [&](size_t at) {
    // Back to a space, so that no word is cut (or to the start).
    while (at > 0 && text[at - 1] != ' ' && text[at - 1] != '\n') --at;
    return at;
  };
  const size_t begin =
      boundary(first > kWindowBefore ? first - kWindowBefore : 0);
  const size_t end = std::max(
      begin, boundary(std::min(text.size(), begin + kMaxAnalyzedBytes)));
  return TextWindow{begin, (end == begin ? text.size() : end) - begin,
                    CodePointCount(text.substr(0, begin))};
}

}  // namespace

Explainer::Explainer(const SearchIndex& index, const store::Snapshot& snapshot,
                     const ParsedQuery& query,
                     const std::vector<Variant>& variants)
    : index_(index),
      snapshot_(snapshot),
      query_(query),
      exact_forms_(ExactNameForms(query)) {
  for (const Variant& v : variants) {
    auto [it, inserted] = by_term_.try_emplace(index.term(v.term), &v);
    if (!inserted && v.quality > it->second->quality) it->second = &v;
  }
  for (const Variant& v : variants) {
    probes_.push_back(Probe(index.term(v.term)));
  }
  std::sort(probes_.begin(), probes_.end());
  probes_.erase(std::unique(probes_.begin(), probes_.end()), probes_.end());
}

void Explainer::Explain(const ScoredDoc& hit, v1::SearchResult* result) const {
  const ParsedQuery& query = query_;
  const auto& by_term = by_term_;
  const std::vector<std::string>& probes = probes_;
  const std::vector<std::string>& exact_forms = exact_forms_;
  const Doc& doc = index_.docs()[hit.doc];
  std::vector<Candidate> candidates;
  bool prefix_of_name = false;
  std::string prefix_text;
  std::string exact_text;
  int order = 0;
  std::vector<double> best_weights;  // Of the best candidates, descending.
  ForEachText(
      *doc.resource, &snapshot_,
      [&](std::string_view path, FieldClass field_class,
          std::string_view text) {
        ++order;
        const bool is_name = field_class == FieldClass::kName ||
                             field_class == FieldClass::kAlias;
        if (is_name) {
          const std::string normalized = store::NormalizeForSearch(text);
          if (exact_text.empty() &&
              std::find(exact_forms.begin(), exact_forms.end(), normalized) !=
                  exact_forms.end() &&
              (hit.tier == NameTier::kExactName) ==
                  (field_class == FieldClass::kName)) {
            exact_text = std::string(text);
          }
          if (!prefix_of_name && normalized.size() > query.normalized.size() &&
              normalized.compare(0, query.normalized.size(),
                                 query.normalized) == 0) {
            prefix_of_name = true;
            prefix_text = std::string(text);
          }
        }
        // A text that cannot outweigh the best three found so far is not
        // analyzed (most are quotes, the lightest class).
        if (best_weights.size() == kMaxMatchesPerHit &&
            static_cast<double>(query.words.size()) *
                    FieldWeight(field_class) <=
                best_weights.back()) {
          return;
        }
        const std::optional<TextWindow> window = FindWindow(text, probes);
        if (!window) return;
        Candidate candidate;
        std::vector<bool> seen(query.words.size(), false);
        double weight = 0;
        std::vector<Token> tokens =
            Analyze(text.substr(window->begin, window->size));
        for (Token& token : tokens) {
          token.start += window->code_point_offset;
          token.end += window->code_point_offset;
        }
        for (const Token& token : tokens) {
          if (token.stop_word) continue;
          auto it = by_term.find(token.term);
          if (it == by_term.end()) continue;
          const Variant& v = *it->second;
          // Pieces of one word share its offsets: one span is enough.
          if (!candidate.match.spans().empty() &&
              token.start < candidate.match.spans().rbegin()->end_offset()) {
            continue;
          }
          v1::MatchedSpan& span = *candidate.match.add_spans();
          span.set_start_offset(token.start);
          span.set_end_offset(token.end);
          span.set_query_word(query.words[static_cast<size_t>(v.word)].word);
          span.set_term_match(v.how);
          if (!seen[static_cast<size_t>(v.word)]) {
            seen[static_cast<size_t>(v.word)] = true;
            weight += v.quality;
            ++candidate.words;
          }
        }
        if (candidate.match.spans().empty()) return;
        candidate.match.set_field(std::string(path));
        candidate.match.set_field_weight(FieldWeight(field_class));
        candidate.weight = weight * FieldWeight(field_class);
        candidate.order = order;
        candidate.field_class = field_class;
        // Here, while `text` lives: an enum's text is a temporary of the
        // walk, so no view of it may outlast this call.
        Excerpt(text, &candidate.match);
        best_weights.insert(
            std::upper_bound(best_weights.begin(), best_weights.end(),
                             candidate.weight, std::greater<double>()),
            candidate.weight);
        if (best_weights.size() > kMaxMatchesPerHit) best_weights.pop_back();
        candidates.push_back(std::move(candidate));
      });
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.weight > b.weight;
                   });
  bool all_words_in_a_name = false;
  for (const Candidate& c : candidates) {
    if ((c.field_class == FieldClass::kName ||
         c.field_class == FieldClass::kAlias) &&
        c.words == static_cast<int>(query.words.size())) {
      all_words_in_a_name = true;
    }
  }
  for (size_t i = 0;
       i < candidates.size() && i < static_cast<size_t>(kMaxMatchesPerHit);
       ++i) {
    v1::SearchMatch& match = *result->add_matches();
    match = std::move(candidates[i].match);
  }
  if (hit.tier == NameTier::kExactName) {
    result->set_match_kind(v1::MATCH_KIND_EXACT_NAME);
    result->set_matched_text(exact_text);
  } else if (hit.tier == NameTier::kExactAlias) {
    result->set_match_kind(v1::MATCH_KIND_EXACT_ALIAS);
    result->set_matched_text(exact_text);
  } else if (prefix_of_name) {
    result->set_match_kind(v1::MATCH_KIND_PREFIX);
    result->set_matched_text(prefix_text);
  } else {
    result->set_match_kind(all_words_in_a_name ? v1::MATCH_KIND_TOKEN
                                               : v1::MATCH_KIND_TEXT);
    if (result->matches_size() > 0) {
      result->set_matched_text(result->matches(0).text());
    }
  }
}

}  // namespace factgraph::query::search
