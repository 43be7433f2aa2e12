// Opaque, tamper-evident page tokens (AIP-158).
//
// A token is the web-safe base64 (no padding) of
//   version (1 byte) | snapshot id length (1 byte) | snapshot id |
//   request fingerprint (16 bytes) | offset (8 bytes, big endian) |
//   HMAC-SHA256 of everything before it under the codec's secret (32 bytes).
// It pins the snapshot the listing started on and the request it belongs
// to. Errors, all with messages that start with "page_token: ":
//   - not base64, wrong length or version, bad MAC (forged, truncated,
//     signed with another secret): INVALID_ARGUMENT;
//   - issued for a different request (collection, filter, order_by,
//     search query...; not page_size, which may change between pages):
//     INVALID_ARGUMENT, as AIP-158 asks;
//   - its snapshot is no longer retained (see StartPage in
//     paging.h): FAILED_PRECONDITION, so that a client can tell "restart the
//     listing" apart from "your request is wrong".
#ifndef FACTGRAPH_SERVICE_QUERY_PAGE_TOKEN_H_
#define FACTGRAPH_SERVICE_QUERY_PAGE_TOKEN_H_

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace factgraph::query {

// Where a listing stands.
struct PageCursor {
  std::string snapshot_id;          // At most 255 bytes.
  std::string request_fingerprint;  // RequestFingerprint(...), 16 bytes.
  uint64_t offset = 0;
};

// A digest of the request fields a token is bound to: SHA-256 over the
// length-prefixed parts, first 16 bytes. Include every field that must not
// change between pages, and a label saying which method it is.
std::string RequestFingerprint(std::initializer_list<std::string_view> parts);
// The same bytes, held in place: a search computes one per call, and a
// 16-byte string is one byte too long for the string's inline buffer.
using Fingerprint = std::array<char, 16>;
Fingerprint FingerprintOf(std::initializer_list<std::string_view> parts);
inline std::string_view FingerprintBytes(const Fingerprint& fingerprint) {
  return std::string_view(fingerprint.data(), fingerprint.size());
}

class PageTokenCodec {
 public:
  // The secret used when the server is given none. Tokens signed with it are
  // only tamper-evident against callers who have not read this source; a
  // deployment passes its own secret (factgraphd --page_token_secret).
  static constexpr std::string_view kDefaultSecret =
      "factgraph-page-token-default-secret-v1";

  // An empty secret means kDefaultSecret.
  explicit PageTokenCodec(std::string secret = std::string(kDefaultSecret));

  std::string Encode(const PageCursor& cursor) const;
  // The same token, from views of the cursor's fields, written over
  // *token: built on the stack and escaped into the string's own buffer,
  // so a reused string (a search page's) costs no allocation.
  void Encode(std::string_view snapshot_id,
              std::string_view request_fingerprint, uint64_t offset,
              std::string* token) const;

  // Checks the token's integrity and that it was issued for a request with
  // `expected_fingerprint`.
  absl::StatusOr<PageCursor> Decode(
      std::string_view token, std::string_view expected_fingerprint) const;

 private:
  // HMAC contexts keyed once with the secret (page_token.cc): a call
  // re-initializes one instead of fetching the algorithm and hashing the key
  // again, as a one-shot HMAC does.
  class Signer;

  static constexpr size_t kMacSize = 32;
  void Mac(std::string_view data, unsigned char (&mac)[kMacSize]) const;
  std::shared_ptr<Signer> signer_;
};

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_PAGE_TOKEN_H_
