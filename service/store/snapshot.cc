#include "service/store/snapshot.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/message.h"
#include "service/store/digest.h"
#include "service/store/facts.h"
#include "service/store/resource_fields.h"
#include "service/store/snapshot_file_reader.h"
#include "service/store/snapshot_format.h"
#include "service/store/snapshot_index_builder.h"
#include "service/store/store_index_sections.h"
#include "service/store/support_check.h"
#include "service/store/validation.h"

namespace factgraph::store {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// ---- Building -------------------------------------------------------------

Snapshot::~Snapshot() = default;

std::shared_ptr<const Snapshot> Snapshot::Build(v1::KnowledgeBase kb,
                                                std::string source,
                                                absl::Time load_time) {
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->owned_kb_ = std::make_unique<v1::KnowledgeBase>(std::move(kb));
  snapshot->kb_ = snapshot->owned_kb_.get();
  snapshot->source_ = std::move(source);
  snapshot->load_time_ = load_time;
  snapshot->SortCollections();
  snapshot->id_ = ContentId(*snapshot->kb_);
  snapshot->IndexAll();
  return snapshot;
}

void Snapshot::SortCollections() {
  v1::KnowledgeBase* kb = owned_kb_.get();
  const Reflection* reflection = kb->GetReflection();
  const auto by_name = [](const Message* a, const Message* b) {
    return NameOf(*a) < NameOf(*b);
  };
  for (const Collection& collection : AllCollections()) {
    // The only reflection API that can reorder elements without copying
    // them; its replacement (MutableRepeatedFieldRef) has no pointer access.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    auto* field =
        reflection->MutableRepeatedPtrField<Message>(kb, collection.kb_field);
#pragma GCC diagnostic pop
    std::stable_sort(field->pointer_begin(), field->pointer_end(), by_name);
  }
}

namespace {

// The collections (AllCollections() positions) in the order of their name
// prefixes: concatenated, each sorted, they are all resources by name.
std::vector<size_t> CollectionsByPrefix() {
  std::vector<size_t> by_prefix(AllCollections().size());
  std::iota(by_prefix.begin(), by_prefix.end(), 0);
  std::sort(by_prefix.begin(), by_prefix.end(), [](size_t a, size_t b) {
    return std::string(AllCollections()[a].id) + "/" <
           std::string(AllCollections()[b].id) + "/";
  });
  return by_prefix;
}

const Message& PrototypeOf(const Collection& collection) {
  return *google::protobuf::MessageFactory::generated_factory()->GetPrototype(
      collection.descriptor);
}

}  // namespace

bool Snapshot::SetCollectionRanges(absl::Span<const uint32_t> collection_of) {
  collection_ranges_.assign(AllCollections().size(), {0, 0});
  std::vector<bool> seen(AllCollections().size(), false);
  for (size_t r = 0; r < collection_of.size();) {
    const uint32_t c = collection_of[r];
    if (seen[c]) return false;
    seen[c] = true;
    size_t end = r;
    while (end < collection_of.size() && collection_of[end] == c) ++end;
    collection_ranges_[c] = {static_cast<uint32_t>(r),
                             static_cast<uint32_t>(end)};
    r = end;
  }
  return true;
}

void Snapshot::IndexAll() {
  const Reflection* reflection = kb_->GetReflection();
  std::vector<const Message*> resources;
  std::vector<uint32_t> collection_of;
  for (const size_t c : CollectionsByPrefix()) {
    const FieldDescriptor* field = AllCollections()[c].kb_field;
    const int size = reflection->FieldSize(*kb_, field);
    for (int i = 0; i < size; ++i) {
      resources.push_back(&reflection->GetRepeatedMessage(*kb_, field, i));
      collection_of.push_back(static_cast<uint32_t>(c));
    }
  }
  SetCollectionRanges(collection_of);
  resource_count_ = resources.size();
  parsed_ = std::make_unique<std::atomic<const Message*>[]>(resource_count_);
  for (size_t r = 0; r < resource_count_; ++r) {
    parsed_[r].store(resources[r], std::memory_order_relaxed);
  }
  // The wire bytes, serialised once.
  std::vector<size_t> ends;
  ends.reserve(resources.size());
  for (const Message* resource : resources) {
    snapshot_format::AppendResourceBytes(*resource, &owned_wire_bytes_);
    ends.push_back(owned_wire_bytes_.size());
  }
  owned_wire_bytes_.shrink_to_fit();
  wire_bytes_.resize(resources.size());
  size_t begin = 0;
  for (size_t r = 0; r < resources.size(); ++r) {
    wire_bytes_[r] =
        std::string_view(owned_wire_bytes_).substr(begin, ends[r] - begin);
    begin = ends[r];
  }
  BuildStoreIndexes(resources, &indexes_, &integrity_problems_);
  views_ = ViewsOf(indexes_);
}

absl::StatusOr<std::shared_ptr<const Snapshot>> Snapshot::OpenCompiled(
    const SnapshotFileReader& file, std::shared_ptr<const void> backing,
    std::string source, absl::Time load_time) {
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->backing_ = std::move(backing);
  snapshot->index_sections_ = file.index_sections();
  snapshot->source_ = std::move(source);
  snapshot->load_time_ = load_time;
  // The id was computed by the writer (snapshot-format.md "Snapshot id");
  // the checksums vouch that it is the one it wrote.
  snapshot->id_ = file.IdHex();
  const size_t count = file.resource_count();
  snapshot->resource_count_ = count;
  snapshot->parsed_ = std::make_unique<std::atomic<const Message*>[]>(count);
  snapshot->wire_bytes_.resize(count);
  std::vector<uint32_t> collection_of(count);
  for (size_t i = 0; i < count; ++i) {
    snapshot->wire_bytes_[i] = file.ResourceBytes(i);
    // The reader checked that the field is one of a collection.
    const int collection =
        CollectionIndexOfField(file.ResourceCollectionField(i));
    ABSL_HARDENING_ASSERT(collection >= 0);
    collection_of[i] = static_cast<uint32_t>(collection);
  }

  const bool has_store_indexes = HasStoreIndexSections(file.index_sections());
  if (has_store_indexes) {
    if (absl::Status status =
            OpenStoreIndexSections(snapshot->index_sections_, count,
                                   &snapshot->indexes_, &snapshot->views_);
        !status.ok()) {
      return status;
    }
  }
  // Every resource parsed once, to validate it (and the store index
  // sections against it): into a message per collection that each parse
  // reuses, so that the load keeps nothing it parsed. A file without store
  // index sections has its indexes built here, over resources kept parsed.
  constexpr size_t kMaxProblems = 20;
  std::vector<std::string> problems;
  absl::Status index_status;
  std::vector<std::unique_ptr<Message>> scratch(AllCollections().size());
  for (size_t i = 0; i < count; ++i) {
    const Collection& collection = AllCollections()[collection_of[i]];
    Message* resource;
    if (has_store_indexes) {
      std::unique_ptr<Message>& reused = scratch[collection_of[i]];
      if (reused == nullptr) reused.reset(PrototypeOf(collection).New());
      resource = reused.get();
    } else {
      resource = PrototypeOf(collection).New(&snapshot->lazy_arena_);
      snapshot->parsed_[i].store(resource, std::memory_order_relaxed);
    }
    const std::string_view bytes = file.ResourceBytes(i);
    if (!resource->ParseFromArray(bytes.data(),
                                  static_cast<int>(bytes.size()))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "section RESOURCE_BYTES (file offset ", file.ResourceFileOffset(i),
          "): resource ", i, " is not a valid ",
          resource->GetDescriptor()->full_name()));
    }
    const std::string_view name = NameOf(*resource);
    if (name != file.Name(i)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "section RESOURCE_BYTES (file offset ", file.ResourceFileOffset(i),
          "): resource ", i, " is named \"", std::string(name),
          "\", the name table says \"", std::string(file.Name(i)), "\""));
    }
    // Names outside their collection: what integrity_problems() does not
    // cover.
    if (problems.size() < kMaxProblems) {
      if (absl::Status problem = CheckResourceName(collection, name);
          !problem.ok()) {
        problems.emplace_back(problem.message());
      }
    }
    if (has_store_indexes && index_status.ok()) {
      index_status = CheckStoredResource(snapshot->index_sections_,
                                         static_cast<uint32_t>(i), *resource,
                                         snapshot->indexes_, snapshot->views_);
    }
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid compiled snapshot:\n", absl::StrJoin(problems, "\n")));
  }
  if (!index_status.ok()) return index_status;
  if (!snapshot->SetCollectionRanges(collection_of)) {
    // Names in their collections, in name order, never interleave.
    return absl::InvalidArgumentError(
        "section RESOURCE_COLLECTIONS: a collection's resources are not "
        "contiguous in name order");
  }
  scratch.clear();
  if (!has_store_indexes) {
    std::vector<const Message*> resources(count);
    for (size_t i = 0; i < count; ++i) {
      resources[i] = snapshot->parsed_[i].load(std::memory_order_relaxed);
    }
    BuildStoreIndexes(resources, &snapshot->indexes_,
                      &snapshot->integrity_problems_);
    snapshot->views_ = ViewsOf(snapshot->indexes_);
    return snapshot;
  }
  const Snapshot* self = snapshot.get();
  if (absl::Status status = OpenStoredNameEntries(
          snapshot->index_sections_,
          [self](uint32_t r) { return self->WireBytesAt(r); },
          [self](uint32_t r) -> const Message& {
            return PrototypeOf(self->CollectionAt(r));
          },
          snapshot->views_, &snapshot->indexes_);
      !status.ok()) {
    return status;
  }
  FindIntegrityProblems(snapshot->views_, snapshot->indexes_.paths,
                        &snapshot->integrity_problems_);
  return snapshot;
}

// ---- Reading --------------------------------------------------------------

const Collection& Snapshot::CollectionAt(size_t i) const {
  for (size_t c = 0; c < collection_ranges_.size(); ++c) {
    if (i >= collection_ranges_[c].first && i < collection_ranges_[c].second) {
      return AllCollections()[c];
    }
  }
  ABSL_HARDENING_ASSERT(false && "a position beyond every collection");
  return AllCollections().front();
}

const Message& Snapshot::ParseResource(size_t i) const {
  // The bytes parsed at load (OpenCompiled), so they parse again. Two
  // threads may both parse; the first to publish wins and the other's copy
  // stays unused in the arena.
  Message* parsed = PrototypeOf(CollectionAt(i)).New(&lazy_arena_);
  const std::string_view bytes = wire_bytes_[i];
  const bool ok =
      parsed->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  ABSL_HARDENING_ASSERT(ok);
  (void)ok;
  const Message* expected = nullptr;
  if (parsed_[i].compare_exchange_strong(expected, parsed,
                                         std::memory_order_acq_rel,
                                         std::memory_order_acquire)) {
    return *parsed;
  }
  return *expected;
}

const v1::KnowledgeBase& Snapshot::knowledge_base() const {
  absl::call_once(kb_once_, [this] {
    if (kb_ != nullptr) return;
    // The resources themselves (so that WireBytes knows them), on the arena
    // they were parsed on, in KnowledgeBase order.
    auto* kb =
        google::protobuf::Arena::CreateMessage<v1::KnowledgeBase>(&lazy_arena_);
    const Reflection* reflection = kb->GetReflection();
    for (size_t c = 0; c < AllCollections().size(); ++c) {
      const auto [begin, end] = collection_ranges_[c];
      for (size_t r = begin; r < end; ++r) {
        reflection->UnsafeArenaAddAllocatedMessage(
            kb, AllCollections()[c].kb_field,
            const_cast<Message*>(&ResourceAt(r)));
      }
    }
    kb_ = kb;
  });
  return *kb_;
}

const Message* Snapshot::Find(std::string_view name) const {
  const uint32_t r = FindEntry(name);
  if (r == KeyTable::kNotFound) return nullptr;
  return &ResourceAt(r);
}

std::string_view Snapshot::WireBytes(const Message& resource) const {
  const uint32_t r = FindEntry(NameOf(resource));
  if (r == KeyTable::kNotFound) return {};
  ABSL_HARDENING_ASSERT(r < resource_count_);
  if (parsed_[r].load(std::memory_order_acquire) != &resource) return {};
  return wire_bytes_[r];
}

const Message& Snapshot::ResourceAt(size_t i) const {
  ABSL_HARDENING_ASSERT(i < resource_count_);
  const Message* parsed = parsed_[i].load(std::memory_order_acquire);
  return parsed != nullptr ? *parsed : ParseResource(i);
}

std::string_view Snapshot::ResourceNameAt(size_t i) const {
  ABSL_HARDENING_ASSERT(i < resource_count_);
  return views_.resource_names.keys[static_cast<uint32_t>(i)];
}

std::string_view Snapshot::WireBytesAt(size_t i) const {
  ABSL_HARDENING_ASSERT(i < wire_bytes_.size());
  return wire_bytes_[i];
}

std::optional<size_t> Snapshot::ResourceIndex(std::string_view name) const {
  const uint32_t r = FindEntry(name);
  if (r == KeyTable::kNotFound) return std::nullopt;
  return r;
}

std::optional<Snapshot::StoredSection> Snapshot::IndexSection(
    uint32_t kind) const {
  for (const StoredSection& section : index_sections_) {
    if (section.kind == kind) return section;
  }
  return std::nullopt;
}

Snapshot::ResourceRange Snapshot::Resources(
    const Collection& collection) const {
  const std::vector<Collection>& all = AllCollections();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].descriptor != collection.descriptor) continue;
    const auto [begin, end] = collection_ranges_[i];
    ABSL_HARDENING_ASSERT(begin <= end && end <= resource_count_);
    return ResourceRange(this, begin, end);
  }
  return {};
}

v1::Fact Snapshot::GetFact(FactIndex index) const {
  v1::Fact fact;
  GetFact(index, &fact);
  return fact;
}

void Snapshot::GetFact(FactIndex index, v1::Fact* fact) const {
  const FactRecord& record = Record(index);
  const std::string_view subject = views_.resource_names.keys[record.resource];
  const InternedPath& path = indexes_.paths[record.path];
  const Message& resource = ResourceAt(record.resource);
  const Reflection& reflection = *path.reflections.front();
  // assign() and operator= copy into the strings' existing buffers; the
  // generated setters taking a pointer and a size would build a temporary.
  fact->mutable_subject()->assign(subject.data(), subject.size());
  *fact->mutable_predicate() = path.path.predicate;
  *fact->mutable_path() = path.path.text;
  SetLeafValue(FactLeafParent(resource, path), *path.reflections.back(),
               path.path.steps.back(), fact->mutable_object());
  // Clear() keeps the citation messages for the Add()s below to reuse.
  fact->mutable_citations()->Clear();
  if (path.citations != nullptr) {
    // One reflection call for the whole list, not two per citation.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    const google::protobuf::RepeatedPtrField<v1::Citation>& citations =
        reflection.GetRepeatedPtrField<v1::Citation>(resource, path.citations);
#pragma GCC diagnostic pop
    ABSL_HARDENING_ASSERT(index < views_.covering_citations.size());
    const uint32_t mask = views_.covering_citations[index];
    if ((mask & kCoveringNotMasked) == 0) {
      for (uint32_t rest = mask; rest != 0; rest &= rest - 1) {
        *fact->add_citations() = citations.Get(__builtin_ctz(rest));
      }
    } else {
      for (const v1::Citation* citation :
           CoveringCitations(resource, path.path.text)) {
        *fact->add_citations() = *citation;
      }
    }
  }
  fact->set_kind(v1::CITATION_KIND_CURATED);
  for (const v1::Citation& citation : fact->citations()) {
    if (IsStated(citation)) {
      fact->set_kind(v1::CITATION_KIND_STATED);
      break;
    }
  }
  std::string scratch;
  const std::string& display_name =
      path.display_name == nullptr ? scratch
                                   : reflection.GetStringReference(
                                         resource, path.display_name, &scratch);
  *fact->mutable_subject_display_name() = display_name;
}

const Message& Snapshot::FactResource(FactIndex index) const {
  return ResourceAt(Record(index).resource);
}

std::string_view Snapshot::FactSubject(FactIndex index) const {
  return views_.resource_names.keys[Record(index).resource];
}

std::string_view Snapshot::FactPredicate(FactIndex index) const {
  return indexes_.paths[Record(index).path].path.predicate;
}

std::string_view Snapshot::FactPath(FactIndex index) const {
  return indexes_.paths[Record(index).path].path.text;
}

std::string Snapshot::FactObjectKey(FactIndex index) const {
  std::string scratch;
  return std::string(FactObjectKey(index, &scratch));
}

std::string_view Snapshot::FactObjectKey(FactIndex index,
                                         std::string* scratch) const {
  const FactRecord& record = Record(index);
  return FactObjectKeyOf(ResourceAt(record.resource),
                         indexes_.paths[record.path], scratch);
}

absl::Span<const FactIndex> Snapshot::FactsBySubject(
    std::string_view subject) const {
  return RangeOf(views_.resource_fact_begins, indexes_.all_facts,
                 FindEntry(subject));
}

absl::Span<const FactIndex> Snapshot::FactsByPredicate(
    std::string_view predicate) const {
  return views_.facts_by_predicate.List(views_.predicates.Find(predicate));
}

absl::Span<const FactIndex> Snapshot::FactsByObject(
    std::string_view object_key) const {
  return views_.facts_by_object.List(views_.object_keys.Find(object_key));
}

absl::Span<const FactIndex> Snapshot::FactsByDocument(
    std::string_view document) const {
  return views_.facts_by_document.List(views_.documents.Find(document));
}

absl::Span<const FactIndex> Snapshot::LinksFrom(std::string_view name) const {
  return RangeOf(views_.links_from_begins, views_.links, FindEntry(name));
}

absl::Span<const FactIndex> Snapshot::LinksTo(std::string_view name) const {
  return views_.links_to.List(views_.object_keys.Find(name));
}

absl::Span<const uint32_t> Snapshot::NameEntriesWithToken(
    std::string_view normalized_token) const {
  return views_.names_by_token.List(views_.name_tokens.Find(normalized_token));
}

}  // namespace factgraph::store
