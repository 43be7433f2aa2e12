// Who made a call, for the access log: gRPC's peer, or, for a call the
// HTTP/JSON transcoder made on the in-process channel, "http:" and the HTTP
// client's address (docs/http.md "Design").
#ifndef FACTGRAPH_SERVICE_SERVER_CALL_PEER_H_
#define FACTGRAPH_SERVICE_SERVER_CALL_PEER_H_

#include <string>

#include "grpcpp/server_context.h"

namespace factgraph::server {

// The metadata key is the transcoder's (http/transcoder.h); it is trusted
// only on the in-process transport, which no remote client can reach, so
// no caller can put another address in the log.
std::string CallPeer(const grpc::ServerContextBase& context);

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_CALL_PEER_H_
