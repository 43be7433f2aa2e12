// The standard process_* families of Prometheus client libraries, read from
// /proc/self on Linux: CPU time, resident and virtual memory, open and
// maximum file descriptors, threads, start time.
#ifndef FACTGRAPH_SERVICE_SERVER_PROCESS_METRICS_H_
#define FACTGRAPH_SERVICE_SERVER_PROCESS_METRICS_H_

#include <string>

namespace factgraph::server {

// Appends the families it can read; none where /proc is missing.
void AppendProcessMetrics(std::string* out);

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_PROCESS_METRICS_H_
