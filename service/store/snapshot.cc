#include "service/store/snapshot.h"

#include <algorithm>
#include <string>
#include <utility>

#include "service/store/digest.h"
#include "service/store/facts.h"
#include "service/store/resource_fields.h"
#include "service/store/snapshot_format.h"
#include "service/store/snapshot_index_builder.h"
#include "service/store/store_index_sections.h"
#include "service/store/support_check.h"

namespace factgraph::store {

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

std::shared_ptr<const Snapshot> Snapshot::BuildOnArena(
    std::unique_ptr<google::protobuf::Arena> arena, v1::KnowledgeBase* kb,
    std::string source, absl::Time load_time, std::string precomputed_id,
    StoredBytes stored) {
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->stored_ = std::move(stored);
  snapshot->arena_ = std::move(arena);
  snapshot->kb_ = kb;
  snapshot->source_ = std::move(source);
  snapshot->load_time_ = load_time;
  const bool was_sorted = snapshot->SortCollections();
  // Sorting moved the messages away from the stored bytes' order.
  if (!was_sorted) snapshot->stored_.resources.clear();
  snapshot->id_ = was_sorted && !precomputed_id.empty()
                      ? std::move(precomputed_id)
                      : ContentId(*snapshot->kb_);
  snapshot->IndexAll();
  return snapshot;
}

bool Snapshot::SortCollections() {
  bool was_sorted = true;
  const Reflection* reflection = kb_->GetReflection();
  const auto by_name = [](const Message* a, const Message* b) {
    return NameOf(*a) < NameOf(*b);
  };
  for (const Collection& collection : AllCollections()) {
    // The only reflection API that can reorder elements without copying
    // them; its replacement (MutableRepeatedFieldRef) has no pointer access.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    auto* field =
        reflection->MutableRepeatedPtrField<Message>(kb_, collection.kb_field);
#pragma GCC diagnostic pop
    if (std::is_sorted(field->pointer_begin(), field->pointer_end(), by_name)) {
      continue;
    }
    was_sorted = false;
    std::stable_sort(field->pointer_begin(), field->pointer_end(), by_name);
  }
  return was_sorted;
}

void Snapshot::IndexAll() {
  // Collections concatenated in the order of their name prefixes are all
  // resources ordered by name, since each collection is sorted.
  std::vector<const Collection*> by_prefix;
  for (const Collection& collection : AllCollections()) {
    by_prefix.push_back(&collection);
  }
  std::sort(by_prefix.begin(), by_prefix.end(),
            [](const Collection* a, const Collection* b) {
              return std::string(a->id) + "/" < std::string(b->id) + "/";
            });
  const Reflection* reflection = kb_->GetReflection();
  size_t total = 0;
  for (const Collection& collection : AllCollections()) {
    total += reflection->FieldSize(*kb_, collection.kb_field);
  }
  resources_.reserve(total);
  collection_ranges_.resize(AllCollections().size());
  // Where each collection starts in KnowledgeBase order.
  std::vector<uint32_t> kb_start(AllCollections().size(), 0);
  for (size_t c = 1; c < AllCollections().size(); ++c) {
    kb_start[c] =
        kb_start[c - 1] + static_cast<uint32_t>(reflection->FieldSize(
                              *kb_, AllCollections()[c - 1].kb_field));
  }
  std::vector<uint32_t> kb_order;
  kb_order.reserve(total);
  for (const Collection* collection : by_prefix) {
    const size_t c = collection - AllCollections().data();
    const int size = reflection->FieldSize(*kb_, collection->kb_field);
    collection_ranges_[c].first = static_cast<uint32_t>(resources_.size());
    for (int i = 0; i < size; ++i) {
      resources_.push_back(
          &reflection->GetRepeatedMessage(*kb_, collection->kb_field, i));
      kb_order.push_back(kb_start[c] + static_cast<uint32_t>(i));
    }
    collection_ranges_[c].second = static_cast<uint32_t>(resources_.size());
  }
  AttachWireBytes(kb_order);
  if (HasStoreIndexSections(stored_.index_sections)) {
    stored_index_status_ = OpenStoreIndexSections(
        stored_.index_sections, resources_, &indexes_, &views_);
    if (!stored_index_status_.ok()) return;
    FindIntegrityProblems(views_, indexes_.paths, &integrity_problems_);
    return;
  }
  BuildStoreIndexes(resources_, &indexes_, &integrity_problems_);
  views_ = ViewsOf(indexes_);
}

void Snapshot::AttachWireBytes(const std::vector<uint32_t>& kb_order) {
  wire_bytes_.resize(resources_.size());
  if (stored_.resources.size() == resources_.size()) {
    for (size_t r = 0; r < resources_.size(); ++r) {
      wire_bytes_[r] = stored_.resources[kb_order[r]];
    }
    stored_.resources = {};
    return;
  }
  stored_.resources = {};
  std::vector<size_t> ends;
  ends.reserve(resources_.size());
  for (const Message* resource : resources_) {
    snapshot_format::AppendResourceBytes(*resource, &owned_wire_bytes_);
    ends.push_back(owned_wire_bytes_.size());
  }
  owned_wire_bytes_.shrink_to_fit();
  size_t begin = 0;
  for (size_t r = 0; r < resources_.size(); ++r) {
    wire_bytes_[r] =
        std::string_view(owned_wire_bytes_).substr(begin, ends[r] - begin);
    begin = ends[r];
  }
}

// ---- Reading --------------------------------------------------------------

const Message* Snapshot::Find(std::string_view name) const {
  const uint32_t r = FindEntry(name);
  if (r == KeyTable::kNotFound) return nullptr;
  ABSL_HARDENING_ASSERT(r < resources_.size());
  return resources_[r];
}

std::string_view Snapshot::WireBytes(const Message& resource) const {
  const uint32_t r = FindEntry(NameOf(resource));
  if (r == KeyTable::kNotFound) return {};
  ABSL_HARDENING_ASSERT(r < resources_.size());
  if (resources_[r] != &resource) return {};
  return wire_bytes_[r];
}

const Message& Snapshot::ResourceAt(size_t i) const {
  ABSL_HARDENING_ASSERT(i < resources_.size());
  return *resources_[i];
}

std::string_view Snapshot::ResourceNameAt(size_t i) const {
  ABSL_HARDENING_ASSERT(i < resources_.size());
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
  for (const StoredSection& section : stored_.index_sections) {
    if (section.kind == kind) return section;
  }
  return std::nullopt;
}

absl::Span<const Message* const> Snapshot::Resources(
    const Collection& collection) const {
  const std::vector<Collection>& all = AllCollections();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].descriptor != collection.descriptor) continue;
    const auto [begin, end] = collection_ranges_[i];
    ABSL_HARDENING_ASSERT(begin <= end && end <= resources_.size());
    return absl::MakeConstSpan(resources_.data() + begin, end - begin);
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
  const Message& resource = *resources_[record.resource];
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
  return *resources_[Record(index).resource];
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
  return FactObjectKeyOf(*resources_[record.resource],
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
