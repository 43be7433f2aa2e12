// Get, List and BatchGet of every resource through a real in-process server
// on the real seeds: one test body per method, run for every collection by
// way of the service's descriptors.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "service/store/collections.h"
#include "tests/server/test_server.h"
#include "tests/support/param_name.h"

namespace factgraph {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::util::MessageDifferencer;

class StandardMethodsTest : public test_support::RealSeedsServerTest<
                                ::testing::TestWithParam<std::string>> {
 protected:
  const store::Collection& collection() const {
    return *store::CollectionById(GetParam());
  }
  // "Institution" for "institutions".
  std::string Singular() const { return collection().descriptor->name(); }
  // "Institutions" / "People": the List and BatchGet method suffix.
  std::string Plural() const {
    // The List method whose response holds this collection's resource.
    for (int i = 0; i < Service()->method_count(); ++i) {
      const auto* method = Service()->method(i);
      if (method->name().rfind("List", 0) == 0 &&
          method->output_type()->field(0)->message_type() ==
              collection().descriptor) {
        return method->name().substr(4);
      }
    }
    ADD_FAILURE() << "no List method for " << GetParam();
    return "";
  }
  static const google::protobuf::ServiceDescriptor* Service() {
    return google::protobuf::DescriptorPool::generated_pool()
        ->FindServiceByName("factgraph.v1.FactGraphService");
  }
  std::unique_ptr<Message> New(const Descriptor* descriptor) const {
    return std::unique_ptr<Message>(
        MessageFactory::generated_factory()->GetPrototype(descriptor)->New());
  }
  // Calls FactGraphService.<method>; returns status, fills response.
  grpc::Status Call(const std::string& method, const Message& request,
                    Message* response, std::string* snapshot_id = nullptr) {
    grpc::ClientContext context;
    grpc::Status status = test_support::CallUnary(
        channel(), "/factgraph.v1.FactGraphService/" + method, request,
        response, &context);
    if (snapshot_id != nullptr)
      *snapshot_id = test_support::SnapshotIdOf(context);
    return status;
  }
  std::unique_ptr<Message> Request(const std::string& method) const {
    return New(Service()->FindMethodByName(method)->input_type());
  }
  std::unique_ptr<Message> Response(const std::string& method) const {
    return New(Service()->FindMethodByName(method)->output_type());
  }
  static void SetString(Message* message, const std::string& field,
                        const std::string& value) {
    message->GetReflection()->SetString(
        message, message->GetDescriptor()->FindFieldByName(field), value);
  }
  static void SetInt32(Message* message, const std::string& field,
                       int32_t value) {
    message->GetReflection()->SetInt32(
        message, message->GetDescriptor()->FindFieldByName(field), value);
  }
  static std::string GetString(const Message& message,
                               const std::string& field) {
    return message.GetReflection()->GetString(
        message, message.GetDescriptor()->FindFieldByName(field));
  }
  // The resources of field 1 of a List/BatchGet response, by name.
  static std::vector<std::string> Names(const Message& response) {
    std::vector<std::string> names;
    const auto* field = response.GetDescriptor()->field(0);
    for (int i = 0; i < response.GetReflection()->FieldSize(response, field);
         ++i) {
      names.push_back(GetString(
          response.GetReflection()->GetRepeatedMessage(response, field, i),
          "name"));
    }
    return names;
  }
  std::vector<std::string> ExpectedNames() const {
    std::vector<std::string> names;
    for (const Message* resource :
         server_->CurrentSnapshot()->Resources(collection())) {
      names.push_back(GetString(*resource, "name"));
    }
    return names;
  }
};

TEST_P(StandardMethodsTest, GetReturnsTheStoredResourceWithSnapshotId) {
  const std::vector<std::string> names = ExpectedNames();
  ASSERT_FALSE(names.empty());
  const std::string method = "Get" + Singular();
  for (const std::string& name : {names.front(), names.back()}) {
    auto request = Request(method);
    SetString(request.get(), "name", name);
    auto response = Response(method);
    std::string snapshot_id;
    ASSERT_TRUE(Call(method, *request, response.get(), &snapshot_id).ok());
    // The resource itself, not a wrapper (AIP-131).
    EXPECT_EQ(response->GetDescriptor(), collection().descriptor);
    EXPECT_TRUE(MessageDifferencer::Equals(
        *response, *server_->CurrentSnapshot()->Find(name)));
    EXPECT_EQ(snapshot_id, server_->CurrentSnapshot()->id());
  }
}

TEST_P(StandardMethodsTest, GetMissingIsNotFoundAndMalformedIsInvalid) {
  const std::string method = "Get" + Singular();
  auto request = Request(method);
  auto response = Response(method);
  const std::string missing = GetParam() + "/no-such-thing";
  SetString(request.get(), "name", missing);
  grpc::Status status = Call(method, *request, response.get());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find(missing), std::string::npos)
      << status.error_message();

  const std::string other =
      GetParam() == "people" ? "institutions/kaist" : "people/lee-kwang-hyung";
  for (const std::string& bad :
       {std::string(), GetParam() + "/", std::string("no-slash"), other,
        GetParam() + "/UPPER case"}) {
    SetString(request.get(), "name", bad);
    status = Call(method, *request, response.get());
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << "name \"" << bad << "\": " << status.error_message();
  }
}

TEST_P(StandardMethodsTest, BatchGetKeepsRequestOrderAndIsAllOrNothing) {
  const std::vector<std::string> names = ExpectedNames();
  const std::string method = "BatchGet" + Plural();
  auto request = Request(method);
  const auto* names_field = request->GetDescriptor()->FindFieldByName("names");
  std::vector<std::string> asked(names.rbegin(), names.rend());
  for (const std::string& name : asked) {
    request->GetReflection()->AddString(request.get(), names_field, name);
  }
  auto response = Response(method);
  ASSERT_TRUE(Call(method, *request, response.get()).ok());
  EXPECT_EQ(Names(*response), asked);

  request->GetReflection()->AddString(request.get(), names_field,
                                      GetParam() + "/missing-one");
  grpc::Status status = Call(method, *request, response.get());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find(GetParam() + "/missing-one"),
            std::string::npos);
}

TEST_P(StandardMethodsTest, ListPagesThroughEverythingInNameOrder) {
  const std::string method = "List" + Plural();
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    auto request = Request(method);
    SetInt32(request.get(), "page_size", 3);
    SetString(request.get(), "page_token", token);
    auto response = Response(method);
    grpc::Status status = Call(method, *request, response.get());
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const std::string& name : Names(*response)) seen.push_back(name);
    EXPECT_EQ(response->GetReflection()->GetInt32(
                  *response,
                  response->GetDescriptor()->FindFieldByName("total_size")),
              static_cast<int32_t>(ExpectedNames().size()));
    token = GetString(*response, "next_page_token");
    ASSERT_LT(++pages, 1000);
  } while (!token.empty());
  EXPECT_EQ(seen, ExpectedNames());
}

TEST_P(StandardMethodsTest, ListRejectsBadArgumentsSayingWhere) {
  const std::string method = "List" + Plural();
  struct Case {
    std::string field;
    std::string value;
    int32_t page_size;
    std::string expected_text;
  };
  for (const Case& bad :
       std::vector<Case>{{"filter", "no_such_field = 1", 0, "no_such_field"},
                         {"filter", "name = ", 0, "position"},
                         {"order_by", "no_such_field desc", 0, "no_such_field"},
                         {"page_token", "forged-token", 0, "page_token"},
                         {"filter", "", -1, "page_size"}}) {
    auto request = Request(method);
    SetString(request.get(), bad.field, bad.value);
    SetInt32(request.get(), "page_size", bad.page_size);
    auto response = Response(method);
    grpc::Status status = Call(method, *request, response.get());
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << bad.field << "=" << bad.value;
    EXPECT_NE(status.error_message().find(bad.expected_text), std::string::npos)
        << status.error_message();
  }
}

INSTANTIATE_TEST_SUITE_P(EveryCollection, StandardMethodsTest,
                         ::testing::Values("institutions", "people",
                                           "agreements", "projects", "fundings",
                                           "events", "statistics", "documents",
                                           "statements"),
                         ::factgraph::test_support::StringParamName());

}  // namespace
}  // namespace factgraph
