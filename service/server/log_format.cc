#include "service/server/log_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpc/support/log.h"
#include "service/server/log_text.h"
#include "service/store/utf8.h"

namespace factgraph::server {
namespace {

std::string_view LevelOf(gpr_log_severity severity) {
  switch (severity) {
    case GPR_LOG_SEVERITY_DEBUG:
      return "debug";
    case GPR_LOG_SEVERITY_INFO:
      return "info";
    default:
      return "error";
  }
}

void GrpcLogAsJson(gpr_log_func_args* args) {
  const std::string line = JsonLogLine(
      absl::Now(), LevelOf(args->severity), args->message,
      {LogField::String("logger", "grpc"),
       LogField::String(
           "source", absl::StrCat(args->file == nullptr ? "" : args->file, ":",
                                  args->line))});
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("--log_format: ", JsonString(name), " is not text or json"));
}

LogField LogField::String(std::string_view key, std::string_view value) {
  return {std::string(key), JsonString(value), {}};
}

LogField LogField::Int(std::string_view key, int64_t value) {
  return {std::string(key), std::to_string(value), {}};
}

LogField LogField::Seconds(std::string_view key, absl::Duration value) {
  return {std::string(key), absl::StrCat(absl::ToDoubleSeconds(value)), {}};
}

LogField LogField::Strings(std::string_view key,
                           const std::vector<std::string>& values) {
  std::string json = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) json += ",";
    json += JsonString(values[i]);
  }
  json += "]";
  return {std::string(key), std::move(json), values};
}

std::string JsonString(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    uint32_t code_point;
    const size_t length =
        store::Utf8SequenceLength(text.substr(i), &code_point);
    if (length == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (length > 1) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string JsonLogLine(absl::Time time, std::string_view level,
                        std::string_view message,
                        std::initializer_list<LogField> fields) {
  std::string line = "{\"time\":\"";
  line += absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", time, absl::UTCTimeZone());
  line += "\",\"level\":";
  line += JsonString(level);
  line += ",\"message\":";
  line += JsonString(message);
  for (const LogField& field : fields) {
    line += ",";
    line += JsonString(field.key);
    line += ":";
    line += field.json;
  }
  line += "}\n";
  return line;
}

std::vector<std::string> ErrorLines(absl::string_view message) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(message, '\n')) {
    if (!line.empty()) lines.emplace_back(line);
  }
  return lines;
}

void EventLog::Write(std::string_view level, std::string_view message,
                     std::initializer_list<LogField> fields) {
  std::string line;
  if (format_ == LogFormat::kJson) {
    line = JsonLogLine(absl::Now(), level, message, fields);
  } else {
    line = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                            absl::UTCTimeZone());
    line += " factgraphd: ";
    std::string text(message);
    for (const LogField& field : fields) {
      if (field.key != "errors") continue;
      // The text log shows the same errors one per line, as it always did.
      text += ":\n";
      text += absl::StrJoin(field.lines, "\n");
    }
    // Messages may carry text from files and callers: escaped in one place,
    // continuation lines indented (log_text.h).
    line += EscapeLogMessage(text);
    line += "\n";
  }
  absl::MutexLock lock(&mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

void SendGrpcLogsAsJson() { gpr_set_log_function(&GrpcLogAsJson); }

}  // namespace factgraph::server
