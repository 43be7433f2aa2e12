// Hostile requests against a real in-process server: every one is answered
// with its exact status, and the server keeps serving afterwards.
#include <chrono>
#include <cstdint>
#include <future>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "service/query/page_token.h"
#include "tests/server/test_server.h"

namespace factgraph {
namespace {

using grpc::StatusCode;

class HostileInputTest : public test_support::RealSeedsServerTest<> {
 protected:
  void TearDown() override {
    // Whatever a test sent, the server still answers an ordinary call.
    v1::GetInstitutionRequest request;
    request.set_name("institutions/kaist");
    v1::Institution response;
    EXPECT_TRUE(Call("GetInstitution", request, &response).ok());
    EXPECT_EQ(response.display_name(), "KAIST");
  }

  static grpc::Status Call(const std::string& method,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    return test_support::CallUnary(channel(),
                                   "/factgraph.v1.FactGraphService/" + method,
                                   request, response, &context);
  }

  // Sends `bytes` as the request of `method`, whatever they hold.
  static grpc::Status CallRaw(const std::string& method,
                              const std::string& bytes) {
    grpc::GenericStub stub(channel());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, "/factgraph.v1.FactGraphService/" + method,
                   grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status status) { done.set_value(status); });
    return done.get_future().get();
  }
};

// A request that fails with `code` and a message containing `message`.
#define EXPECT_STATUS(status_expr, code, message)                       \
  do {                                                                  \
    const grpc::Status status_ = (status_expr);                         \
    EXPECT_EQ(status_.error_code(), code) << status_.error_message();   \
    EXPECT_NE(status_.error_message().find(message), std::string::npos) \
        << "\"" << status_.error_message() << "\" lacks \"" << message  \
        << "\"";                                                        \
  } while (false)

TEST_F(HostileInputTest, OversizedMessageIsResourceExhausted) {
  v1::BatchGetInstitutionsRequest request;
  for (int i = 0; i < 5; ++i) request.add_names(std::string(1 << 20, 'a'));
  v1::BatchGetInstitutionsResponse response;
  EXPECT_STATUS(Call("BatchGetInstitutions", request, &response),
                StatusCode::RESOURCE_EXHAUSTED, "");
}

TEST_F(HostileInputTest, PageSizes) {
  v1::ListInstitutionsRequest request;
  v1::ListInstitutionsResponse response;

  request.set_page_size(0);
  ASSERT_TRUE(Call("ListInstitutions", request, &response).ok());
  EXPECT_EQ(response.institutions_size(), 50);

  request.set_page_size(-1);
  EXPECT_STATUS(Call("ListInstitutions", request, &response),
                StatusCode::INVALID_ARGUMENT,
                "page_size must not be negative (got -1)");
  request.set_page_size(std::numeric_limits<int32_t>::min());
  EXPECT_STATUS(Call("ListInstitutions", request, &response),
                StatusCode::INVALID_ARGUMENT,
                "page_size must not be negative (got -2147483648)");

  // A huge page is capped at the server's maximum (1000), which holds the
  // whole collection.
  request.set_page_size(std::numeric_limits<int32_t>::max());
  response.Clear();
  ASSERT_TRUE(Call("ListInstitutions", request, &response).ok());
  EXPECT_EQ(response.institutions_size(), response.total_size());
  EXPECT_EQ(response.next_page_token(), "");

  v1::SearchEntitiesRequest search;
  search.set_query("kaist");
  v1::SearchEntitiesResponse found;
  search.set_page_size(-5);
  EXPECT_STATUS(Call("SearchEntities", search, &found),
                StatusCode::INVALID_ARGUMENT,
                "page_size must not be negative (got -5)");
  search.set_page_size(std::numeric_limits<int32_t>::max());
  ASSERT_TRUE(Call("SearchEntities", search, &found).ok());
  EXPECT_LE(found.results_size(), 100);
  EXPECT_GT(found.results_size(), 0);
}

TEST_F(HostileInputTest, ForgedAndTruncatedPageTokens) {
  v1::ListInstitutionsRequest request;
  request.set_page_size(2);
  v1::ListInstitutionsResponse response;
  ASSERT_TRUE(Call("ListInstitutions", request, &response).ok());
  const std::string token = response.next_page_token();
  ASSERT_FALSE(token.empty());

  // A token signed with another key, for the right snapshot and request.
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  query::PageCursor cursor;
  cursor.snapshot_id = server_->CurrentSnapshot()->id();
  cursor.request_fingerprint = raw.substr(2 + cursor.snapshot_id.size(), 16);
  cursor.offset = 0;
  const std::string forged =
      query::PageTokenCodec("an attacker's key").Encode(cursor);

  std::string flipped = raw;
  flipped[raw.size() - 1] ^= 1;
  for (const std::string& bad :
       {forged, token.substr(0, token.size() - 1),
        token.substr(0, token.size() / 2), std::string("x"),
        std::string("!!!not base64!!!"), std::string(100000, 'A'),
        absl::WebSafeBase64Escape(flipped)}) {
    request.set_page_token(bad);
    SCOPED_TRACE(bad.substr(0, 40));
    EXPECT_STATUS(Call("ListInstitutions", request, &response),
                  StatusCode::INVALID_ARGUMENT, "page_token: ");
  }

  // A genuine token with a changed request (the filter) is refused too; a
  // changed page size is not (AIP-158).
  request.set_page_token(token);
  request.set_page_size(3);
  EXPECT_TRUE(Call("ListInstitutions", request, &response).ok());
  request.set_filter("kind = INSTITUTION_KIND_UNIVERSITY");
  EXPECT_STATUS(Call("ListInstitutions", request, &response),
                StatusCode::INVALID_ARGUMENT, "page_token: ");
  // And a List token is not a search token.
  v1::SearchEntitiesRequest search;
  search.set_query("kaist");
  search.set_page_token(token);
  v1::SearchEntitiesResponse found;
  EXPECT_STATUS(Call("SearchEntities", search, &found),
                StatusCode::INVALID_ARGUMENT, "page_token: ");
}

TEST_F(HostileInputTest, GreatLengthAndDeepNestingOfFilters) {
  v1::ListPeopleRequest request;
  v1::ListPeopleResponse response;

  request.set_filter(std::string(1 << 20, 'a'));
  EXPECT_STATUS(Call("ListPeople", request, &response),
                StatusCode::OUT_OF_RANGE,
                "filter: 1048576 characters long, more than the limit of 2048");

  request.set_filter(std::string(10000, '(') + "display_name = \"x\"" +
                     std::string(10000, ')'));
  EXPECT_STATUS(Call("ListPeople", request, &response),
                StatusCode::OUT_OF_RANGE,
                "filter: 20018 characters long, more than the limit of 2048");

  // Within the length limit, nesting is bounded on its own.
  request.set_filter(std::string(1000, '(') + "display_name = \"x\"" +
                     std::string(1000, ')'));
  EXPECT_STATUS(Call("ListPeople", request, &response),
                StatusCode::OUT_OF_RANGE,
                "filter: parentheses nested deeper than 32 at position 33");

  // Unbalanced parentheses are a syntax error with a position.
  request.set_filter(std::string(1000, '('));
  EXPECT_STATUS(Call("ListPeople", request, &response),
                StatusCode::OUT_OF_RANGE,
                "filter: parentheses nested deeper than 32 at position 33");
  request.set_filter(std::string(1000, ')'));
  EXPECT_STATUS(Call("ListPeople", request, &response),
                StatusCode::INVALID_ARGUMENT, "at position 1");

  // Many terms: OUT_OF_RANGE past the term limit.
  std::string many = "display_name = \"a\"";
  for (int i = 0; i < 100; ++i)
    absl::StrAppend(&many, " OR display_name=\"a\"");
  request.set_filter(many);
  EXPECT_STATUS(Call("ListPeople", request, &response),
                StatusCode::OUT_OF_RANGE, "filter: more than 64");

  request.clear_filter();
  request.set_order_by(std::string(1000, ','));
  EXPECT_STATUS(Call("ListPeople", request, &response),
                StatusCode::INVALID_ARGUMENT,
                "order_by: expected a field name at position 1");
  // Long order_by texts are refused before any work: with 200,000 keys the
  // parse alone used to take minutes.
  std::string keys = "display_name";
  while (keys.size() < (3 << 20)) keys += ", display_name";
  request.set_order_by(keys);
  const absl::Time start = absl::Now();
  EXPECT_STATUS(Call("ListPeople", request, &response),
                StatusCode::OUT_OF_RANGE,
                absl::StrCat("order_by: ", keys.size(),
                             " characters long, more than the limit of 1024"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

TEST_F(HostileInputTest, UnknownFieldsAreIgnored) {
  v1::GetInstitutionRequest request;
  request.set_name("institutions/kaist");
  std::string bytes = request.SerializeAsString();
  // Field 99, varint 7; field 100, length-delimited "zz".
  bytes += std::string("\x98\x06\x07", 3);
  bytes += std::string("\xa2\x06\x02zz", 5);
  EXPECT_TRUE(CallRaw("GetInstitution", bytes).ok());
}

// A request of many HTTP/2 frames arrives in more than one slice, gathered
// into one before it is parsed, unlike the one slice of the usual request:
// its every field is read, up to the last.
TEST_F(HostileInputTest, RequestsOfManyFramesAreParsedToTheirEnd) {
  v1::SearchEntitiesRequest request;
  request.set_query("KAIST");
  request.set_page_size(1);
  for (int i = 0; i < 3000; ++i) request.add_collections("institutions");
  ASSERT_GT(request.ByteSizeLong(), 40000u);
  v1::SearchEntitiesResponse response;
  ASSERT_TRUE(Call("SearchEntities", request, &response).ok());
  ASSERT_EQ(response.results_size(), 1);
  EXPECT_EQ(response.results(0).entity().name(), "institutions/kaist");

  request.add_collections("no-such-collection");
  EXPECT_STATUS(
      Call("SearchEntities", request, &response), StatusCode::INVALID_ARGUMENT,
      "collections[3000]: \"no-such-collection\" is not a collection");
}

TEST_F(HostileInputTest, MalformedRequestBytesAreRefusedBeforeOurCode) {
  // Bytes that do not parse as the request: gRPC's callback API refuses the
  // call before the service sees it, with UNIMPLEMENTED and an empty message
  // (CallbackUnaryHandler in grpcpp/impl/codegen/server_callback_handlers.h).
  // A string field holding invalid UTF-8 (proto3 refuses the whole message):
  const std::string invalid_utf8("\x0a\x03\xff\xfe\xfd", 5);
  // A field whose length runs past the end of the message:
  const std::string truncated(
      "\x0a\x7f"
      "ab",
      4);
  // Methods whose field 1 is a string (a string in an integer field would
  // only be an unknown field).
  for (const std::string method :
       {"GetInstitution", "SearchEntities", "GetPerson", "FindPaths"}) {
    for (const std::string& bytes : {invalid_utf8, truncated}) {
      const grpc::Status status = CallRaw(method, bytes);
      EXPECT_EQ(status.error_code(), StatusCode::UNIMPLEMENTED) << method;
      EXPECT_EQ(status.error_message(), "") << method;
    }
  }
}

TEST_F(HostileInputTest, GraphDepthOfABillion) {
  v1::ListNeighborsRequest neighbors;
  neighbors.set_name("institutions/kaist");
  neighbors.set_depth(1000000000);
  v1::ListNeighborsResponse neighbors_response;
  EXPECT_STATUS(Call("ListNeighbors", neighbors, &neighbors_response),
                StatusCode::INVALID_ARGUMENT,
                "depth must be between 1 and 4 (got 1000000000)");
  neighbors.set_depth(-1);
  EXPECT_STATUS(Call("ListNeighbors", neighbors, &neighbors_response),
                StatusCode::INVALID_ARGUMENT,
                "depth must be between 1 and 4 (got -1)");
  neighbors.set_depth(4);
  neighbors.set_max_results(std::numeric_limits<int32_t>::max());
  ASSERT_TRUE(Call("ListNeighbors", neighbors, &neighbors_response).ok());
  EXPECT_LE(neighbors_response.neighbors_size(), 1000);

  v1::FindPathsRequest paths;
  paths.set_from("institutions/kaist");
  paths.set_to("institutions/korea-university");
  paths.set_max_length(1000000000);
  v1::FindPathsResponse paths_response;
  EXPECT_STATUS(Call("FindPaths", paths, &paths_response),
                StatusCode::INVALID_ARGUMENT,
                "max_length must be between 1 and 6 (got 1000000000)");
  paths.set_max_length(6);
  paths.set_max_paths(-1);
  EXPECT_STATUS(Call("FindPaths", paths, &paths_response),
                StatusCode::INVALID_ARGUMENT,
                "max_paths must not be negative (got -1)");
}

TEST_F(HostileInputTest, EmptyAndMalformedNames) {
  v1::GetPersonRequest request;
  v1::Person response;
  request.set_name("");
  EXPECT_STATUS(Call("GetPerson", request, &response),
                StatusCode::INVALID_ARGUMENT,
                "name: a resource name is required");
  for (const std::string& bad :
       {std::string("people"), std::string("people/"), std::string("/x"),
        std::string("people/a b"), std::string("people/a/b"),
        std::string("people/\x01"),
        std::string("people/") + std::string(300, 'a'),
        std::string(100000, '/')}) {
    request.set_name(bad);
    SCOPED_TRACE(bad.substr(0, 40));
    EXPECT_STATUS(Call("GetPerson", request, &response),
                  StatusCode::INVALID_ARGUMENT, "name: ");
  }
  // Caller text is repeated in messages only up to 128 bytes, so that the
  // status fits in the trailers clients accept.
  request.set_name(std::string(100000, '/'));
  EXPECT_STATUS(Call("GetPerson", request, &response),
                StatusCode::INVALID_ARGUMENT,
                std::string("name: \"") + std::string(128, '/') +
                    "... (100000 bytes)\" is not a resource name");
  request.set_name("institutions/kaist");
  EXPECT_STATUS(Call("GetPerson", request, &response),
                StatusCode::INVALID_ARGUMENT,
                "is not a name of collection \"people\"");
  request.set_name("people/nobody-at-all");
  EXPECT_STATUS(Call("GetPerson", request, &response), StatusCode::NOT_FOUND,
                "people/nobody-at-all not found");

  v1::BatchGetPeopleRequest batch;
  batch.add_names("people/lee-kwang-hyung");
  batch.add_names("");
  v1::BatchGetPeopleResponse batch_response;
  EXPECT_STATUS(Call("BatchGetPeople", batch, &batch_response),
                StatusCode::INVALID_ARGUMENT, "names[1]: ");
  batch.clear_names();
  for (int i = 0; i < 1001; ++i) batch.add_names("people/lee-kwang-hyung");
  EXPECT_STATUS(Call("BatchGetPeople", batch, &batch_response),
                StatusCode::OUT_OF_RANGE, "1000");

  v1::ListNeighborsRequest neighbors;
  neighbors.set_name("no-slash");
  v1::ListNeighborsResponse neighbors_response;
  EXPECT_STATUS(Call("ListNeighbors", neighbors, &neighbors_response),
                StatusCode::INVALID_ARGUMENT, "name: ");

  v1::SearchEntitiesRequest search;
  v1::SearchEntitiesResponse found;
  EXPECT_STATUS(Call("SearchEntities", search, &found),
                StatusCode::INVALID_ARGUMENT, "query: must not be empty");
  search.set_query("!!! ??? ...");
  EXPECT_STATUS(Call("SearchEntities", search, &found),
                StatusCode::INVALID_ARGUMENT,
                "query: has no letters or digits to search for");
  search.set_query(std::string(513, 'k'));
  EXPECT_STATUS(Call("SearchEntities", search, &found),
                StatusCode::OUT_OF_RANGE,
                "query: 513 characters long, more than the limit of 512");
  search.set_query("kaist");
  search.add_collections("secrets");
  EXPECT_STATUS(Call("SearchEntities", search, &found),
                StatusCode::INVALID_ARGUMENT,
                "collections[0]: \"secrets\" is not a collection");

  v1::QueryFactsRequest facts;
  facts.set_limit(-1);
  auto stub = v1::FactGraphService::NewStub(channel());
  grpc::ClientContext context;
  auto reader = stub->QueryFacts(&context, facts);
  v1::QueryFactsResponse batch_of_facts;
  EXPECT_FALSE(reader->Read(&batch_of_facts));
  EXPECT_STATUS(reader->Finish(), StatusCode::INVALID_ARGUMENT,
                "limit must not be negative (got -1)");
}

TEST_F(HostileInputTest, DeadlinesAlreadyExpired) {
  auto stub = v1::FactGraphService::NewStub(channel());
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() -
                         std::chrono::seconds(1));
    v1::GetKnowledgeBaseInfoResponse response;
    EXPECT_EQ(stub->GetKnowledgeBaseInfo(&context, {}, &response).error_code(),
              StatusCode::DEADLINE_EXCEEDED);
  }
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() -
                         std::chrono::seconds(1));
    auto reader = stub->QueryFacts(&context, v1::QueryFactsRequest());
    v1::QueryFactsResponse response;
    while (reader->Read(&response)) {
    }
    EXPECT_EQ(reader->Finish().error_code(), StatusCode::DEADLINE_EXCEEDED);
  }
}

TEST_F(HostileInputTest, CancelledStreams) {
  auto stub = v1::FactGraphService::NewStub(channel());
  for (int i = 0; i < 20; ++i) {
    grpc::ClientContext context;
    // Every fact: many batches, so the stream is still open when it is
    // cancelled.
    auto reader = stub->QueryFacts(&context, v1::QueryFactsRequest());
    v1::QueryFactsResponse response;
    ASSERT_TRUE(reader->Read(&response));
    EXPECT_GT(response.facts_size(), 0);
    context.TryCancel();
    while (reader->Read(&response)) {
    }
    EXPECT_EQ(reader->Finish().error_code(), StatusCode::CANCELLED);
  }
}

}  // namespace
}  // namespace factgraph
