#include "service/server/call_peer.h"

#include "absl/strings/match.h"
#include "service/server/http/transcoder.h"

namespace factgraph::server {

std::string CallPeer(const grpc::ServerContextBase& context) {
  std::string peer = context.peer();
  // gRPC 1.51's in-process transport gives its calls no address: "unknown"
  // (later versions say "inproc"); a TCP or Unix socket peer always has one.
  if (peer != "unknown" && !absl::StartsWith(peer, "inproc")) return peer;
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find(http::kHttpPeerMetadataKey);
  if (found == metadata.end()) return peer;
  return "http:" + std::string(found->second.data(), found->second.size());
}

}  // namespace factgraph::server
