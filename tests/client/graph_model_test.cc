#include "client/cli/graph_model.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace factgraph::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

template <typename T>
T FromText(const std::string& text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message));
  return message;
}

GraphResources SmallNetwork() {
  GraphResources resources;
  resources.institutions = {
      FromText<v1::Institution>("name: 'institutions/kaist' display_name: "
                                "'KAIST' kind: INSTITUTION_KIND_UNIVERSITY"),
      FromText<v1::Institution>(
          "name: 'institutions/ncc' display_name: 'National Cancer Center' "
          "kind: INSTITUTION_KIND_HOSPITAL"),
      FromText<v1::Institution>(
          "name: 'institutions/kaist-lab' display_name: 'Lab \"X\"' "
          "kind: INSTITUTION_KIND_LABORATORY parent { name: "
          "'institutions/kaist' }"),
      FromText<v1::Institution>("name: 'institutions/alone' display_name: "
                                "'Alone' kind: INSTITUTION_KIND_COMPANY"),
      FromText<v1::Institution>("name: 'institutions/msit' display_name: "
                                "'MSIT' kind: INSTITUTION_KIND_MINISTRY")};
  resources.people = {FromText<v1::Person>(
      "name: 'people/lee' display_name: 'Lee Kwang-hyung' "
      "roles { title: 'President' institution { name: 'institutions/kaist' } } "
      "roles { title: 'Dean' institution { name: 'institutions/kaist' } "
      "former: true } "
      "roles { title: 'Advisor' institution { name: 'institutions/unknown' } "
      "}")};
  resources.projects = {
      FromText<v1::Project>("name: 'projects/ai' display_name: 'AI Hospital' "
                            "lead { name: 'institutions/ncc' } "
                            "participants { name: 'institutions/kaist' }")};
  resources.agreements = {FromText<v1::Agreement>(
      "name: 'agreements/ncc-kaist' display_name: 'NCC-KAIST agreement' "
      "parties { name: 'institutions/ncc' } parties { name: "
      "'institutions/kaist' } "
      "signed_date { year: 2025 month: 11 precision: DATE_PRECISION_MONTH }")};
  resources.fundings = {FromText<v1::Funding>(
      "name: 'fundings/ai' display_name: 'AI funding' "
      "amount { currency_code: 'KRW' units: 15100000000 text: 'KRW 15.1 "
      "billion' } "
      "funder { name: 'institutions/msit' } project { name: 'projects/ai' }")};
  return resources;
}

TEST(BuildGraphTest, EdgesForEveryRelationBetweenKnownNodes) {
  const Graph graph = BuildGraph(SmallNetwork());
  std::vector<std::string> nodes;
  for (const GraphNode& node : graph.nodes) nodes.push_back(node.name);
  // "institutions/alone" has no edge and is left out.
  EXPECT_THAT(nodes, ::testing::ElementsAre(
                         "institutions/kaist", "institutions/kaist-lab",
                         "institutions/msit", "institutions/ncc", "people/lee",
                         "projects/ai"));
  std::vector<std::string> edges;
  for (const GraphEdge& edge : graph.edges) {
    edges.push_back(edge.from + " -> " + edge.to + " [" + edge.label + "] " +
                    RelationName(edge.relation) + " from " + edge.source);
  }
  EXPECT_THAT(
      edges,
      ::testing::ElementsAre(
          "institutions/kaist-lab -> institutions/kaist [part of] part of from "
          "institutions/kaist-lab",
          "people/lee -> institutions/kaist [President] role from people/lee",
          "people/lee -> institutions/kaist [Dean (former)] role from "
          "people/lee",
          "institutions/ncc -> projects/ai [leads] leads from projects/ai",
          "institutions/kaist -> projects/ai [takes part] takes part from "
          "projects/ai",
          "institutions/ncc -> institutions/kaist [NCC-KAIST agreement (2025)] "
          "agreement "
          "from agreements/ncc-kaist",
          "institutions/msit -> projects/ai [KRW 15.1 billion] funding from "
          "fundings/ai"));
}

TEST(BuildGraphTest, EqualEdgesOnce) {
  GraphResources resources = SmallNetwork();
  resources.agreements.push_back(resources.agreements[0]);
  const Graph graph = BuildGraph(resources);
  int agreement_edges = 0;
  for (const GraphEdge& edge : graph.edges) {
    agreement_edges += edge.relation == Relation::kAgreement;
  }
  EXPECT_EQ(agreement_edges, 1);
}

TEST(ToDotTest, ShapesColoursAndEscapes) {
  const std::string dot = ToDot(BuildGraph(SmallNetwork()));
  EXPECT_THAT(dot, HasSubstr("digraph factgraph {"));
  EXPECT_THAT(
      dot,
      HasSubstr("\"people/lee\" [label=\"Lee Kwang-hyung\", shape=ellipse"));
  EXPECT_THAT(
      dot, HasSubstr("\"projects/ai\" [label=\"AI Hospital\", shape=hexagon"));
  EXPECT_THAT(
      dot, HasSubstr("\"institutions/ncc\" [label=\"National Cancer Center\", "
                     "shape=box, fillcolor=\"#f4cccc\"]"));
  EXPECT_THAT(dot, HasSubstr("label=\"Lab \\\"X\\\"\""));
  EXPECT_THAT(dot,
              HasSubstr("\"institutions/ncc\" -> \"institutions/kaist\" "
                        "[label=\"NCC-KAIST agreement (2025)\", dir=none"));
  EXPECT_THAT(dot, Not(HasSubstr("institutions/alone")));
  EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
}

TEST(ToJsonTest, NodesAndEdges) {
  GraphResources resources;
  resources.institutions = {
      FromText<v1::Institution>("name: 'institutions/a' display_name: 'A' "
                                "kind: INSTITUTION_KIND_COMPANY"),
      FromText<v1::Institution>(
          "name: 'institutions/b' display_name: 'B' "
          "kind: INSTITUTION_KIND_COMPANY parent { name: 'institutions/a' }")};
  resources.institutions[1].set_display_name("B \"quoted\"\n");
  EXPECT_EQ(
      ToJson(BuildGraph(resources)),
      "{\"nodes\":[{\"name\":\"institutions/a\",\"label\":\"A\",\"collection\":"
      "\"institutions\",\"kind\":\"INSTITUTION_KIND_COMPANY\"},"
      "{\"name\":\"institutions/b\",\"label\":\"B \\\"quoted\\\"\\n\","
      "\"collection\":\"institutions\",\"kind\":\"INSTITUTION_KIND_COMPANY\"}],"
      "\"edges\":[{\"from\":\"institutions/b\",\"to\":\"institutions/a\","
      "\"label\":\"part of\",\"relation\":\"part of\",\"source\":"
      "\"institutions/b\"}]}\n");
}

TEST(ToJsonTest, EmptyGraphKeepsBothKeys) {
  EXPECT_EQ(ToJson(Graph{}), "{\"nodes\":[],\"edges\":[]}\n");
}

TEST(ToJsonTest, EmptyValuesKeepTheirKeys) {
  Graph graph;
  graph.nodes.push_back({"people/a", "", "people", ""});
  EXPECT_EQ(ToJson(graph),
            "{\"nodes\":[{\"name\":\"people/a\",\"label\":\"\",\"collection\":"
            "\"people\",\"kind\":\"\"}],\"edges\":[]}\n");
}

}  // namespace
}  // namespace factgraph::cli
