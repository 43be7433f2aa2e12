// WriteCompiledSnapshot / LoadCompiledSnapshot (declared in loader.h).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "service/store/digest.h"
#include "service/store/loader.h"
#include "service/store/validation.h"

namespace factgraph::store {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status WriteCompiledSnapshot(const Snapshot& snapshot,
                                   const std::string& path) {
  return WriteCompiledKnowledgeBase(snapshot.knowledge_base(), path);
}

absl::Status WriteCompiledKnowledgeBase(const v1::KnowledgeBase& kb,
                                        const std::string& path) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    if (!kb.SerializeToCodedStream(&coded)) {
      return absl::InternalError(
          absl::StrCat(path, ": the knowledge base cannot be serialised"));
    }
  }
  // Write aside and rename, so that a reader never sees half a file.
  const std::string temporary = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(temporary.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

namespace {

// The problems a compiled file can have although it parses: what the seeds
// loader would have refused. Quotes are not re-checked (the file holds what
// the loader matched).
std::vector<std::string> FindProblems(const v1::KnowledgeBase& kb) {
  constexpr size_t kMaxProblems = 20;
  std::vector<std::string> problems;
  absl::flat_hash_set<std::string_view> names;
  const Reflection* reflection = kb.GetReflection();
  for (const Collection& collection : AllCollections()) {
    const FieldDescriptor* name_field =
        collection.descriptor->FindFieldByName("name");
    const int size = reflection->FieldSize(kb, collection.kb_field);
    names.reserve(names.size() + size);
    for (int i = 0; i < size && problems.size() < kMaxProblems; ++i) {
      const Message& resource =
          reflection->GetRepeatedMessage(kb, collection.kb_field, i);
      std::string scratch;
      const std::string& name = resource.GetReflection()->GetStringReference(
          resource, name_field, &scratch);
      const std::string problem = CheckResourceName(collection, name);
      if (!problem.empty()) {
        problems.push_back(problem);
      } else if (!names.insert(name).second) {
        problems.push_back(absl::StrCat("duplicate name \"", name, "\""));
      }
    }
  }
  for (const Collection& collection : AllCollections()) {
    const int size = reflection->FieldSize(kb, collection.kb_field);
    for (int i = 0; i < size && problems.size() < kMaxProblems; ++i) {
      const Message& resource =
          reflection->GetRepeatedMessage(kb, collection.kb_field, i);
      ForEachNestedMessage(
          resource, nullptr, 0,
          [&](const Message& nested, const std::string& path, int line) {
            if (nested.GetDescriptor() != v1::EntityRef::descriptor()) return;
            const auto& ref = static_cast<const v1::EntityRef&>(nested);
            if (!names.contains(ref.name()) && problems.size() < kMaxProblems) {
              std::string scratch;
              problems.push_back(absl::StrCat(
                  resource.GetReflection()->GetStringReference(
                      resource, collection.descriptor->FindFieldByName("name"),
                      &scratch),
                  " ", path, ": reference to unknown entity \"", ref.name(),
                  "\""));
            }
          });
    }
  }
  return problems;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Snapshot>> LoadCompiledSnapshot(
    const std::string& path) {
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size < 0)
      return absl::UnavailableError(absl::StrCat(path, ": cannot read"));
    bytes.resize(static_cast<size_t>(size));
    in.read(bytes.data(), size);
    if (!in) return absl::UnavailableError(absl::StrCat(path, ": cannot read"));
  }
  auto arena = std::make_unique<google::protobuf::Arena>();
  auto* kb =
      google::protobuf::Arena::CreateMessage<v1::KnowledgeBase>(arena.get());
  if (!kb->ParseFromString(bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a compiled snapshot (truncated or corrupt)"));
  }
  const std::vector<std::string> problems = FindProblems(*kb);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": invalid compiled snapshot:\n", absl::StrJoin(problems, "\n")));
  }
  // The file is the deterministic serialisation WriteCompiledSnapshot
  // wrote, so its hash is the content id without serialising again.
  std::string id = ContentIdOfBytes(bytes);
  bytes.clear();
  bytes.shrink_to_fit();
  return Snapshot::BuildOnArena(std::move(arena), kb, path, absl::Now(),
                                std::move(id));
}

}  // namespace factgraph::store
