#include "tests/kb/seeds_snapshot.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "service/store/facts.h"
#include "service/store/loader.h"
#include "service/store/support_check.h"

namespace factgraph::test_support {

const store::Snapshot& SeedsSnapshot() {
  static const std::shared_ptr<const store::Snapshot>* const snapshot = [] {
    auto loaded = store::LoadSeeds(FACTGRAPH_SOURCE_DIR "/seeds");
    if (!loaded.ok()) {
      std::fprintf(stderr, "the seeds do not load: %s\n",
                   std::string(loaded.status().message()).c_str());
      std::abort();
    }
    return new std::shared_ptr<const store::Snapshot>(*std::move(loaded));
  }();
  return **snapshot;
}

v1::CitationKind KindOf(std::string_view name, std::string_view path) {
  const google::protobuf::Message* resource = SeedsSnapshot().Find(name);
  if (resource == nullptr) return v1::CITATION_KIND_UNSPECIFIED;
  return store::KindOfSupport(store::CoveringCitations(*resource, path));
}

std::vector<std::string> RefNames(
    const google::protobuf::RepeatedPtrField<v1::EntityRef>& refs) {
  std::vector<std::string> names;
  names.reserve(refs.size());
  for (const v1::EntityRef& ref : refs) names.push_back(ref.name());
  return names;
}

}  // namespace factgraph::test_support
