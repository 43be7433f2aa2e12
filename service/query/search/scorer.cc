#include "service/query/search/scorer.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_format.h"
#include "service/query/search/analyzer.h"
#include "service/query/search/typo.h"
#include "service/store/collections.h"
#include "service/store/text_normalizer.h"

namespace factgraph::query::search {
namespace {

// Qualities of the variants of a word, relative to the word itself.
constexpr double kParticleQuality = 0.9;
constexpr double kHangulPrefixQuality = 0.8;
constexpr double kPrefixQuality = 0.6;
constexpr double kOneEditQuality = 0.5;
constexpr double kTwoEditsQuality = 0.35;
// Most terms one prefix expands to: the rarest-first order is not known
// here, so the alphabetically first are taken.
constexpr size_t kMaxPrefixTerms = 32;
// A prefix shorter than this would match too much to mean anything.
constexpr int32_t kMinPrefixLength = 3;

constexpr double kK1 = 1.2;
constexpr double kExactNameBonus = 100;
constexpr double kExactAliasBonus = 50;
// Words of the query within this many words of each other (either order)
// in one field class count as a phrase.
constexpr int kNearDistance = 1;
constexpr double kNearBonus = 0.5;
// A word found only in citation quotes or a document's content counts this
// much towards the share of the query's words a resource covers.
constexpr float kWeakCoverage = 0.5f;
// Of two names the query matches, the one whose words it covers most (the
// share of the display name's words it matches, squared so that a word or
// two of a long name count little) ranks first.
constexpr double kNameCoverageBonus = 0.5;
// Name prefixes: a name or alias that starts with the whole query adds up to
// kPrefixBonus (times the share of the name the query covers); at most
// kMaxPrefixNames names are looked at.
constexpr double kPrefixBonus = 5;
constexpr size_t kMaxPrefixNames = 256;
// A one-variant query's postings are asked for from memory before they are
// scanned: this many at first, then a cache line ahead per resource.
constexpr size_t kPostingsPerLine = 64 / sizeof(Posting);
constexpr size_t kPrefetchedPostings = 32 * kPostingsPerLine;

// Particles Korean attaches to nouns, longest first.
constexpr std::string_view kParticles[] = {
    "에서의", "으로서", "으로써", "에게서", "과의", "와의", "에서",
    "으로",   "에게",   "까지",   "부터",   "께서", "이다", "처럼",
    "보다",   "의",     "은",     "는",     "이",   "가",   "을",
    "를",     "에",     "로",     "와",     "과",   "도",   "만"};

// Score bookkeeping of one resource while the words are scored in order.
struct Accumulator {
  // Where a word first occurs, in up to kSlots field classes.
  static constexpr int kSlots = 4;
  struct Slot {
    uint8_t field_class = 255;  // 255: unused.
    uint16_t position = 0;
  };

  float sum = 0;
  float best = 0;  // Of the current word.
  int16_t word = -1;
  uint8_t matched = 0;
  uint8_t near = 0;  // Words found near the word before them.
  bool near_now = false;
  uint8_t name_words = 0;  // Words found in the display name.
  bool name_now = false;
  // Words found only in quotes or content count half for the coverage.
  float covered = 0;
  bool strong_now = false;
  Slot previous[kSlots];  // Of word - 1; unused when it did not match.
  Slot current[kSlots];
  // Of the resource, from its postings (index.h).
  uint16_t name_length = 0;
  float prior = 1;

  void Flush() {
    sum += best;
    if (near_now) ++near;
    if (name_now) ++name_words;
    covered += strong_now ? 1.0f : kWeakCoverage;
  }
  void StartWord(int16_t next) {
    const bool follows = word >= 0 && word + 1 == next;
    if (word >= 0) Flush();
    for (int s = 0; s < kSlots; ++s) {
      previous[s] = follows ? current[s] : Slot();
      current[s] = Slot();
    }
    best = 0;
    near_now = false;
    name_now = false;
    strong_now = false;
    word = next;
    ++matched;
  }
  void Occurs(uint8_t field_class, uint16_t position) {
    if (field_class == static_cast<uint8_t>(FieldClass::kName)) name_now = true;
    if (field_class < static_cast<uint8_t>(FieldClass::kQuote)) {
      strong_now = true;
    }
    for (const Slot& p : previous) {
      if (p.field_class == field_class && p.position != position &&
          (p.position > position ? p.position - position
                                 : position - p.position) <= kNearDistance) {
        near_now = true;
      }
    }
    for (Slot& c : current) {
      if (c.field_class == field_class) return;
      if (c.field_class == 255) {
        c = Slot{field_class, position};
        return;
      }
    }
  }
};

// A resource whose name or alias equals the query, and whether it was
// scored yet (those that match no term are offered at the end).
struct NamedDoc {
  DocId doc;
  NameTier tier;
  bool scored = false;
};

// Replaces the top of `heap` (a max-heap under RanksBefore: its worst hit)
// with `hit`, which ranks before it, in one sift down rather than a pop and
// a push. The heap keeps the same hits either way, and the order is total,
// so the page does not depend on how the heap is arranged.
void ReplaceWorst(std::vector<ScoredDoc>& heap, const ScoredDoc& hit) {
  const size_t size = heap.size();
  size_t at = 0;
  for (;;) {
    const size_t left = 2 * at + 1;
    if (left >= size) break;
    size_t worse = left;
    if (left + 1 < size && RanksBefore(heap[left], heap[left + 1])) {
      worse = left + 1;
    }
    if (!RanksBefore(hit, heap[worse])) break;
    heap[at] = heap[worse];
    at = worse;
  }
  heap[at] = hit;
}

void AddVariant(Variants* variants, TermId term, int word, double quality,
                v1::TermMatch how) {
  for (Variant& v : *variants) {
    if (v.word == word && v.term == term) {
      if (quality > v.quality) v = Variant{term, word, quality, how};
      return;
    }
  }
  variants->push_back(Variant{term, word, quality, how});
}

}  // namespace

absl::InlinedVector<std::string, 2> ExactNameForms(const ParsedQuery& query) {
  absl::InlinedVector<std::string, 2> forms{query.normalized};
  if (query.words.empty() || !query.words.back().hangul) return forms;
  for (std::string_view particle : kParticles) {
    const std::string& text = query.normalized;
    if (text.size() > particle.size() &&
        std::string_view(text).substr(text.size() - particle.size()) ==
            particle) {
      forms.push_back(text.substr(0, text.size() - particle.size()));
    }
  }
  return forms;
}

absl::StatusOr<ParsedQuery> ParseQuery(std::string_view text, int max_words) {
  ParsedQuery query;
  query.normalized = store::NormalizeForSearch(text);
  // Reused from query to query (docs/search.md, "Serving").
  thread_local std::vector<Token> tokens;
  Analyze(text, &tokens);
  if (tokens.empty()) {
    return absl::InvalidArgumentError(
        text.empty() ? "query: must not be empty"
                     : "query: has no letters or digits to search for");
  }
  if (static_cast<int>(tokens.size()) > max_words) {
    return absl::OutOfRangeError(absl::StrFormat(
        "query: %d words, more than the limit of %d (word %d starts at "
        "character %d)",
        tokens.size(), max_words, max_words + 1,
        tokens[static_cast<size_t>(max_words)].start + 1));
  }
  const bool all_stop = std::all_of(tokens.begin(), tokens.end(),
                                    [](const Token& t) { return t.stop_word; });
  for (Token& token : tokens) {
    if (token.stop_word && !all_stop) continue;
    bool seen = false;
    for (const QueryWord& w : query.words) seen = seen || w.term == token.term;
    if (seen) continue;
    query.words.push_back(
        QueryWord{std::move(token.word), std::move(token.term), token.hangul});
  }
  return query;
}

Variants ExpandQuery(const SearchIndex& index, const ParsedQuery& query) {
  Variants variants;
  const int last = static_cast<int>(query.words.size()) - 1;
  for (int i = 0; i <= last; ++i) {
    const QueryWord& w = query.words[static_cast<size_t>(i)];
    const size_t first = variants.size();
    const std::optional<TermId> exact = index.FindTerm(w.term);
    if (exact) AddVariant(&variants, *exact, i, 1.0, v1::TERM_MATCH_EXACT);
    const int32_t length = CodePointCount(w.word);
    if (w.hangul) {
      for (std::string_view particle : kParticles) {
        if (w.word.size() > particle.size() &&
            std::string_view(w.word).substr(w.word.size() - particle.size()) ==
                particle) {
          if (auto stem = index.FindTerm(std::string_view(w.word).substr(
                  0, w.word.size() - particle.size()))) {
            AddVariant(&variants, *stem, i, kParticleQuality,
                       v1::TERM_MATCH_PARTICLE);
          }
        }
      }
      for (TermId t : index.TermsWithPrefix(w.word, kMaxPrefixTerms)) {
        AddVariant(&variants, t, i, kHangulPrefixQuality,
                   v1::TERM_MATCH_PREFIX);
      }
    } else {
      // A word the index knows was typed as meant: neither a prefix nor a
      // typo (looking those up would cost more and find mostly noise).
      if (exact) continue;
      if (i == last && length >= kMinPrefixLength) {
        for (TermId t : index.TermsWithPrefix(w.word, kMaxPrefixTerms)) {
          AddVariant(&variants, t, i, kPrefixQuality, v1::TERM_MATCH_PREFIX);
        }
      }
      index.ForEachNeighbour(
          w.word, AllowedEdits(static_cast<size_t>(length)),
          [&](TermId t, int distance) {
            AddVariant(&variants, t, i,
                       distance == 1 ? kOneEditQuality : kTwoEditsQuality,
                       v1::TERM_MATCH_TYPO);
          });
    }
    std::stable_sort(variants.begin() + static_cast<std::ptrdiff_t>(first),
                     variants.end(), [](const Variant& a, const Variant& b) {
                       return a.quality > b.quality;
                     });
  }
  return variants;
}

Ranking RankDocs(const SearchIndex& index, const store::Snapshot& snapshot,
                 const ParsedQuery& query, absl::Span<const Variant> variants,
                 absl::FunctionRef<bool(uint8_t collection)> wanted,
                 size_t keep, RankingPath path) {
  // Exact names and aliases, from the snapshot's name entries, sorted by
  // their normalized form (a copy the index keeps side by side): one per
  // resource, sorted by resource, looked up for every hit by walking along
  // (or a binary search), not by hashing (docs/search.md, "Ranking cost").
  const bool one_variant =
      variants.size() == 1 && path == RankingPath::kFastest;
  // The postings a one-variant query scans lie anywhere in the index: asked
  // for now, they arrive while the names are searched (docs/search.md,
  // "Ranking cost").
  absl::Span<const Posting> postings;
  if (one_variant) {
    postings = index.postings(variants[0].term);
    for (size_t p = 0; p < std::min(postings.size(), kPrefetchedPostings);
         p += kPostingsPerLine) {
      __builtin_prefetch(&postings[p]);
    }
  }
  absl::InlinedVector<NamedDoc, 8> tiers;
  const absl::Span<const store::NameEntry> entries = snapshot.NameEntries();
  const size_t entry_count = entries.size();
  // The names equal to the query and those that start with it begin at the
  // same place: one search for both.
  const size_t query_start = index.FirstNameAtLeast(query.normalized);
  auto add_exact = [&](std::string_view exact, size_t from) {
    for (size_t e = from; e < entry_count && index.NormalizedName(e) == exact;
         ++e) {
      tiers.push_back(
          NamedDoc{index.NameEntryDoc(e), entries[e].is_display_name
                                              ? NameTier::kExactName
                                              : NameTier::kExactAlias});
    }
  };
  add_exact(query.normalized, query_start);
  if (!query.words.empty() && query.words.back().hangul) {
    for (const std::string& exact : ExactNameForms(query)) {
      if (exact != query.normalized) {
        add_exact(exact, index.FirstNameAtLeast(exact));
      }
    }
  }
  // Of a resource's exact names, the best tier.
  std::sort(tiers.begin(), tiers.end(),
            [](const NamedDoc& a, const NamedDoc& b) {
              return a.doc != b.doc ? a.doc < b.doc : a.tier > b.tier;
            });
  tiers.erase(std::unique(tiers.begin(), tiers.end(),
                          [](const NamedDoc& a, const NamedDoc& b) {
                            return a.doc == b.doc;
                          }),
              tiers.end());
  // Names that start with the query and go on (as one types): (resource,
  // bonus), sorted by resource, one per resource. The bonus falls as the
  // name grows, so a resource's best is its shortest such name: sorting
  // (resource, length) packed in one integer finds it first.
  absl::InlinedVector<uint64_t, kMaxPrefixNames> prefix_keys;
  const std::string_view with_space = query.normalized;
  size_t looked_at = 0;
  for (size_t e = query_start;
       e < entry_count && looked_at < kMaxPrefixNames &&
       index.NormalizedName(e).substr(0, with_space.size()) == with_space;
       ++e, ++looked_at) {
    const size_t size = index.NormalizedName(e).size();
    if (size == with_space.size()) continue;  // Exact.
    prefix_keys.push_back(uint64_t{index.NameEntryDoc(e)} << 32 | size);
  }
  std::sort(prefix_keys.begin(), prefix_keys.end());
  absl::InlinedVector<std::pair<DocId, double>, kMaxPrefixNames> prefixes;
  for (const uint64_t key : prefix_keys) {
    const auto doc = static_cast<DocId>(key >> 32);
    if (!prefixes.empty() && prefixes.back().first == doc) continue;
    prefixes.emplace_back(doc, kPrefixBonus * query.normalized.size() /
                                   static_cast<size_t>(key & 0xffffffff));
  }
  auto bonus = [](NameTier tier) {
    return tier == NameTier::kExactName    ? kExactNameBonus
           : tier == NameTier::kExactAlias ? kExactAliasBonus
                                           : 0.0;
  };

  // The best `keep` so far, the worst of them on top of the heap.
  Ranking ranking;
  std::vector<ScoredDoc>& heap = ranking.top;
  heap.reserve(std::min<size_t>(keep, 1024));
  auto offer = [&](const ScoredDoc& hit) {
    ++ranking.total;
    if (heap.size() < keep) {
      heap.push_back(hit);
      std::push_heap(heap.begin(), heap.end(), RanksBefore);
    } else if (keep > 0 && RanksBefore(hit, heap.front())) {
      ReplaceWorst(heap, hit);
    }
  };

  const double words = static_cast<double>(query.words.size());
  // The `wanted` collections, asked once each rather than once per hit.
  const size_t collection_count = store::AllCollections().size();
  absl::InlinedVector<bool, 16> wanted_collections(collection_count);
  bool every_collection = true;
  for (size_t c = 0; c < collection_count; ++c) {
    wanted_collections[c] = wanted(static_cast<uint8_t>(c));
    every_collection = every_collection && wanted_collections[c];
  }
  // What a posting says of its resource; a saturated field is read from the
  // resource's Doc.
  auto collection_of = [&](const Posting& p) -> uint8_t {
    return p.collection == Posting::kCollectionInDoc
               ? index.docs()[p.doc].collection
               : static_cast<uint8_t>(p.collection);
  };
  auto is_wanted = [&](const Posting& p) {
    if (every_collection) return true;
    const uint8_t c = collection_of(p);
    return c < collection_count ? bool(wanted_collections[c]) : wanted(c);
  };
  // Skips the postings of the resource at postings[i] when it is not
  // wanted; false for a wanted one.
  auto skipped = [&](absl::Span<const Posting> postings, size_t& i)
                     ABSL_ATTRIBUTE_ALWAYS_INLINE {
                       if (is_wanted(postings[i])) return false;
                       const DocId d = postings[i].doc;
                       while (i < postings.size() && postings[i].doc == d) ++i;
                       return true;
                     };
  auto name_length_of = [&](const Posting& p) -> int {
    return p.name_length == Posting::kLongName
               ? index.docs()[p.doc]
                     .lengths[static_cast<int>(FieldClass::kName)]
               : p.name_length;
  };
  // The tier of `d` in the general path, marked as scored (not again
  // below).
  auto tier_of = [&](DocId d) {
    if (tiers.empty()) return NameTier::kNone;
    auto it = std::lower_bound(
        tiers.begin(), tiers.end(), d,
        [](const NamedDoc& t, DocId doc) { return t.doc < doc; });
    if (it == tiers.end() || it->doc != d) return NameTier::kNone;
    it->scored = true;
    return it->tier;
  };
  // The score of a resource from its accumulated words, before its name
  // bonuses: one expression for both ways of accumulating (below), so that
  // they give the same bits.
  auto base_score = [&](float sum, float covered, uint8_t near_words,
                        uint8_t name_words, int name_length, float prior) {
    const double coverage = covered / words;
    const double near = words > 1 ? near_words / (words - 1) : 0.0;
    double score = sum / words * coverage * coverage * (1 + kNearBonus * near);
    if (name_length > 0) {
      const double share =
          std::min(1.0, static_cast<double>(name_words) / name_length);
      score *= 1 + kNameCoverageBonus * share * share;
    }
    return score * prior;
  };
  // Scores a resource whose words are all accumulated.
  auto add = [&](DocId d, Accumulator& acc) {
    acc.Flush();
    const NameTier tier = tier_of(d);
    double score = base_score(acc.sum, acc.covered, acc.near, acc.name_words,
                              acc.name_length, acc.prior);
    if (!prefixes.empty()) {
      auto it = std::lower_bound(prefixes.begin(), prefixes.end(), d,
                                 [](const std::pair<DocId, double>& p,
                                    DocId doc) { return p.first < doc; });
      if (it != prefixes.end() && it->first == d) score += it->second;
    }
    offer(ScoredDoc{d, score + bonus(tier), tier});
  };

  const double n = static_cast<double>(index.docs().size());
  auto idf_of = [&](TermId term) {
    const double df = index.document_frequency(term);
    return std::log(1 + (n - df + 0.5) / (df + 0.5));
  };
  if (one_variant) {
    // One variant (the usual one-word query) meets each resource once, in
    // resource order: each is scored as soon as its postings are read, with
    // what an Accumulator of one word would hold, and its name bonuses are
    // found by walking the (sorted) prefixes and exact names along
    // (docs/search.md, "Ranking cost").
    const Variant& variant = variants[0];
    const double quality_idf = variant.quality * idf_of(variant.term);
    // base_score is at most quality_idf · tf / (k1 + tf) (the float of it)
    // / words · (covered / words)² · name factor · prior, where covered is 1
    // (kWeakCoverage when the word is only in quotes or content) and the
    // name factor 1 + kNameCoverageBonus · share² is 1 when the word is not
    // in the display name. The margin covers the rounding of every step
    // (float: 2^-24; double: 2^-53 each), so that the bound is never below
    // the score it bounds.
    const double bound_factor =
        quality_idf / (words * words * words) * (1 + 1e-6);
    constexpr double kNameFactor = 1 + kNameCoverageBonus;
    constexpr double kWeakFactor = double{kWeakCoverage} * kWeakCoverage;
    // A bound of the score of a resource with no name bonus, compared
    // without a division: true when it is below `worst`.
    auto ruled_out = [&](const Posting& first, double tf, bool in_name,
                         bool strong) ABSL_ATTRIBUTE_ALWAYS_INLINE {
      return tf * first.prior * bound_factor * (in_name ? kNameFactor : 1.0) *
                 (strong ? 1.0 : kWeakFactor) <
             heap.front().score * (kK1 + tf);
    };
    auto score_and_offer = [&](const Posting& first, double tf, bool in_name,
                               bool strong, double prefix_bonus,
                               NameTier tier) {
      const float best =
          std::max(0.0f, static_cast<float>(quality_idf * tf / (kK1 + tf)));
      double score =
          base_score(0.0f + best, 0.0f + (strong ? 1.0f : kWeakCoverage), 0,
                     in_name ? 1 : 0, name_length_of(first), first.prior);
      score += prefix_bonus;
      offer(ScoredDoc{first.doc, score + bonus(tier), tier});
    };
    // The resources with a name bonus rank high: offered as the scan meets
    // them, they make the heap's worst high early. The others are put
    // aside and offered after them (or when the buffer is full), when the
    // bound below rules most out. The order hits are offered in does not
    // change the top (the order is total, and the bound is strict); one
    // scan, not a search for the name bonus hits first, a cache miss each
    // (docs/search.md, "Ranking cost").
    struct Deferred {
      uint32_t first;  // Its first posting.
      bool in_name;
      bool strong;
      double tf;
    };
    constexpr size_t kMaxDeferred = 256;
    Deferred deferred[kMaxDeferred];
    size_t deferred_count = 0;
    auto offer_deferred = [&] {
      for (size_t k = 0; k < deferred_count; ++k) {
        const Deferred& hit = deferred[k];
        const Posting& first = postings[hit.first];
        // Once the heap is full, a resource with no name bonus enters it
        // only if its score beats the worst kept: a bound of that score,
        // without a division, rules most out before the exact score is
        // computed.
        if (heap.size() == keep &&
            ruled_out(first, hit.tf, hit.in_name, hit.strong)) {
          ++ranking.total;
          continue;
        }
        score_and_offer(first, hit.tf, hit.in_name, hit.strong, 0.0,
                        NameTier::kNone);
      }
      deferred_count = 0;
    };
    auto prefix = prefixes.begin();
    auto tier = tiers.begin();
    // The rest is asked for ahead of the scan, a line per resource.
    size_t prefetched = std::min(postings.size(), kPrefetchedPostings);
    for (size_t i = 0; i < postings.size();) {
      if (prefetched < postings.size()) {
        __builtin_prefetch(&postings[prefetched]);
        prefetched += kPostingsPerLine;
      }
      if (skipped(postings, i)) continue;
      const size_t at = i;
      const Posting& first = postings[i];
      const DocId d = first.doc;
      // The field classes it occurs in, as bits: no branch per posting, and
      // no bounds check beyond the loop's own (absl::Span's is hardened).
      double tf = 0;
      unsigned classes = 0;
      const Posting* const data = postings.data();
      const size_t size = postings.size();
      do {
        tf += data[i].weighted_frequency;
        classes |= 1u << data[i].field_class;
        ++i;
      } while (i < size && data[i].doc == d);
      const bool in_name =
          (classes & (1u << static_cast<int>(FieldClass::kName))) != 0;
      const bool strong =
          (classes & ((1u << static_cast<int>(FieldClass::kQuote)) - 1)) != 0;
      while (prefix != prefixes.end() && prefix->first < d) ++prefix;
      while (tier != tiers.end() && tier->doc < d) ++tier;
      const bool has_prefix = prefix != prefixes.end() && prefix->first == d;
      const bool has_tier = tier != tiers.end() && tier->doc == d;
      if (has_prefix || has_tier) {
        NameTier name_tier = NameTier::kNone;
        if (has_tier) {
          name_tier = tier->tier;
          tier->scored = true;
        }
        score_and_offer(first, tf, in_name, strong,
                        has_prefix ? prefix->second : 0.0, name_tier);
        continue;
      }
      if (keep == 0) {
        ++ranking.total;
        continue;
      }
      if (heap.size() == keep && ruled_out(first, tf, in_name, strong)) {
        ++ranking.total;
        continue;
      }
      if (deferred_count == kMaxDeferred) offer_deferred();
      deferred[deferred_count++] =
          Deferred{static_cast<uint32_t>(at), in_name, strong, tf};
    }
    offer_deferred();
  }
  // More variants need a map to meet each resource again.
  absl::flat_hash_map<DocId, Accumulator> accumulators;
  for (const Variant& variant : variants) {
    if (one_variant) break;
    const double idf = idf_of(variant.term);
    const absl::Span<const Posting> postings = index.postings(variant.term);
    for (size_t i = 0; i < postings.size();) {
      if (skipped(postings, i)) continue;
      const Posting& first = postings[i];
      const DocId d = first.doc;
      Accumulator& acc = accumulators[d];
      if (acc.word != variant.word) {
        acc.StartWord(static_cast<int16_t>(variant.word));
      }
      acc.name_length = static_cast<uint16_t>(name_length_of(first));
      acc.prior = first.prior;
      double tf = 0;
      for (; i < postings.size() && postings[i].doc == d; ++i) {
        const Posting& p = postings[i];
        tf += p.weighted_frequency;
        acc.Occurs(p.field_class, p.first_position);
      }
      const double score = variant.quality * idf * tf / (kK1 + tf);
      acc.best = std::max(acc.best, static_cast<float>(score));
    }
  }
  for (auto& [d, acc] : accumulators) add(d, acc);
  // Names made only of stop words match no term.
  for (const NamedDoc& t : tiers) {
    if (!t.scored && wanted(index.docs()[t.doc].collection)) {
      offer({t.doc, bonus(t.tier), t.tier});
    }
  }
  std::sort_heap(heap.begin(), heap.end(), RanksBefore);
  return ranking;
}

}  // namespace factgraph::query::search
