// The one place that makes text for factgraphd's logs (the access log and
// the server's own lines) safe: nothing a caller or a file sends can start a
// line, end one early, or carry terminal escapes or invalid UTF-8 into it.
// SECURITY.md "Logs".
#ifndef FACTGRAPH_SERVICE_SERVER_LOG_TEXT_H_
#define FACTGRAPH_SERVICE_SERVER_LOG_TEXT_H_

#include <string>
#include <string_view>

namespace factgraph::server {

// One space-separated field of a log line: control characters (C0, DEL, C1),
// U+2028/U+2029, spaces and backslashes become \xNN / \uNNNN / \\, and every
// byte that is not part of valid UTF-8 becomes \xNN. Valid printable UTF-8
// passes unchanged. The result never contains a space or a control byte, so
// it can be parsed back by splitting on spaces.
std::string EscapeLogField(std::string_view text);

// A message of the server's own log: escaped like a field except that spaces
// stay, and each newline is kept but the line after it is indented by two
// spaces, so a multi-line message (a refused reload lists its errors one per
// line) can never produce a line that looks like a new log entry.
std::string EscapeLogMessage(std::string_view text);

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_LOG_TEXT_H_
