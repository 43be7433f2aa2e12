#include "service/query/page_token.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
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

absl::Status Invalid(std::string_view why) {
  return FieldError(
      absl::StatusCode::kInvalidArgument, "page_token", v1::INVALID_PAGE_TOKEN,
      absl::StrFormat("page_token: %s; pass the next_page_token of the "
                      "previous response unchanged, or none to start over",
                      why));
}

// SHA-256, fetched from the provider once: EVP_sha256() makes every digest
// fetch it again (a lookup under a lock in OpenSSL 3).
const EVP_MD* Sha256() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

}  // namespace

std::string RequestFingerprint(std::initializer_list<std::string_view> parts) {
  const Fingerprint fingerprint = FingerprintOf(parts);
  return std::string(fingerprint.data(), fingerprint.size());
}

Fingerprint FingerprintOf(std::initializer_list<std::string_view> parts) {
  // One digest context per thread, reused: a one-shot EVP_Digest allocates,
  // initializes and frees one on every call, and the parts were copied into
  // one string to hash it.
  thread_local const std::unique_ptr<EVP_MD_CTX, DigestContextFree> context(
      EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  bool ok = context != nullptr &&
            EVP_DigestInit_ex2(context.get(), Sha256(), nullptr) == 1;
  for (std::string_view part : parts) {
    // Length-prefixed (64 bits, big endian), so that parts cannot run into
    // each other.
    unsigned char length[8];
    const uint64_t size = part.size();
    for (int i = 0; i < 8; ++i) {
      length[i] = static_cast<unsigned char>((size >> (56 - 8 * i)) & 0xFF);
    }
    ok = ok && EVP_DigestUpdate(context.get(), length, sizeof(length)) == 1 &&
         EVP_DigestUpdate(context.get(), part.data(), part.size()) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(context.get(), digest, &digest_size) == 1;
  if (!ok) {
    // Only out of memory: a request must not be bound to a digest of
    // nothing.
    std::fprintf(stderr, "factgraph: OpenSSL cannot compute SHA-256: %s\n",
                 ERR_error_string(ERR_get_error(), nullptr));
    std::abort();
  }
  Fingerprint fingerprint;
  static_assert(sizeof(fingerprint) == kFingerprintSize);
  std::memcpy(fingerprint.data(), digest, kFingerprintSize);
  return fingerprint;
}

namespace {

struct MacContextFree {
  void operator()(EVP_MAC_CTX* context) const { EVP_MAC_CTX_free(context); }
};

// Without HMAC-SHA256 no token can be signed or checked: a broken OpenSSL
// installation (a provider configuration without it) is told at start-up,
// not discovered by the first paged call.
[[noreturn]] void DieWithoutHmac(const char* step) {
  std::fprintf(stderr,
               "factgraph: OpenSSL cannot %s for HMAC-SHA256 page "
               "tokens: %s\n",
               step, ERR_error_string(ERR_get_error(), nullptr));
  std::abort();
}

}  // namespace

// HMAC-SHA256 under one secret. The key is hashed into a context once;
// each thread copies that keyed context once and re-initializes its copy,
// which keeps the key, for every MAC. A one-shot HMAC() fetches the
// algorithm and hashes the key on every call: about 2 µs against 0.3. A
// pool of idle contexts shared by the threads would take a lock twice a
// MAC, which every paged call on every core would take in turn
// (docs/search.md, "Serving").
class PageTokenCodec::Signer {
 public:
  explicit Signer(std::string_view secret)
      : id_(NextSignerId()), mac_(EVP_MAC_fetch(nullptr, "HMAC", nullptr)) {
    if (mac_ == nullptr) DieWithoutHmac("fetch HMAC");
    keyed_.reset(EVP_MAC_CTX_new(mac_));
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end()};
    if (keyed_ == nullptr ||
        EVP_MAC_init(keyed_.get(),
                     reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), params) != 1) {
      DieWithoutHmac("key a context");
    }
  }
  ~Signer() { EVP_MAC_free(mac_); }
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  void Mac(std::string_view data, unsigned char (&out)[kMacSize]) {
    // This thread's copy of the keyed context of the signer it used last:
    // by id, not address, as a later signer may be given a freed one's.
    struct ThreadContext {
      uint64_t signer = 0;
      Context context;
    };
    thread_local ThreadContext mine;
    if (mine.signer != id_ || mine.context == nullptr) {
      mine.context.reset(EVP_MAC_CTX_dup(keyed_.get()));
      mine.signer = id_;
    }
    EVP_MAC_CTX* const context = mine.context.get();
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t mac_size = 0;
    // Each step only fails when out of memory; a MAC that cannot be
    // computed must not sign or accept anything.
    if (context == nullptr || EVP_MAC_init(context, nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(context,
                       reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) != 1 ||
        EVP_MAC_final(context, mac, &mac_size, sizeof(mac)) != 1 ||
        mac_size != kMacSize) {
      DieWithoutHmac("compute a MAC");
    }
    std::memcpy(out, mac, kMacSize);
  }

 private:
  using Context = std::unique_ptr<EVP_MAC_CTX, MacContextFree>;

  static uint64_t NextSignerId() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }

  const uint64_t id_;
  EVP_MAC* const mac_;
  // Declared after mac_: freed before it. A thread's copy holds its own
  // reference to the algorithm: it may outlive the signer, until its
  // thread ends or signs for another.
  Context keyed_;
};

PageTokenCodec::PageTokenCodec(std::string secret)
    : signer_(
          std::make_shared<Signer>(secret.empty() ? kDefaultSecret : secret)) {}

void PageTokenCodec::Mac(std::string_view data,
                         unsigned char (&mac)[kMacSize]) const {
  signer_->Mac(data, mac);
}

std::string PageTokenCodec::Encode(const PageCursor& cursor) const {
  std::string token;
  Encode(cursor.snapshot_id, cursor.request_fingerprint, cursor.offset, &token);
  return token;
}

void PageTokenCodec::Encode(std::string_view snapshot_id,
                            std::string_view request_fingerprint,
                            uint64_t offset, std::string* token) const {
  constexpr size_t kMaxIdSize = 255;
  char data[2 + kMaxIdSize + kFingerprintSize + kOffsetSize + kMacSize];
  size_t size = 0;
  data[size++] = kVersion;
  const std::string_view id = snapshot_id.substr(0, kMaxIdSize);
  data[size++] = static_cast<char>(id.size());
  std::memcpy(data + size, id.data(), id.size());
  size += id.size();
  // Cut or padded with zero bytes to its size.
  const std::string_view fingerprint =
      request_fingerprint.substr(0, kFingerprintSize);
  std::memcpy(data + size, fingerprint.data(), fingerprint.size());
  std::memset(data + size + fingerprint.size(), 0,
              kFingerprintSize - fingerprint.size());
  size += kFingerprintSize;
  for (int shift = 56; shift >= 0; shift -= 8) {
    data[size++] = static_cast<char>((offset >> shift) & 0xFF);
  }
  unsigned char mac[kMacSize];
  Mac(std::string_view(data, size), mac);
  std::memcpy(data + size, mac, kMacSize);
  size += kMacSize;
  absl::WebSafeBase64Escape(absl::string_view(data, size), token);
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
  unsigned char expected_mac[kMacSize];
  Mac(body, expected_mac);
  if (CRYPTO_memcmp(expected_mac, data.data() + body.size(), kMacSize) != 0) {
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
