#include "service/store/snapshot.h"

#include <algorithm>
#include <cstring>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/store/digest.h"
#include "service/store/facts.h"
#include "service/store/text_normalizer.h"

namespace factgraph::store {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

namespace {

// The fields every resource type has, looked up once: FindFieldByName is a
// hash lookup, and sorting and indexing a million resources would ask for
// the same few fields tens of millions of times.
struct ResourceFields {
  const Descriptor* descriptor = nullptr;
  const FieldDescriptor* name = nullptr;
  const FieldDescriptor* display_name = nullptr;
  const FieldDescriptor* aliases = nullptr;
  const FieldDescriptor* citations = nullptr;
};

ResourceFields MakeResourceFields(const Descriptor* descriptor) {
  ResourceFields fields;
  fields.descriptor = descriptor;
  const auto string_field = [descriptor](const char* name, bool repeated) {
    const FieldDescriptor* field = descriptor->FindFieldByName(name);
    return field != nullptr && field->type() == FieldDescriptor::TYPE_STRING &&
                   field->is_repeated() == repeated
               ? field
               : nullptr;
  };
  fields.name = string_field("name", false);
  fields.display_name = string_field("display_name", false);
  fields.aliases = string_field("aliases", true);
  const FieldDescriptor* citations = descriptor->FindFieldByName("citations");
  if (citations != nullptr && citations->is_repeated() &&
      citations->message_type() == v1::Citation::descriptor()) {
    fields.citations = citations;
  }
  return fields;
}

const ResourceFields& FieldsOf(const Descriptor* descriptor) {
  static const std::vector<ResourceFields>* const all = [] {
    auto* fields = new std::vector<ResourceFields>();
    for (const Collection& collection : AllCollections()) {
      fields->push_back(MakeResourceFields(collection.descriptor));
    }
    return fields;
  }();
  for (const ResourceFields& fields : *all) {
    if (fields.descriptor == descriptor) return fields;
  }
  static const ResourceFields* const none = new ResourceFields();
  return *none;
}

std::string_view StringView(const Message& message,
                            const FieldDescriptor* field) {
  if (field == nullptr) return {};
  std::string scratch;
  const std::string& value =
      message.GetReflection()->GetStringReference(message, field, &scratch);
  // Generated messages return a reference to their own storage, never to
  // `scratch`; anything else would not outlive this call.
  if (&value == &scratch) return {};
  return value;
}

std::string_view NameOf(const Message& message) {
  return StringView(message, FieldsOf(message.GetDescriptor()).name);
}

std::string_view DisplayNameOf(const Message& message) {
  return StringView(message, FieldsOf(message.GetDescriptor()).display_name);
}

const v1::Citation& CitationAt(const Message& resource,
                               const FieldDescriptor* citations, int index) {
  return static_cast<const v1::Citation&>(
      resource.GetReflection()->GetRepeatedMessage(resource, citations, index));
}

bool IsReference(const FieldPath& path) {
  const FieldDescriptor* leaf = path.steps.back().field;
  return leaf->type() == FieldDescriptor::TYPE_MESSAGE &&
         leaf->message_type() == v1::EntityRef::descriptor();
}

absl::Span<const FactIndex> EmptySpan() { return {}; }

}  // namespace

// ---- PostingIndex ---------------------------------------------------------

void Snapshot::PostingIndex::Allocate() {
  uint32_t next = 0;
  for (auto& [key, range] : ranges_) {
    const uint32_t count = range.second;
    range = {next, 0};
    next += count;
  }
  values_.resize(next);
}

void Snapshot::PostingIndex::Add(std::string_view key, uint32_t value) {
  std::pair<uint32_t, uint32_t>& range = ranges_.find(key)->second;
  values_[range.first + range.second] = value;
  ++range.second;
}

absl::Span<const uint32_t> Snapshot::PostingIndex::Lookup(
    std::string_view key) const {
  const auto it = ranges_.find(key);
  if (it == ranges_.end()) return {};
  return absl::MakeConstSpan(values_.data() + it->second.first,
                             it->second.second);
}

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
    std::string source, absl::Time load_time, std::string precomputed_id) {
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->arena_ = std::move(arena);
  snapshot->kb_ = kb;
  snapshot->source_ = std::move(source);
  snapshot->load_time_ = load_time;
  const bool was_sorted = snapshot->SortCollections();
  snapshot->id_ = was_sorted && !precomputed_id.empty()
                      ? std::move(precomputed_id)
                      : ContentId(*snapshot->kb_);
  snapshot->IndexAll();
  return snapshot;
}

void Snapshot::IndexAll() {
  IndexResources();
  // The name index reads only the knowledge base (immutable by now) and
  // writes only its own members: it can run beside the fact index.
  std::thread names([this] { IndexNames(); });
  IndexFacts();
  names.join();
  CheckReferences();
}

void Snapshot::CheckReferences() {
  constexpr size_t kMaxProblems = 20;
  for (FactIndex i : links_) {
    if (integrity_problems_.size() >= kMaxProblems) break;
    const FactRecord& record = facts_[i];
    const FieldPath& path = paths_[record.path];
    const v1::FactValue value =
        FactValueAt(*resources_[record.resource].message, path.steps);
    if (!by_name_.contains(value.entity_value().name())) {
      integrity_problems_.push_back(
          absl::StrCat(std::string(resources_[record.resource].name), " ",
                       path.text, ": reference to unknown entity \"",
                       value.entity_value().name(), "\""));
    }
  }
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

void Snapshot::IndexResources() {
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
  by_name_.reserve(total);
  by_collection_.resize(AllCollections().size());
  for (const Collection* collection : by_prefix) {
    const int size = reflection->FieldSize(*kb_, collection->kb_field);
    auto& list = by_collection_[collection - AllCollections().data()];
    list.reserve(size);
    for (int i = 0; i < size; ++i) {
      const Message& message =
          reflection->GetRepeatedMessage(*kb_, collection->kb_field, i);
      const std::string_view name = NameOf(message);
      list.push_back(&message);
      // A validated knowledge base has no duplicates; should one slip
      // through, the first keeps the name.
      if (!by_name_.try_emplace(name, static_cast<uint32_t>(resources_.size()))
               .second &&
          integrity_problems_.size() < 20) {
        integrity_problems_.push_back(
            absl::StrCat("duplicate name \"", std::string(name), "\""));
      }
      resources_.push_back(ResourceEntry{name, &message, 0, 0});
    }
  }
}

uint32_t Snapshot::InternPath(absl::Span<const PathStep> steps) {
  const absl::string_view key(reinterpret_cast<const char*>(steps.data()),
                              steps.size() * sizeof(PathStep));
  const auto it = path_ids_.find(key);
  if (it != path_ids_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(paths_.size());
  path_ids_.emplace(std::string(key), id);
  paths_.push_back(MakeFieldPath(steps));
  return id;
}

const Message& Snapshot::LeafParent(const Message& resource,
                                    const FieldPath& path) const {
  const Message* message = &resource;
  for (size_t i = 0; i + 1 < path.steps.size(); ++i) {
    const PathStep& step = path.steps[i];
    const Reflection* reflection = message->GetReflection();
    message = step.index >= 0 ? &reflection->GetRepeatedMessage(
                                    *message, step.field, step.index)
                              : &reflection->GetMessage(*message, step.field);
  }
  return *message;
}

std::string_view Snapshot::ObjectKeyView(FactIndex index) {
  const FactRecord& record = facts_[index];
  const FieldPath& path = paths_[record.path];
  const Message& parent =
      LeafParent(*resources_[record.resource].message, path);
  const PathStep& leaf = path.steps.back();
  const FieldDescriptor* field = leaf.field;
  const Reflection* reflection = parent.GetReflection();
  std::string scratch;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return leaf.index >= 0
                 ? reflection->GetRepeatedStringReference(parent, field,
                                                          leaf.index, &scratch)
                 : reflection->GetStringReference(parent, field, &scratch);
    case FieldDescriptor::CPPTYPE_ENUM:
      return (leaf.index >= 0
                  ? reflection->GetRepeatedEnum(parent, field, leaf.index)
                  : reflection->GetEnum(parent, field))
          ->name();
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field->message_type() == v1::EntityRef::descriptor()) {
        const Message& ref =
            leaf.index >= 0
                ? reflection->GetRepeatedMessage(parent, field, leaf.index)
                : reflection->GetMessage(parent, field);
        return static_cast<const v1::EntityRef&>(ref).name();
      }
      break;
    default:
      break;
  }
  const std::string key =
      ObjectKey(FactValueAt(*resources_[record.resource].message, path.steps));
  return *computed_keys_.insert(key).first;
}

void Snapshot::IndexFacts() {
  // Per fact, computed once: its object key, and the documents of the
  // citations that cover it (as ids into `documents`, listed in
  // fact_documents[document_begin[i] .. document_begin[i + 1])).
  std::vector<std::string_view> keys;
  std::vector<uint32_t> document_begin;
  std::vector<uint32_t> fact_documents;
  std::vector<std::string_view> documents;
  absl::flat_hash_map<std::string_view, uint32_t> document_ids;
  std::vector<uint32_t> covering;  // Documents of one fact.

  for (uint32_t r = 0; r < resources_.size(); ++r) {
    ResourceEntry& entry = resources_[r];
    const Message& resource = *entry.message;
    entry.first_fact = static_cast<FactIndex>(facts_.size());
    ForEachFactPath(resource, [&](absl::Span<const PathStep> steps) {
      facts_.push_back(FactRecord{r, InternPath(steps)});
    });
    entry.end_fact = static_cast<FactIndex>(facts_.size());

    const FieldDescriptor* citations =
        FieldsOf(resource.GetDescriptor()).citations;
    const int citation_count =
        citations ? resource.GetReflection()->FieldSize(resource, citations)
                  : 0;
    for (FactIndex i = entry.first_fact; i < entry.end_fact; ++i) {
      keys.push_back(ObjectKeyView(i));
      document_begin.push_back(static_cast<uint32_t>(fact_documents.size()));
      covering.clear();
      const std::string& path = paths_[facts_[i].path].text;
      for (int c = 0; c < citation_count; ++c) {
        const v1::Citation& citation = CitationAt(resource, citations, c);
        bool covers = false;
        for (const std::string& citation_path : citation.field_paths()) {
          if (PathCovers(citation_path, path)) {
            covers = true;
            break;
          }
        }
        if (!covers) continue;
        const auto [it, inserted] = document_ids.try_emplace(
            citation.document(), static_cast<uint32_t>(documents.size()));
        if (inserted) documents.push_back(citation.document());
        if (std::find(covering.begin(), covering.end(), it->second) ==
            covering.end()) {
          covering.push_back(it->second);
        }
      }
      fact_documents.insert(fact_documents.end(), covering.begin(),
                            covering.end());
    }
  }
  document_begin.push_back(static_cast<uint32_t>(fact_documents.size()));
  facts_.shrink_to_fit();
  const FactIndex count = static_cast<FactIndex>(facts_.size());
  all_fact_indexes_.resize(count);
  for (FactIndex i = 0; i < count; ++i) all_fact_indexes_[i] = i;

  // Pass 1 counts, pass 2 fills; both see the facts in order, so every list
  // is in fact order.
  for (int pass = 0; pass < 2; ++pass) {
    const bool add = pass == 1;
    for (FactIndex i = 0; i < count; ++i) {
      const FieldPath& path = paths_[facts_[i].path];
      if (add) {
        facts_by_predicate_.Add(path.predicate, i);
        facts_by_object_.Add(keys[i], i);
      } else {
        facts_by_predicate_.Count(path.predicate);
        facts_by_object_.Count(keys[i]);
      }
      for (uint32_t d = document_begin[i]; d < document_begin[i + 1]; ++d) {
        const std::string_view document = documents[fact_documents[d]];
        add ? facts_by_document_.Add(document, i)
            : facts_by_document_.Count(document);
      }
      if (IsReference(path)) {
        add ? links_to_.Add(keys[i], i) : links_to_.Count(keys[i]);
      }
    }
    if (!add) {
      facts_by_predicate_.Allocate();
      facts_by_object_.Allocate();
      facts_by_document_.Allocate();
      links_to_.Allocate();
    }
  }

  links_from_range_.resize(resources_.size());
  for (uint32_t r = 0; r < resources_.size(); ++r) {
    const uint32_t first = static_cast<uint32_t>(links_.size());
    for (FactIndex i = resources_[r].first_fact; i < resources_[r].end_fact;
         ++i) {
      if (IsReference(paths_[facts_[i].path])) links_.push_back(i);
    }
    links_from_range_[r] = {first, static_cast<uint32_t>(links_.size())};
  }
  links_.shrink_to_fit();
}

void Snapshot::IndexNames() {
  for (const ResourceEntry& entry : resources_) {
    const Message& message = *entry.message;
    const ResourceFields& fields = FieldsOf(message.GetDescriptor());
    const std::string_view display = StringView(message, fields.display_name);
    if (!display.empty()) {
      names_.push_back(
          NameEntry{&message, display, NormalizeForSearch(display), true});
    }
    const FieldDescriptor* aliases = fields.aliases;
    if (aliases != nullptr) {
      const Reflection* reflection = message.GetReflection();
      const int size = reflection->FieldSize(message, aliases);
      for (int i = 0; i < size; ++i) {
        std::string scratch;
        const std::string_view alias = reflection->GetRepeatedStringReference(
            message, aliases, i, &scratch);
        if (alias.empty()) continue;
        names_.push_back(
            NameEntry{&message, alias, NormalizeForSearch(alias), false});
      }
    }
  }
  std::sort(names_.begin(), names_.end(),
            [](const NameEntry& a, const NameEntry& b) {
              if (a.normalized != b.normalized) {
                return a.normalized < b.normalized;
              }
              const std::string_view a_name = NameOf(*a.resource);
              const std::string_view b_name = NameOf(*b.resource);
              if (a_name != b_name) return a_name < b_name;
              if (a.is_display_name != b.is_display_name) {
                return a.is_display_name;
              }
              return a.text < b.text;
            });
  names_.shrink_to_fit();
  // Views into names_[i].normalized: names_ must not change from here on.
  for (int pass = 0; pass < 2; ++pass) {
    for (uint32_t i = 0; i < names_.size(); ++i) {
      std::vector<std::string_view> tokens = SplitTokens(names_[i].normalized);
      std::sort(tokens.begin(), tokens.end());
      tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
      for (std::string_view token : tokens) {
        if (pass == 0) {
          names_by_token_.Count(token);
        } else {
          names_by_token_.Add(token, i);
        }
      }
    }
    if (pass == 0) names_by_token_.Allocate();
  }
}

// ---- Reading --------------------------------------------------------------

const Message* Snapshot::Find(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : resources_[it->second].message;
}

absl::Span<const Message* const> Snapshot::Resources(
    const Collection& collection) const {
  const std::vector<Collection>& all = AllCollections();
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].descriptor == collection.descriptor) return by_collection_[i];
  }
  return {};
}

v1::Fact Snapshot::GetFact(FactIndex index) const {
  const FactRecord& record = facts_[index];
  const ResourceEntry& resource = resources_[record.resource];
  const FieldPath& path = paths_[record.path];
  v1::Fact fact;
  fact.set_subject(std::string(resource.name));
  fact.set_predicate(path.predicate);
  fact.set_path(path.text);
  *fact.mutable_object() = FactValueAt(*resource.message, path.steps);
  for (const v1::Citation* citation :
       CoveringCitations(*resource.message, path.text)) {
    *fact.add_citations() = *citation;
  }
  fact.set_subject_display_name(std::string(DisplayNameOf(*resource.message)));
  return fact;
}

const Message& Snapshot::FactResource(FactIndex index) const {
  return *resources_[facts_[index].resource].message;
}

std::string_view Snapshot::FactSubject(FactIndex index) const {
  return resources_[facts_[index].resource].name;
}

std::string_view Snapshot::FactPredicate(FactIndex index) const {
  return paths_[facts_[index].path].predicate;
}

std::string_view Snapshot::FactPath(FactIndex index) const {
  return paths_[facts_[index].path].text;
}

std::string Snapshot::FactObjectKey(FactIndex index) const {
  const FactRecord& record = facts_[index];
  return ObjectKey(FactValueAt(*resources_[record.resource].message,
                               paths_[record.path].steps));
}

absl::Span<const FactIndex> Snapshot::FactsBySubject(
    std::string_view subject) const {
  const auto it = by_name_.find(subject);
  if (it == by_name_.end()) return EmptySpan();
  const ResourceEntry& entry = resources_[it->second];
  return absl::MakeConstSpan(all_fact_indexes_.data() + entry.first_fact,
                             entry.end_fact - entry.first_fact);
}

absl::Span<const FactIndex> Snapshot::FactsByPredicate(
    std::string_view predicate) const {
  return facts_by_predicate_.Lookup(predicate);
}

absl::Span<const FactIndex> Snapshot::FactsByObject(
    std::string_view object_key) const {
  return facts_by_object_.Lookup(object_key);
}

absl::Span<const FactIndex> Snapshot::FactsByDocument(
    std::string_view document) const {
  return facts_by_document_.Lookup(document);
}

absl::Span<const FactIndex> Snapshot::LinksFrom(std::string_view name) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return EmptySpan();
  const auto [first, end] = links_from_range_[it->second];
  return absl::MakeConstSpan(links_.data() + first, end - first);
}

absl::Span<const FactIndex> Snapshot::LinksTo(std::string_view name) const {
  return links_to_.Lookup(name);
}

absl::Span<const uint32_t> Snapshot::NameEntriesWithToken(
    std::string_view normalized_token) const {
  return names_by_token_.Lookup(normalized_token);
}

}  // namespace factgraph::store
