// The network `factgraph graph` draws: institutions, people and projects as
// nodes; roles, agreements, funding, leadership, participation and
// membership ("part of") as edges. Built from the resources alone, so it is
// testable without a server, and written as Graphviz DOT or JSON.
#ifndef FACTGRAPH_CLIENT_CLI_GRAPH_MODEL_H_
#define FACTGRAPH_CLIENT_CLI_GRAPH_MODEL_H_

#include <string>
#include <vector>

#include "factgraph/v1/agreement.pb.h"
#include "factgraph/v1/funding.pb.h"
#include "factgraph/v1/institution.pb.h"
#include "factgraph/v1/person.pb.h"
#include "factgraph/v1/project.pb.h"

namespace factgraph::cli {

struct GraphNode {
  std::string name;        // Resource name: the node's id.
  std::string label;       // Display name.
  std::string collection;  // "institutions", "people", "projects".
  std::string kind;        // Enum value name of the kind, if any.
};

// What an edge stands for; drawn differently each.
enum class Relation {
  kRole,
  kAgreement,
  kFunding,
  kLeads,
  kTakesPart,
  kPartOf
};

struct GraphEdge {
  std::string from;
  std::string to;
  std::string label;
  Relation relation;
  // The resource the edge is read from: the person, agreement, funding,
  // project or institution.
  std::string source;
};

struct Graph {
  std::vector<GraphNode> nodes;  // Ordered by name.
  std::vector<GraphEdge> edges;  // In the order of their sources.
};

struct GraphResources {
  std::vector<v1::Institution> institutions;
  std::vector<v1::Person> people;
  std::vector<v1::Project> projects;
  std::vector<v1::Agreement> agreements;
  std::vector<v1::Funding> fundings;
};

// Nodes are the institutions, people and projects that at least one edge
// touches; an edge whose end is not such a resource is left out. Equal edges
// (same ends, label and relation) appear once.
Graph BuildGraph(const GraphResources& resources);

// "role", "agreement", "funding", "leads", "takes part", "part of".
std::string RelationName(Relation relation);

// A Graphviz digraph: nodes shaped and coloured by collection (and kind),
// edges coloured by relation, agreements without arrowheads.
std::string ToDot(const Graph& graph);

// The protobuf JSON mapping of factgraph.graph.v1.Graph
// (proto/factgraph/graph/v1/graph.proto): {"nodes": [{name, label, collection,
// kind}], "edges": [{from, to, label, relation, source}]}, keys in that
// order, one line.
std::string ToJson(const Graph& graph);

}  // namespace factgraph::cli

#endif  // FACTGRAPH_CLIENT_CLI_GRAPH_MODEL_H_
