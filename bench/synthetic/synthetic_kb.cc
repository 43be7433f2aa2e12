#include "bench/synthetic/synthetic_kb.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/text_format.h"
#include "service/store/collections.h"
#include "service/store/digest.h"
#include "service/store/validation.h"

namespace factgraph::synthetic {
namespace {

using google::protobuf::Message;

// SplitMix64: fully specified, so a seed means the same data everywhere
// (std:: distributions are implementation-defined).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0.
  int64_t Below(int64_t n) {
    return static_cast<int64_t>(Next() % static_cast<uint64_t>(n));
  }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  uint64_t state_;
};

constexpr const char* kSyllables[] = {
    "ga",   "na",   "da",  "ra",   "ma",  "ba",  "sa",    "ah",  "ja",
    "cha",  "ka",   "ta",  "pa",   "ha",  "min", "jun",   "seo", "yeon",
    "ji",   "hoon", "woo", "hyun", "soo", "jin", "young", "eun", "kyung",
    "sung", "dong", "won", "hye",  "bin", "gyu", "chan"};
constexpr const char* kFamilyNames[] = {"Kim",  "Lee",  "Park", "Choi",
                                        "Jung", "Kang", "Cho",  "Yoon",
                                        "Jang", "Lim",  "Han",  "Oh"};
constexpr const char* kFields[] = {
    "Medical", "Bio",     "Health",   "Science", "Data",   "Genome",
    "Vaccine", "Digital", "Clinical", "Neuro",   "Cancer", "Precision"};
constexpr const char* kMonths[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kTitles[] = {"President",
                                   "Professor",
                                   "Director",
                                   "Dean",
                                   "Chief Executive Officer",
                                   "Head of Research"};

struct KindWords {
  v1::InstitutionKind kind;
  const char* suffix;
  const char* noun;
};
constexpr KindWords kInstitutionKinds[] = {
    {v1::INSTITUTION_KIND_UNIVERSITY, "University", "university"},
    {v1::INSTITUTION_KIND_HOSPITAL, "Hospital", "hospital"},
    {v1::INSTITUTION_KIND_RESEARCH_CENTER, "Research Center",
     "research centre"},
    {v1::INSTITUTION_KIND_COMPANY, "Therapeutics", "company"},
    {v1::INSTITUTION_KIND_DEPARTMENT, "Department", "department"},
    {v1::INSTITUTION_KIND_AGENCY, "Agency", "agency"},
};

std::string Word(Random& random, int syllables) {
  std::string word;
  for (int i = 0; i < syllables; ++i) word += random.Pick(kSyllables);
  word[0] = absl::ascii_toupper(static_cast<unsigned char>(word[0]));
  return word;
}

std::string Initials(const std::string& text) {
  std::string initials;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (absl::ascii_isupper(static_cast<unsigned char>(word[0]))) {
      initials.push_back(word[0]);
    }
  }
  return initials;
}

std::string Name(const char* collection, char letter, int64_t index) {
  return absl::StrFormat("%s/%c-%08d", collection, letter, index);
}

v1::Date MakeDate(Random& random, bool with_day) {
  v1::Date date;
  date.set_year(static_cast<int32_t>(2015 + random.Below(11)));
  date.set_month(static_cast<int32_t>(1 + random.Below(12)));
  if (with_day) {
    date.set_day(static_cast<int32_t>(1 + random.Below(28)));
    date.set_precision(v1::DATE_PRECISION_DAY);
    date.set_text(absl::StrCat(kMonths[date.month() - 1], " ", date.day(), ", ",
                               date.year()));
  } else {
    date.set_precision(v1::DATE_PRECISION_MONTH);
    date.set_text(absl::StrCat(kMonths[date.month() - 1], " ", date.year()));
  }
  return date;
}

class Generator {
 public:
  explicit Generator(const SyntheticOptions& options)
      : options_(options), random_(options.seed) {
    const int64_t n = std::max(options.entities, kMinSyntheticEntities);
    institutions_ = std::max<int64_t>(3, n * 30 / 100);
    cities_ = std::max<int64_t>(1, institutions_ / 100);
    people_ = std::max<int64_t>(1, n * 25 / 100);
    agreements_ = std::max<int64_t>(1, n * 10 / 100);
    projects_ = std::max<int64_t>(1, n * 10 / 100);
    fundings_ = n * 10 / 100;
    events_ = n * 8 / 100;
    statistics_ =
        std::max<int64_t>(0, n - institutions_ - people_ - agreements_ -
                                 projects_ - fundings_ - events_);
    const int64_t per_document =
        std::max<int64_t>(1, options.entities_per_document);
    documents_.resize(
        static_cast<size_t>((n + per_document - 1) / per_document));
  }

  v1::KnowledgeBase Generate() {
    v1::KnowledgeBase kb;
    // Display names first: references need their targets' names.
    for (int64_t i = 0; i < institutions_; ++i) {
      if (i < cities_) {
        institution_names_.push_back(absl::StrCat(Word(random_, 2), " City"));
      } else {
        const KindWords& kind = random_.Pick(kInstitutionKinds);
        institution_kinds_.push_back(&kind - kInstitutionKinds);
        institution_names_.push_back(absl::StrCat(
            Word(random_, 2), " ", random_.Pick(kFields), " ", kind.suffix));
      }
    }
    for (int64_t i = 0; i < people_; ++i) {
      person_names_.push_back(
          absl::StrCat(random_.Pick(kFamilyNames), " ", Word(random_, 1), "-",
                       absl::AsciiStrToLower(Word(random_, 1))));
    }
    for (int64_t i = 0; i < projects_; ++i) {
      project_names_.push_back(absl::StrCat(Word(random_, 2), " ",
                                            random_.Pick(kFields), " Project"));
    }
    for (int64_t i = 0; i < agreements_; ++i) {
      agreement_names_.push_back(absl::StrCat(
          random_.Pick(kFields), " cooperation agreement ", Word(random_, 2)));
    }

    for (int64_t i = 0; i < institutions_; ++i) AddInstitution(&kb, i);
    for (int64_t i = 0; i < people_; ++i) AddPerson(&kb, i);
    for (int64_t i = 0; i < agreements_; ++i) AddAgreement(&kb, i);
    for (int64_t i = 0; i < projects_; ++i) AddProject(&kb, i);
    for (int64_t i = 0; i < fundings_; ++i) AddFunding(&kb, i);
    for (int64_t i = 0; i < events_; ++i) AddEvent(&kb, i);
    for (int64_t i = 0; i < statistics_; ++i) AddStatistic(&kb, i);
    AddDocuments(&kb);
    return kb;
  }

 private:
  // Gives `target` (a resource, or an EntityRef to one) the name and the
  // display name of entry `index` of `collection`.
  template <typename Target>
  Target* Named(Target* target, const char* collection, char letter,
                int64_t index, const std::vector<std::string>& names) {
    target->set_name(Name(collection, letter, index));
    target->set_display_name(names[index]);
    return target;
  }
  int64_t City() { return random_.Below(cities_); }
  int64_t Organisation() {
    return cities_ + random_.Below(institutions_ - cities_);
  }
  v1::EntityRef* RefInstitution(v1::EntityRef* ref, int64_t index) {
    return Named(ref, "institutions", 'i', index, institution_names_);
  }
  // Refers `ref` to a random organisation (not a city); returns its index.
  int64_t RefOrganisation(v1::EntityRef* ref) {
    const int64_t index = Organisation();
    RefInstitution(ref, index);
    return index;
  }

  // Appends `sentence` to the next resource's article and cites it for
  // `paths`.
  template <typename Resource>
  void Cite(Resource* resource, const std::string& sentence,
            std::initializer_list<const char*> paths) {
    const size_t document = static_cast<size_t>(
        cited_ / std::max<int64_t>(1, options_.entities_per_document));
    ++cited_;
    std::string& text = documents_[document];
    if (text.empty())
      text = absl::StrCat("Synthetic article ", document, "\n\n");
    v1::Citation* citation = resource->add_citations();
    // As the loader fills it in for a citation that does not say.
    citation->set_kind(v1::CITATION_KIND_STATED);
    citation->set_document(DocumentName(document));
    citation->set_quote(sentence);
    for (const char* path : paths) citation->add_field_paths(path);
    // ASCII text: byte offsets are code point offsets.
    citation->set_start_offset(static_cast<int32_t>(text.size()));
    text += sentence;
    citation->set_end_offset(static_cast<int32_t>(text.size()));
    text += "\n";
  }

  static std::string DocumentName(size_t index) {
    return absl::StrFormat("documents/synthetic-%06d", index);
  }

  void AddInstitution(v1::KnowledgeBase* kb, int64_t i) {
    v1::Institution* institution = Named(kb->add_institutions(), "institutions",
                                         'i', i, institution_names_);
    const std::string alias = Initials(institution_names_[i]);
    institution->add_aliases(alias);
    if (i < cities_) {
      institution->set_kind(v1::INSTITUTION_KIND_CITY);
      Cite(institution,
           absl::StrCat(institution_names_[i], " (", alias, ") is a city."),
           {"display_name", "aliases", "kind"});
      return;
    }
    const KindWords& kind = kInstitutionKinds[institution_kinds_[i - cities_]];
    institution->set_kind(kind.kind);
    const int64_t city = City();
    RefInstitution(institution->mutable_location(), city);
    std::string sentence =
        absl::StrCat(institution_names_[i], " (", alias, ") is a ", kind.noun,
                     " in ", institution_names_[city]);
    // Every third organisation belongs to an earlier one.
    if (i % 3 == 0 && i > cities_) {
      const int64_t parent = cities_ + random_.Below(i - cities_);
      RefInstitution(institution->mutable_parent(), parent);
      absl::StrAppend(&sentence, ", part of ", institution_names_[parent]);
      sentence += ".";
      Cite(institution, sentence,
           {"display_name", "aliases", "kind", "parent", "location"});
    } else {
      sentence += ".";
      Cite(institution, sentence,
           {"display_name", "aliases", "kind", "location"});
    }
  }

  void AddPerson(v1::KnowledgeBase* kb, int64_t i) {
    v1::Person* person =
        Named(kb->add_people(), "people", 'p', i, person_names_);
    const std::vector<std::string> parts =
        absl::StrSplit(person_names_[i], ' ');
    const std::string alias = absl::StrCat(parts[1], " ", parts[0]);
    person->add_aliases(alias);
    v1::Role* role = person->add_roles();
    role->set_title(random_.Pick(kTitles));
    const int64_t at = RefOrganisation(role->mutable_institution());
    *role->mutable_as_of() = MakeDate(random_, false);
    Cite(person,
         absl::StrCat(person_names_[i], " (", alias, ") serves as ",
                      role->title(), " of ", institution_names_[at], " as of ",
                      role->as_of().text(), "."),
         {"display_name", "aliases", "roles"});
  }

  void AddAgreement(v1::KnowledgeBase* kb, int64_t i) {
    v1::Agreement* agreement =
        Named(kb->add_agreements(), "agreements", 'a', i, agreement_names_);
    const int64_t first = RefOrganisation(agreement->add_parties());
    const int64_t second = RefOrganisation(agreement->add_parties());
    agreement->set_kind(v1::AGREEMENT_KIND_COOPERATION_AGREEMENT);
    *agreement->mutable_signed_date() = MakeDate(random_, true);
    Cite(agreement,
         absl::StrCat(institution_names_[first], " and ",
                      institution_names_[second], " signed the ",
                      agreement_names_[i], " on ",
                      agreement->signed_date().text(), "."),
         {"display_name", "kind", "parties", "signed_date"});
  }

  void AddProject(v1::KnowledgeBase* kb, int64_t i) {
    v1::Project* project =
        Named(kb->add_projects(), "projects", 'r', i, project_names_);
    project->set_kind(v1::PROJECT_KIND_PROJECT);
    const int64_t lead = RefOrganisation(project->mutable_lead());
    const int64_t partner = RefOrganisation(project->add_participants());
    const int64_t researcher = random_.Below(people_);
    Named(project->add_participants(), "people", 'p', researcher,
          person_names_);
    project->set_status(v1::PROJECT_STATUS_ACTIVE);
    *project->mutable_start_date() = MakeDate(random_, false);
    Cite(project,
         absl::StrCat(institution_names_[lead], " leads the ",
                      project_names_[i], " with ", institution_names_[partner],
                      " and ", person_names_[researcher], ", active since ",
                      project->start_date().text(), "."),
         {"display_name", "kind", "lead", "participants", "status",
          "start_date"});
  }

  void AddFunding(v1::KnowledgeBase* kb, int64_t i) {
    v1::Funding* funding = kb->add_fundings();
    funding->set_name(Name("fundings", 'f', i));
    const int64_t project = random_.Below(projects_);
    funding->set_display_name(
        absl::StrCat("Funding of the ", project_names_[project]));
    funding->set_kind(v1::FUNDING_KIND_GRANT);
    const int64_t billions = 1 + random_.Below(500);
    v1::Money* amount = funding->mutable_amount();
    amount->set_currency_code("KRW");
    amount->set_units(billions * 1000000000);
    amount->set_text(absl::StrCat("KRW ", billions, " billion"));
    const int64_t funder = RefOrganisation(funding->mutable_funder());
    const int64_t recipient = RefOrganisation(funding->mutable_recipient());
    Named(funding->mutable_project(), "projects", 'r', project, project_names_);
    Cite(funding,
         absl::StrCat(institution_names_[funder], " provides ", amount->text(),
                      " to ", institution_names_[recipient], " for the ",
                      project_names_[project], "."),
         {"display_name", "kind", "amount", "funder", "recipient", "project"});
  }

  void AddEvent(v1::KnowledgeBase* kb, int64_t i) {
    v1::Event* event = kb->add_events();
    event->set_name(Name("events", 'e', i));
    const std::string field = random_.Pick(kFields);
    event->set_display_name(
        absl::StrCat(field, " Symposium ", Word(random_, 2)));
    event->set_kind(v1::EVENT_KIND_SYMPOSIUM);
    *event->mutable_date() = MakeDate(random_, true);
    const int64_t place = City();
    RefInstitution(event->mutable_place(), place);
    const int64_t organizer = RefOrganisation(event->add_organizers());
    const int64_t speaker = random_.Below(people_);
    Named(event->add_speakers(), "people", 'p', speaker, person_names_);
    event->add_topics(absl::AsciiStrToLower(field));
    Cite(event,
         absl::StrCat("The ", event->display_name(), " on ",
                      absl::AsciiStrToLower(field), " was held in ",
                      institution_names_[place], " on ", event->date().text(),
                      ", organised by ", institution_names_[organizer],
                      " with a speech by ", person_names_[speaker], "."),
         {"display_name", "kind", "date", "place", "organizers", "speakers",
          "topics"});
  }

  void AddStatistic(v1::KnowledgeBase* kb, int64_t i) {
    v1::Statistic* statistic = kb->add_statistics();
    statistic->set_name(Name("statistics", 's', i));
    const int64_t subject = RefOrganisation(statistic->mutable_subject());
    const std::string field = random_.Pick(kFields);
    statistic->set_display_name(
        absl::StrCat(field, " patients of ", institution_names_[subject]));
    statistic->set_measure(
        absl::StrCat(absl::AsciiStrToLower(field), " patients"));
    const int64_t value = 10 + random_.Below(100000);
    statistic->set_value(static_cast<double>(value));
    statistic->set_unit("people");
    statistic->set_qualifier(v1::STATISTIC_QUALIFIER_APPROXIMATE);
    statistic->set_text(absl::StrCat("about ", value));
    Cite(statistic,
         absl::StrCat(institution_names_[subject], " treated about ", value,
                      " people as ", statistic->measure(), "."),
         {"display_name", "subject", "measure", "value", "unit", "qualifier",
          "text"});
  }

  void AddDocuments(v1::KnowledgeBase* kb) {
    for (size_t d = 0; d < documents_.size(); ++d) {
      v1::Document* document = kb->add_documents();
      document->set_name(DocumentName(d));
      const std::string title = absl::StrCat("Synthetic article ", d);
      document->set_display_name(title);
      document->set_file_name(absl::StrFormat("synthetic-%06d.txt", d));
      document->set_sha256(store::Sha256Hex(documents_[d]));
      document->set_language("en");
      document->set_size_bytes(static_cast<int64_t>(documents_[d].size()));
      RefInstitution(document->mutable_publisher(), cities_);
      v1::Citation* citation = document->add_citations();
      citation->set_kind(v1::CITATION_KIND_STATED);
      citation->set_document(document->name());
      citation->set_quote(title);
      for (const char* path : {"display_name", "file_name", "sha256",
                               "publisher", "language", "size_bytes"}) {
        citation->add_field_paths(path);
      }
      citation->set_start_offset(0);
      citation->set_end_offset(static_cast<int32_t>(title.size()));
      document->set_content(std::move(documents_[d]));
    }
  }

  const SyntheticOptions options_;
  Random random_;
  int64_t institutions_, cities_, people_, agreements_, projects_, fundings_,
      events_, statistics_;
  std::vector<std::string> institution_names_, person_names_, project_names_,
      agreement_names_;
  std::vector<size_t> institution_kinds_;  // For organisations (not cities).
  std::vector<std::string> documents_;     // Article texts.
  int64_t cited_ = 0;
};

absl::Status WriteFile(const std::filesystem::path& path,
                       const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out)
    return absl::UnavailableError(absl::StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

// Output-only fields are the loader's to fill; seeds do not carry them.
void ClearOutputOnly(Message* resource) {
  store::ForEachNestedMutableMessage(resource, [](Message* nested) {
    if (nested->GetDescriptor() == v1::EntityRef::descriptor()) {
      static_cast<v1::EntityRef*>(nested)->clear_display_name();
    } else if (nested->GetDescriptor() == v1::Citation::descriptor()) {
      auto* citation = static_cast<v1::Citation*>(nested);
      citation->clear_start_offset();
      citation->clear_end_offset();
    }
  });
}

}  // namespace

v1::KnowledgeBase GenerateKnowledgeBase(const SyntheticOptions& options) {
  return Generator(options).Generate();
}

absl::Status WriteSeedsDirectory(const v1::KnowledgeBase& kb,
                                 const std::string& directory,
                                 int resources_per_file) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::create_directories(fs::path(directory) / "documents", error);
  fs::create_directories(fs::path(directory) / "kb", error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", directory, ": ", error.message()));
  }
  v1::KnowledgeBase manifest;
  for (const v1::Document& document : kb.documents()) {
    absl::Status status =
        WriteFile(fs::path(directory) / "documents" / document.file_name(),
                  document.content());
    if (!status.ok()) return status;
    v1::Document* entry = manifest.add_documents();
    *entry = document;
    entry->clear_content();
    ClearOutputOnly(entry);
  }
  std::string text;
  google::protobuf::TextFormat::PrintToString(manifest, &text);
  absl::Status status =
      WriteFile(fs::path(directory) / "documents.textproto", text);
  if (!status.ok()) return status;

  const google::protobuf::Reflection* reflection = kb.GetReflection();
  v1::KnowledgeBase chunk;
  int in_chunk = 0;
  int file_number = 0;
  const auto flush = [&]() -> absl::Status {
    if (in_chunk == 0) return absl::OkStatus();
    std::string chunk_text;
    google::protobuf::TextFormat::PrintToString(chunk, &chunk_text);
    chunk.Clear();
    in_chunk = 0;
    return WriteFile(fs::path(directory) / "kb" /
                         absl::StrFormat("%04d.textproto", file_number++),
                     chunk_text);
  };
  for (const store::Collection& collection : store::AllCollections()) {
    if (collection.descriptor == v1::Document::descriptor()) continue;
    const int size = reflection->FieldSize(kb, collection.kb_field);
    for (int i = 0; i < size; ++i) {
      Message* copy =
          chunk.GetReflection()->AddMessage(&chunk, collection.kb_field);
      copy->CopyFrom(
          reflection->GetRepeatedMessage(kb, collection.kb_field, i));
      ClearOutputOnly(copy);
      if (++in_chunk == resources_per_file) {
        status = flush();
        if (!status.ok()) return status;
      }
    }
  }
  return flush();
}

}  // namespace factgraph::synthetic
