// Every class of error carries google.rpc.Status details (docs/errors.md):
// an ErrorInfo with a stable reason, a BadRequest field violation naming the
// field (and the character position for filter and order_by), a
// ResourceInfo on NOT_FOUND and a RetryInfo where retrying helps. Also the
// request shapes of issue 18: page_size may change between pages (AIP-158)
// and QueryFacts checks names and predicates like Get and List.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "factgraph/v1/admin_service.grpc.pb.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/server/test_server.h"

namespace factgraph {
namespace {

using grpc::StatusCode;

// The details of a failed call, unpacked.
struct Details {
  google::rpc::Status status;
  std::vector<std::string> types;  // Full names of the detail messages.
  google::rpc::ErrorInfo info;
  google::rpc::BadRequest bad_request;
  google::rpc::ResourceInfo resource;
  google::rpc::RetryInfo retry;
};

Details Unpack(const grpc::Status& status) {
  Details details;
  EXPECT_TRUE(details.status.ParseFromString(status.error_details()))
      << status.error_message();
  EXPECT_EQ(details.status.code(), static_cast<int>(status.error_code()));
  EXPECT_EQ(details.status.message(), status.error_message());
  for (const google::protobuf::Any& any : details.status.details()) {
    const std::string type =
        any.type_url().substr(any.type_url().find('/') + 1);
    details.types.push_back(type);
    if (type == "google.rpc.ErrorInfo") {
      EXPECT_TRUE(any.UnpackTo(&details.info));
    }
    if (type == "google.rpc.BadRequest") {
      EXPECT_TRUE(any.UnpackTo(&details.bad_request));
    }
    if (type == "google.rpc.ResourceInfo") {
      EXPECT_TRUE(any.UnpackTo(&details.resource));
    }
    if (type == "google.rpc.RetryInfo") {
      EXPECT_TRUE(any.UnpackTo(&details.retry));
    }
  }
  return details;
}

using Types = std::vector<std::string>;

class ErrorDetailsTest : public test_support::RealSeedsServerTest<> {
 protected:
  static std::unique_ptr<v1::FactGraphService::Stub> Stub() {
    return v1::FactGraphService::NewStub(channel());
  }
};

TEST_F(ErrorDetailsTest, MalformedNameIsABadRequestOnTheNameField) {
  grpc::ClientContext context;
  v1::GetInstitutionRequest request;
  request.set_name("institutions/a b");
  v1::Institution response;
  const grpc::Status status =
      Stub()->GetInstitution(&context, request, &response);
  ASSERT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  const Details details = Unpack(status);
  EXPECT_EQ(details.types,
            (Types{"google.rpc.BadRequest", "google.rpc.ErrorInfo"}));
  EXPECT_EQ(details.info.reason(), "INVALID_NAME");
  EXPECT_EQ(details.info.domain(), "factgraph.dev");
  ASSERT_EQ(details.bad_request.field_violations_size(), 1);
  EXPECT_EQ(details.bad_request.field_violations(0).field(), "name");
  EXPECT_EQ(details.bad_request.field_violations(0).reason(), "INVALID_NAME");
  EXPECT_EQ(details.bad_request.field_violations(0).description(),
            status.error_message());
}

TEST_F(ErrorDetailsTest, MissingResourceHasResourceInfo) {
  grpc::ClientContext context;
  v1::GetPersonRequest request;
  request.set_name("people/no-such-person");
  v1::Person response;
  const grpc::Status status = Stub()->GetPerson(&context, request, &response);
  ASSERT_EQ(status.error_code(), StatusCode::NOT_FOUND);
  const Details details = Unpack(status);
  EXPECT_EQ(details.types,
            (Types{"google.rpc.ErrorInfo", "google.rpc.ResourceInfo"}));
  EXPECT_EQ(details.info.reason(), "RESOURCE_NOT_FOUND");
  EXPECT_EQ(details.resource.resource_type(), "factgraph.dev/Person");
  EXPECT_EQ(details.resource.resource_name(), "people/no-such-person");
}

TEST_F(ErrorDetailsTest, BatchGetNamesTheMissingEntry) {
  grpc::ClientContext context;
  v1::BatchGetInstitutionsRequest request;
  request.add_names("institutions/kaist");
  request.add_names("institutions/nowhere");
  v1::BatchGetInstitutionsResponse response;
  const grpc::Status status =
      Stub()->BatchGetInstitutions(&context, request, &response);
  ASSERT_EQ(status.error_code(), StatusCode::NOT_FOUND);
  const Details details = Unpack(status);
  EXPECT_EQ(details.resource.resource_type(), "factgraph.dev/Institution");
  EXPECT_EQ(details.resource.resource_name(), "institutions/nowhere");
  EXPECT_EQ(status.error_message(), "names[1]: institutions/nowhere not found");
}

TEST_F(ErrorDetailsTest, FilterAndOrderByErrorsGiveTheCharacterPosition) {
  struct Case {
    std::string filter, order_by, field, reason, position;
  };
  for (const Case& c : std::vector<Case>{
           {"kind = ", "", "filter", "INVALID_FILTER", "8"},
           {"display_name = \"x\" AND nosuch = 1", "", "filter",
            "INVALID_FILTER", "24"},
           {"", "display_name, nosuch", "order_by", "INVALID_ORDER_BY", "15"},
           {"", "display_name sideways", "order_by", "INVALID_ORDER_BY",
            "14"}}) {
    grpc::ClientContext context;
    v1::ListInstitutionsRequest request;
    request.set_filter(c.filter);
    request.set_order_by(c.order_by);
    v1::ListInstitutionsResponse response;
    const grpc::Status status =
        Stub()->ListInstitutions(&context, request, &response);
    ASSERT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT)
        << c.filter << c.order_by;
    const Details details = Unpack(status);
    EXPECT_EQ(details.info.reason(), c.reason) << status.error_message();
    EXPECT_EQ(details.info.metadata().at("position"), c.position)
        << status.error_message();
    EXPECT_EQ(details.info.metadata().at("field"), c.field);
    ASSERT_EQ(details.bad_request.field_violations_size(), 1);
    EXPECT_EQ(details.bad_request.field_violations(0).field(), c.field);
  }
}

TEST_F(ErrorDetailsTest, BadPageTokenAndPageSize) {
  {
    grpc::ClientContext context;
    v1::ListPeopleRequest request;
    request.set_page_token("not-a-token");
    v1::ListPeopleResponse response;
    const Details details =
        Unpack(Stub()->ListPeople(&context, request, &response));
    EXPECT_EQ(details.info.reason(), "INVALID_PAGE_TOKEN");
    EXPECT_EQ(details.bad_request.field_violations(0).field(), "page_token");
  }
  {
    grpc::ClientContext context;
    v1::ListPeopleRequest request;
    request.set_page_size(-1);
    v1::ListPeopleResponse response;
    const Details details =
        Unpack(Stub()->ListPeople(&context, request, &response));
    EXPECT_EQ(details.info.reason(), "INVALID_ARGUMENT");
    EXPECT_EQ(details.bad_request.field_violations(0).field(), "page_size");
  }
}

TEST_F(ErrorDetailsTest, TooManyNamesIsOutOfRangeWithTheField) {
  grpc::ClientContext context;
  v1::BatchGetPeopleRequest request;
  for (int i = 0; i < 1001; ++i) request.add_names("people/x");
  v1::BatchGetPeopleResponse response;
  const grpc::Status status =
      Stub()->BatchGetPeople(&context, request, &response);
  ASSERT_EQ(status.error_code(), StatusCode::OUT_OF_RANGE);
  const Details details = Unpack(status);
  EXPECT_EQ(details.info.reason(), "LIMIT_EXCEEDED");
  EXPECT_EQ(details.bad_request.field_violations(0).field(), "names");
}

TEST_F(ErrorDetailsTest, GraphArgumentsNameTheirField) {
  grpc::ClientContext context;
  v1::ListNeighborsRequest request;
  request.set_name("institutions/kaist");
  request.set_depth(9);
  v1::ListNeighborsResponse response;
  const Details details =
      Unpack(Stub()->ListNeighbors(&context, request, &response));
  EXPECT_EQ(details.info.reason(), "INVALID_ARGUMENT");
  EXPECT_EQ(details.bad_request.field_violations(0).field(), "depth");
}

TEST_F(ErrorDetailsTest, AdminWithoutTokenIsUnauthenticatedWithReason) {
  auto admin = v1::AdminService::NewStub(channel());
  grpc::ClientContext context;
  v1::ReloadKnowledgeBaseResponse response;
  const grpc::Status status =
      admin->ReloadKnowledgeBase(&context, {}, &response);
  ASSERT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED);
  const Details details = Unpack(status);
  EXPECT_EQ(details.types, (Types{"google.rpc.ErrorInfo"}));
  EXPECT_EQ(details.info.reason(), "UNAUTHENTICATED");
}

// Reads every fact of a QueryFacts stream; the status at its end.
grpc::Status QueryFacts(v1::FactGraphService::Stub* stub,
                        const v1::QueryFactsRequest& request, int* facts) {
  grpc::ClientContext context;
  auto reader = stub->QueryFacts(&context, request);
  v1::QueryFactsResponse batch;
  *facts = 0;
  while (reader->Read(&batch)) *facts += batch.facts_size();
  return reader->Finish();
}

TEST_F(ErrorDetailsTest, QueryFactsChecksNamesAndPredicates) {
  auto stub = Stub();
  struct Case {
    std::string subject, predicate, document, field, reason, message;
  };
  for (const Case& c : std::vector<Case>{
           {"kaist", "", "", "subject", "INVALID_NAME",
            "subject: \"kaist\" is not a resource name, expected "
            "\"{collection}/{id}\""},
           {"", "nonsense", "", "predicate", "INVALID_PREDICATE", ""},
           {"institutions/kaist", "roles.institution", "", "predicate",
            "INVALID_PREDICATE",
            "predicate: unknown field \"roles\" of factgraph.v1.Institution at "
            "position 1"},
           {"", "", "institutions/kaist", "document", "INVALID_NAME",
            "document: \"institutions/kaist\" is not a name of collection "
            "\"documents\", expected \"documents/{id}\""}}) {
    v1::QueryFactsRequest request;
    request.set_subject(c.subject);
    request.set_predicate(c.predicate);
    request.set_document(c.document);
    int facts = 0;
    const grpc::Status status = QueryFacts(stub.get(), request, &facts);
    ASSERT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << c.field;
    if (!c.message.empty()) {
      EXPECT_EQ(status.error_message(), c.message);
    }
    const Details details = Unpack(status);
    EXPECT_EQ(details.info.reason(), c.reason) << status.error_message();
    EXPECT_EQ(details.bad_request.field_violations(0).field(), c.field);
  }
}

TEST_F(ErrorDetailsTest, QueryFactsAcceptsEveryPredicateTheFactsUse) {
  auto stub = Stub();
  int all = 0;
  ASSERT_TRUE(QueryFacts(stub.get(), {}, &all).ok());
  ASSERT_GT(all, 0);
  // Each stored predicate, asked for alone, is valid and finds its facts.
  grpc::ClientContext context;
  auto reader = stub->QueryFacts(&context, {});
  v1::QueryFactsResponse batch;
  std::map<std::string, int> expected;
  while (reader->Read(&batch)) {
    for (const v1::Fact& fact : batch.facts()) ++expected[fact.predicate()];
  }
  ASSERT_TRUE(reader->Finish().ok());
  for (const auto& [predicate, count] : expected) {
    v1::QueryFactsRequest request;
    request.set_predicate(predicate);
    int facts = 0;
    const grpc::Status status = QueryFacts(stub.get(), request, &facts);
    EXPECT_TRUE(status.ok()) << predicate << ": " << status.error_message();
    EXPECT_EQ(facts, count) << predicate;
  }
}

TEST_F(ErrorDetailsTest, PageSizeMayChangeBetweenPages) {
  auto stub = Stub();
  std::vector<std::string> all;
  {
    grpc::ClientContext context;
    v1::ListInstitutionsRequest request;
    request.set_page_size(1000);
    v1::ListInstitutionsResponse response;
    ASSERT_TRUE(stub->ListInstitutions(&context, request, &response).ok());
    for (const auto& institution : response.institutions()) {
      all.push_back(institution.name());
    }
  }
  ASSERT_GT(all.size(), 7u);
  std::vector<std::string> paged;
  std::string token;
  // Page sizes 2, 5, then 1000: every name once, in order.
  for (int size : {2, 5, 1000}) {
    grpc::ClientContext context;
    v1::ListInstitutionsRequest request;
    request.set_page_size(size);
    request.set_page_token(token);
    v1::ListInstitutionsResponse response;
    const grpc::Status status =
        stub->ListInstitutions(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.institutions_size(),
              std::min<int>(size, all.size() - paged.size()));
    for (const auto& institution : response.institutions()) {
      paged.push_back(institution.name());
    }
    token = response.next_page_token();
  }
  EXPECT_EQ(paged, all);
  EXPECT_EQ(token, "");
}

TEST(ErrorDetailsNotLoadedTest, UnavailableCarriesRetryInfo) {
  auto started = server::Server::Start(
      test_support::TestServerOptions(test_support::RealSeedsDir()));
  ASSERT_TRUE(started.ok()) << started.status();
  auto stub = v1::FactGraphService::NewStub(
      test_support::ChannelTo((*started)->port()));
  grpc::ClientContext context;
  v1::GetInstitutionRequest request;
  request.set_name("institutions/kaist");
  v1::Institution response;
  const grpc::Status status =
      stub->GetInstitution(&context, request, &response);
  ASSERT_EQ(status.error_code(), StatusCode::UNAVAILABLE);
  const Details details = Unpack(status);
  EXPECT_EQ(details.types,
            (Types{"google.rpc.ErrorInfo", "google.rpc.RetryInfo"}));
  EXPECT_EQ(details.info.reason(), "KNOWLEDGE_BASE_NOT_LOADED");
  EXPECT_EQ(details.retry.retry_delay().seconds(), 1);
}

}  // namespace
}  // namespace factgraph
