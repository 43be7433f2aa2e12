#include "service/store/snapshot_index_builder.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "factgraph/v1/fact.pb.h"
#include "service/store/facts.h"
#include "service/store/resource_fields.h"
#include "service/store/text_normalizer.h"

namespace factgraph::store {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

namespace {

// Offsets are 32-bit, as they would be in a file section: a knowledge base
// whose keys of one index exceed 4 GiB cannot be indexed.
uint32_t CheckedOffset(size_t offset) {
  if (offset > UINT32_MAX) {
    std::fprintf(stderr,
                 "factgraph: an index's keys exceed 4 GiB; the snapshot "
                 "cannot be indexed\n");
    std::abort();
  }
  return static_cast<uint32_t>(offset);
}

const v1::Citation& CitationAt(const Message& resource,
                               const FieldDescriptor* citations, int index) {
  return static_cast<const v1::Citation&>(
      resource.GetReflection()->GetRepeatedMessage(resource, citations, index));
}

int CitationCount(const Message& resource) {
  const FieldDescriptor* citations =
      FieldsOf(resource.GetDescriptor()).citations;
  return citations == nullptr
             ? 0
             : resource.GetReflection()->FieldSize(resource, citations);
}

bool CitationCovers(const v1::Citation& citation, std::string_view fact_path) {
  for (const std::string& citation_path : citation.field_paths()) {
    if (PathCovers(citation_path, fact_path)) return true;
  }
  return false;
}

bool IsReference(const FieldPath& path) {
  const FieldDescriptor* leaf = path.steps.back().field;
  return leaf->type() == FieldDescriptor::TYPE_MESSAGE &&
         leaf->message_type() == v1::EntityRef::descriptor();
}

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

InternedPath ResolvePath(FieldPath path) {
  google::protobuf::MessageFactory* factory =
      google::protobuf::MessageFactory::generated_factory();
  InternedPath interned;
  for (const PathStep& step : path.steps) {
    interned.reflections.push_back(
        factory->GetPrototype(step.field->containing_type())->GetReflection());
  }
  const ResourceFields& fields =
      FieldsOf(path.steps.front().field->containing_type());
  interned.display_name = fields.display_name;
  interned.citations = fields.citations;
  interned.path = std::move(path);
  return interned;
}

// ---- Generic pieces -------------------------------------------------------

KeyTableWriter::KeyTableWriter(size_t expected_keys) {
  // At most 3/4 full, so that probe sequences stay short.
  size_t capacity = 16;
  while (capacity * 3 < expected_keys * 4) capacity *= 2;
  table_.slots.assign(capacity, KeyTable::Slot{0, KeyTable::kNotFound, 0, 0});
  table_.keys.offsets.reserve(expected_keys + 1);
}

KeyTable::Slot& KeyTableWriter::SlotFor(std::string_view key, uint32_t hash) {
  const size_t mask = table_.slots.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    KeyTable::Slot& slot = table_.slots[i];
    if (slot.id == KeyTable::kNotFound) return slot;
    if (slot.hash == hash && slot.key_size == key.size() &&
        std::memcmp(table_.keys.bytes.data() + slot.key_begin, key.data(),
                    key.size()) == 0) {
      return slot;
    }
  }
}

uint32_t KeyTableWriter::Append(std::string_view key, uint32_t hash,
                                KeyTable::Slot* slot) {
  StringTable& keys = table_.keys;
  const uint32_t id = static_cast<uint32_t>(keys.size());
  if (slot != nullptr) {
    *slot = KeyTable::Slot{hash, id, CheckedOffset(keys.bytes.size()),
                           static_cast<uint32_t>(key.size())};
    ++occupied_;
  }
  keys.bytes.append(key);
  keys.offsets.push_back(CheckedOffset(keys.bytes.size()));
  return id;
}

uint32_t KeyTableWriter::Intern(std::string_view key) {
  if ((occupied_ + 1) * 4 > table_.slots.size() * 3) Grow();
  const uint32_t hash = KeyTable::Hash32(key);
  KeyTable::Slot& slot = SlotFor(key, hash);
  if (slot.id != KeyTable::kNotFound) return slot.id;
  return Append(key, hash, &slot);
}

bool KeyTableWriter::Add(std::string_view key) {
  if ((occupied_ + 1) * 4 > table_.slots.size() * 3) Grow();
  const uint32_t hash = KeyTable::Hash32(key);
  KeyTable::Slot& slot = SlotFor(key, hash);
  const bool is_new = slot.id == KeyTable::kNotFound;
  Append(key, hash, is_new ? &slot : nullptr);
  return is_new;
}

void KeyTableWriter::Grow() {
  // Slots carry their hash: growing moves them without reading any key.
  std::vector<KeyTable::Slot> old = std::move(table_.slots);
  table_.slots.assign(old.size() * 2,
                      KeyTable::Slot{0, KeyTable::kNotFound, 0, 0});
  const size_t mask = table_.slots.size() - 1;
  for (const KeyTable::Slot& slot : old) {
    if (slot.id == KeyTable::kNotFound) continue;
    size_t i = slot.hash & mask;
    while (table_.slots[i].id != KeyTable::kNotFound) i = (i + 1) & mask;
    table_.slots[i] = slot;
  }
}

KeyTable KeyTableWriter::Finish() && {
  table_.keys.bytes.shrink_to_fit();
  table_.keys.offsets.shrink_to_fit();
  return std::move(table_);
}

PostingLists BuildPostingLists(size_t key_count,
                               absl::Span<const uint32_t> groups,
                               absl::Span<const uint32_t> values) {
  PostingLists lists;
  std::vector<uint32_t>& begins = lists.begins;
  begins.assign(key_count + 1, 0);
  for (uint32_t group : groups) ++begins[group + 1];
  for (size_t k = 0; k < key_count; ++k) begins[k + 1] += begins[k];
  lists.values.resize(groups.size());
  // Filled through a moving copy of the begins, which stay as they are.
  std::vector<uint32_t> next(begins.begin(), begins.end() - 1);
  for (size_t i = 0; i < groups.size(); ++i) {
    lists.values[next[groups[i]]++] =
        values.empty() ? static_cast<uint32_t>(i) : values[i];
  }
  return lists;
}

// ---- The indexes ----------------------------------------------------------

void BuildStoreIndexes(Resources resources, StoreIndexes* indexes,
                       std::vector<std::string>* integrity_problems) {
  BuildResourceTable(resources, indexes, integrity_problems);
  // The name index reads only the resources and the resource table and
  // writes only its own members: it can run beside the fact indexes.
  std::thread names(
      [resources, indexes] { BuildNameIndex(resources, indexes); });
  BuildFactRecords(resources, indexes);
  BuildCoveringCitations(resources, indexes);
  BuildFactsByPredicate(indexes);
  const std::vector<uint32_t> fact_objects =
      BuildFactsByObject(resources, indexes);
  BuildFactsByDocument(resources, indexes);
  BuildLinks(fact_objects, indexes, integrity_problems);
  names.join();
}

void BuildResourceTable(Resources resources, StoreIndexes* indexes,
                        std::vector<std::string>* integrity_problems) {
  KeyTableWriter names(resources.size());
  for (const Message* resource : resources) {
    const std::string_view name = NameOf(*resource);
    // A validated knowledge base has no duplicates; should one slip
    // through, the first keeps the name.
    if (!names.Add(name) &&
        integrity_problems->size() < kMaxIntegrityProblems) {
      integrity_problems->push_back(
          absl::StrCat("duplicate name \"", std::string(name), "\""));
    }
  }
  indexes->resource_names = std::move(names).Finish();
}

void BuildFactRecords(Resources resources, StoreIndexes* indexes) {
  // Key: each step's field pointer and index, as bytes (field descriptors
  // are unique per message type, so the steps identify the type too). Built
  // field by field: PathStep has padding after `index`, whose bytes are
  // indeterminate, so hashing the structs' raw bytes could intern one path
  // twice (valgrind reported the read).
  absl::flat_hash_map<std::string, uint32_t> path_ids;
  std::vector<FieldPath> paths;
  std::string key;
  const auto intern = [&](absl::Span<const PathStep> steps) {
    key.clear();
    for (const PathStep& step : steps) {
      key.append(reinterpret_cast<const char*>(&step.field),
                 sizeof(step.field));
      key.append(reinterpret_cast<const char*>(&step.index),
                 sizeof(step.index));
    }
    const auto [it, inserted] =
        path_ids.try_emplace(key, static_cast<uint32_t>(paths.size()));
    if (inserted) paths.push_back(MakeFieldPath(steps));
    return it->second;
  };
  std::vector<FactRecord>& facts = indexes->facts;
  std::vector<FactIndex>& begins = indexes->resource_fact_begins;
  begins.assign(1, 0);
  begins.reserve(resources.size() + 1);
  for (uint32_t r = 0; r < resources.size(); ++r) {
    ForEachFactPath(*resources[r], [&](absl::Span<const PathStep> steps) {
      facts.push_back(FactRecord{r, intern(steps)});
    });
    begins.push_back(static_cast<FactIndex>(facts.size()));
  }
  facts.shrink_to_fit();
  indexes->paths.reserve(paths.size());
  for (FieldPath& path : paths) {
    indexes->paths.push_back(ResolvePath(std::move(path)));
  }
  indexes->all_facts.resize(facts.size());
  std::iota(indexes->all_facts.begin(), indexes->all_facts.end(), 0);
}

void BuildCoveringCitations(Resources resources, StoreIndexes* indexes) {
  // Matching citation paths here, once, spares every read of a fact from
  // doing it (PathCovers over every citation path on every read cost as
  // much as copying the citations).
  std::vector<uint32_t>& masks = indexes->covering_citations;
  masks.reserve(indexes->facts.size());
  for (uint32_t r = 0; r < resources.size(); ++r) {
    const Message& resource = *resources[r];
    const FieldDescriptor* citations =
        FieldsOf(resource.GetDescriptor()).citations;
    const int count = CitationCount(resource);
    for (FactIndex i = indexes->resource_fact_begins[r];
         i < indexes->resource_fact_begins[r + 1]; ++i) {
      if (count > kMaxMaskedCitations) {
        masks.push_back(kCoveringNotMasked);
        continue;
      }
      const std::string& path =
          indexes->paths[indexes->facts[i].path].path.text;
      uint32_t mask = 0;
      for (int c = 0; c < count; ++c) {
        if (CitationCovers(CitationAt(resource, citations, c), path)) {
          mask |= uint32_t{1} << c;
        }
      }
      masks.push_back(mask);
    }
  }
}

void BuildFactsByPredicate(StoreIndexes* indexes) {
  KeyTableWriter predicates;
  std::vector<uint32_t> path_predicates;
  for (const InternedPath& path : indexes->paths) {
    path_predicates.push_back(predicates.Intern(path.path.predicate));
  }
  std::vector<uint32_t> fact_predicates(indexes->facts.size());
  for (FactIndex i = 0; i < fact_predicates.size(); ++i) {
    fact_predicates[i] = path_predicates[indexes->facts[i].path];
  }
  indexes->facts_by_predicate =
      BuildPostingLists(predicates.size(), fact_predicates, {});
  indexes->predicates = std::move(predicates).Finish();
}

std::vector<uint32_t> BuildFactsByObject(Resources resources,
                                         StoreIndexes* indexes) {
  // About one distinct object per four facts in the synthetic knowledge
  // bases (148,458 for 540,199 facts at 100k); a wrong guess only costs
  // growing the slots.
  KeyTableWriter objects(indexes->facts.size() / 4);
  std::vector<uint32_t> fact_objects;
  fact_objects.reserve(indexes->facts.size());
  std::string scratch;
  for (const FactRecord& record : indexes->facts) {
    fact_objects.push_back(objects.Intern(FactObjectKeyOf(
        *resources[record.resource], indexes->paths[record.path], &scratch)));
  }
  indexes->facts_by_object =
      BuildPostingLists(objects.size(), fact_objects, {});
  indexes->object_keys = std::move(objects).Finish();
  return fact_objects;
}

void BuildFactsByDocument(Resources resources, StoreIndexes* indexes) {
  KeyTableWriter documents;
  std::vector<uint32_t> groups, facts;
  std::vector<uint32_t> citation_documents;  // Per citation of a resource.
  std::vector<uint32_t> fact_documents;      // Distinct, of one fact.
  for (uint32_t r = 0; r < resources.size(); ++r) {
    const Message& resource = *resources[r];
    const FieldDescriptor* citations =
        FieldsOf(resource.GetDescriptor()).citations;
    const int count = CitationCount(resource);
    // Each citation's document is interned once per resource, not once per
    // fact it covers.
    citation_documents.clear();
    for (int c = 0; c < count; ++c) {
      citation_documents.push_back(
          documents.Intern(CitationAt(resource, citations, c).document()));
    }
    for (FactIndex i = indexes->resource_fact_begins[r];
         i < indexes->resource_fact_begins[r + 1]; ++i) {
      const uint32_t mask = indexes->covering_citations[i];
      const std::string& path =
          indexes->paths[indexes->facts[i].path].path.text;
      fact_documents.clear();
      for (int c = 0; c < count; ++c) {
        const bool covers =
            (mask & kCoveringNotMasked) == 0
                ? (mask >> c & 1) != 0
                : CitationCovers(CitationAt(resource, citations, c), path);
        const uint32_t document = citation_documents[c];
        if (!covers || std::find(fact_documents.begin(), fact_documents.end(),
                                 document) != fact_documents.end()) {
          continue;
        }
        fact_documents.push_back(document);
        groups.push_back(document);
        facts.push_back(i);
      }
    }
  }
  indexes->facts_by_document =
      BuildPostingLists(documents.size(), groups, facts);
  indexes->documents = std::move(documents).Finish();
}

void BuildLinks(absl::Span<const uint32_t> fact_objects, StoreIndexes* indexes,
                std::vector<std::string>* integrity_problems) {
  std::vector<FactIndex>& links = indexes->links;
  std::vector<uint32_t> targets;  // Object key id per link.
  for (FactIndex i = 0; i < indexes->facts.size(); ++i) {
    if (IsReference(indexes->paths[indexes->facts[i].path].path)) {
      links.push_back(i);
      targets.push_back(fact_objects[i]);
    }
  }
  links.shrink_to_fit();
  indexes->links_to =
      BuildPostingLists(indexes->object_keys.size(), targets, links);

  // Dangling references: each distinct target is looked up once.
  std::vector<int8_t> target_known(indexes->object_keys.size(), -1);
  for (size_t l = 0;
       l < links.size() && integrity_problems->size() < kMaxIntegrityProblems;
       ++l) {
    const std::string_view target = indexes->object_keys.keys[targets[l]];
    int8_t& known = target_known[targets[l]];
    if (known < 0) {
      known = indexes->resource_names.Find(target) != KeyTable::kNotFound;
    }
    if (known) continue;
    const FactRecord& record = indexes->facts[links[l]];
    integrity_problems->push_back(absl::StrCat(
        std::string(indexes->resource_names.keys[record.resource]), " ",
        indexes->paths[record.path].path.text,
        ": reference to unknown entity \"", std::string(target), "\""));
  }

  // Links are in fact order and each resource's facts are one range, so
  // each resource's links are one range too.
  const std::vector<FactIndex>& fact_begins = indexes->resource_fact_begins;
  std::vector<uint32_t>& begins = indexes->links_from_begins;
  begins.assign(1, 0);
  begins.reserve(fact_begins.size());
  size_t next_link = 0;
  for (size_t r = 0; r + 1 < fact_begins.size(); ++r) {
    while (next_link < links.size() && links[next_link] < fact_begins[r + 1]) {
      ++next_link;
    }
    begins.push_back(static_cast<uint32_t>(next_link));
  }
}

void BuildNameIndex(Resources resources, StoreIndexes* indexes) {
  std::vector<NameEntry>& names = indexes->names;
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
    names.push_back(
        NameEntry{&message, resource_name, text, {}, is_display_name});
  };
  // Counted first: growing a vector of a million and a half entries by
  // doubling would hold two copies at once.
  size_t count = 0;
  for (const Message* message : resources) {
    const ResourceFields& fields = FieldsOf(message->GetDescriptor());
    count += 1;  // The display name, if set.
    if (fields.aliases != nullptr) {
      count += message->GetReflection()->FieldSize(*message, fields.aliases);
    }
  }
  names.reserve(count);
  normalized_ranges.reserve(count);
  for (uint32_t r = 0; r < resources.size(); ++r) {
    const Message& message = *resources[r];
    const std::string_view name = indexes->resource_names.keys[r];
    const ResourceFields& fields = FieldsOf(message.GetDescriptor());
    const std::string_view display = StringView(message, fields.display_name);
    if (!display.empty()) add(message, name, display, true);
    const FieldDescriptor* aliases = fields.aliases;
    if (aliases != nullptr) {
      const google::protobuf::Reflection* reflection = message.GetReflection();
      const int size = reflection->FieldSize(message, aliases);
      for (int i = 0; i < size; ++i) {
        std::string scratch;
        const std::string_view alias = reflection->GetRepeatedStringReference(
            message, aliases, i, &scratch);
        if (alias.empty()) continue;
        add(message, name, alias, false);
      }
    }
  }
  buffer.shrink_to_fit();
  indexes->normalized_names = std::move(buffer);
  const std::string_view normalized_names = indexes->normalized_names;
  for (size_t i = 0; i < names.size(); ++i) {
    names[i].normalized = normalized_names.substr(normalized_ranges[i].first,
                                                  normalized_ranges[i].second);
  }
  normalized_ranges = {};

  // Sorting (prefix, position) pairs: most comparisons are decided by the
  // prefix, without reading the entries' text.
  std::vector<std::pair<uint64_t, uint32_t>> order(names.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    order[i] = {OrderPrefix(names[i].normalized), i};
  }
  std::sort(order.begin(), order.end(),
            [&names](const std::pair<uint64_t, uint32_t>& x,
                     const std::pair<uint64_t, uint32_t>& y) {
              if (x.first != y.first) return x.first < y.first;
              const NameEntry& a = names[x.second];
              const NameEntry& b = names[y.second];
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
  // Entry k of the result is entry order[k].second of `names`: permuted in
  // place, cycle by cycle, so that a second copy of a million and a half
  // entries never exists.
  constexpr uint32_t kPlaced = UINT32_MAX;
  for (size_t start = 0; start < order.size(); ++start) {
    if (order[start].second == kPlaced) continue;
    const NameEntry first = names[start];
    size_t k = start;
    while (true) {
      const uint32_t from = order[k].second;
      order[k].second = kPlaced;
      if (from == start) {
        names[k] = first;
        break;
      }
      names[k] = names[from];
      k = from;
    }
  }
  order = {};

  KeyTableWriter tokens;
  std::vector<uint32_t> groups, entries;
  std::vector<std::string_view> entry_tokens;
  for (uint32_t i = 0; i < names.size(); ++i) {
    entry_tokens = SplitTokens(names[i].normalized);
    std::sort(entry_tokens.begin(), entry_tokens.end());
    entry_tokens.erase(std::unique(entry_tokens.begin(), entry_tokens.end()),
                       entry_tokens.end());
    for (std::string_view token : entry_tokens) {
      groups.push_back(tokens.Intern(token));
      entries.push_back(i);
    }
  }
  indexes->names_by_token = BuildPostingLists(tokens.size(), groups, entries);
  indexes->name_tokens = std::move(tokens).Finish();
}

}  // namespace factgraph::store
