#include "tests/store/seeds_fixture.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "service/store/digest.h"
#include "service/store/loader.h"
#include "tests/support/temp_path.h"

namespace factgraph::store::test_support {
namespace {

using ::factgraph::test_support::ScopedTempPath;

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// The directories WriteSeeds made, removed when the test program exits (a
// test may still read them after the WriteSeeds call's scope ends).
class TempDirectories {
 public:
  const std::string& Make(std::string_view name) {
    absl::MutexLock lock(&mutex_);
    return dirs_.emplace_back(std::make_unique<ScopedTempPath>(name))->path();
  }

 private:
  absl::Mutex mutex_;
  std::vector<std::unique_ptr<ScopedTempPath>> dirs_;
};

}  // namespace

const char kSmallKb[] = R"(# A fixture for the fact view and the indexes.
institutions {
  name: "institutions/kaist"
  display_name: "KAIST"
  aliases: "Korea Advanced Institute of Science and Technology"
  kind: INSTITUTION_KIND_UNIVERSITY
  citations {
    document: "documents/article"
    quote: "KAIST and Korea University"
    field_paths: ["display_name", "kind"]
  }
  citations {
    kind: CITATION_KIND_CURATED
    note: "a name the article does not write"
    field_paths: "aliases"
  }
}
institutions {
  name: "institutions/korea-university"
  display_name: "Korea University"
  aliases: "KU"
  kind: INSTITUTION_KIND_UNIVERSITY
  citations {
    document: "documents/article"
    quote: "KAIST and Korea University"
    field_paths: ["display_name", "kind"]
  }
  citations {
    kind: CITATION_KIND_CURATED
    note: "a name the article does not write"
    field_paths: "aliases"
  }
}
people {
  name: "people/lee-kwang-hyung"
  display_name: "Lee Kwang-hyung"
  aliases: "이광형"
  roles {
    title: "President"
    institution { name: "institutions/kaist" }
    as_of { year: 2023 month: 11 day: 7 precision: DATE_PRECISION_DAY }
  }
  citations {
    document: "documents/article"
    quote: "KAIST President Lee Kwang-hyung"
    field_paths: ["display_name", "roles[0].title", "roles[0].institution"]
  }
  citations {
    kind: CITATION_KIND_CURATED
    note: "Korean name in Hangul"
    field_paths: "aliases"
  }
  citations {
    document: "documents/article"
    quote: "November 7, 2023"
    field_paths: "roles[0].as_of"
  }
}
agreements {
  name: "agreements/kaist-ku"
  display_name: "KAIST-KU research cooperation agreement"
  kind: AGREEMENT_KIND_COOPERATION_AGREEMENT
  parties { name: "institutions/kaist" }
  parties { name: "institutions/korea-university" }
  citations {
    document: "documents/article"
    quote: "KAIST and Korea University signed a “research cooperation agreement”"
    field_paths: ["display_name", "kind", "parties"]
  }
}
fundings {
  name: "fundings/project-grant"
  display_name: "Project grant"
  kind: FUNDING_KIND_GRANT
  amount { currency_code: "KRW" units: 15100000000 text: "KRW 15.1 billion" }
  recipient { name: "agreements/kaist-ku" }
  citations {
    document: "documents/article"
    quote: "The project received KRW 15.1 billion."
    field_paths: ["display_name", "kind", "amount", "recipient"]
  }
}
statistics {
  name: "statistics/speakers"
  display_name: "Speakers"
  subject { name: "institutions/kaist" }
  value: 1.5
  unit: "people"
  citations {
    kind: CITATION_KIND_CURATED
    note: "a figure no article gives"
    document: "documents/article"
    quote: "spoke at Café Anam"
    field_paths: ["display_name", "subject", "value", "unit"]
  }
}
)";

std::string WriteSmallSeeds() {
  return WriteSeeds({{"small.textproto", kSmallKb}});
}

std::string ManifestText(const std::string& extra) {
  const std::string article = kArticle;
  return absl::StrCat(
      "documents {\n"                       // 1
      "  name: \"documents/article\"\n"     // 2
      "  display_name: \"Test article\"\n"  // 3
      "  file_name: \"article.txt\"\n"      // 4
      "  sha256: \"",
      Sha256Hex(article),
      "\"\n"  // 5
      "  size_bytes: ",
      article.size(),
      "\n"                                                  // 6
      "  language: \"en\"\n"                                // 7
      "  citations {\n"                                     // 8
      "    document: \"documents/article\"\n"               // 9
      "    quote: \"KAIST and Korea University signed\"\n"  // 10
      "    field_paths: [\"display_name\", \"file_name\", \"sha256\", "
      "\"size_bytes\", \"language\"]\n"  // 11
      "  }\n"                            // 12
      "}\n",                             // 13
      extra);
}

std::string WriteSeeds(const std::map<std::string, std::string>& kb_files,
                       const std::string* manifest) {
  static std::atomic<int> counter{0};
  static TempDirectories made;  // Destroyed, so emptied, at exit.
  const std::filesystem::path root =
      made.Make(absl::StrCat("seeds_", counter++));
  WriteFile(root / "documents" / "article.txt", kArticle);
  WriteFile(root / "documents.textproto",
            manifest != nullptr ? *manifest : ManifestText());
  std::filesystem::create_directories(root / "kb");
  for (const auto& [name, text] : kb_files) WriteFile(root / "kb" / name, text);
  return root.string();
}

std::vector<std::string> ErrorsOf(const std::string& seeds_dir) {
  std::vector<LoadError> errors;
  const auto snapshot = LoadSeeds(seeds_dir, &errors);
  EXPECT_FALSE(snapshot.ok());
  if (!snapshot.ok()) {
    EXPECT_EQ(snapshot.status().code(), absl::StatusCode::kInvalidArgument);
  }
  std::vector<std::string> lines;
  for (const LoadError& error : errors) lines.push_back(error.ToString());
  return lines;
}

std::vector<std::string> ErrorsOfKb(const std::string& kb_text) {
  return ErrorsOf(WriteSeeds({{"test.textproto", kb_text}}));
}

}  // namespace factgraph::store::test_support
