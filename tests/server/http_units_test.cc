// The HTTP/JSON transcoder's parts, each alone: path templates, the route
// table read from the real annotations, request binding, status mapping.
#include <string>

#include "factgraph/v1/admin_service.grpc.pb.h"
#include "factgraph/v1/factgraph_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "service/server/http/path_template.h"
#include "service/server/http/request_binding.h"
#include "service/server/http/route_table.h"
#include "service/server/http/status_mapping.h"

namespace factgraph::server::http {
namespace {

const google::protobuf::ServiceDescriptor* ServiceNamed(const char* name) {
  return google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      name);
}

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

TEST(PathTemplateTest, MatchesLiteralsVariablesAndVerbs) {
  absl::StatusOr<PathTemplate> get =
      PathTemplate::Parse("/v1/{name=institutions/*}");
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_THAT(*get->Match("/v1/institutions/kaist"),
              ElementsAre(Pair("name", "institutions/kaist")));
  EXPECT_FALSE(get->Match("/v1/people/kaist").has_value());
  EXPECT_FALSE(get->Match("/v1/institutions").has_value());
  EXPECT_FALSE(get->Match("/v1/institutions/").has_value());
  EXPECT_FALSE(get->Match("/v1/institutions/kaist/x").has_value());
  // A verb is split off the last segment: it never falls into a variable.
  EXPECT_FALSE(get->Match("/v1/institutions/kaist:neighbors").has_value());
  EXPECT_EQ(get->literal_count(), 2);

  absl::StatusOr<PathTemplate> neighbors =
      PathTemplate::Parse("/v1/{name=*/*}:neighbors");
  ASSERT_TRUE(neighbors.ok()) << neighbors.status();
  EXPECT_THAT(*neighbors->Match("/v1/people/lee-kwang-hyung:neighbors"),
              ElementsAre(Pair("name", "people/lee-kwang-hyung")));
  EXPECT_FALSE(neighbors->Match("/v1/people/x:paths").has_value());
  EXPECT_FALSE(neighbors->Match("/v1/people/x").has_value());

  absl::StatusOr<PathTemplate> batch =
      PathTemplate::Parse("/v1/institutions:batchGet");
  ASSERT_TRUE(batch.ok());
  EXPECT_THAT(*batch->Match("/v1/institutions:batchGet"), ElementsAre());
  EXPECT_FALSE(batch->Match("/v1/institutions").has_value());

  absl::StatusOr<PathTemplate> nested =
      PathTemplate::Parse("/v2/{parent.id}/files/{path=**}");
  ASSERT_TRUE(nested.ok()) << nested.status();
  EXPECT_THAT(*nested->Match("/v2/p7/files/a/b/c"),
              ElementsAre(Pair("parent.id", "p7"), Pair("path", "a/b/c")));
  EXPECT_EQ(nested->field_paths(),
            (std::vector<std::string>{"parent.id", "path"}));
}

TEST(PathTemplateTest, MalformedTemplatesNameTheColumn) {
  EXPECT_EQ(PathTemplate::Parse("v1/x").status().message(),
            "path template \"v1/x\" column 1: must start with '/'");
  EXPECT_EQ(PathTemplate::Parse("/v1/{name=x/*").status().message(),
            "path template \"/v1/{name=x/*\" column 14: expected '}' or '/'");
  EXPECT_EQ(
      PathTemplate::Parse("/v1/**/x").status().message(),
      "path template \"/v1/**/x\" column 8: '**' must be the last segment");
  EXPECT_EQ(PathTemplate::Parse("/v1/x:").status().message(),
            "path template \"/v1/x:\" column 7: expected a verb after ':'");
  EXPECT_EQ(PathTemplate::Parse("/v1/{}").status().message(),
            "path template \"/v1/{}\" column 6: expected a field name");
}

RouteTable ServiceRoutes() {
  absl::StatusOr<RouteTable> table = RouteTable::FromServices(
      {ServiceNamed(v1::FactGraphService::service_full_name()),
       ServiceNamed(v1::AdminService::service_full_name())});
  EXPECT_TRUE(table.ok()) << table.status();
  return *std::move(table);
}

TEST(RouteTableTest, EveryPublicMethodHasExactlyOneRoute) {
  const RouteTable table = ServiceRoutes();
  const auto* service = ServiceNamed(v1::FactGraphService::service_full_name());
  EXPECT_EQ(table.routes().size(),
            static_cast<size_t>(service->method_count() + 1));
  for (int i = 0; i < service->method_count(); ++i) {
    int routes = 0;
    for (const Route& route : table.routes()) {
      if (route.method == service->method(i)) ++routes;
    }
    EXPECT_EQ(routes, 1) << service->method(i)->full_name();
  }
}

TEST(RouteTableTest, FindsTheMethodOfEachPath) {
  const RouteTable table = ServiceRoutes();
  struct Case {
    const char* method;
    const char* path;
    const char* grpc_path;
  };
  for (const Case& c : {
           Case{"GET", "/v1/institutions/kaist",
                "/factgraph.v1.FactGraphService/GetInstitution"},
           Case{"HEAD", "/v1/institutions/kaist",
                "/factgraph.v1.FactGraphService/GetInstitution"},
           Case{"GET", "/v1/people",
                "/factgraph.v1.FactGraphService/ListPeople"},
           Case{"GET", "/v1/statements:batchGet",
                "/factgraph.v1.FactGraphService/BatchGetStatements"},
           Case{"GET", "/v1/entities:search",
                "/factgraph.v1.FactGraphService/SearchEntities"},
           Case{"GET", "/v1/facts",
                "/factgraph.v1.FactGraphService/QueryFacts"},
           Case{"GET", "/v1/institutions/kaist:neighbors",
                "/factgraph.v1.FactGraphService/ListNeighbors"},
           Case{"GET", "/v1/institutions/kaist:paths",
                "/factgraph.v1.FactGraphService/FindPaths"},
           Case{"GET", "/v1/knowledgeBase",
                "/factgraph.v1.FactGraphService/GetKnowledgeBaseInfo"},
           Case{"POST", "/v1/knowledgeBase:reload",
                "/factgraph.v1.AdminService/ReloadKnowledgeBase"},
       }) {
    const RouteMatch match = table.Find(c.method, c.path);
    ASSERT_EQ(match.outcome, RouteMatch::kFound) << c.method << " " << c.path;
    EXPECT_EQ(match.route->grpc_path, c.grpc_path) << c.path;
  }
  const RouteMatch paths = table.Find("GET", "/v1/institutions/kaist:paths");
  EXPECT_THAT(paths.bindings, ElementsAre(Pair("from", "institutions/kaist")));

  const RouteMatch wrong_method = table.Find("POST", "/v1/institutions/kaist");
  EXPECT_EQ(wrong_method.outcome, RouteMatch::kMethodNotAllowed);
  EXPECT_THAT(wrong_method.allowed_methods, ElementsAre("GET"));
  const RouteMatch reload_by_get =
      table.Find("GET", "/v1/knowledgeBase:reload");
  EXPECT_EQ(reload_by_get.outcome, RouteMatch::kMethodNotAllowed);
  EXPECT_THAT(reload_by_get.allowed_methods, ElementsAre("POST"));
  EXPECT_EQ(table.Find("GET", "/v1/nothing/here").outcome,
            RouteMatch::kNoSuchPath);
  EXPECT_EQ(table.Find("GET", "/v1/institutions/kaist:frobnicate").outcome,
            RouteMatch::kNoSuchPath);
}

TEST(QueryStringTest, DecodesPercentAndPlus) {
  absl::StatusOr<QueryParameters> query = ParseQueryString(
      "filter=kind+%3D+%22X%22&names=a%2Fb&names=c&empty=&flag");
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_THAT(*query, ElementsAre(Pair("filter", "kind = \"X\""),
                                  Pair("names", "a/b"), Pair("names", "c"),
                                  Pair("empty", ""), Pair("flag", "")));
  EXPECT_EQ(ParseQueryString("query=50%").status().message(),
            "query parameter \"query\": '%' at character 3 is not followed "
            "by two hex digits");
}

absl::Status Bind(absl::string_view body_rule, const PathBindings& bindings,
                  absl::string_view query, absl::string_view body,
                  google::protobuf::Message* request) {
  absl::StatusOr<QueryParameters> parameters = ParseQueryString(query);
  if (!parameters.ok()) return parameters.status();
  return BindRequest(body_rule, bindings, *parameters, body, request);
}

TEST(BindRequestTest, SetsScalarsRepeatedsAndEnumsFromTheQuery) {
  v1::ListInstitutionsRequest list;
  ASSERT_TRUE(Bind("", {},
                   "page_size=5&pageToken=abc&filter=kind%3DX&timeout=2s", "",
                   &list)
                  .ok());
  EXPECT_EQ(list.page_size(), 5);
  EXPECT_EQ(list.page_token(), "abc");
  EXPECT_EQ(list.filter(), "kind=X");

  v1::SearchEntitiesRequest search;
  ASSERT_TRUE(Bind("", {}, "query=kaist&collections=people&collections=events",
                   "", &search)
                  .ok());
  EXPECT_EQ(search.query(), "kaist");
  EXPECT_THAT(search.collections(), ElementsAre("people", "events"));

  v1::QueryFactsRequest facts;
  ASSERT_TRUE(Bind("", {},
                   "subject=institutions/kaist&stated_only=true&limit=3", "",
                   &facts)
                  .ok());
  EXPECT_EQ(facts.subject(), "institutions/kaist");
  EXPECT_TRUE(facts.stated_only());
  EXPECT_EQ(facts.limit(), 3);

  v1::GetInstitutionRequest get;
  ASSERT_TRUE(Bind("", {{"name", "institutions/kaist"}}, "", "", &get).ok());
  EXPECT_EQ(get.name(), "institutions/kaist");
}

TEST(BindRequestTest, RefusesBadParametersNamingThem) {
  v1::ListInstitutionsRequest list;
  EXPECT_EQ(Bind("", {}, "page_size=ten", "", &list).message(),
            "query parameter \"page_size\": \"ten\" is not a 32-bit integer");
  list.Clear();
  EXPECT_EQ(Bind("", {}, "page_size=99999999999", "", &list).message(),
            "query parameter \"page_size\": \"99999999999\" is not a 32-bit "
            "integer");
  list.Clear();
  EXPECT_EQ(Bind("", {}, "colour=red", "", &list).message(),
            "query parameter \"colour\": factgraph.v1.ListInstitutionsRequest "
            "has no field \"colour\"");
  list.Clear();
  EXPECT_EQ(Bind("", {}, "filter=a&filter=b", "", &list).message(),
            "query parameter \"filter\" is given twice");
  list.Clear();
  EXPECT_EQ(Bind("", {}, "filter.x=1", "", &list).message(),
            "query parameter \"filter\": \"filter\" is not a singular message "
            "field");
  list.Clear();
  EXPECT_EQ(Bind("", {}, "filter=%FF", "", &list).message(),
            "query parameter \"filter\": the value is not valid UTF-8");
  list.Clear();
  EXPECT_EQ(Bind("", {}, "", "{\"filter\":1}", &list).message(),
            "this method takes no request body; its fields are query "
            "parameters");

  v1::QueryFactsRequest facts;
  EXPECT_EQ(Bind("", {}, "stated_only=yes", "", &facts).message(),
            "query parameter \"stated_only\": \"yes\" is not true or false");

  v1::GetInstitutionRequest get;
  EXPECT_EQ(Bind("", {{"name", "institutions/kaist"}}, "name=institutions/x",
                 "", &get)
                .message(),
            "query parameter \"name\" is given twice");

  // The violation names the field, for google.rpc.BadRequest.
  list.Clear();
  const google::rpc::Status status =
      RpcStatusOf(Bind("", {}, "page_size=ten", "", &list), "INVALID_ARGUMENT");
  ASSERT_EQ(status.details_size(), 2);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(status.details(0).UnpackTo(&bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "page_size");
}

TEST(BindRequestTest, ReadsTheWholeBodyForStar) {
  v1::ReloadKnowledgeBaseRequest reload;
  EXPECT_TRUE(Bind("*", {}, "", "", &reload).ok());
  EXPECT_TRUE(Bind("*", {}, "", "{}", &reload).ok());
  EXPECT_EQ(
      Bind("*", {}, "", "{\"force\":true}", &reload).message().substr(0, 63),
      "request body is not a JSON factgraph.v1.ReloadKnowledgeBaseRequ");
  EXPECT_EQ(Bind("*", {}, "x=1", "{}", &reload).message(),
            "query parameter \"x\": this method takes its fields in the JSON "
            "body");
  v1::ListInstitutionsRequest list;
  EXPECT_TRUE(
      Bind("*", {}, "", "{\"pageSize\": 7, \"filter\": \"a\"}", &list).ok());
  EXPECT_EQ(list.page_size(), 7);
  EXPECT_THAT(
      std::string(Bind("*", {}, "", "{\"pageSize\": ", &list).message()),
      HasSubstr("request body is not a JSON "
                "factgraph.v1.ListInstitutionsRequest"));
}

TEST(StatusMappingTest, FollowsGoogleRpcCode) {
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::OK), 200);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::CANCELLED), 499);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNKNOWN), 500);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::INVALID_ARGUMENT), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::DEADLINE_EXCEEDED), 504);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::NOT_FOUND), 404);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ALREADY_EXISTS), 409);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::PERMISSION_DENIED), 403);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::FAILED_PRECONDITION), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ABORTED), 409);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::OUT_OF_RANGE), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNIMPLEMENTED), 501);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::INTERNAL), 500);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::DATA_LOSS), 500);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAUTHENTICATED), 401);
}

TEST(StatusMappingTest, ErrorBodyIsTheGoogleRpcStatusWithItsDetails) {
  google::rpc::Status rich;
  rich.set_code(5);
  rich.set_message("short");
  google::rpc::ErrorInfo info;
  info.set_reason("RESOURCE_NOT_FOUND");
  info.set_domain("factgraph.dev");
  rich.add_details()->PackFrom(info);
  const grpc::Status status(grpc::StatusCode::NOT_FOUND,
                            "institutions/x does not exist",
                            rich.SerializeAsString());
  EXPECT_EQ(StatusJson(RpcStatusOf(status)),
            "{\"code\":5,\"message\":\"institutions/x does not exist\","
            "\"details\":[{\"@type\":\"type.googleapis.com/"
            "google.rpc.ErrorInfo\",\"reason\":\"RESOURCE_NOT_FOUND\","
            "\"domain\":\"factgraph.dev\"}]}");
  EXPECT_EQ(StatusJson(RpcStatusOf(
                grpc::Status(grpc::StatusCode::UNAVAILABLE, "draining"))),
            "{\"code\":14,\"message\":\"draining\"}");
}

}  // namespace
}  // namespace factgraph::server::http
