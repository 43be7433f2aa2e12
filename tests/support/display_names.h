// The display names of a snapshot's resources, for tests and benchmarks that
// make search queries out of them.
#ifndef FACTGRAPH_TESTS_SUPPORT_DISPLAY_NAMES_H_
#define FACTGRAPH_TESTS_SUPPORT_DISPLAY_NAMES_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "service/store/collections.h"
#include "service/store/snapshot.h"

namespace factgraph::test_support {

// The non-empty display names of every `every`-th resource, in collection
// order, then in the snapshot's order within a collection.
inline std::vector<std::string> DisplayNames(const store::Snapshot& snapshot,
                                             size_t every) {
  std::vector<std::string> names;
  size_t i = 0;
  for (const store::Collection& collection : store::AllCollections()) {
    for (const google::protobuf::Message* message :
         snapshot.Resources(collection)) {
      if (i++ % every != 0) continue;
      const google::protobuf::FieldDescriptor* field =
          message->GetDescriptor()->FindFieldByName("display_name");
      if (field == nullptr) continue;
      std::string name = message->GetReflection()->GetString(*message, field);
      if (!name.empty()) names.push_back(std::move(name));
    }
  }
  return names;
}

}  // namespace factgraph::test_support

#endif  // FACTGRAPH_TESTS_SUPPORT_DISPLAY_NAMES_H_
