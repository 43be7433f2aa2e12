// Every resource message survives the binary and the JSON encodings with
// every field set, so that clients in any language read what the server wrote.
#include <string>

#include "factgraph/v1/knowledge_base.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/support/param_name.h"

namespace factgraph {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Sets every field of `message` (two elements for repeated ones) to a value
// derived from `seed`, recursing into sub-messages to `depth`.
void FillAllFields(Message* message, int seed, int depth) {
  const Descriptor* descriptor = message->GetDescriptor();
  const Reflection* reflection = message->GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->real_containing_oneof() != nullptr &&
        field->index_in_oneof() != 0) {
      continue;  // One member of a oneof at a time.
    }
    const int count = field->is_repeated() ? 2 : 1;
    for (int n = 0; n < count; ++n) {
      const int value = seed * 31 + i * 7 + n + 1;
      const bool repeated = field->is_repeated();
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING: {
          std::string text = field->name() + " \xea\xb3\xa0\xeb\xa0\xa4 " +
                             std::to_string(value);  // Hangul too.
          repeated ? reflection->AddString(message, field, text)
                   : reflection->SetString(message, field, text);
          break;
        }
        case FieldDescriptor::CPPTYPE_INT32:
          repeated ? reflection->AddInt32(message, field, value)
                   : reflection->SetInt32(message, field, value);
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          repeated ? reflection->AddInt64(message, field, value * 1000000007LL)
                   : reflection->SetInt64(message, field, value * 1000000007LL);
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          repeated ? reflection->AddDouble(message, field, value + 0.25)
                   : reflection->SetDouble(message, field, value + 0.25);
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          repeated ? reflection->AddBool(message, field, true)
                   : reflection->SetBool(message, field, true);
          break;
        case FieldDescriptor::CPPTYPE_ENUM: {
          const auto* enum_type = field->enum_type();
          const auto* enum_value =
              enum_type->value(value % enum_type->value_count());
          repeated ? reflection->AddEnum(message, field, enum_value)
                   : reflection->SetEnum(message, field, enum_value);
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (depth > 0) {
            Message* child = repeated
                                 ? reflection->AddMessage(message, field)
                                 : reflection->MutableMessage(message, field);
            FillAllFields(child, value, depth - 1);
          }
          break;
        default:
          FAIL() << "unexpected field type in " << field->full_name();
      }
    }
  }
}

class ResourceRoundTripTest : public testing::TestWithParam<std::string> {
 protected:
  // A fully populated instance of the resource message the collection holds.
  std::unique_ptr<Message> PopulatedResource() {
    const FieldDescriptor* collection =
        v1::KnowledgeBase::descriptor()->FindFieldByName(GetParam());
    EXPECT_NE(collection, nullptr);
    std::unique_ptr<Message> resource(
        v1::KnowledgeBase::default_instance()
            .GetReflection()
            ->GetMessageFactory()
            ->GetPrototype(collection->message_type())
            ->New());
    FillAllFields(resource.get(), 1, 3);
    return resource;
  }
};

TEST_P(ResourceRoundTripTest, Binary) {
  auto original = PopulatedResource();
  std::string wire;
  ASSERT_TRUE(original->SerializeToString(&wire));
  std::unique_ptr<Message> decoded(original->New());
  ASSERT_TRUE(decoded->ParseFromString(wire));
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(*original, *decoded))
      << decoded->DebugString();
}

TEST_P(ResourceRoundTripTest, Json) {
  auto original = PopulatedResource();
  std::string json;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(*original, &json).ok());
  std::unique_ptr<Message> decoded(original->New());
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json, decoded.get()).ok())
      << json;
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(*original, *decoded))
      << json;
  // JSON uses lowerCamelCase names, which generated clients rely on.
  EXPECT_NE(json.find("\"displayName\""), std::string::npos) << json;
}

TEST(ResourceRoundTripCoverage, EveryCollectionIsTested) {
  const Descriptor* kb = v1::KnowledgeBase::descriptor();
  ASSERT_EQ(kb->field_count(), 9);
  for (int i = 0; i < kb->field_count(); ++i) {
    const FieldDescriptor* resource_name =
        kb->field(i)->message_type()->FindFieldByNumber(1);
    ASSERT_NE(resource_name, nullptr);
    EXPECT_EQ(resource_name->name(), "name") << kb->field(i)->name();
  }
}

INSTANTIATE_TEST_SUITE_P(AllCollections, ResourceRoundTripTest,
                         testing::Values("institutions", "people", "agreements",
                                         "projects", "fundings", "events",
                                         "statistics", "documents",
                                         "statements"),
                         ::factgraph::test_support::StringParamName());

}  // namespace
}  // namespace factgraph
