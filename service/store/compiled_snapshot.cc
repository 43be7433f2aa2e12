// WriteCompiledSnapshot / LoadCompiledSnapshot (declared in loader.h).
#include <cstdio>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "service/store/digest.h"
#include "service/store/fact_path.h"
#include "service/store/file_reader.h"
#include "service/store/loader.h"
#include "service/store/validation.h"

namespace factgraph::store {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

namespace {

// The frame around a compiled snapshot's KnowledgeBase
// (docs/SNAPSHOT_FORMAT.md):
//   magic "\x89FGSNAP\n" (8 bytes) | version, uint32 little-endian (4) |
//   payload length, uint64 little-endian (8) | payload | SHA-256 of the
//   payload (32).
// Every byte of the file is checked before the snapshot is built: the magic,
// version and length each have exactly one accepted value, and the checksum
// covers the rest, so any truncation or bit flip is refused.
constexpr std::string_view kMagic(
    "\x89"
    "FGSNAP\n",
    8);
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 8 + 4 + 8;
constexpr size_t kTrailerBytes = 32;

void AppendLittleEndian(uint64_t value, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) {
    out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

uint64_t ReadLittleEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = bytes.size(); i > 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i - 1]);
  }
  return value;
}

std::string FrameHeader(size_t payload_bytes) {
  std::string header(kMagic);
  AppendLittleEndian(kVersion, 4, &header);
  AppendLittleEndian(payload_bytes, 8, &header);
  return header;
}

std::string FrameTrailer(std::string_view payload) {
  return absl::HexStringToBytes(Sha256Hex(payload));
}

// Why the frame's magic, version or length is not valid, or OK.
absl::Status CheckFrameHeader(std::string_view file) {
  if (file.size() < kHeaderBytes + kTrailerBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "only ", file.size(), " bytes, shorter than an empty snapshot"));
  }
  if (file.substr(0, kMagic.size()) != kMagic) {
    return absl::InvalidArgumentError(
        "not a compiled snapshot (wrong magic number)");
  }
  const uint64_t version = ReadLittleEndian(file.substr(8, 4));
  if (version != kVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("compiled snapshot format version ", version,
                     ", this server reads version ", kVersion));
  }
  const uint64_t length = ReadLittleEndian(file.substr(12, 8));
  const uint64_t actual = file.size() - kHeaderBytes - kTrailerBytes;
  if (length != actual) {
    return absl::InvalidArgumentError(
        absl::StrCat("truncated or extended: the header announces ", length,
                     " bytes of content, the file holds ", actual));
  }
  return absl::OkStatus();
}

// Whether the trailer holds `sha256_hex`, the payload's SHA-256.
bool ChecksumMatches(std::string_view file, std::string_view sha256_hex) {
  return absl::BytesToHexString(absl::string_view(
             file.data() + file.size() - kTrailerBytes, kTrailerBytes)) ==
         sha256_hex;
}

}  // namespace

std::string FrameCompiledSnapshot(std::string_view payload) {
  std::string file = FrameHeader(payload.size());
  file.append(payload.data(), payload.size());
  file.append(FrameTrailer(payload));
  return file;
}

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
  const std::string header = FrameHeader(bytes.size());
  const std::string trailer = FrameTrailer(bytes);
  // Write aside and rename, so that a reader never sees half a file.
  const std::string temporary = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.write(trailer.data(), static_cast<std::streamsize>(trailer.size()));
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
      const absl::Status problem = CheckResourceName(
          collection, resource.GetReflection()->GetStringReference(
                          resource, name_field, &scratch));
      if (!problem.ok()) problems.emplace_back(problem.message());
    }
  }
  return problems;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Snapshot>> LoadCompiledSnapshot(
    const std::string& path) {
  absl::StatusOr<std::string> file = ReadRegularFile(path);
  if (!file.ok()) return file.status();
  if (absl::Status frame = CheckFrameHeader(*file); !frame.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", frame.message()));
  }
  // Nothing is parsed before the checksum matches: a corrupt file costs one
  // hash, and the parser only ever sees what the writer wrote. The payload's
  // hash is also (its first half) the content id.
  const std::string_view payload = std::string_view(*file).substr(
      kHeaderBytes, file->size() - kHeaderBytes - kTrailerBytes);
  const std::string payload_sha256 = Sha256Hex(payload);
  if (!ChecksumMatches(*file, payload_sha256)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": corrupt: the checksum of the content does not match"));
  }
  auto arena = std::make_unique<google::protobuf::Arena>();
  auto* kb =
      google::protobuf::Arena::CreateMessage<v1::KnowledgeBase>(arena.get());
  const bool parsed =
      kb->ParseFromArray(payload.data(), static_cast<int>(payload.size()));
  if (!parsed) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a compiled snapshot (truncated or corrupt)"));
  }
  const std::vector<std::string> problems = FindNameProblems(*kb);
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": invalid compiled snapshot:\n", absl::StrJoin(problems, "\n")));
  }
  file->clear();
  file->shrink_to_fit();
  // The id is the first 16 bytes of the SHA-256 of the serialisation
  // (ContentIdOfBytes), so the checksum's first half.
  std::shared_ptr<const Snapshot> snapshot = Snapshot::BuildOnArena(
      std::move(arena), kb, path, absl::Now(), payload_sha256.substr(0, 32));
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
