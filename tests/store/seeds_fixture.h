// Writes small seeds directories for loader tests: one article, a manifest
// with its true hash and size, and the kb files a test gives.
#ifndef FACTGRAPH_TESTS_STORE_SEEDS_FIXTURE_H_
#define FACTGRAPH_TESTS_STORE_SEEDS_FIXTURE_H_

#include <map>
#include <string>
#include <vector>

namespace factgraph::store::test_support {

// The article every fixture holds, as documents/article.txt.
inline constexpr char kArticle[] =
    "KAIST and Korea University signed a “research cooperation agreement” on\n"
    "November 7, 2023.   KAIST President Lee Kwang-hyung spoke at Café Anam.\n"
    "The project received KRW 15.1 billion.\n"
    "Grants exceeded USD 2 million and about 1,200 people joined.\n";

// A small knowledge base over kArticle with every kind of value: two
// institutions, a person with a role, an agreement, a funding, a statistic.
extern const char kSmallKb[];

// WriteSeeds({{"small.textproto", kSmallKb}}).
std::string WriteSmallSeeds();

// The manifest for kArticle (documents/article), 13 lines; `extra` is
// appended after it.
std::string ManifestText(const std::string& extra = "");

// Creates a fresh directory under the test's temporary directory holding
// documents/article.txt, documents.textproto (ManifestText() unless
// `manifest` is given) and kb/<name> for each entry of `kb_files`. Returns
// its path.
std::string WriteSeeds(const std::map<std::string, std::string>& kb_files,
                       const std::string* manifest = nullptr);

// The "file:line: message" lines LoadSeeds reports for a seeds directory
// that must fail to load (expects INVALID_ARGUMENT).
std::vector<std::string> ErrorsOf(const std::string& seeds_dir);

// ErrorsOf a seeds directory with kb/test.textproto holding `kb_text`.
std::vector<std::string> ErrorsOfKb(const std::string& kb_text);

}  // namespace factgraph::store::test_support

#endif  // FACTGRAPH_TESTS_STORE_SEEDS_FIXTURE_H_
