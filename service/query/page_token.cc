#include "service/query/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "service/query/error_details.h"

namespace factgraph::query {
namespace {

constexpr char kVersion = 1;
constexpr size_t kFingerprintSize = 16;
constexpr size_t kOffsetSize = 8;
constexpr size_t kMacSize = 32;

absl::Status Invalid(std::string_view why) {
  return FieldError(
      absl::StatusCode::kInvalidArgument, "page_token", v1::INVALID_PAGE_TOKEN,
      absl::StrFormat("page_token: %s; pass the next_page_token of the "
                      "previous response unchanged, or none to start over",
                      why));
}

void AppendLengthPrefixed(std::string_view part, std::string* out) {
  const uint64_t size = part.size();
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((size >> shift) & 0xFF));
  }
  out->append(part);
}

}  // namespace

std::string RequestFingerprint(std::initializer_list<std::string_view> parts) {
  std::string data;
  for (std::string_view part : parts) AppendLengthPrefixed(part, &data);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_Digest(data.data(), data.size(), digest, &digest_size, EVP_sha256(),
             nullptr);
  return std::string(reinterpret_cast<const char*>(digest), kFingerprintSize);
}

PageTokenCodec::PageTokenCodec(std::string secret)
    : secret_(secret.empty() ? std::string(kDefaultSecret)
                             : std::move(secret)) {}

std::string PageTokenCodec::Mac(std::string_view data) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
       &mac_size);
  return std::string(reinterpret_cast<const char*>(mac), mac_size);
}

std::string PageTokenCodec::Encode(const PageCursor& cursor) const {
  std::string data;
  data.push_back(kVersion);
  const std::string_view id =
      std::string_view(cursor.snapshot_id).substr(0, 255);
  data.push_back(static_cast<char>(id.size()));
  data.append(id);
  std::string fingerprint = cursor.request_fingerprint;
  fingerprint.resize(kFingerprintSize, '\0');
  data.append(fingerprint);
  for (int shift = 56; shift >= 0; shift -= 8) {
    data.push_back(static_cast<char>((cursor.offset >> shift) & 0xFF));
  }
  data.append(Mac(data));
  return absl::WebSafeBase64Escape(data);
}

absl::StatusOr<PageCursor> PageTokenCodec::Decode(
    std::string_view token, std::string_view expected_fingerprint) const {
  std::string data;
  const absl::string_view encoded(token.data(), token.size());
  if (!absl::WebSafeBase64Unescape(encoded, &data)) {
    return Invalid("not a page token (bad encoding)");
  }
  // Only the canonical encoding is accepted: otherwise the unused low bits
  // of the last character could be changed without changing the bytes.
  if (absl::WebSafeBase64Escape(data) != encoded) {
    return Invalid("not a page token (bad encoding)");
  }
  // Check the MAC before reading anything else out of the token.
  if (data.size() < 2 + kFingerprintSize + kOffsetSize + kMacSize) {
    return Invalid("not a page token (too short)");
  }
  const std::string_view body =
      std::string_view(data).substr(0, data.size() - kMacSize);
  const std::string expected_mac = Mac(body);
  if (CRYPTO_memcmp(expected_mac.data(), data.data() + body.size(), kMacSize) !=
      0) {
    return Invalid("not a page token this server issued (signature mismatch)");
  }
  const size_t id_size = static_cast<unsigned char>(body[1]);
  if (body[0] != kVersion ||
      body.size() != 2 + id_size + kFingerprintSize + kOffsetSize) {
    return Invalid("unsupported page token format");
  }
  PageCursor cursor;
  cursor.snapshot_id = std::string(body.substr(2, id_size));
  cursor.request_fingerprint =
      std::string(body.substr(2 + id_size, kFingerprintSize));
  for (size_t i = 2 + id_size + kFingerprintSize; i < body.size(); ++i) {
    cursor.offset = (cursor.offset << 8) | static_cast<unsigned char>(body[i]);
  }
  if (cursor.request_fingerprint != expected_fingerprint) {
    return Invalid(
        "the token belongs to a different request; filter, order_by (and "
        "the method's other parameters but page_size) must stay the same "
        "between pages");
  }
  return cursor;
}

}  // namespace factgraph::query
