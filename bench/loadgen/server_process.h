// A factgraphd child process for benchmarks: started on a free port with
// the echo service, timed from exec to SERVING, stopped with SIGTERM.
#ifndef FACTGRAPH_BENCH_LOADGEN_SERVER_PROCESS_H_
#define FACTGRAPH_BENCH_LOADGEN_SERVER_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

// Defaults of the --server_binary and --seeds flags of the benchmarks that
// start a server; their CMakeLists.txt pass the built factgraphd and the
// repository's seeds.
#ifndef FACTGRAPH_FACTGRAPHD_PATH
#define FACTGRAPH_FACTGRAPHD_PATH "factgraphd"
#endif
#ifndef FACTGRAPH_DEFAULT_SEEDS_DIR
#define FACTGRAPH_DEFAULT_SEEDS_DIR "seeds"
#endif

namespace factgraph::bench {

struct ServerProcessOptions {
  std::string binary;
  // Flags after --listen, --port_file and --enable_echo, e.g.
  // {"--snapshot=/tmp/kb.bin"}.
  std::vector<std::string> flags;
  // A directory for the port file and the server's log.
  std::string work_dir;
  absl::Duration start_timeout = absl::Minutes(5);
};

// CPU time (user + system) process `pid` has used so far.
absl::StatusOr<absl::Duration> ProcessCpuTime(pid_t pid);

// The port a factgraphd wrote to one of its --*port_file flags.
absl::StatusOr<int> ReadPortFile(const std::string& path);

class ServerProcess {
 public:
  // Starts the server and returns once it has written its port file, which
  // it does after its first knowledge base is loaded and health is SERVING.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const ServerProcessOptions& options);
  ~ServerProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // From just before the exec to the port file's appearance.
  absl::Duration startup_time() const { return startup_time_; }

  // Peak and current resident memory (VmHWM, VmRSS) in bytes.
  absl::StatusOr<int64_t> PeakResidentBytes() const;
  absl::StatusOr<int64_t> ResidentBytes() const;

  // CPU time (user + system) the server has used so far.
  absl::StatusOr<absl::Duration> CpuTime() const {
    return ProcessCpuTime(pid_);
  }

  // SIGTERM, then waits; OK when it exited with status 0.
  absl::Status Stop();

 private:
  ServerProcess() = default;

  pid_t pid_ = -1;
  int port_ = 0;
  absl::Duration startup_time_;
  std::string log_path_;
};

}  // namespace factgraph::bench

#endif  // FACTGRAPH_BENCH_LOADGEN_SERVER_PROCESS_H_
