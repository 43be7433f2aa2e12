#include "service/query/page_token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace factgraph::query {
namespace {

PageCursor Cursor() {
  PageCursor cursor;
  cursor.snapshot_id = "0123456789abcdef0123456789abcdef";
  cursor.request_fingerprint =
      RequestFingerprint({"List", "institutions", "", "", "2"});
  cursor.offset = 4;
  return cursor;
}

TEST(PageTokenTest, RoundTrips) {
  const PageTokenCodec codec("secret");
  const PageCursor cursor = Cursor();
  const std::string token = codec.Encode(cursor);
  absl::StatusOr<PageCursor> decoded =
      codec.Decode(token, cursor.request_fingerprint);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->snapshot_id, cursor.snapshot_id);
  EXPECT_EQ(decoded->request_fingerprint, cursor.request_fingerprint);
  EXPECT_EQ(decoded->offset, 4u);
  // Web-safe alphabet, no padding.
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                    "qrstuvwxyz0123456789-_"),
            std::string::npos);
}

TEST(PageTokenTest, LargeOffsetsSurvive) {
  const PageTokenCodec codec;
  PageCursor cursor = Cursor();
  cursor.offset = 0x0102030405060708ull;
  absl::StatusOr<PageCursor> decoded =
      codec.Decode(codec.Encode(cursor), cursor.request_fingerprint);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->offset, 0x0102030405060708ull);
}

TEST(PageTokenTest, EveryChangedCharacterIsRejected) {
  const PageTokenCodec codec("secret");
  const PageCursor cursor = Cursor();
  const std::string token = codec.Encode(cursor);
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < token.size(); ++i) {
    for (char replacement : {alphabet[(alphabet.find(token[i]) + 1) % 64],
                             alphabet[(alphabet.find(token[i]) + 33) % 64]}) {
      std::string tampered = token;
      tampered[i] = replacement;
      absl::StatusOr<PageCursor> decoded =
          codec.Decode(tampered, cursor.request_fingerprint);
      ASSERT_FALSE(decoded.ok()) << "character " << i;
      EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(decoded.status().message().substr(0, 12), "page_token: ");
    }
  }
}

TEST(PageTokenTest, EveryChangedByteIsRejected) {
  const PageTokenCodec codec("secret");
  const PageCursor cursor = Cursor();
  std::string bytes;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(codec.Encode(cursor), &bytes));
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string tampered = bytes;
    tampered[i] ^= 0x01;
    absl::StatusOr<PageCursor> decoded = codec.Decode(
        absl::WebSafeBase64Escape(tampered), cursor.request_fingerprint);
    ASSERT_FALSE(decoded.ok()) << "byte " << i;
    EXPECT_EQ(decoded.status().message(),
              "page_token: not a page token this server issued (signature "
              "mismatch); pass the next_page_token of the previous response "
              "unchanged, or none to start over");
  }
}

TEST(PageTokenTest, TruncatedExtendedAndGarbageTokens) {
  const PageTokenCodec codec("secret");
  const PageCursor cursor = Cursor();
  const std::string token = codec.Encode(cursor);
  for (size_t length = 0; length < token.size(); ++length) {
    absl::StatusOr<PageCursor> decoded =
        codec.Decode(token.substr(0, length), cursor.request_fingerprint);
    ASSERT_FALSE(decoded.ok()) << length;
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  }
  for (const std::string& bad :
       {token + "A", token + "=", std::string("!!!!"), std::string("\0\xff", 2),
        std::string(400, 'A'), std::string("page 2")}) {
    absl::StatusOr<PageCursor> decoded =
        codec.Decode(bad, cursor.request_fingerprint);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(codec.Decode("!!!!", cursor.request_fingerprint).status().message(),
            "page_token: not a page token (bad encoding); pass the "
            "next_page_token of the previous response unchanged, or none to "
            "start over");
  EXPECT_EQ(codec.Decode("AAAA", cursor.request_fingerprint).status().message(),
            "page_token: not a page token (too short); pass the "
            "next_page_token of the previous response unchanged, or none to "
            "start over");
}

TEST(PageTokenTest, OtherSecretIsRejected) {
  const PageCursor cursor = Cursor();
  const std::string token = PageTokenCodec("one").Encode(cursor);
  EXPECT_FALSE(
      PageTokenCodec("two").Decode(token, cursor.request_fingerprint).ok());
  EXPECT_TRUE(
      PageTokenCodec("one").Decode(token, cursor.request_fingerprint).ok());
  // An empty secret is the documented default.
  EXPECT_TRUE(
      PageTokenCodec(std::string(PageTokenCodec::kDefaultSecret))
          .Decode(PageTokenCodec("").Encode(cursor), cursor.request_fingerprint)
          .ok());
}

TEST(PageTokenTest, ACodecInTheAddressOfAFreedOneSignsWithItsOwnKey) {
  // Each thread keeps a copy of the keyed context of the codec it signed
  // with last: a codec made where a freed one was must not sign with it.
  const PageCursor cursor = Cursor();
  for (int i = 0; i < 8; ++i) {
    std::string token;
    {
      const PageTokenCodec first("one");
      token = first.Encode(cursor);
      ASSERT_TRUE(first.Decode(token, cursor.request_fingerprint).ok());
    }
    const PageTokenCodec second("two");
    EXPECT_FALSE(second.Decode(token, cursor.request_fingerprint).ok());
    EXPECT_TRUE(
        second.Decode(second.Encode(cursor), cursor.request_fingerprint).ok());
    EXPECT_NE(second.Encode(cursor), token);
  }
}

TEST(PageTokenTest, ChangedRequestIsRejected) {
  const PageTokenCodec codec("secret");
  const PageCursor cursor = Cursor();
  const std::string token = codec.Encode(cursor);
  absl::StatusOr<PageCursor> decoded = codec.Decode(
      token, RequestFingerprint({"List", "institutions", "kind = X", "", "2"}));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(decoded.status().message(),
            "page_token: the token belongs to a different request; filter, "
            "order_by (and the method's other parameters but page_size) must "
            "stay the same between pages; pass the next_page_token of the "
            "previous response unchanged, or none to start over");
}

TEST(PageTokenTest, FingerprintSeparatesParts) {
  EXPECT_NE(RequestFingerprint({"ab", "c"}), RequestFingerprint({"a", "bc"}));
  EXPECT_NE(RequestFingerprint({"a", ""}), RequestFingerprint({"a"}));
  EXPECT_EQ(RequestFingerprint({"a", "b"}), RequestFingerprint({"a", "b"}));
  EXPECT_EQ(RequestFingerprint({"a"}).size(), 16u);
}

// The token's bytes are the documented layout (page_token.h), signed with
// OpenSSL's one-shot HMAC here, however the codec computes them; and
// encoding into a string that already holds something replaces it.
TEST(PageTokenTest, TheTokenIsTheDocumentedBytes) {
  const PageTokenCodec codec("secret");
  const PageCursor cursor = Cursor();
  const std::string body = std::string({1, 32}) + cursor.snapshot_id +
                           cursor.request_fingerprint +
                           std::string({0, 0, 0, 0, 0, 0, 0, 4});
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  ASSERT_NE(HMAC(EVP_sha256(), "secret", 6,
                 reinterpret_cast<const unsigned char*>(body.data()),
                 body.size(), mac, &mac_size),
            nullptr);
  ASSERT_EQ(mac_size, 32u);
  const std::string expected = absl::WebSafeBase64Escape(
      body + std::string(reinterpret_cast<const char*>(mac), mac_size));
  EXPECT_EQ(codec.Encode(cursor), expected);
  std::string reused(500, 'x');
  codec.Encode(cursor.snapshot_id, cursor.request_fingerprint, cursor.offset,
               &reused);
  EXPECT_EQ(reused, expected);
}

// As Encode(PageCursor): a snapshot id cut to 255 bytes, a fingerprint cut
// or padded with zero bytes to 16.
TEST(PageTokenTest, EncodingViewsCutsAndPadsAsTheCursorDoes) {
  const PageTokenCodec codec("secret");
  PageCursor cursor;
  cursor.snapshot_id = std::string(300, 'i');
  cursor.offset = 7;
  for (const std::string fingerprint :
       {"short", "exactly 16 bytes", "much longer than sixteen bytes"}) {
    cursor.request_fingerprint = fingerprint;
    std::string token;
    codec.Encode(cursor.snapshot_id, cursor.request_fingerprint, 7, &token);
    EXPECT_EQ(token, codec.Encode(cursor)) << fingerprint;
    std::string bytes;
    ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &bytes));
    ASSERT_EQ(bytes.size(), 2u + 255 + 16 + 8 + 32);
    std::string padded = fingerprint.substr(0, 16);
    padded.resize(16, '\0');
    EXPECT_EQ(bytes.substr(2 + 255, 16), padded);
  }
}

// FingerprintOf is RequestFingerprint's bytes: the first 16 of SHA-256 over
// the parts, each after its length as 8 big-endian bytes.
TEST(PageTokenTest, FingerprintOfIsTheFingerprintsBytes) {
  const std::string hashed = std::string({0, 0, 0, 0, 0, 0, 0, 4}) + "List" +
                             std::string({0, 0, 0, 0, 0, 0, 0, 0}) +
                             std::string({0, 0, 0, 0, 0, 0, 0, 2}) + "ab";
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(hashed.data()), hashed.size(),
         digest);
  const std::string expected(reinterpret_cast<const char*>(digest), 16);
  EXPECT_EQ(RequestFingerprint({"List", "", "ab"}), expected);
  EXPECT_EQ(FingerprintBytes(FingerprintOf({"List", "", "ab"})), expected);
}

}  // namespace
}  // namespace factgraph::query
