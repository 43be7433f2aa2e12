// factgraphd's log lines: the server's own events and, in JSON, the access
// log. `text` keeps the human lines factgraphd always wrote; `json` writes one
// object per line (time, level, message, then the event's fields) for log
// collectors. See docs/operate.md "Logs".
#ifndef FACTGRAPH_SERVICE_SERVER_LOG_FORMAT_H_
#define FACTGRAPH_SERVICE_SERVER_LOG_FORMAT_H_

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace factgraph::server {

enum class LogFormat { kText, kJson };

// "text" or "json"; INVALID_ARGUMENT naming the flag otherwise.
absl::StatusOr<LogFormat> ParseLogFormat(std::string_view name);

// One field of a log event, already encoded as a JSON value.
struct LogField {
  static LogField String(std::string_view key, std::string_view value);
  static LogField Int(std::string_view key, int64_t value);
  static LogField Seconds(std::string_view key, absl::Duration value);
  static LogField Strings(std::string_view key,
                          const std::vector<std::string>& values);

  std::string key;
  std::string json;
  // The values of Strings(), for the text format.
  std::vector<std::string> lines;
};

// `text` as a JSON string literal, quotes included. Bytes that are not valid
// UTF-8 become U+FFFD so that every line stays valid JSON.
std::string JsonString(std::string_view text);

// One JSON object, newline-terminated:
// {"time":"<RFC 3339 UTC, µs>","level":"<level>","message":"...",<fields>}
std::string JsonLogLine(absl::Time time, std::string_view level,
                        std::string_view message,
                        std::initializer_list<LogField> fields);

// Splits a multi-error status message (one problem per line) into an array.
std::vector<std::string> ErrorLines(absl::string_view message);

// The server's own events (start, load, reload, drain, exit) on one stream.
class EventLog {
 public:
  EventLog(LogFormat format, std::FILE* out) : format_(format), out_(out) {}

  // Text: "<time> factgraphd: <message>", then the "errors" field, one per
  // line, after a colon. JSON: JsonLogLine with every field.
  void Write(std::string_view level, std::string_view message,
             std::initializer_list<LogField> fields = {});

  LogFormat format() const { return format_; }

 private:
  const LogFormat format_;
  std::FILE* const out_;
  absl::Mutex mu_;
};

// Routes gRPC core's own log lines through JsonLogLine (level, message and
// "source": file:line) so that a JSON log holds nothing else.
void SendGrpcLogsAsJson();

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_LOG_FORMAT_H_
