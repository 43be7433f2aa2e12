#include "service/store/digest.h"

#include <openssl/evp.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream.h"

namespace factgraph::store {
namespace {

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr);
  }
  void Update(const void* data, size_t size) {
    EVP_DigestUpdate(context_.get(), data, size);
  }
  std::string Finish() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(context_.get(), digest, &size);
    return std::string(reinterpret_cast<const char*>(digest), size);
  }

 private:
  struct Free {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> context_;
};

// Hashes whatever is written to it, chunk by chunk.
class HashingOutputStream : public google::protobuf::io::ZeroCopyOutputStream {
 public:
  explicit HashingOutputStream(Sha256* hash) : hash_(hash) {}
  ~HashingOutputStream() override { Flush(); }

  bool Next(void** data, int* size) override {
    Flush();
    *data = buffer_;
    *size = kBufferSize;
    pending_ = kBufferSize;
    return true;
  }
  void BackUp(int count) override { pending_ -= count; }
  int64_t ByteCount() const override { return total_ + pending_; }
  void Flush() {
    if (pending_ > 0) hash_->Update(buffer_, static_cast<size_t>(pending_));
    total_ += pending_;
    pending_ = 0;
  }

 private:
  static constexpr int kBufferSize = 1 << 16;
  Sha256* hash_;
  char buffer_[kBufferSize];
  int pending_ = 0;
  int64_t total_ = 0;
};

std::string IdOfDigest(const std::string& digest) {
  return absl::BytesToHexString(digest.substr(0, 16));
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  Sha256 hash;
  hash.Update(bytes.data(), bytes.size());
  return absl::BytesToHexString(hash.Finish());
}

std::string ContentId(const google::protobuf::Message& message) {
  Sha256 hash;
  {
    auto stream = std::make_unique<HashingOutputStream>(&hash);
    {
      google::protobuf::io::CodedOutputStream coded(stream.get());
      coded.SetSerializationDeterministic(true);
      message.SerializePartialToCodedStream(&coded);
    }
    stream->Flush();
  }
  return IdOfDigest(hash.Finish());
}

std::string ContentIdOfBytes(std::string_view serialized) {
  Sha256 hash;
  hash.Update(serialized.data(), serialized.size());
  return IdOfDigest(hash.Finish());
}

struct ContentIdHasher::State {
  Sha256 hash;
};

ContentIdHasher::ContentIdHasher() : state_(std::make_unique<State>()) {}
ContentIdHasher::~ContentIdHasher() = default;

void ContentIdHasher::Update(std::string_view bytes) {
  state_->hash.Update(bytes.data(), bytes.size());
}

std::string ContentIdHasher::Finish() {
  return IdOfDigest(state_->hash.Finish());
}

}  // namespace factgraph::store
