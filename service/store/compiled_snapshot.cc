// WriteCompiledSnapshot / LoadCompiledSnapshot (declared in loader.h).
#include <cstdio>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fstream>
#include <future>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "service/store/digest.h"
#include "service/store/fact_path.h"
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

// Names outside their collection: what Snapshot::integrity_problems() does
// not cover.
std::vector<std::string> FindNameProblems(const v1::KnowledgeBase& kb) {
  constexpr size_t kMaxProblems = 20;
  std::vector<std::string> problems;
  const Reflection* reflection = kb.GetReflection();
  for (const Collection& collection : AllCollections()) {
    const FieldDescriptor* name_field =
        collection.descriptor->FindFieldByName("name");
    const int size = reflection->FieldSize(kb, collection.kb_field);
    for (int i = 0; i < size && problems.size() < kMaxProblems; ++i) {
      const Message& resource =
          reflection->GetRepeatedMessage(kb, collection.kb_field, i);
      std::string scratch;
      const std::string problem = CheckResourceName(
          collection, resource.GetReflection()->GetStringReference(
                          resource, name_field, &scratch));
      if (!problem.empty()) problems.push_back(problem);
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
  // The file is the deterministic serialisation WriteCompiledKnowledgeBase
  // wrote, so its hash is the content id, computed beside the parse.
  std::future<std::string> id = std::async(
      std::launch::async, [&bytes] { return ContentIdOfBytes(bytes); });
  auto arena = std::make_unique<google::protobuf::Arena>();
  auto* kb =
      google::protobuf::Arena::CreateMessage<v1::KnowledgeBase>(arena.get());
  const bool parsed = kb->ParseFromString(bytes);
  id.wait();
  if (!parsed) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a compiled snapshot (truncated or corrupt)"));
  }
  const std::vector<std::string> problems = FindNameProblems(*kb);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": invalid compiled snapshot:\n", absl::StrJoin(problems, "\n")));
  }
  bytes.clear();
  bytes.shrink_to_fit();
  std::shared_ptr<const Snapshot> snapshot =
      Snapshot::BuildOnArena(std::move(arena), kb, path, absl::Now(), id.get());
#ifdef __GLIBC__
  // Building leaves the temporary buffers' pages in the heap; a snapshot of
  // a million entities would otherwise keep tens of megabytes it never uses.
  malloc_trim(0);
#endif
  if (!snapshot->integrity_problems().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": invalid compiled snapshot:\n",
                     absl::StrJoin(snapshot->integrity_problems(), "\n")));
  }
  return snapshot;
}

}  // namespace factgraph::store
