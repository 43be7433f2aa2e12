#include "bench/store/sqlite_mirror.h"

#include <cstdio>
#include <cstdlib>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "factgraph/v1/institution.pb.h"
#include "service/store/collections.h"
#include "service/store/text_normalizer.h"

namespace factgraph::bench {
void Statement::BindText(int index, std::string_view text) {
  sqlite3_bind_text(statement_, index, text.data(),
                    static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void Statement::BindInt(int index, int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
}

int64_t Statement::ReadAll(int64_t* bytes) {
  int64_t rows = 0;
  int64_t total = 0;
  const int columns = sqlite3_column_count(statement_);
  int code;
  while ((code = sqlite3_step(statement_)) == SQLITE_ROW) {
    ++rows;
    for (int c = 0; c < columns; ++c) {
      if (sqlite3_column_text(statement_, c) != nullptr) {
        total += sqlite3_column_bytes(statement_, c);
      }
    }
  }
  if (code != SQLITE_DONE) {
    std::fprintf(stderr, "sqlite3_step: %s\n",
                 sqlite3_errmsg(sqlite3_db_handle(statement_)));
    std::abort();
  }
  sqlite3_reset(statement_);
  if (bytes != nullptr) *bytes = total;
  return rows;
}

int64_t Statement::ReadInt() {
  int64_t value = 0;
  if (sqlite3_step(statement_) == SQLITE_ROW) {
    value = sqlite3_column_int64(statement_, 0);
  }
  sqlite3_reset(statement_);
  return value;
}

SqliteMirror::~SqliteMirror() { sqlite3_close(db_); }

absl::Status SqliteMirror::Execute(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    absl::Status error = absl::InternalError(absl::StrCat(
        "SQLite: ", message == nullptr ? "?" : message, " in: ", sql));
    sqlite3_free(message);
    return error;
  }
  return absl::OkStatus();
}

Statement SqliteMirror::Prepare(const std::string& sql) const {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) !=
      SQLITE_OK) {
    std::fprintf(stderr, "SQLite cannot prepare \"%s\": %s\n", sql.c_str(),
                 sqlite3_errmsg(db_));
    std::abort();
  }
  return Statement(statement);
}

absl::StatusOr<std::unique_ptr<SqliteMirror>> SqliteMirror::Build(
    const store::Snapshot& snapshot) {
  auto mirror = std::unique_ptr<SqliteMirror>(new SqliteMirror);
  if (sqlite3_open(":memory:", &mirror->db_) != SQLITE_OK) {
    return absl::InternalError("cannot open an in-memory SQLite database");
  }
  for (const char* sql : {
           "PRAGMA journal_mode = OFF",
           "PRAGMA synchronous = OFF",
           "PRAGMA cache_size = -1000000",
           "CREATE TABLE institutions(name TEXT PRIMARY KEY, display_name TEXT "
           "NOT NULL, kind INTEGER NOT NULL, parent TEXT, location TEXT) "
           "WITHOUT ROWID",
           "CREATE TABLE citations(id INTEGER PRIMARY KEY, document TEXT NOT "
           "NULL, quote TEXT NOT NULL)",
           "CREATE TABLE facts(subject TEXT NOT NULL, path TEXT NOT NULL, "
           "predicate TEXT NOT NULL, object TEXT NOT NULL, is_link INTEGER NOT "
           "NULL, citation INTEGER REFERENCES citations(id))",
           "CREATE TABLE names(normalized TEXT NOT NULL, text TEXT NOT NULL, "
           "resource TEXT NOT NULL)",
           "BEGIN",
       }) {
    if (absl::Status status = mirror->Execute(sql); !status.ok()) {
      return status;
    }
  }

  Statement institution = mirror->Prepare(
      "INSERT INTO institutions VALUES (?1, ?2, ?3, NULLIF(?4, ''), "
      "NULLIF(?5, ''))");
  for (const google::protobuf::Message* message :
       snapshot.Resources(*store::CollectionById("institutions"))) {
    const auto& resource = static_cast<const v1::Institution&>(*message);
    institution.BindText(1, resource.name());
    institution.BindText(2, resource.display_name());
    institution.BindInt(3, resource.kind());
    institution.BindText(4, resource.parent().name());
    institution.BindText(5, resource.location().name());
    institution.ReadAll();
  }

  Statement citation =
      mirror->Prepare("INSERT INTO citations VALUES (?1, ?2, ?3)");
  Statement fact =
      mirror->Prepare("INSERT INTO facts VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  absl::flat_hash_map<std::string, int64_t> citation_ids;
  for (store::FactIndex i = 0; i < snapshot.fact_count(); ++i) {
    const v1::Fact materialised = snapshot.GetFact(i);
    fact.BindText(1, materialised.subject());
    fact.BindText(2, materialised.path());
    fact.BindText(3, materialised.predicate());
    fact.BindText(4, snapshot.FactObjectKey(i));
    fact.BindInt(5, materialised.object().has_entity_value() ? 1 : 0);
    if (materialised.citations().empty()) {
      // No citation has id 0: the LEFT JOIN gives NULLs.
      fact.BindInt(6, 0);
    } else {
      const v1::Citation& cited = materialised.citations(0);
      auto [it, inserted] = citation_ids.try_emplace(
          absl::StrCat(cited.document(), "\n", cited.quote()),
          static_cast<int64_t>(citation_ids.size()) + 1);
      if (inserted) {
        citation.BindInt(1, it->second);
        citation.BindText(2, cited.document());
        citation.BindText(3, cited.quote());
        citation.ReadAll();
      }
      fact.BindInt(6, it->second);
    }
    fact.ReadAll();
  }

  Statement name = mirror->Prepare("INSERT INTO names VALUES (?1, ?2, ?3)");
  for (const store::NameEntry& entry : snapshot.NameEntries()) {
    name.BindText(1, entry.normalized);
    name.BindText(2, entry.text);
    name.BindText(3, entry.resource_name);
    name.ReadAll();
  }

  for (const char* sql : {
           "COMMIT",
           "CREATE INDEX institutions_location ON institutions(location, name)",
           "CREATE INDEX institutions_parent ON institutions(parent, name)",
           "CREATE INDEX institutions_display_name ON "
           "institutions(display_name, name)",
           "CREATE INDEX facts_subject ON facts(subject)",
           "CREATE INDEX facts_object ON facts(object, predicate)",
           "CREATE INDEX names_normalized ON names(normalized, resource)",
           "ANALYZE",
       }) {
    if (absl::Status status = mirror->Execute(sql); !status.ok()) {
      return status;
    }
  }
  return mirror;
}

}  // namespace factgraph::bench
