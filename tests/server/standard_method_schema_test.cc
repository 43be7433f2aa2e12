// The resource table (store/resource_table.h) against the schema: the check
// the server runs at start, and the errors it gives for messages that break
// the convention of factgraph_service.proto.
#include <string>
#include <vector>

#include "factgraph/v1/factgraph_service.pb.h"
#include "gtest/gtest.h"
#include "service/api/resource_methods.h"
#include "service/store/collections.h"

namespace factgraph {
namespace {

api::StandardMethodMessages PeopleMessages() {
  return {v1::Person::descriptor(),
          v1::GetPersonRequest::descriptor(),
          v1::ListPeopleRequest::descriptor(),
          v1::ListPeopleResponse::descriptor(),
          v1::BatchGetPeopleRequest::descriptor(),
          v1::BatchGetPeopleResponse::descriptor()};
}

TEST(StandardMethodSchemaTest, TheSchemaFollowsTheConvention) {
  EXPECT_TRUE(store::CheckCollectionTable().ok())
      << store::CheckCollectionTable();
  EXPECT_TRUE(api::CheckStandardMethodSchema().ok())
      << api::CheckStandardMethodSchema();
}

TEST(StandardMethodSchemaTest, CollectionsAreTheTableRowsInFieldOrder) {
  std::vector<std::string> ids;
  for (const store::Collection& collection : store::AllCollections()) {
    ids.emplace_back(collection.id);
  }
  EXPECT_EQ(
      ids, (std::vector<std::string>{"institutions", "people", "agreements",
                                     "projects", "fundings", "events",
                                     "statistics", "documents", "statements"}));
}

TEST(StandardMethodSchemaTest, ResolvesTheFieldsByName) {
  auto fields = api::ResolveStandardMethodFields(
      *store::CollectionById("people"), PeopleMessages());
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->list_items,
            v1::ListPeopleResponse::descriptor()->FindFieldByName("people"));
  EXPECT_EQ(
      fields->total_size,
      v1::ListPeopleResponse::descriptor()->FindFieldByName("total_size"));
  EXPECT_EQ(fields->batch_get_names,
            v1::BatchGetPeopleRequest::descriptor()->FindFieldByName("names"));
}

TEST(StandardMethodSchemaTest, AResponseWithoutTheResourceFieldIsNamed) {
  api::StandardMethodMessages messages = PeopleMessages();
  messages.list_response = v1::ListInstitutionsResponse::descriptor();
  auto fields = api::ResolveStandardMethodFields(
      *store::CollectionById("people"), messages);
  EXPECT_EQ(fields.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(fields.status().message(),
            "factgraph.v1.ListInstitutionsResponse needs a field `repeated "
            "Person people` (the standard methods read it; see the "
            "convention in factgraph_service.proto)");
}

TEST(StandardMethodSchemaTest, AFieldOfAnotherTypeIsNamed) {
  api::StandardMethodMessages messages = PeopleMessages();
  // GetPersonRequest has `string name`, not `repeated string names`.
  messages.batch_get_request = v1::GetPersonRequest::descriptor();
  auto fields = api::ResolveStandardMethodFields(
      *store::CollectionById("people"), messages);
  EXPECT_EQ(fields.status().message(),
            "factgraph.v1.GetPersonRequest needs a field `repeated string "
            "names` (the standard methods read it; see the convention in "
            "factgraph_service.proto)");
}

}  // namespace
}  // namespace factgraph
