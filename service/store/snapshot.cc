#include "service/store/snapshot.h"

#include <algorithm>
#include <cstring>
#include <thread>
#include <utility>

#include "absl/base/macros.h"
#include "absl/strings/str_cat.h"
#include "service/store/digest.h"
#include "service/store/facts.h"
#include "service/store/snapshot_format.h"
#include "service/store/support_check.h"
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

void Snapshot::PostingIndex::Build(absl::Span<const std::string_view> keys,
                                   absl::Span<const uint32_t> groups,
                                   absl::Span<const uint32_t> values) {
  std::vector<uint32_t> begin(keys.size() + 1, 0);
  for (uint32_t group : groups) ++begin[group + 1];
  size_t non_empty = 0;
  for (size_t g = 0; g < keys.size(); ++g) {
    if (begin[g + 1] > 0) ++non_empty;
    begin[g + 1] += begin[g];
  }
  ranges_.reserve(non_empty);
  for (size_t g = 0; g < keys.size(); ++g) {
    if (begin[g + 1] > begin[g]) {
      ranges_.emplace(keys[g],
                      std::make_pair(begin[g], begin[g + 1] - begin[g]));
    }
  }
  values_.resize(groups.size());
  for (size_t i = 0; i < groups.size(); ++i) {
    values_[begin[groups[i]]++] =
        values.empty() ? static_cast<uint32_t>(i) : values[i];
  }
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

void Snapshot::IndexAll() {
  IndexResources();
  // The name index reads only the knowledge base (immutable by now) and
  // writes only its own members: it can run beside the fact index.
  std::thread names([this] { IndexNames(); });
  IndexFacts();
  names.join();
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
      resources_.push_back(ResourceEntry{name, &message, {}, 0, 0});
      kb_order.push_back(kb_start[collection - AllCollections().data()] +
                         static_cast<uint32_t>(i));
    }
  }
  AttachWireBytes(kb_order);
}

void Snapshot::AttachWireBytes(const std::vector<uint32_t>& kb_order) {
  if (stored_.resources.size() == resources_.size()) {
    for (size_t r = 0; r < resources_.size(); ++r) {
      resources_[r].wire_bytes = stored_.resources[kb_order[r]];
    }
    stored_.resources = {};
    return;
  }
  stored_.resources = {};
  std::vector<size_t> ends;
  ends.reserve(resources_.size());
  for (const ResourceEntry& entry : resources_) {
    snapshot_format::AppendResourceBytes(*entry.message, &owned_wire_bytes_);
    ends.push_back(owned_wire_bytes_.size());
  }
  owned_wire_bytes_.shrink_to_fit();
  size_t begin = 0;
  for (size_t r = 0; r < resources_.size(); ++r) {
    resources_[r].wire_bytes =
        std::string_view(owned_wire_bytes_).substr(begin, ends[r] - begin);
    begin = ends[r];
  }
}

uint32_t Snapshot::InternPath(absl::Span<const PathStep> steps) {
  // The key is built field by field: PathStep has padding after `index`,
  // whose bytes are indeterminate, so hashing the structs' raw bytes could
  // intern one path twice (valgrind reported the read).
  std::string key;
  key.reserve(steps.size() *
              (sizeof(PathStep::field) + sizeof(PathStep::index)));
  for (const PathStep& step : steps) {
    key.append(reinterpret_cast<const char*>(&step.field), sizeof(step.field));
    key.append(reinterpret_cast<const char*>(&step.index), sizeof(step.index));
  }
  const auto it = path_ids_.find(key);
  if (it != path_ids_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(paths_.size());
  path_ids_.emplace(std::move(key), id);
  paths_.push_back(MakeFieldPath(steps));
  return id;
}

void Snapshot::ResolvePathAccess() {
  google::protobuf::MessageFactory* factory =
      google::protobuf::MessageFactory::generated_factory();
  path_access_.clear();
  path_access_.reserve(paths_.size());
  for (const FieldPath& path : paths_) {
    PathAccess& access = path_access_.emplace_back();
    for (const PathStep& step : path.steps) {
      access.reflections.push_back(
          factory->GetPrototype(step.field->containing_type())
              ->GetReflection());
    }
    const ResourceFields& fields =
        FieldsOf(path.steps.front().field->containing_type());
    access.display_name = fields.display_name;
    access.citations = fields.citations;
  }
}

const Message& Snapshot::FactLeafParent(const FactRecord& record) const {
  const FieldPath& path = paths_[record.path];
  const PathAccess& access = path_access_[record.path];
  const Message* message = resources_[record.resource].message;
  for (size_t i = 0; i + 1 < path.steps.size(); ++i) {
    const PathStep& step = path.steps[i];
    const Reflection* reflection = access.reflections[i];
    message = step.index >= 0 ? &reflection->GetRepeatedMessage(
                                    *message, step.field, step.index)
                              : &reflection->GetMessage(*message, step.field);
  }
  return *message;
}

std::string_view Snapshot::ObjectKeyView(FactIndex index) {
  std::string scratch;
  const std::string_view key = FactObjectKey(index, &scratch);
  // A key computed into `scratch` must outlive this call.
  if (key.data() != scratch.data()) return key;
  return *computed_keys_.insert(std::move(scratch)).first;
}

void Snapshot::IndexFacts() {
  // Every index is built from dense group ids, so that each distinct key is
  // hashed once while collecting and once more for its index entry.
  std::vector<std::string_view> object_keys;
  absl::flat_hash_map<std::string_view, uint32_t> object_ids;
  std::vector<uint32_t> fact_objects;
  std::vector<std::string_view> documents;
  absl::flat_hash_map<std::string_view, uint32_t> document_ids;
  std::vector<uint32_t> document_groups, document_facts;
  std::vector<uint32_t> link_groups;
  std::vector<uint32_t> covering;            // Documents of one fact.
  std::vector<uint32_t> citation_documents;  // Per citation of one resource.

  // The facts first, so that the per-fact arrays are allocated once at their
  // size and the object-key map does not rehash its (scattered) keys again
  // and again as it grows.
  for (uint32_t r = 0; r < resources_.size(); ++r) {
    ResourceEntry& entry = resources_[r];
    entry.first_fact = static_cast<FactIndex>(facts_.size());
    ForEachFactPath(*entry.message, [&](absl::Span<const PathStep> steps) {
      facts_.push_back(FactRecord{r, InternPath(steps)});
    });
    entry.end_fact = static_cast<FactIndex>(facts_.size());
  }
  facts_.shrink_to_fit();
  // Every path is interned now; the object keys below read facts through it.
  ResolvePathAccess();
  fact_objects.reserve(facts_.size());
  covering_citations_.reserve(facts_.size());
  // About one distinct object per four facts in the synthetic knowledge
  // bases (148,458 for 540,199 facts at 100k); a wrong guess only costs a
  // rehash or some transient memory.
  object_ids.reserve(facts_.size() / 4);

  for (uint32_t r = 0; r < resources_.size(); ++r) {
    const ResourceEntry& entry = resources_[r];
    const Message& resource = *entry.message;
    const FieldDescriptor* citations =
        FieldsOf(resource.GetDescriptor()).citations;
    const int citation_count =
        citations ? resource.GetReflection()->FieldSize(resource, citations)
                  : 0;
    // Each citation's document is looked up once per resource, not once per
    // fact it covers: the hash lookups (and the key comparisons at scattered
    // addresses) were most of the cost of loading a large snapshot.
    citation_documents.clear();
    for (int c = 0; c < citation_count; ++c) {
      const std::string& document =
          CitationAt(resource, citations, c).document();
      const auto [it, new_document] = document_ids.try_emplace(
          document, static_cast<uint32_t>(documents.size()));
      if (new_document) documents.push_back(document);
      citation_documents.push_back(it->second);
    }
    for (FactIndex i = entry.first_fact; i < entry.end_fact; ++i) {
      const std::string_view key = ObjectKeyView(i);
      const auto [object, inserted] = object_ids.try_emplace(
          key, static_cast<uint32_t>(object_keys.size()));
      if (inserted) object_keys.push_back(key);
      fact_objects.push_back(object->second);
      const FieldPath& path = paths_[facts_[i].path];
      if (IsReference(path)) {
        links_.push_back(i);
        link_groups.push_back(object->second);
      }

      covering.clear();
      uint32_t covering_mask =
          citation_count > kMaxMaskedCitations ? kCoveringNotMasked : 0;
      for (int c = 0; c < citation_count; ++c) {
        const v1::Citation& citation = CitationAt(resource, citations, c);
        bool covers = false;
        for (const std::string& citation_path : citation.field_paths()) {
          if (PathCovers(citation_path, path.text)) {
            covers = true;
            break;
          }
        }
        if (!covers) continue;
        if (c < kMaxMaskedCitations) covering_mask |= uint32_t{1} << c;
        const uint32_t document = citation_documents[c];
        if (std::find(covering.begin(), covering.end(), document) ==
            covering.end()) {
          covering.push_back(document);
          document_groups.push_back(document);
          document_facts.push_back(i);
        }
      }
      covering_citations_.push_back(covering_mask);
    }
  }
  covering_citations_.shrink_to_fit();
  object_ids = {};
  const FactIndex count = static_cast<FactIndex>(facts_.size());
  all_fact_indexes_.resize(count);
  for (FactIndex i = 0; i < count; ++i) all_fact_indexes_[i] = i;

  facts_by_object_.Build(object_keys, fact_objects, {});
  fact_objects = {};
  facts_by_document_.Build(documents, document_groups, document_facts);

  std::vector<std::string_view> predicates;
  absl::flat_hash_map<std::string_view, uint32_t> predicate_ids;
  std::vector<uint32_t> path_predicates;
  for (const FieldPath& path : paths_) {
    const auto [it, inserted] = predicate_ids.try_emplace(
        path.predicate, static_cast<uint32_t>(predicates.size()));
    if (inserted) predicates.push_back(path.predicate);
    path_predicates.push_back(it->second);
  }
  std::vector<uint32_t> fact_predicates(count);
  for (FactIndex i = 0; i < count; ++i) {
    fact_predicates[i] = path_predicates[facts_[i].path];
  }
  facts_by_predicate_.Build(predicates, fact_predicates, {});

  links_.shrink_to_fit();
  links_to_.Build(object_keys, link_groups, links_);
  // Dangling references: each distinct target is looked up once.
  std::vector<int8_t> target_known(object_keys.size(), -1);
  for (size_t l = 0; l < links_.size() && integrity_problems_.size() < 20;
       ++l) {
    int8_t& known = target_known[link_groups[l]];
    if (known < 0) known = by_name_.contains(object_keys[link_groups[l]]);
    if (known) continue;
    const FactRecord& record = facts_[links_[l]];
    integrity_problems_.push_back(absl::StrCat(
        std::string(resources_[record.resource].name), " ",
        paths_[record.path].text, ": reference to unknown entity \"",
        std::string(object_keys[link_groups[l]]), "\""));
  }

  links_from_range_.resize(resources_.size());
  size_t next_link = 0;
  for (uint32_t r = 0; r < resources_.size(); ++r) {
    const uint32_t first = static_cast<uint32_t>(next_link);
    while (next_link < links_.size() &&
           links_[next_link] < resources_[r].end_fact) {
      ++next_link;
    }
    links_from_range_[r] = {first, static_cast<uint32_t>(next_link)};
  }
}

namespace {

// The first 8 bytes of `text`, big-endian, zero-padded: comparing two of
// these orders texts as their bytes do, as long as the texts hold no NUL
// byte (normalised text never does) and the prefixes differ.
uint64_t OrderPrefix(std::string_view text) {
  uint64_t prefix = 0;
  for (size_t i = 0; i < sizeof(prefix); ++i) {
    prefix <<= 8;
    if (i < text.size()) prefix |= static_cast<unsigned char>(text[i]);
  }
  return prefix;
}

}  // namespace

void Snapshot::IndexNames() {
  // Every normalised text goes into one buffer (the entries' views are set
  // once it stops growing): a std::string per name cost an allocation and a
  // scattered read per comparison of the sort.
  std::string buffer;
  std::vector<std::pair<size_t, size_t>> normalized_ranges;
  const auto add = [&](const Message& message, std::string_view resource_name,
                       std::string_view text, bool is_display_name) {
    const std::string normalized = NormalizeForSearch(text);
    normalized_ranges.emplace_back(buffer.size(), normalized.size());
    buffer.append(normalized);
    names_.push_back(
        NameEntry{&message, resource_name, text, {}, is_display_name});
  };
  // Counted first: growing a vector of a million and a half entries by
  // doubling would hold two copies at once.
  size_t count = 0;
  for (const ResourceEntry& entry : resources_) {
    const Message& message = *entry.message;
    const ResourceFields& fields = FieldsOf(message.GetDescriptor());
    count += 1;  // The display name, if set.
    if (fields.aliases != nullptr) {
      count += message.GetReflection()->FieldSize(message, fields.aliases);
    }
  }
  names_.reserve(count);
  normalized_ranges.reserve(count);
  for (const ResourceEntry& entry : resources_) {
    const Message& message = *entry.message;
    const ResourceFields& fields = FieldsOf(message.GetDescriptor());
    const std::string_view display = StringView(message, fields.display_name);
    if (!display.empty()) add(message, entry.name, display, true);
    const FieldDescriptor* aliases = fields.aliases;
    if (aliases != nullptr) {
      const Reflection* reflection = message.GetReflection();
      const int size = reflection->FieldSize(message, aliases);
      for (int i = 0; i < size; ++i) {
        std::string scratch;
        const std::string_view alias = reflection->GetRepeatedStringReference(
            message, aliases, i, &scratch);
        if (alias.empty()) continue;
        add(message, entry.name, alias, false);
      }
    }
  }
  buffer.shrink_to_fit();
  normalized_names_ = std::move(buffer);
  for (size_t i = 0; i < names_.size(); ++i) {
    names_[i].normalized =
        std::string_view(normalized_names_)
            .substr(normalized_ranges[i].first, normalized_ranges[i].second);
  }
  normalized_ranges = {};

  // Sorting (prefix, position) pairs: most comparisons are decided by the
  // prefix, without reading the entries' text.
  std::vector<std::pair<uint64_t, uint32_t>> order(names_.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    order[i] = {OrderPrefix(names_[i].normalized), i};
  }
  std::sort(order.begin(), order.end(),
            [this](const std::pair<uint64_t, uint32_t>& x,
                   const std::pair<uint64_t, uint32_t>& y) {
              if (x.first != y.first) return x.first < y.first;
              const NameEntry& a = names_[x.second];
              const NameEntry& b = names_[y.second];
              if (a.normalized != b.normalized) {
                return a.normalized < b.normalized;
              }
              if (a.resource_name != b.resource_name) {
                return a.resource_name < b.resource_name;
              }
              if (a.is_display_name != b.is_display_name) {
                return a.is_display_name;
              }
              return a.text < b.text;
            });
  // Entry k of the result is entry order[k].second of names_: permuted in
  // place, cycle by cycle, so that a second copy of a million and a half
  // entries never exists.
  constexpr uint32_t kPlaced = UINT32_MAX;
  for (size_t start = 0; start < order.size(); ++start) {
    if (order[start].second == kPlaced) continue;
    const NameEntry first = names_[start];
    size_t k = start;
    while (true) {
      const uint32_t from = order[k].second;
      order[k].second = kPlaced;
      if (from == start) {
        names_[k] = first;
        break;
      }
      names_[k] = names_[from];
      k = from;
    }
  }
  order = {};

  // Token keys are views into normalized_names_, which no longer changes.
  std::vector<std::string_view> tokens;
  absl::flat_hash_map<std::string_view, uint32_t> token_ids;
  std::vector<uint32_t> groups, entries;
  std::vector<std::string_view> entry_tokens;
  for (uint32_t i = 0; i < names_.size(); ++i) {
    entry_tokens = SplitTokens(names_[i].normalized);
    std::sort(entry_tokens.begin(), entry_tokens.end());
    entry_tokens.erase(std::unique(entry_tokens.begin(), entry_tokens.end()),
                       entry_tokens.end());
    for (std::string_view token : entry_tokens) {
      const auto [it, inserted] =
          token_ids.try_emplace(token, static_cast<uint32_t>(tokens.size()));
      if (inserted) tokens.push_back(token);
      groups.push_back(it->second);
      entries.push_back(i);
    }
  }
  names_by_token_.Build(tokens, groups, entries);
}

// ---- Reading --------------------------------------------------------------

const Message* Snapshot::Find(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : resources_[it->second].message;
}

std::string_view Snapshot::WireBytes(const Message& resource) const {
  const auto it = by_name_.find(NameOf(resource));
  if (it == by_name_.end() || resources_[it->second].message != &resource) {
    return {};
  }
  return resources_[it->second].wire_bytes;
}

const Message& Snapshot::ResourceAt(size_t i) const {
  ABSL_HARDENING_ASSERT(i < resources_.size());
  return *resources_[i].message;
}

std::string_view Snapshot::ResourceNameAt(size_t i) const {
  ABSL_HARDENING_ASSERT(i < resources_.size());
  return resources_[i].name;
}

std::string_view Snapshot::WireBytesAt(size_t i) const {
  ABSL_HARDENING_ASSERT(i < resources_.size());
  return resources_[i].wire_bytes;
}

std::optional<size_t> Snapshot::ResourceIndex(std::string_view name) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
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
    if (all[i].descriptor == collection.descriptor) return by_collection_[i];
  }
  return {};
}

v1::Fact Snapshot::GetFact(FactIndex index) const {
  v1::Fact fact;
  GetFact(index, &fact);
  return fact;
}

void Snapshot::GetFact(FactIndex index, v1::Fact* fact) const {
  ABSL_HARDENING_ASSERT(index < facts_.size());
  const FactRecord& record = facts_[index];
  const ResourceEntry& entry = resources_[record.resource];
  const FieldPath& path = paths_[record.path];
  const PathAccess& access = path_access_[record.path];
  const Message& resource = *entry.message;
  const Reflection& reflection = *access.reflections.front();
  // assign() and operator= copy into the strings' existing buffers; the
  // generated setters taking a pointer and a size would build a temporary.
  fact->mutable_subject()->assign(entry.name.data(), entry.name.size());
  *fact->mutable_predicate() = path.predicate;
  *fact->mutable_path() = path.text;
  SetLeafValue(FactLeafParent(record), *access.reflections.back(),
               path.steps.back(), fact->mutable_object());
  // Clear() keeps the citation messages for the Add()s below to reuse.
  fact->mutable_citations()->Clear();
  if (access.citations != nullptr) {
    // One reflection call for the whole list, not two per citation.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    const google::protobuf::RepeatedPtrField<v1::Citation>& citations =
        reflection.GetRepeatedPtrField<v1::Citation>(resource,
                                                     access.citations);
#pragma GCC diagnostic pop
    const uint32_t mask = covering_citations_[index];
    if ((mask & kCoveringNotMasked) == 0) {
      for (uint32_t rest = mask; rest != 0; rest &= rest - 1) {
        *fact->add_citations() = citations.Get(__builtin_ctz(rest));
      }
    } else {
      for (const v1::Citation* citation :
           CoveringCitations(resource, path.text)) {
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
      access.display_name == nullptr
          ? scratch
          : reflection.GetStringReference(resource, access.display_name,
                                          &scratch);
  *fact->mutable_subject_display_name() = display_name;
}

const Message& Snapshot::FactResource(FactIndex index) const {
  ABSL_HARDENING_ASSERT(index < facts_.size());
  return *resources_[facts_[index].resource].message;
}

std::string_view Snapshot::FactSubject(FactIndex index) const {
  ABSL_HARDENING_ASSERT(index < facts_.size());
  return resources_[facts_[index].resource].name;
}

std::string_view Snapshot::FactPredicate(FactIndex index) const {
  ABSL_HARDENING_ASSERT(index < facts_.size());
  return paths_[facts_[index].path].predicate;
}

std::string_view Snapshot::FactPath(FactIndex index) const {
  ABSL_HARDENING_ASSERT(index < facts_.size());
  return paths_[facts_[index].path].text;
}

std::string Snapshot::FactObjectKey(FactIndex index) const {
  std::string scratch;
  return std::string(FactObjectKey(index, &scratch));
}

std::string_view Snapshot::FactObjectKey(FactIndex index,
                                         std::string* scratch) const {
  ABSL_HARDENING_ASSERT(index < facts_.size());
  const FactRecord& record = facts_[index];
  const PathAccess& access = path_access_[record.path];
  const Message& parent = FactLeafParent(record);
  const Reflection& reflection = *access.reflections.back();
  const PathStep& leaf = paths_[record.path].steps.back();
  const FieldDescriptor* field = leaf.field;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return leaf.index >= 0
                 ? reflection.GetRepeatedStringReference(parent, field,
                                                         leaf.index, scratch)
                 : reflection.GetStringReference(parent, field, scratch);
    case FieldDescriptor::CPPTYPE_ENUM:
      return (leaf.index >= 0
                  ? reflection.GetRepeatedEnum(parent, field, leaf.index)
                  : reflection.GetEnum(parent, field))
          ->name();
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      static const Descriptor* const entity_ref = v1::EntityRef::descriptor();
      if (field->message_type() == entity_ref) {
        const Message& ref =
            leaf.index >= 0
                ? reflection.GetRepeatedMessage(parent, field, leaf.index)
                : reflection.GetMessage(parent, field);
        return static_cast<const v1::EntityRef&>(ref).name();
      }
      break;
    }
    default:
      break;
  }
  v1::FactValue value;
  SetLeafValue(parent, reflection, leaf, &value);
  *scratch = ObjectKey(value);
  return *scratch;
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
