#include "service/store/loader.h"

#include <algorithm>
#include <filesystem>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "factgraph/v1/document.pb.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "service/store/digest.h"
#include "service/store/fact_path.h"
#include "service/store/facts.h"
#include "service/store/file_reader.h"
#include "service/store/quote_matcher.h"
#include "service/store/support_check.h"
#include "service/store/utf8.h"
#include "service/store/validation.h"

namespace factgraph::store {

std::string LoadError::ToString() const {
  if (line > 0) return absl::StrCat(file, ":", line, ": ", message);
  return absl::StrCat(file, ": ", message);
}

namespace {

namespace fs = std::filesystem;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::TextFormat;

constexpr char kManifest[] = "documents.textproto";
constexpr char kDocumentsDir[] = "documents";
constexpr char kKbDir[] = "kb";

// Why a file could not be read, without its path (errors name it already).
std::string ReadProblem(const absl::Status& status) {
  const absl::string_view message = status.message();
  const size_t colon = message.rfind(": ");
  return std::string(
      colon == std::string_view::npos ? message : message.substr(colon + 2));
}

std::string Abbreviate(std::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) return std::string(text);
  return absl::StrCat(
      std::string(text.substr(0, CharacterBoundary(text, kMax))), "...");
}

class ParseErrors : public google::protobuf::io::ErrorCollector {
 public:
  ParseErrors(std::string file, std::vector<LoadError>* errors)
      : file_(std::move(file)), errors_(errors) {}
  void AddError(int line, int column, const std::string& message) override {
    errors_->push_back(LoadError{
        file_, line + 1,
        absl::StrCat("parse error at column ", column + 1, ": ", message)});
    ++count_;
  }
  void AddWarning(int line, int column, const std::string& message) override {}
  int count() const { return count_; }

 private:
  std::string file_;
  std::vector<LoadError>* errors_;
  int count_ = 0;
};

struct SourceFile {
  std::string name;  // Relative to the seeds directory.
  v1::KnowledgeBase kb;
  TextFormat::ParseInfoTree tree;
};

// Where a resource was defined.
struct ResourceSite {
  const SourceFile* file;
  const Collection* collection;
  Message* message;
  const TextFormat::ParseInfoTree* tree;  // The resource's own tree.
  int line;
};

class SeedsLoader {
 public:
  explicit SeedsLoader(std::string seeds_dir) : dir_(std::move(seeds_dir)) {}

  absl::StatusOr<std::shared_ptr<const Snapshot>> Load(
      std::vector<LoadError>* errors_out);

 private:
  void Error(const SourceFile& file, int line, std::string message) {
    errors_.push_back(LoadError{file.name, line, std::move(message)});
  }
  void ReadSources();
  void ParseSource(const std::string& relative, const fs::path& path);
  void CollectResources();
  void CheckManifestHoldsOnlyDocuments(const SourceFile& file);
  void CheckDocumentFile(const ResourceSite& site);
  void CheckValues(const ResourceSite& site);
  void CheckCitations(const ResourceSite& site);
  void CheckCoverage(const ResourceSite& site);
  void CheckSupported(const ResourceSite& site);
  static void UpgradeDeprecatedFields(const ResourceSite& site);
  void FillOutputOnly(const ResourceSite& site);
  std::shared_ptr<const Snapshot> Merge();

  static int FieldLine(const ResourceSite& site, const FieldDescriptor* field,
                       int index);
  static int PathLine(const ResourceSite& site,
                      absl::Span<const PathStep> steps);
  static std::string_view DisplayNameOf(const Message& message);

  std::string dir_;
  // dir_ with every symbolic link resolved, once, before the first file is
  // read: every file of one load comes from the same directory even if the
  // seeds link is switched meanwhile (SECURITY.md "Publishing seeds").
  fs::path root_;
  std::vector<LoadError> errors_;
  std::vector<std::unique_ptr<SourceFile>> files_;
  std::vector<ResourceSite> sites_;
  absl::flat_hash_map<std::string_view, size_t> by_name_;  // Into sites_.
  absl::flat_hash_map<std::string_view, std::unique_ptr<QuoteMatcher>>
      matchers_;
};

absl::StatusOr<std::shared_ptr<const Snapshot>> SeedsLoader::Load(
    std::vector<LoadError>* errors_out) {
  ReadSources();
  // Without a parse of every file, the cross-file checks would only add
  // noise (every reference into a broken file would look dangling).
  if (errors_.empty()) {
    CollectResources();
    for (const ResourceSite& site : sites_) {
      if (site.collection->descriptor == v1::Document::descriptor()) {
        CheckDocumentFile(site);
      }
    }
    for (const ResourceSite& site : sites_) UpgradeDeprecatedFields(site);
    for (const ResourceSite& site : sites_) {
      const size_t errors_before = errors_.size();
      CheckValues(site);
      CheckCitations(site);
      CheckCoverage(site);
      // Whether quotes state the values only makes sense once the values and
      // the citations are well-formed; otherwise it would repeat their errors.
      if (errors_.size() == errors_before) CheckSupported(site);
    }
  }
  std::stable_sort(errors_.begin(), errors_.end(),
                   [](const LoadError& a, const LoadError& b) {
                     return std::tie(a.file, a.line) < std::tie(b.file, b.line);
                   });
  if (errors_out != nullptr) *errors_out = errors_;
  if (!errors_.empty()) {
    std::vector<std::string> lines;
    lines.reserve(errors_.size());
    for (const LoadError& error : errors_) lines.push_back(error.ToString());
    return absl::InvalidArgumentError(
        absl::StrCat("the knowledge base in ", dir_, " has ", errors_.size(),
                     errors_.size() == 1 ? " problem:\n" : " problems:\n",
                     absl::StrJoin(lines, "\n")));
  }
  for (const ResourceSite& site : sites_) FillOutputOnly(site);
  return Merge();
}

void SeedsLoader::ReadSources() {
  std::error_code error;
  root_ = fs::canonical(fs::path(dir_), error);
  if (error) root_ = fs::path(dir_);
  const fs::path& root = root_;
  if (!fs::is_directory(root, error)) {
    errors_.push_back(LoadError{dir_, 0, "not a directory"});
    return;
  }
  ParseSource(std::string(kManifest), root / std::string(kManifest));
  const fs::path kb_dir = root / std::string(kKbDir);
  if (!fs::is_directory(kb_dir, error)) {
    errors_.push_back(LoadError{std::string(kKbDir), 0, "directory not found"});
    return;
  }
  std::vector<std::string> names;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(kb_dir, error)) {
    if (entry.path().extension() == ".textproto") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    ParseSource(absl::StrCat(kKbDir, "/", name), kb_dir / name);
  }
}

void SeedsLoader::ParseSource(const std::string& relative,
                              const fs::path& path) {
  // Through ReadRegularFile, so that a FIFO or device among the seeds is
  // refused instead of blocking the load (SECURITY.md "Reloads").
  absl::StatusOr<std::string> read = ReadRegularFile(path.string());
  if (!read.ok()) {
    errors_.push_back(LoadError{
        relative, 0,
        absl::StrCat("cannot read the file: ", ReadProblem(read.status()))});
    return;
  }
  std::string text = *std::move(read);
  auto file = std::make_unique<SourceFile>();
  file->name = relative;
  ParseErrors collector(relative, &errors_);
  TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(&file->tree);
  if (!parser.ParseFromString(text, &file->kb) && collector.count() == 0) {
    errors_.push_back(LoadError{relative, 0, "cannot be parsed"});
  }
  files_.push_back(std::move(file));
}

void SeedsLoader::CheckManifestHoldsOnlyDocuments(const SourceFile& file) {
  const Reflection* reflection = file.kb.GetReflection();
  for (const Collection& collection : AllCollections()) {
    if (collection.descriptor == v1::Document::descriptor()) continue;
    if (reflection->FieldSize(file.kb, collection.kb_field) == 0) continue;
    const TextFormat::ParseLocation location =
        file.tree.GetLocation(collection.kb_field, 0);
    Error(file, location.line + 1,
          absl::StrCat("the manifest holds only documents; ",
                       std::string(collection.id), " belong in ", kKbDir, "/"));
  }
}

void SeedsLoader::CollectResources() {
  for (const std::unique_ptr<SourceFile>& file : files_) {
    if (file->name == std::string_view(kManifest))
      CheckManifestHoldsOnlyDocuments(*file);
    const Reflection* reflection = file->kb.GetReflection();
    for (const Collection& collection : AllCollections()) {
      const int size = reflection->FieldSize(file->kb, collection.kb_field);
      for (int i = 0; i < size; ++i) {
        const TextFormat::ParseLocation location =
            file->tree.GetLocation(collection.kb_field, i);
        ResourceSite site{file.get(), &collection,
                          reflection->MutableRepeatedMessage(
                              &file->kb, collection.kb_field, i),
                          file->tree.GetTreeForNested(collection.kb_field, i),
                          location.line + 1};
        const FieldDescriptor* name_field =
            collection.descriptor->FindFieldByName("name");
        std::string scratch;
        const std::string& name =
            site.message->GetReflection()->GetStringReference(
                *site.message, name_field, nullptr);
        if (name.empty()) {
          Error(*file, site.line, "resource has no name");
          continue;
        }
        const absl::Status problem = CheckResourceName(collection, name);
        if (!problem.ok()) {
          Error(*file, FieldLine(site, name_field, -1),
                std::string(problem.message()));
          continue;
        }
        const auto [it, inserted] = by_name_.try_emplace(name, sites_.size());
        if (!inserted) {
          const ResourceSite& first = sites_[it->second];
          Error(*file, FieldLine(site, name_field, -1),
                absl::StrCat("duplicate name \"", name, "\"; first defined at ",
                             first.file->name, ":",
                             FieldLine(first, name_field, -1)));
          continue;
        }
        sites_.push_back(site);
      }
    }
  }
}

int SeedsLoader::FieldLine(const ResourceSite& site,
                           const FieldDescriptor* field, int index) {
  const int line = LocateField(site.tree, field, index);
  return line >= 0 ? line + 1 : site.line;
}

int SeedsLoader::PathLine(const ResourceSite& site,
                          absl::Span<const PathStep> steps) {
  const TextFormat::ParseInfoTree* tree = site.tree;
  int line = site.line;
  for (size_t i = 0; i < steps.size() && tree != nullptr; ++i) {
    const int located = LocateField(tree, steps[i].field, steps[i].index);
    if (located >= 0) line = located + 1;
    if (i + 1 < steps.size()) {
      tree = tree->GetTreeForNested(steps[i].field, steps[i].index);
    }
  }
  return line;
}

std::string_view SeedsLoader::DisplayNameOf(const Message& message) {
  const FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName("display_name");
  if (field == nullptr || field->type() != FieldDescriptor::TYPE_STRING) {
    return {};
  }
  std::string scratch;
  return message.GetReflection()->GetStringReference(message, field, &scratch);
}

void SeedsLoader::CheckDocumentFile(const ResourceSite& site) {
  auto* document = static_cast<v1::Document*>(site.message);
  const Descriptor* descriptor = v1::Document::descriptor();
  const int file_line =
      FieldLine(site, descriptor->FindFieldByName("file_name"), -1);
  const std::string& file_name = document->file_name();
  if (file_name.empty()) {
    Error(*site.file, site.line, "file_name is empty");
    return;
  }
  if (file_name.find('/') != std::string::npos || file_name == "." ||
      file_name == "..") {
    Error(*site.file, file_line,
          absl::StrCat("file_name \"", file_name,
                       "\" must be a plain file name inside ", kDocumentsDir,
                       "/"));
    return;
  }
  const std::string relative = absl::StrCat(kDocumentsDir, "/", file_name);
  absl::StatusOr<std::string> read =
      ReadRegularFile((root_ / relative).string());
  if (!read.ok()) {
    Error(*site.file, file_line,
          absl::IsNotFound(read.status())
              ? absl::StrCat("document file ", relative, " not found")
              : absl::StrCat("document file ", relative,
                             " cannot be read: ", ReadProblem(read.status())));
    return;
  }
  std::string content = *std::move(read);
  if (static_cast<int64_t>(content.size()) != document->size_bytes()) {
    Error(*site.file,
          FieldLine(site, descriptor->FindFieldByName("size_bytes"), -1),
          absl::StrCat("size of ", relative, " is ", content.size(),
                       " bytes, the manifest says ", document->size_bytes()));
  }
  const std::string sha256 = Sha256Hex(content);
  if (sha256 != document->sha256()) {
    Error(*site.file,
          FieldLine(site, descriptor->FindFieldByName("sha256"), -1),
          absl::StrCat("sha256 of ", relative, " is ", sha256,
                       ", the manifest says \"", document->sha256(), "\""));
  }
  if (!IsValidUtf8(content)) {
    Error(*site.file, file_line, absl::StrCat(relative, " is not valid UTF-8"));
    return;
  }
  document->set_content(std::move(content));
  auto matcher = std::make_unique<QuoteMatcher>(document->content());
  const FieldDescriptor* boilerplate =
      descriptor->FindFieldByName("boilerplate");
  for (int i = 0; i < document->boilerplate_size(); ++i) {
    if (!matcher->Find(document->boilerplate(i))) {
      Error(*site.file, FieldLine(site, boilerplate, i),
            absl::StrCat("boilerplate[", i, "] not found in ", relative, ": \"",
                         Abbreviate(document->boilerplate(i)), "\""));
    }
  }
  matchers_[document->name()] = std::move(matcher);
}

void SeedsLoader::CheckValues(const ResourceSite& site) {
  const Descriptor* descriptor = site.collection->descriptor;
  const Reflection* reflection = site.message->GetReflection();
  const FieldDescriptor* kind = descriptor->FindFieldByName("kind");
  if (kind != nullptr && kind->cpp_type() == FieldDescriptor::CPPTYPE_ENUM &&
      !kind->is_repeated() &&
      reflection->GetEnumValue(*site.message, kind) == 0) {
    Error(*site.file, site.line, "kind must be set");
  }
  ForEachNestedMessage(
      *site.message, site.tree, site.line,
      [&](const Message& nested, const std::string& path, int line) {
        const Descriptor* type = nested.GetDescriptor();
        std::string problem;
        if (type == v1::EntityRef::descriptor()) {
          const auto& ref = static_cast<const v1::EntityRef&>(nested);
          if (ref.name().empty()) {
            problem = "reference without a name";
          } else if (!by_name_.contains(ref.name())) {
            problem = absl::StrCat("reference to unknown entity \"", ref.name(),
                                   "\"");
          }
        } else if (type == v1::Date::descriptor()) {
          problem = std::string(
              CheckDate(static_cast<const v1::Date&>(nested)).message());
        } else if (type == v1::Money::descriptor()) {
          problem = std::string(
              CheckMoney(static_cast<const v1::Money&>(nested)).message());
        }
        if (!problem.empty()) {
          Error(*site.file, line, absl::StrCat(path, ": ", problem));
        }
      });
}

void SeedsLoader::CheckCitations(const ResourceSite& site) {
  const Descriptor* descriptor = site.collection->descriptor;
  const FieldDescriptor* citations_field =
      descriptor->FindFieldByName("citations");
  const Reflection* reflection = site.message->GetReflection();
  if (citations_field == nullptr) {
    Error(*site.file, site.line,
          absl::StrCat(site.collection->descriptor->full_name(),
                       " has no citations field"));
    return;
  }
  const int count = reflection->FieldSize(*site.message, citations_field);
  if (count == 0) {
    Error(*site.file, site.line,
          absl::StrCat(reflection->GetString(
                           *site.message, descriptor->FindFieldByName("name")),
                       " has no citation"));
    return;
  }
  const Descriptor* citation_type = v1::Citation::descriptor();
  for (int i = 0; i < count; ++i) {
    auto* citation = static_cast<v1::Citation*>(
        reflection->MutableRepeatedMessage(site.message, citations_field, i));
    const std::string label = absl::StrCat("citations[", i, "]");
    const int citation_line = FieldLine(site, citations_field, i);
    const TextFormat::ParseInfoTree* tree =
        site.tree ? site.tree->GetTreeForNested(citations_field, i) : nullptr;
    const auto line_of = [&](std::string_view field_name, int index) {
      const int line = LocateField(
          tree, citation_type->FindFieldByName(std::string(field_name)), index);
      return line >= 0 ? line + 1 : citation_line;
    };

    // docs/provenance.md: a stated citation quotes its document; a curated
    // one says why in its note and may quote a passage for context.
    const bool stated = IsStated(*citation);
    if (!v1::CitationKind_IsValid(citation->kind())) {
      Error(*site.file, line_of("kind", -1),
            absl::StrCat(label, ": unknown kind ", citation->kind()));
    }
    if (stated && !citation->note().empty()) {
      Error(*site.file, line_of("note", -1),
            absl::StrCat(label,
                         ": a stated citation has no note; set kind: "
                         "CITATION_KIND_CURATED if the note explains an "
                         "addition"));
    }
    if (stated && !citation->reference().empty()) {
      Error(*site.file, line_of("reference", -1),
            absl::StrCat(label, ": only a curated citation has a reference"));
    }
    if (!stated &&
        NormalizeQuoteText(citation->note()).find_first_not_of(' ') ==
            std::string::npos) {
      Error(*site.file, citation_line,
            absl::StrCat(label,
                         ": a curated citation needs a note saying why "
                         "its values hold"));
    }
    const bool curated_without_source =
        !stated && citation->document().empty() && citation->quote().empty();
    const auto document = by_name_.find(citation->document());
    const QuoteMatcher* matcher = nullptr;
    if (curated_without_source) {
      // Nothing to find: the note is the whole support.
    } else if (citation->document().empty()) {
      Error(*site.file, citation_line,
            absl::StrCat(label, ": document is not set"));
    } else if (document == by_name_.end()) {
      Error(*site.file, line_of("document", -1),
            absl::StrCat(label, ": unknown document \"", citation->document(),
                         "\""));
    } else if (sites_[document->second].collection->descriptor !=
               v1::Document::descriptor()) {
      Error(*site.file, line_of("document", -1),
            absl::StrCat(label, ": \"", citation->document(),
                         "\" is not a document"));
    } else {
      const auto it = matchers_.find(citation->document());
      // A document whose file failed its own checks has no matcher; its
      // error is reported already.
      if (it != matchers_.end()) matcher = it->second.get();
    }

    if (curated_without_source || (!stated && citation->quote().empty())) {
      // A curated citation may name its document without quoting it.
    } else if (NormalizeQuoteText(citation->quote()).find_first_not_of(' ') ==
               std::string::npos) {
      Error(*site.file,
            citation->quote().empty() ? citation_line : line_of("quote", -1),
            absl::StrCat(label, ": empty quote"));
    } else if (matcher != nullptr) {
      const std::optional<QuoteMatcher::Match> match =
          matcher->Find(citation->quote());
      if (!match) {
        Error(*site.file, line_of("quote", -1),
              absl::StrCat(label, ": quote not found in ", citation->document(),
                           ": \"", Abbreviate(citation->quote()), "\""));
      } else {
        citation->set_start_offset(match->start_offset);
        citation->set_end_offset(match->end_offset);
      }
    }

    if (citation->field_paths().empty()) {
      Error(*site.file, citation_line, absl::StrCat(label, ": no field_paths"));
    }
    for (int p = 0; p < citation->field_paths_size(); ++p) {
      const std::string& path = citation->field_paths(p);
      absl::StatusOr<std::vector<PathStep>> steps =
          ParseFieldPath(descriptor, path);
      absl::Status status = steps.status();
      if (status.ok()) {
        if (steps->front().field == citations_field) {
          status = absl::InvalidArgumentError(
              absl::StrCat("field path \"", path, "\" names the citations"));
        } else {
          status = CheckIndexesInRange(*site.message, *steps);
          if (!status.ok()) {
            status = absl::InvalidArgumentError(
                absl::StrCat("field path \"", path, "\": ", status.message()));
          }
        }
      }
      if (!status.ok()) {
        Error(*site.file, line_of("field_paths", p),
              absl::StrCat(label, ": ", status.message()));
      }
    }
  }
}

void SeedsLoader::CheckCoverage(const ResourceSite& site) {
  const Reflection* reflection = site.message->GetReflection();
  const FieldDescriptor* citations_field =
      site.collection->descriptor->FindFieldByName("citations");
  if (citations_field == nullptr ||
      reflection->FieldSize(*site.message, citations_field) == 0) {
    return;
  }
  ForEachFactPath(*site.message, [&](absl::Span<const PathStep> steps) {
    const std::string path = FormatPath(steps);
    if (CoveringCitations(*site.message, path).empty()) {
      Error(
          *site.file, PathLine(site, steps),
          absl::StrCat("field \"", path, "\" is not covered by any citation"));
    }
  });
}

// A file of the first schema says `approximate: true` where a current one
// says `qualifier: MONEY_QUALIFIER_APPROXIMATE`; both load the same.
void SeedsLoader::UpgradeDeprecatedFields(const ResourceSite& site) {
  ForEachNestedMutableMessage(site.message, [](Message* nested) {
    if (nested->GetDescriptor() != v1::Money::descriptor()) return;
    auto* money = static_cast<v1::Money*>(nested);
    if (money->approximate() &&
        money->qualifier() == v1::MONEY_QUALIFIER_UNSPECIFIED) {
      money->set_qualifier(v1::MONEY_QUALIFIER_APPROXIMATE);
    }
  });
}

void SeedsLoader::CheckSupported(const ResourceSite& site) {
  CheckSupport(*site.message,
               [&](absl::Span<const PathStep> steps, std::string message) {
                 Error(*site.file, PathLine(site, steps),
                       absl::StrCat(FormatPath(steps), ": ", message));
               });
}

void SeedsLoader::FillOutputOnly(const ResourceSite& site) {
  ForEachNestedMutableMessage(site.message, [&](Message* nested) {
    if (nested->GetDescriptor() == v1::Citation::descriptor()) {
      auto* citation = static_cast<v1::Citation*>(nested);
      if (citation->kind() == v1::CITATION_KIND_UNSPECIFIED) {
        citation->set_kind(v1::CITATION_KIND_STATED);
      }
      return;
    }
    if (nested->GetDescriptor() == v1::Money::descriptor()) {
      // The deprecated flag, for clients of the first schema.
      auto* money = static_cast<v1::Money*>(nested);
      money->set_approximate(money->qualifier() ==
                             v1::MONEY_QUALIFIER_APPROXIMATE);
      return;
    }
    if (nested->GetDescriptor() != v1::EntityRef::descriptor()) return;
    auto* ref = static_cast<v1::EntityRef*>(nested);
    const auto it = by_name_.find(ref->name());
    if (it == by_name_.end()) return;
    ref->set_display_name(
        std::string(DisplayNameOf(*sites_[it->second].message)));
  });
}

std::shared_ptr<const Snapshot> SeedsLoader::Merge() {
  v1::KnowledgeBase merged;
  for (const std::unique_ptr<SourceFile>& file : files_) {
    merged.MergeFrom(file->kb);
  }
  files_.clear();
  return Snapshot::Build(std::move(merged), dir_, absl::Now());
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Snapshot>> LoadSeeds(
    const std::string& seeds_dir, std::vector<LoadError>* errors) {
  SeedsLoader loader(seeds_dir);
  return loader.Load(errors);
}

}  // namespace factgraph::store
