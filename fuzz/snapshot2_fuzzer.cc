// The format-3 reader (docs/snapshot-format.md) on any bytes: verified or
// refused with INVALID_ARGUMENT, and a verified file's every accessor stays
// within the input (AddressSanitizer checks each read). The input is also
// resealed (its checksums recomputed) and loaded whole with its search index
// (query::LoadCompiledSnapshotWithIndexes), so that mutations reach the
// offset, name and resource checks behind the checksums and the validation
// of the search sections; an index that validates is then read through
// every accessor and searched.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "service/query/compiled_snapshot.h"
#include "service/query/search.h"
#include "service/store/loader.h"
#include "service/store/snapshot_file_builder.h"
#include "service/store/snapshot_file_reader.h"

namespace {

using namespace factgraph;

// Reads every part of a verified file; any out-of-bounds slice is an
// AddressSanitizer report, since `bytes` is an exact-size heap copy.
void ReadAll(const store::SnapshotFileReader& reader, std::string_view bytes) {
  size_t total = 0;
  for (size_t i = 0; i < reader.resource_count(); ++i) {
    const std::string_view resource = reader.ResourceBytes(i);
    const std::string_view name = reader.Name(i);
    if (resource.data() < bytes.data() ||
        resource.data() + resource.size() > bytes.data() + bytes.size() ||
        name.data() < bytes.data() ||
        name.data() + name.size() > bytes.data() + bytes.size()) {
      fuzz::Fail("a slice outside the file");
    }
    for (char c : resource) total += static_cast<unsigned char>(c);
    for (char c : name) total += static_cast<unsigned char>(c);
    total += reader.ResourceCollectionField(i);
  }
  if (reader.IdHex().size() != 32) fuzz::Fail("an id of another length");
  // Keeps the reads from being optimised away.
  if (total == 1) fuzz::Fail("unreachable");
}

// Reads every part of a validated search index.
void ReadIndex(const query::search::SearchIndex& index,
               const store::Snapshot& snapshot) {
  size_t total = 0;
  for (query::search::DocId d = 0; d < index.docs().size(); ++d) {
    total += index.name(d).size() + index.docs()[d].collection;
    for (const query::search::StoredText& text : index.texts(d)) {
      total += index.text(d, text).size() + index.path(text.path()).size();
    }
    for (const uint32_t e : index.NameEntriesOf(d)) {
      total += index.NormalizedName(e).size() + index.NameEntryDoc(e);
    }
  }
  for (query::search::TermId t = 0; t < index.term_count(); ++t) {
    for (const query::search::Posting& p : index.postings(t)) {
      total += p.doc;
      for (const query::search::Occurrence& o : index.Occurrences(p.doc, t)) {
        total += o.text + o.byte_start;
      }
    }
    total += index.document_frequency(t);
    if (index.FindTerm(index.term(t)) != t) fuzz::Fail("a term not found");
  }
  for (const char* word : {"univ", "medical", "kaist"}) {
    total += index.TermsWithPrefix(word, 10).size();
    index.ForEachNeighbour(word, 2, [&](query::search::TermId term, int) {
      total += index.term(term).size();
    });
  }
  std::vector<query::search::DocId> all(index.docs().size());
  for (size_t d = 0; d < all.size(); ++d) all[d] = static_cast<uint32_t>(d);
  index.Prefetch(all, snapshot);
  if (total == 1) fuzz::Fail("unreachable");
}

void CheckLoad(const std::string& path, std::string_view bytes) {
  fuzz::WriteFileOrDie(path, bytes);
  auto snapshot = query::LoadCompiledSnapshotWithIndexes(path);
  if (snapshot.ok()) {
    auto index = query::OpenSearchIndex(*snapshot);
    if (!index.ok()) fuzz::Fail(index.status().ToString());
    ReadIndex(**index, **snapshot);
    return;
  }
  if (snapshot.status().code() != absl::StatusCode::kInvalidArgument ||
      snapshot.status().message().find(path) == absl::string_view::npos) {
    fuzz::Fail(snapshot.status().ToString());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string* path =
      new std::string(fuzz::ScratchDir() + "/snapshot2.bin");
  // An exact-size copy, so that a read past the end is caught.
  const std::string raw(reinterpret_cast<const char*>(data), size);
  std::string resealed = raw;
  store::ResealSnapshotFile(&resealed);
  for (const std::string* bytes :
       {&raw, static_cast<const std::string*>(&resealed)}) {
    absl::StatusOr<store::SnapshotFileReader> reader =
        store::SnapshotFileReader::Open(*bytes);
    if (reader.ok()) {
      ReadAll(*reader, *bytes);
    } else if (reader.status().code() != absl::StatusCode::kInvalidArgument) {
      fuzz::Fail(reader.status().ToString());
    }
  }
  CheckLoad(*path, resealed);
  return 0;
}
