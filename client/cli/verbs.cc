#include "client/cli/verbs.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/cli/resource_table.h"

namespace factgraph::cli {

const std::vector<VerbSpec>& AllVerbs() {
  static const auto* const verbs = [] {
    auto* verbs = new std::vector<VerbSpec>{
        {"get",
         {"NAME"},
         "Shows one resource by name, e.g. institutions/kaist, field by "
         "field with its citations.",
         {},
         true,
         RunGet},
        {"batch-get",
         {"NAMES"},
         "Shows several resources of one collection, comma-separated, e.g.\n"
         "institutions/kaist,institutions/korea-university, in one call;\n"
         "fails whole if one is missing.",
         {OutputOption()},
         true,
         RunBatchGet},
        {"list",
         {"COLLECTION"},
         "Lists a collection (institutions, people, agreements, projects,\n"
         "fundings, events, statistics, documents, statements) as a table.",
         {{"filter", true,
           "AIP-160 filter, e.g. 'kind = INSTITUTION_KIND_UNIVERSITY'"},
          {"order_by", true, "fields to sort by, e.g. 'display_name desc'"},
          {"page_size", true, "results per page (server default 50)"},
          {"page_token", true, "continue from a previous page"},
          {"all", false, "follow next_page_token to the last page"},
          OutputOption()},
         true,
         RunList},
        {"search",
         {"TEXT"},
         "Finds resources by every text they carry (names, the names of what\n"
         "they reference, descriptions, topics, quotes), ranked by relevance,\n"
         "and shows which texts each matched and where. English words match\n"
         "by stem, with spelling tolerance; Korean words by prefix.",
         {{"type", true,
           "only these collections, comma-separated, e.g. people"},
          {"brief", false, "the table only, without why each hit matched"},
          {"page_size", true, "most results (server default 10)"}},
         true,
         RunSearch},
        {"facts",
         {},
         "Streams the facts (subject, field path, value, sources) that match\n"
         "every pattern given; no pattern matches every fact. KIND is\n"
         "'stated' (a quote states it) or 'CURATED' (a curator's addition).",
         {{"subject", true, "resource name, e.g. people/lee-kwang-hyung"},
          {"predicate", true,
           "field path without indexes, e.g. roles.institution"},
          {"object", true, "a resource name, or a value as text"},
          {"document", true, "only facts cited from this document"},
          {"limit", true, "stop after this many facts"},
          {"stated-only", false,
           "only facts an article states (no curated additions)"}},
         true,
         RunFacts},
        {"neighbors",
         {"NAME"},
         "Lists the resources linked to NAME, nearest first, with the\n"
         "linking facts.",
         {{"depth", true, "how many links away, 1 to 4 (default 1)"},
          {"predicate", true, "only follow these predicates, comma-separated"},
          {"max_results", true, "most neighbours (server default 100)"}},
         true,
         RunNeighbors},
        {"paths",
         {"FROM", "TO"},
         "Shows the shortest chains of linking facts between two resources.",
         {{"max_length", true, "longest chain, 1 to 6 (default 4)"},
          {"max_paths", true, "most paths (default 10)"}},
         true,
         RunPaths},
        {"graph",
         {},
         "Prints the network of institutions, people and projects, with\n"
         "roles, agreements, funding, leadership and membership as edges:\n"
         "factgraph graph | dot -Tsvg > graph.svg",
         {{"format", true, "dot (default) or json (also chosen by --json)"}},
         true,
         RunGraph},
        {"info",
         {},
         "Describes the snapshot being served: id, load time, source,\n"
         "resources per collection and documents.",
         {},
         true,
         RunInfo},
        {"reload",
         {},
         "Makes the server load its knowledge base again (AdminService;\n"
         "needs --token_file). An invalid knowledge base is refused and the\n"
         "server keeps serving the snapshot it has.",
         {},
         true,
         RunReload},
        {"describe",
         {"COLLECTION"},
         "Lists the fields of a collection's resource type with their types\n"
         "and comments, offline.",
         {},
         false,
         RunDescribe}};
    verbs->insert(verbs->end(), OfflineVerbs().begin(), OfflineVerbs().end());
    return verbs;
  }();
  return *verbs;
}

absl::StatusOr<std::unique_ptr<Connection>> Connect(
    const Invocation& invocation) {
  absl::StatusOr<ConnectionOptions> options = ConnectionOptionsFrom(invocation);
  if (!options.ok()) return options.status();
  return std::make_unique<Connection>(*std::move(options));
}

absl::Status SetIntFieldsFromOptions(const Invocation& invocation,
                                     std::initializer_list<const char*> options,
                                     google::protobuf::Message* request) {
  for (const char* option : options) {
    const google::protobuf::FieldDescriptor* field =
        request->GetDescriptor()->FindFieldByName(option);
    if (field == nullptr || field->is_repeated() ||
        field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT32) {
      return absl::InternalError(absl::StrCat(
          request->GetDescriptor()->full_name(), " has no int32 field ", option,
          " for the option of that name"));
    }
    absl::StatusOr<int> value = invocation.Int(option, 0);
    if (!value.ok()) return value.status();
    request->GetReflection()->SetInt32(request, field, *value);
  }
  return absl::OkStatus();
}

std::vector<std::string> SplitList(const std::string& value) {
  return absl::StrSplit(value, ',', absl::SkipWhitespace());
}

}  // namespace factgraph::cli
