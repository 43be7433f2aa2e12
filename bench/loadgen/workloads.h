// The requests the load generator sends, discovered from the knowledge base
// the server holds, so that the same harness runs against the real seeds or
// a synthetic knowledge base of any size.
#ifndef FACTGRAPH_BENCH_LOADGEN_WORKLOADS_H_
#define FACTGRAPH_BENCH_LOADGEN_WORKLOADS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/loadgen/load_runner.h"
#include "grpcpp/channel.h"

namespace factgraph::bench {

// The label of the echo baseline workload; every ratio is relative to it.
inline constexpr char kEchoLabel[] = "Echo (baseline)";

// The echo baseline alone: an empty payload.
Workload EchoWorkload();

// The echo baseline first, then, over institutions that are not cities:
//   GetInstitution                  one institution by name
//   ListAgreements filter=parties   `parties = "<institution>"`, page size 10
//   SearchEntities page_size=10     the first word of an institution's name
//   Echo of N B, the mean response of SearchEntities page_size=10
//                                   the transport's cost for responses of
//                                   the search's size (N measured first)
//   BatchGetInstitutions x10        ten institutions by name
//   ListNeighbors depth=1           one institution's neighbours
// Each rotates over up to `max_bodies` different requests. Fails when the
// knowledge base lacks institutions or agreements with parties.
absl::StatusOr<std::vector<Workload>> DiscoverWorkloads(
    const std::shared_ptr<grpc::Channel>& channel, int max_bodies = 256);

// SearchEntities of page size 10 rotating over `queries` (a query mix of
// one's own, such as the relevance set's), labelled `label`, then the echo
// of its mean response size. Fails when a query fails or there is none.
absl::StatusOr<std::vector<Workload>> QueryWorkloads(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::vector<std::string>& queries, const std::string& label);

}  // namespace factgraph::bench

#endif  // FACTGRAPH_BENCH_LOADGEN_WORKLOADS_H_
