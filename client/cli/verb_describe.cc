// factgraph describe COLLECTION: the fields of a collection's resource type,
// read from the API's descriptors with their comments (embedded at build
// time: generated code keeps no comments), so that no resource type is
// written out here.
#include <cstddef>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/cli/render.h"
#include "client/cli/resource_catalog.h"
#include "client/cli/verbs.h"
#include "google/api/field_behavior.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"

extern const unsigned char factgraph_descriptor_set[];
extern const size_t factgraph_descriptor_set_size;

namespace factgraph::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;

// The API's descriptors with source info, built once.
const DescriptorPool& CommentedPool() {
  static const DescriptorPool* const pool = [] {
    auto* built = new DescriptorPool();
    google::protobuf::FileDescriptorSet files;
    files.ParseFromArray(factgraph_descriptor_set,
                         static_cast<int>(factgraph_descriptor_set_size));
    for (const auto& file : files.file()) built->BuildFile(file);
    return built;
  }();
  return *pool;
}

std::string TypeName(const FieldDescriptor& field) {
  std::string type = field.message_type() != nullptr
                         ? field.message_type()->name()
                     : field.enum_type() != nullptr ? field.enum_type()->name()
                                                    : field.type_name();
  return field.is_repeated() ? absl::StrCat("repeated ", type) : type;
}

// The leading comment on one line.
std::string Comment(const FieldDescriptor& field) {
  google::protobuf::SourceLocation location;
  if (!field.GetSourceLocation(&location)) return "";
  std::vector<std::string> lines;
  for (absl::string_view line :
       absl::StrSplit(location.leading_comments, '\n', absl::SkipEmpty())) {
    lines.emplace_back(absl::StripAsciiWhitespace(line));
  }
  return absl::StrJoin(lines, " ");
}

std::string Behavior(const FieldDescriptor& field) {
  std::vector<std::string> behaviors;
  for (int b :
       field.options().GetRepeatedExtension(google::api::field_behavior)) {
    behaviors.push_back(google::api::FieldBehavior_Name(
        static_cast<google::api::FieldBehavior>(b)));
  }
  return absl::StrJoin(behaviors, ",");
}

}  // namespace

absl::Status RunDescribe(const Invocation& invocation) {
  absl::StatusOr<const CollectionMethods*> collection =
      FindCollectionOrUsageError(invocation.argument(0));
  if (!collection.ok()) return collection.status();
  const std::string& type_name = (*collection)->resource->full_name();
  const Descriptor* resource = CommentedPool().FindMessageTypeByName(type_name);
  if (resource == nullptr) {
    return absl::InternalError(
        absl::StrCat(type_name, " is not in the embedded schema"));
  }
  google::protobuf::SourceLocation location;
  if (resource->GetSourceLocation(&location)) {
    std::cout << resource->full_name() << ": "
              << absl::StrJoin(absl::StrSplit(location.leading_comments, '\n',
                                              absl::SkipEmpty()),
                               " ",
                               [](std::string* out, absl::string_view line) {
                                 absl::StrAppend(
                                     out, absl::StripAsciiWhitespace(line));
                               })
              << "\n\n";
  }
  Table table({"FIELD", "TYPE", "BEHAVIOR", "DESCRIPTION"}, 400);
  for (int i = 0; i < resource->field_count(); ++i) {
    const FieldDescriptor& field = *resource->field(i);
    table.AddRow(
        {field.name(), TypeName(field), Behavior(field), Comment(field)});
  }
  table.DropEmptyColumns();
  table.Print(std::cout);
  return absl::OkStatus();
}

}  // namespace factgraph::cli
