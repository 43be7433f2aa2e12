#include "service/query/search/fields.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "service/store/collections.h"

namespace factgraph::query::search {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

struct ClassInfo {
  std::string_view id;
  double weight;
  double b;
};

// Names and aliases are short and decisive; long texts (quotes, content)
// are normalized by length more strongly so that a word in a long text
// counts for less.
constexpr ClassInfo kClasses[kFieldClassCount] = {
    {"name", 8.0, 0.75},        {"alias", 6.0, 0.75},
    {"reference", 3.0, 0.5},    {"attribute", 2.5, 0.1},
    {"description", 2.0, 0.75}, {"kind", 1.5, 0.3},
    {"date_money", 1.0, 0.5},   {"quote", 0.6, 0.75},
    {"content", 0.2, 0.9},
};

// Identifiers, not words: resource names, document names, paths, codes.
bool IsSkipped(const FieldDescriptor& field) {
  const std::string_view name = field.name();
  return name == "name" || name == "document" || name == "field_paths" ||
         name == "file_name" || name == "language" || name == "currency_code";
}

FieldClass Classify(const Descriptor& parent, const FieldDescriptor& field,
                    int depth) {
  const std::string_view type = parent.name();
  const std::string_view name = field.name();
  if (type == "EntityRef") return FieldClass::kReference;
  if (type == "Citation") return FieldClass::kQuote;
  if (type == "Date" || type == "Money" || name == "period_text") {
    return FieldClass::kDateMoney;
  }
  if (depth == 0) {
    if (name == "display_name") return FieldClass::kName;
    if (name == "aliases") return FieldClass::kAlias;
    if (name == "description") return FieldClass::kDescription;
    if (name == "content") return FieldClass::kContent;
  }
  return FieldClass::kAttribute;
}

// "AGREEMENT_KIND_COOPERATION_AGREEMENT" -> "cooperation agreement".
std::string EnumText(const EnumValueDescriptor& value) {
  std::string prefix;
  for (char c : value.type()->name()) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c)) && !prefix.empty()) {
      prefix.push_back('_');
    }
    prefix.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  absl::StrAppend(&prefix, "_");
  std::string_view text = value.name();
  if (text.substr(0, prefix.size()) == prefix)
    text.remove_prefix(prefix.size());
  return absl::AsciiStrToLower(
      absl::StrReplaceAll(std::string(text), {{"_", " "}}));
}

void VisitTargetAliases(
    const Message& reference, const store::Snapshot& snapshot,
    const std::string& prefix,
    absl::FunctionRef<void(std::string_view, FieldClass, std::string_view)>
        visit) {
  const FieldDescriptor* name_field =
      reference.GetDescriptor()->FindFieldByName("name");
  if (name_field == nullptr ||
      name_field->cpp_type() != FieldDescriptor::CPPTYPE_STRING ||
      name_field->is_repeated()) {
    return;
  }
  std::string scratch;
  const Message* target =
      snapshot.Find(reference.GetReflection()->GetStringReference(
          reference, name_field, &scratch));
  if (target == nullptr) return;
  const FieldDescriptor* aliases =
      target->GetDescriptor()->FindFieldByName("aliases");
  if (aliases == nullptr || !aliases->is_repeated() ||
      aliases->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return;
  }
  const google::protobuf::Reflection& reflection = *target->GetReflection();
  for (int i = 0; i < reflection.FieldSize(*target, aliases); ++i) {
    visit(absl::StrCat(prefix, ".@aliases[", i, "]"), FieldClass::kReference,
          reflection.GetRepeatedStringReference(*target, aliases, i, &scratch));
  }
}

// Deep enough for every resource type; bounds hostile nesting.
constexpr int kMaxDepth = 8;

void Walk(
    const Message& message, const store::Snapshot* snapshot,
    const std::string& prefix, int depth,
    absl::FunctionRef<void(std::string_view, FieldClass, std::string_view)>
        visit) {
  if (depth > kMaxDepth) return;
  const Descriptor& descriptor = *message.GetDescriptor();
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  for (int f = 0; f < descriptor.field_count(); ++f) {
    const FieldDescriptor& field = *descriptor.field(f);
    const std::string path = prefix.empty()
                                 ? std::string(field.name())
                                 : absl::StrCat(prefix, ".", field.name());
    const int count = field.is_repeated()
                          ? reflection.FieldSize(message, &field)
                          : (reflection.HasField(message, &field) ? 1 : 0);
    if (count == 0) continue;
    auto element_path = [&](int i) {
      return field.is_repeated() ? absl::StrCat(path, "[", i, "]") : path;
    };
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        if (IsSkipped(field)) break;
        const FieldClass field_class = Classify(descriptor, field, depth);
        std::string scratch;
        for (int i = 0; i < count; ++i) {
          const std::string& text =
              field.is_repeated()
                  ? reflection.GetRepeatedStringReference(message, &field, i,
                                                          &scratch)
                  : reflection.GetStringReference(message, &field, &scratch);
          visit(element_path(i), field_class, text);
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM:
        for (int i = 0; i < count; ++i) {
          const EnumValueDescriptor* value =
              field.is_repeated()
                  ? reflection.GetRepeatedEnum(message, &field, i)
                  : reflection.GetEnum(message, &field);
          visit(element_path(i), FieldClass::kKind, EnumText(*value));
        }
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        for (int i = 0; i < count; ++i) {
          const Message& child =
              field.is_repeated()
                  ? reflection.GetRepeatedMessage(message, &field, i)
                  : reflection.GetMessage(message, &field);
          Walk(child, snapshot, element_path(i), depth + 1, visit);
        }
        break;
      default:
        break;
    }
  }
  if (snapshot != nullptr && descriptor.name() == "EntityRef") {
    VisitTargetAliases(message, *snapshot, prefix, visit);
  }
}

}  // namespace

double FieldWeight(FieldClass field_class) {
  return kClasses[static_cast<int>(field_class)].weight;
}

double LengthNormalization(FieldClass field_class) {
  return kClasses[static_cast<int>(field_class)].b;
}

std::string_view FieldClassId(FieldClass field_class) {
  return kClasses[static_cast<int>(field_class)].id;
}

void ForEachText(const Message& resource, const store::Snapshot* snapshot,
                 absl::FunctionRef<void(std::string_view path, FieldClass,
                                        std::string_view text)>
                     visit) {
  visit("@type", FieldClass::kKind, resource.GetDescriptor()->name());
  if (const store::Collection* collection =
          store::CollectionByDescriptor(resource.GetDescriptor())) {
    visit("@collection", FieldClass::kKind, collection->id);
  }
  Walk(resource, snapshot, "", 0, visit);
}

}  // namespace factgraph::query::search
