// SHA-256 digests: of document files, and of a knowledge base's deterministic
// serialisation (the snapshot id).
#ifndef FACTGRAPH_SERVICE_STORE_DIGEST_H_
#define FACTGRAPH_SERVICE_STORE_DIGEST_H_

#include <memory>
#include <string>
#include <string_view>

#include "google/protobuf/message.h"

namespace factgraph::store {

// Lowercase hex of the SHA-256 of `bytes` (64 digits).
std::string Sha256Hex(std::string_view bytes);

// Hex of the first 16 bytes of the SHA-256 of the deterministic
// serialisation of `message`, computed without materialising it.
std::string ContentId(const google::protobuf::Message& message);

// The same id for bytes that are such a serialisation.
std::string ContentIdOfBytes(std::string_view serialized);

// ContentIdOfBytes of a serialisation given in pieces, for writers that hold
// the pieces but not the whole (snapshot_file_builder.cc).
class ContentIdHasher {
 public:
  ContentIdHasher();
  ContentIdHasher(const ContentIdHasher&) = delete;
  ContentIdHasher& operator=(const ContentIdHasher&) = delete;
  ~ContentIdHasher();

  void Update(std::string_view bytes);
  // The id of everything given to Update.
  std::string Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace factgraph::store

#endif  // FACTGRAPH_SERVICE_STORE_DIGEST_H_
