#include "client/cli/graph_model.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "factgraph/graph/v1/graph.pb.h"
#include "google/protobuf/util/json_util.h"

namespace factgraph::cli {
namespace {

// How each relation is named and drawn, indexed by Relation.
struct RelationStyle {
  const char* name;
  const char* dot_style;  // Appended to the edge's DOT label attribute.
};
constexpr RelationStyle kRelationStyles[] = {
    {"role", ", color=\"#b45f06\", fontcolor=\"#b45f06\""},
    {"agreement",
     ", dir=none, penwidth=2, color=\"#e69138\", fontcolor=\"#a64d00\""},
    {"funding", ", penwidth=2, color=\"#38761d\", fontcolor=\"#274e13\""},
    {"leads", ", color=\"#3d85c6\", fontcolor=\"#0b5394\""},
    {"takes part", ", color=\"#3d85c6\", fontcolor=\"#0b5394\""},
    {"part of", ", style=dashed, color=\"#999999\", fontcolor=\"#666666\""},
};
static_assert(std::size(kRelationStyles) ==
              static_cast<size_t>(Relation::kPartOf) + 1);

const RelationStyle& RelationLook(Relation relation) {
  return kRelationStyles[static_cast<size_t>(relation)];
}

class GraphBuilder {
 public:
  void AddCandidate(const std::string& name, const std::string& label,
                    const std::string& collection, const std::string& kind) {
    candidates_[name] = GraphNode{name, label, collection, kind};
  }

  void AddEdge(const std::string& from, const std::string& to,
               std::string label, Relation relation,
               const std::string& source) {
    if (from.empty() || to.empty() || from == to) return;
    if (candidates_.count(from) == 0 || candidates_.count(to) == 0) return;
    if (!seen_.insert({from, to, label, relation}).second) return;
    used_.insert(from);
    used_.insert(to);
    graph_.edges.push_back({from, to, std::move(label), relation, source});
  }

  Graph Finish() {
    for (const std::string& name : used_)
      graph_.nodes.push_back(candidates_[name]);
    return std::move(graph_);
  }

 private:
  std::map<std::string, GraphNode> candidates_;
  std::set<std::string> used_;  // Ordered: the nodes come out by name.
  std::set<std::tuple<std::string, std::string, std::string, Relation>> seen_;
  Graph graph_;
};

std::string Quote(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

// Breaks a label into lines of about `width` characters at spaces, so that
// long names make tall nodes rather than very wide ones.
std::string Wrap(const std::string& text, size_t width) {
  std::string wrapped;
  size_t line = 0;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (line > 0 && line + 1 + word.size() > width) {
      wrapped += '\n';
      line = 0;
    } else if (line > 0) {
      wrapped += ' ';
      ++line;
    }
    absl::StrAppend(&wrapped, word);
    line += word.size();
  }
  return wrapped;
}

// Institutions grouped by what they are, for their colour.
std::string InstitutionColor(const std::string& kind) {
  static const auto* const colors = new std::map<std::string, std::string>{
      {"INSTITUTION_KIND_UNIVERSITY", "#9fc5e8"},
      {"INSTITUTION_KIND_COLLEGE", "#cfe2f3"},
      {"INSTITUTION_KIND_GRADUATE_SCHOOL", "#cfe2f3"},
      {"INSTITUTION_KIND_DEPARTMENT", "#cfe2f3"},
      {"INSTITUTION_KIND_OFFICE", "#cfe2f3"},
      {"INSTITUTION_KIND_RESEARCH_CENTER", "#b4d7d8"},
      {"INSTITUTION_KIND_LABORATORY", "#b4d7d8"},
      {"INSTITUTION_KIND_HOSPITAL", "#f4cccc"},
      {"INSTITUTION_KIND_COMPANY", "#d9ead3"},
      {"INSTITUTION_KIND_MINISTRY", "#d9d2e9"},
      {"INSTITUTION_KIND_AGENCY", "#d9d2e9"},
  };
  auto it = colors->find(kind);
  return it == colors->end() ? "#eeeeee" : it->second;
}

std::string NodeAttributes(const GraphNode& node) {
  std::string label =
      Quote(Wrap(node.label.empty() ? node.name : node.label, 22));
  if (node.collection == "people") {
    return absl::StrCat("label=", label,
                        ", shape=ellipse, fillcolor=\"#fce5cd\"");
  }
  if (node.collection == "projects") {
    return absl::StrCat("label=", label,
                        ", shape=hexagon, fillcolor=\"#fff2cc\"");
  }
  return absl::StrCat("label=", label, ", shape=box, fillcolor=\"",
                      InstitutionColor(node.kind), "\"");
}

std::string EdgeAttributes(const GraphEdge& edge) {
  return absl::StrCat("label=", Quote(Wrap(edge.label, 28)),
                      RelationLook(edge.relation).dot_style);
}

std::string AgreementLabel(const v1::Agreement& agreement) {
  std::string label = agreement.display_name();
  if (agreement.signed_date().year() != 0) {
    absl::StrAppend(&label, " (", agreement.signed_date().year(), ")");
  }
  return label;
}

}  // namespace

std::string RelationName(Relation relation) {
  return RelationLook(relation).name;
}

Graph BuildGraph(const GraphResources& resources) {
  GraphBuilder builder;
  for (const v1::Institution& institution : resources.institutions) {
    builder.AddCandidate(institution.name(), institution.display_name(),
                         "institutions",
                         v1::InstitutionKind_Name(institution.kind()));
  }
  for (const v1::Person& person : resources.people) {
    builder.AddCandidate(person.name(), person.display_name(), "people", "");
  }
  for (const v1::Project& project : resources.projects) {
    builder.AddCandidate(project.name(), project.display_name(), "projects",
                         v1::ProjectKind_Name(project.kind()));
  }

  for (const v1::Institution& institution : resources.institutions) {
    builder.AddEdge(institution.name(), institution.parent().name(), "part of",
                    Relation::kPartOf, institution.name());
  }
  for (const v1::Person& person : resources.people) {
    for (const v1::Role& role : person.roles()) {
      builder.AddEdge(person.name(), role.institution().name(),
                      role.former() ? absl::StrCat(role.title(), " (former)")
                                    : role.title(),
                      Relation::kRole, person.name());
    }
  }
  for (const v1::Project& project : resources.projects) {
    builder.AddEdge(project.lead().name(), project.name(), "leads",
                    Relation::kLeads, project.name());
    for (const v1::EntityRef& participant : project.participants()) {
      builder.AddEdge(participant.name(), project.name(), "takes part",
                      Relation::kTakesPart, project.name());
    }
  }
  for (const v1::Agreement& agreement : resources.agreements) {
    for (int i = 0; i < agreement.parties_size(); ++i) {
      for (int j = i + 1; j < agreement.parties_size(); ++j) {
        builder.AddEdge(agreement.parties(i).name(),
                        agreement.parties(j).name(), AgreementLabel(agreement),
                        Relation::kAgreement, agreement.name());
      }
    }
  }
  for (const v1::Funding& funding : resources.fundings) {
    std::string label = funding.amount().text().empty()
                            ? funding.display_name()
                            : funding.amount().text();
    // Money flows from the funder to the recipient, else to the project; a
    // recipient without a funder passes it on to its project.
    const std::string& target = funding.has_recipient()
                                    ? funding.recipient().name()
                                    : funding.project().name();
    if (funding.has_funder()) {
      builder.AddEdge(funding.funder().name(), target, label,
                      Relation::kFunding, funding.name());
    } else {
      builder.AddEdge(funding.recipient().name(), funding.project().name(),
                      label, Relation::kFunding, funding.name());
    }
  }
  return builder.Finish();
}

std::string ToDot(const Graph& graph) {
  std::string dot =
      "digraph factgraph {\n"
      "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.25, "
      "ranksep=0.6, labelloc=t,\n"
      "         label=\"factgraph: institutions (boxes), people (ellipses), "
      "projects (hexagons)\\n"
      "roles (brown), agreements (orange), funding (green), leads / takes part "
      "(blue), part of (dashed)\"];\n"
      "  node [fontname=\"Helvetica\", fontsize=10, style=\"filled\", "
      "color=\"#666666\"];\n"
      "  edge [fontname=\"Helvetica\", fontsize=8];\n";
  for (const GraphNode& node : graph.nodes) {
    absl::StrAppend(&dot, "  ", Quote(node.name), " [", NodeAttributes(node),
                    "];\n");
  }
  for (const GraphEdge& edge : graph.edges) {
    absl::StrAppend(&dot, "  ", Quote(edge.from), " -> ", Quote(edge.to), " [",
                    EdgeAttributes(edge), "];\n");
  }
  absl::StrAppend(&dot, "}\n");
  return dot;
}

std::string ToJson(const Graph& graph) {
  graph::v1::Graph message;
  for (const GraphNode& node : graph.nodes) {
    graph::v1::GraphNode& json_node = *message.add_nodes();
    json_node.set_name(node.name);
    json_node.set_label(node.label);
    json_node.set_collection(node.collection);
    json_node.set_kind(node.kind);
  }
  for (const GraphEdge& edge : graph.edges) {
    graph::v1::GraphEdge& json_edge = *message.add_edges();
    json_edge.set_from(edge.from);
    json_edge.set_to(edge.to);
    json_edge.set_label(edge.label);
    json_edge.set_relation(RelationName(edge.relation));
    json_edge.set_source(edge.source);
  }
  google::protobuf::util::JsonPrintOptions options;
  // Empty strings and empty node and edge lists are printed too.
  options.always_print_primitive_fields = true;
  std::string json;
  // Only fails on invalid UTF-8, which the graph's strings (from proto3
  // string fields) cannot hold.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json + "\n";
}

}  // namespace factgraph::cli
