#include "service/server/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <sstream>
#include <vector>

#include "service/server/prometheus_text.h"
#include "service/store/file_reader.h"

namespace factgraph::server {
namespace {

// The whole of a /proc file, or empty when it cannot be read.
std::string ReadAll(const char* path) {
  return store::ReadRegularFile(path).value_or(std::string());
}

// Fields of /proc/self/stat after the command name (which may hold spaces),
// numbered as in proc(5): fields[0] is field 3, "state".
std::vector<std::string> StatFields() {
  const std::string stat = ReadAll("/proc/self/stat");
  const size_t end_of_name = stat.rfind(')');
  std::vector<std::string> fields;
  if (end_of_name == std::string::npos) return fields;
  std::istringstream rest(stat.substr(end_of_name + 1));
  std::string field;
  while (rest >> field) fields.push_back(field);
  return fields;
}

double BootTimeSeconds() {
  std::istringstream stat(ReadAll("/proc/stat"));
  std::string key;
  while (stat >> key) {
    if (key == "btime") {
      double seconds = 0;
      stat >> seconds;
      return seconds;
    }
  }
  return 0;
}

uint64_t OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  uint64_t count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count > 0 ? count - 1 : 0;  // Less the one opendir holds.
}

}  // namespace

void AppendProcessMetrics(std::string* out) {
  const std::vector<std::string> stat = StatFields();
  // proc(5) field n is stat[n - 3].
  if (stat.size() < 22) return;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const double cpu =
      (std::stod(stat[14 - 3]) + std::stod(stat[15 - 3])) / ticks;
  PrometheusText text(out);
  text.Family("process_cpu_seconds_total", "counter",
              "User and system CPU time spent, in seconds.");
  text.Sample("process_cpu_seconds_total", {}, cpu);
  text.Family("process_resident_memory_bytes", "gauge",
              "Resident memory size in bytes.");
  text.Sample("process_resident_memory_bytes", {},
              std::stod(stat[24 - 3]) * page);
  text.Family("process_virtual_memory_bytes", "gauge",
              "Virtual memory size in bytes.");
  text.Sample("process_virtual_memory_bytes", {}, std::stod(stat[23 - 3]));
  text.Family("process_threads", "gauge", "Threads of the process.");
  text.Sample("process_threads", {}, std::stod(stat[20 - 3]));
  text.Family("process_start_time_seconds", "gauge",
              "Start time of the process since the Unix epoch, in seconds.");
  text.Sample("process_start_time_seconds", {},
              BootTimeSeconds() + std::stod(stat[22 - 3]) / ticks);
  text.Family("process_open_fds", "gauge", "Open file descriptors.");
  text.Sample("process_open_fds", {}, OpenFds());
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    text.Family("process_max_fds", "gauge",
                "Most file descriptors the process may open.");
    text.Sample("process_max_fds", {}, static_cast<double>(limit.rlim_cur));
  }
}

}  // namespace factgraph::server
