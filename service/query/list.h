// The standard methods over any collection: Get (AIP-131), List (AIP-132,
// with filter, order_by and pagination) and BatchGet (AIP-231).
#ifndef FACTGRAPH_SERVICE_QUERY_LIST_H_
#define FACTGRAPH_SERVICE_QUERY_LIST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "service/query/filter.h"
#include "service/query/page_token.h"
#include "service/query/snapshot_memo.h"
#include "service/store/collections.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::query {

struct ListRequest {
  std::string filter;
  std::string order_by;
  std::string page_token;
  int32_t page_size = 0;
};

struct ListLimits {
  // Used when page_size is 0.
  int32_t default_page_size = 50;
  // Larger page sizes are capped to this.
  int32_t max_page_size = 1000;
  FilterLimits filter;
};

// What ListPage derives from a snapshot and keeps for as long as the snapshot
// lives (snapshot_memo.h). One per service, passed to every ListPage call;
// not process-wide, so that two services (or tests) do not share it.
class ListMemos {
 public:
  using Ordering = std::vector<const google::protobuf::Message*>;
  // The resources of one collection with a fact of one predicate, by the
  // object key of that fact (the referenced name), each list in name order.
  using ReferrersByName = absl::flat_hash_map<std::string, Ordering>;

  // Collections sorted by an order_by: 8 bytes per resource of the
  // collection (2.4 MB for the 300,000 institutions of a million-entity
  // knowledge base).
  SnapshotMemo<Ordering>& sorted_collections() { return sorted_collections_; }
  // Reference indexes, one per (collection, predicate) that filters ask for:
  // 8 bytes per fact of the predicate, plus the names.
  SnapshotMemo<ReferrersByName>& reference_indexes() {
    return reference_indexes_;
  }

 private:
  SnapshotMemo<Ordering> sorted_collections_{16};
  SnapshotMemo<ReferrersByName> reference_indexes_{32};
};

struct ListResult {
  // The snapshot the page was read from; it owns `resources`.
  std::shared_ptr<const store::Snapshot> snapshot;
  std::vector<const google::protobuf::Message*> resources;
  // Empty on the last page.
  std::string next_page_token;
  // Resources that match the filter, over all pages.
  int32_t total_size = 0;
};

// One page of `collection`. The first page reads `current`; a page token
// pins the snapshot its listing started on (looked up in `holder`), so
// paging stays consistent across a reload.
//
// Errors: INVALID_ARGUMENT for a negative page_size ("page_size must not be
// negative"), a bad filter or order_by, a bad page token; OUT_OF_RANGE for a
// filter over its limits; FAILED_PRECONDITION when the token's snapshot is no
// longer retained; UNAVAILABLE when `current` is null.
//
// Cost: with an indexable term in the filter (see Filter::indexable_terms)
// the candidates are the resources that term selects: one lookup in an index
// from (collection, predicate, name) to resources that is built from the
// snapshot's facts on the first use of the predicate, then kept with the
// snapshot in `memos`; otherwise the whole collection. The filter
// is evaluated on the candidates on every page; with an order_by, the
// matches are put in order up to the end of the page (a partial sort).
// Without a filter, an order_by sorts the whole collection once per
// snapshot (in `memos`), and every page is a slice of that.
absl::StatusOr<ListResult> ListPage(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current,
    const store::Collection& collection, const ListRequest& request,
    const ListLimits& limits, const PageTokenCodec& tokens, ListMemos* memos);

// The resource `name` of `collection`. INVALID_ARGUMENT for a malformed name
// or a name of another collection, NOT_FOUND when there is none.
absl::StatusOr<const google::protobuf::Message*> Get(
    const store::Snapshot& snapshot, const store::Collection& collection,
    std::string_view name);

// The resources `names`, in request order, all or nothing: the first
// malformed name is INVALID_ARGUMENT ("names[i]: ..."), the first missing one
// NOT_FOUND; more than `max_names` names is OUT_OF_RANGE; a name asked for
// twice is INVALID_ARGUMENT ("names[j]: ... repeats names[i]").
absl::StatusOr<std::vector<const google::protobuf::Message*>> BatchGet(
    const store::Snapshot& snapshot, const store::Collection& collection,
    absl::Span<const std::string> names, int max_names);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_LIST_H_
