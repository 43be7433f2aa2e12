// The knowledge base of a snapshot copied into an in-memory SQLite database,
// with the tables and indexes a competent user would create for the store
// benchmarks' queries, so that the same questions can be asked of both.
//
//   institutions(name PRIMARY KEY, display_name, kind, parent, location)
//       indexes (location, name), (parent, name), (display_name, name)
//   citations(id PRIMARY KEY, document, quote)
//   facts(subject, path, predicate, object, is_link, citation)
//       indexes (subject), (object, predicate)
//   names(normalized, text, resource)      index (normalized, resource)
#ifndef FACTGRAPH_BENCH_STORE_SQLITE_MIRROR_H_
#define FACTGRAPH_BENCH_STORE_SQLITE_MIRROR_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "service/store/snapshot.h"

namespace factgraph::bench {

// A prepared statement, finalised on destruction.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
  Statement(Statement&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(statement_); }

  void BindText(int index, std::string_view text);
  void BindInt(int index, int64_t value);
  // Steps through every row, reading every column as text (as a caller
  // would), then resets the statement for the next use. Returns the rows;
  // `bytes` (if given) receives the bytes read.
  int64_t ReadAll(int64_t* bytes = nullptr);
  // The first column of the first row as an integer, then resets.
  int64_t ReadInt();

 private:
  sqlite3_stmt* statement_;
};

class SqliteMirror {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteMirror>> Build(
      const store::Snapshot& snapshot);
  ~SqliteMirror();

  // Aborts with the SQL and SQLite's message on an error: the statements
  // are the benchmark's own, so an error is a bug in it.
  Statement Prepare(const std::string& sql) const;

 private:
  SqliteMirror() = default;
  absl::Status Execute(const std::string& sql);

  sqlite3* db_ = nullptr;
};

}  // namespace factgraph::bench

#endif  // FACTGRAPH_BENCH_STORE_SQLITE_MIRROR_H_
