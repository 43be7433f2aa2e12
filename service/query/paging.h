// Pagination shared by List and SearchEntities: page sizes and the
// snapshot and offset a page starts at.
#ifndef FACTGRAPH_SERVICE_QUERY_PAGING_H_
#define FACTGRAPH_SERVICE_QUERY_PAGING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "service/query/page_token.h"
#include "service/store/snapshot.h"
#include "service/store/snapshot_holder.h"

namespace factgraph::query {

// The effective page size: negative -> INVALID_ARGUMENT "page_size must not
// be negative", 0 -> default_size, above max_size -> max_size.
absl::StatusOr<int32_t> EffectivePageSize(int32_t page_size,
                                          int32_t default_size,
                                          int32_t max_size);

struct PageStart {
  std::shared_ptr<const store::Snapshot> snapshot;
  uint64_t offset = 0;
};

// Without a token: `current` at offset 0. With one: the token's offset on
// the snapshot it pins, which must still be retained by `holder`
// (FAILED_PRECONDITION otherwise). Token errors as in page_token.h;
// UNAVAILABLE when no snapshot is loaded yet.
absl::StatusOr<PageStart> StartPage(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current, std::string_view page_token,
    std::string_view fingerprint, const PageTokenCodec& tokens);

// The token for the page after [offset, end) of `total` results, or empty
// when `end` is past the last result.
std::string NextPageToken(const PageTokenCodec& tokens,
                          const store::Snapshot& snapshot,
                          std::string_view fingerprint, uint64_t end,
                          uint64_t total);
// The same, written over *token (a reused string keeps its buffer).
void NextPageToken(const PageTokenCodec& tokens,
                   const store::Snapshot& snapshot,
                   std::string_view fingerprint, uint64_t end, uint64_t total,
                   std::string* token);

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_PAGING_H_
