#include "service/query/search/typo.h"

#include <algorithm>
#include <string>
#include <vector>

namespace factgraph::query::search {

int AllowedEdits(size_t length) {
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

int IndexedEdits(size_t length) {
  // A 9-character query with two edits reaches words of 7; a 5-character
  // query with one edit reaches words of 4.
  if (length >= 7) return 2;
  if (length >= 4) return 1;
  return 0;
}

void ForEachDeletion(std::string_view word, int max_deletions,
                     absl::FunctionRef<void(std::string_view)> emit) {
  std::vector<std::string> level{std::string(word)};
  std::vector<std::string> seen;
  for (int d = 0; d < max_deletions; ++d) {
    std::vector<std::string> next;
    for (const std::string& text : level) {
      for (size_t i = 0; i < text.size(); ++i) {
        // Deleting any letter of a run gives the same string: once is enough.
        if (i > 0 && text[i] == text[i - 1]) continue;
        std::string variant = text.substr(0, i) + text.substr(i + 1);
        next.push_back(std::move(variant));
      }
    }
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
    for (const std::string& variant : next) {
      if (!std::binary_search(seen.begin(), seen.end(), variant)) {
        emit(variant);
      }
    }
    seen.insert(seen.end(), next.begin(), next.end());
    std::sort(seen.begin(), seen.end());
    level = std::move(next);
  }
}

int EditDistance(std::string_view a, std::string_view b, int cap) {
  const size_t n = a.size();
  const size_t m = b.size();
  if ((n > m ? n - m : m - n) > static_cast<size_t>(cap)) return cap + 1;
  // Three rows of the optimal string alignment table.
  std::vector<int> previous2(m + 1), previous(m + 1), current(m + 1);
  for (size_t j = 0; j <= m; ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    current[0] = static_cast<int>(i);
    int row_min = current[0];
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min(
          {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], previous2[j - 2] + 1);
      }
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > cap) return cap + 1;
    previous2.swap(previous);
    previous.swap(current);
  }
  return std::min(previous[m], cap + 1);
}

}  // namespace factgraph::query::search
