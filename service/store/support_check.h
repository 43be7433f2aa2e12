// Does a stated citation support the values it covers? The loader's check
// beyond "the quote is in the article" (docs/provenance.md).
#ifndef FACTGRAPH_SERVICE_STORE_SUPPORT_CHECK_H_
#define FACTGRAPH_SERVICE_STORE_SUPPORT_CHECK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "factgraph/v1/common.pb.h"
#include "google/protobuf/message.h"
#include "service/store/fact_path.h"

namespace factgraph::store {

// A citation is stated unless it says it is curated (an unset kind is
// stated, so knowledge bases written before kinds existed stay valid).
bool IsStated(const v1::Citation& citation);

// CITATION_KIND_STATED when one of `citations` is stated, else CURATED
// (also for none: a value nobody states is not stated).
v1::CitationKind KindOfSupport(absl::Span<const v1::Citation* const> citations);

// Every number a text states, in nano-units (10^-9): digits with thousands
// separators and decimals ("1,200", "15.1"), scaled by a following
// "thousand" / "million" / "billion" / "trillion", and the number words
// "one" to "twenty", "thirty" ... "ninety", "hundred". "KRW 15.1 billion"
// states 15100000000 * 10^9.
std::vector<__int128> NumbersStated(std::string_view text);

// The qualifier a text puts on the figure that starts at `position` (a byte
// offset of `text`): a qualifying phrase ("more than", "about", "exceeded",
// "nearly", "below", "at least", ...) ending just before it, or starting
// it. Returns the suffix shared by MoneyQualifier and StatisticQualifier
// ("MORE_THAN", "APPROXIMATE", "NEARLY", "LESS_THAN", "AT_LEAST") and the
// phrase, or empty strings when the figure is unqualified.
struct QualifierInText {
  std::string suffix;
  std::string phrase;
};
QualifierInText QualifierAt(std::string_view text, size_t position);

// Checks every value of `resource` (a resource message) that its stated
// citations cover: a name (display_name of institutions and people), alias,
// role title, money text, date text or statistic text must occur in one of
// the stated quotes that cover it (both normalised as the quote matcher
// does); money units and statistic values must be numbers those quotes
// state; a qualifier a quote puts on the text must be the value's
// qualifier; an inferred date must not be cited as stated. Values only
// curated citations cover are not checked. Calls `report` with the value's
// path and what is wrong; returns how many values were checked.
using SupportProblemSink =
    std::function<void(absl::Span<const PathStep> path, std::string message)>;
int64_t CheckSupport(const google::protobuf::Message& resource,
                     const SupportProblemSink& report);

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_SUPPORT_CHECK_H_
