#include "service/query/paging.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "service/query/error_details.h"
#include "service/query/text_position.h"

namespace factgraph::query {

absl::StatusOr<int32_t> EffectivePageSize(int32_t page_size,
                                          int32_t default_size,
                                          int32_t max_size) {
  if (page_size < 0) {
    return FieldError(
        absl::StatusCode::kInvalidArgument, "page_size", v1::INVALID_ARGUMENT,
        absl::StrFormat("page_size must not be negative (got %d)", page_size));
  }
  if (page_size == 0) return default_size;
  return page_size > max_size ? max_size : page_size;
}

absl::StatusOr<PageStart> StartPage(
    const store::SnapshotHolder& holder,
    std::shared_ptr<const store::Snapshot> current, std::string_view page_token,
    std::string_view fingerprint, const PageTokenCodec& tokens) {
  PageStart start;
  if (page_token.empty()) {
    if (current == nullptr) {
      return WithReason(
          absl::UnavailableError("no knowledge base is loaded yet"),
          v1::KNOWLEDGE_BASE_NOT_LOADED, absl::Seconds(1));
    }
    start.snapshot = std::move(current);
    return start;
  }
  absl::StatusOr<PageCursor> cursor = tokens.Decode(page_token, fingerprint);
  if (!cursor.ok()) return cursor.status();
  start.snapshot = current != nullptr && current->id() == cursor->snapshot_id
                       ? std::move(current)
                       : holder.FindById(cursor->snapshot_id);
  if (start.snapshot == nullptr) {
    return FieldError(
        absl::StatusCode::kFailedPrecondition, "page_token",
        v1::SNAPSHOT_EXPIRED,
        absl::StrFormat("page_token: the knowledge base snapshot %s that this "
                        "listing started on is no longer served; start the "
                        "listing again without a page_token",
                        // Caller text (a forged token may carry any 255
                        // bytes): cut and escaped like all caller text.
                        PrintableText(cursor->snapshot_id)));
  }
  start.offset = cursor->offset;
  return start;
}

std::string NextPageToken(const PageTokenCodec& tokens,
                          const store::Snapshot& snapshot,
                          std::string_view fingerprint, uint64_t end,
                          uint64_t total) {
  std::string token;
  NextPageToken(tokens, snapshot, fingerprint, end, total, &token);
  return token;
}

void NextPageToken(const PageTokenCodec& tokens,
                   const store::Snapshot& snapshot,
                   std::string_view fingerprint, uint64_t end, uint64_t total,
                   std::string* token) {
  if (end >= total) {
    token->clear();
    return;
  }
  tokens.Encode(snapshot.id(), fingerprint, end, token);
}

}  // namespace factgraph::query
