// The project's own seeds, loaded once per test binary, and typed lookups
// into them for the golden tests of the knowledge base.
#ifndef FACTGRAPH_TESTS_KB_SEEDS_SNAPSHOT_H_
#define FACTGRAPH_TESTS_KB_SEEDS_SNAPSHOT_H_

#include <string>
#include <string_view>
#include <vector>

#include "factgraph/v1/common.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "service/store/snapshot.h"

namespace factgraph::test_support {

// The snapshot of FACTGRAPH_SOURCE_DIR "/seeds". Aborts the test binary with
// the loader's message if the seeds do not load, since every golden test
// would fail for the same reason.
const store::Snapshot& SeedsSnapshot();

// The resource `name` as its concrete type, or nullptr when it is missing or
// of another type.
template <typename T>
const T* FindAs(std::string_view name) {
  return dynamic_cast<const T*>(SeedsSnapshot().Find(name));
}

// Whether an article states the value at `path` of resource `name`
// (CITATION_KIND_STATED) or only a curator adds it (CURATED); UNSPECIFIED
// when there is no such resource.
v1::CitationKind KindOf(std::string_view name, std::string_view path);

// The target names of a list of references, in order.
std::vector<std::string> RefNames(
    const google::protobuf::RepeatedPtrField<v1::EntityRef>& refs);

}  // namespace factgraph::test_support

#endif  // FACTGRAPH_TESTS_KB_SEEDS_SNAPSHOT_H_
