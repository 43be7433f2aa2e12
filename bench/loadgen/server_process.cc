#include "bench/loadgen/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/store/file_reader.h"

extern char** environ;

namespace factgraph::bench {
namespace {

// The whole file, or empty when it cannot be read (yet).
std::string ReadWhole(const std::string& path) {
  return store::ReadRegularFile(path).value_or(std::string());
}

// A "Vm...:   1234 kB" line of /proc/<pid>/status, in bytes.
absl::StatusOr<int64_t> StatusField(pid_t pid, absl::string_view field) {
  const std::string path = absl::StrCat("/proc/", pid, "/status");
  const std::string status = ReadWhole(path);
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    if (!absl::ConsumePrefix(&line, field) || !absl::ConsumePrefix(&line, ":"))
      continue;
    line = absl::StripAsciiWhitespace(line);
    if (!absl::ConsumeSuffix(&line, " kB")) break;
    int64_t kilobytes = 0;
    if (!absl::SimpleAtoi(line, &kilobytes)) break;
    return kilobytes * 1024;
  }
  return absl::NotFoundError(absl::StrCat("no ", field, " in ", path));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const ServerProcessOptions& options) {
  const std::string port_file = options.work_dir + "/port";
  const std::string log_path = options.work_dir + "/factgraphd.log";
  std::remove(port_file.c_str());
  std::vector<std::string> args = {options.binary, "--listen=127.0.0.1:0",
                                   "--port_file=" + port_file, "--enable_echo"};
  args.insert(args.end(), options.flags.begin(), options.flags.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  auto server = std::unique_ptr<ServerProcess>(new ServerProcess);
  server->log_path_ = log_path;
  const auto started = std::chrono::steady_clock::now();
  const int error = posix_spawn(&server->pid_, options.binary.c_str(), &actions,
                                nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    server->pid_ = -1;
    return absl::InternalError(absl::StrCat("cannot start ", options.binary,
                                            ": ", std::strerror(error)));
  }
  const auto deadline =
      started + absl::ToChronoNanoseconds(options.start_timeout);
  while (true) {
    // The server writes the port file aside and renames it: a file that
    // exists is complete.
    if (access(port_file.c_str(), F_OK) == 0) {
      server->startup_time_ =
          absl::FromChrono(std::chrono::steady_clock::now() - started);
      break;
    }
    int status = 0;
    if (waitpid(server->pid_, &status, WNOHANG) == server->pid_) {
      server->pid_ = -1;
      return absl::InternalError(
          absl::StrCat(options.binary, " exited before serving; its log:\n",
                       ReadWhole(log_path)));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(options.binary, " did not serve within ",
                       absl::FormatDuration(options.start_timeout),
                       "; its log:\n", ReadWhole(log_path)));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  absl::StatusOr<int> port = ReadPortFile(port_file);
  if (!port.ok()) return port.status();
  server->port_ = *port;
  return server;
}

absl::StatusOr<int> ReadPortFile(const std::string& path) {
  const std::string port_text(absl::StripAsciiWhitespace(ReadWhole(path)));
  int port = 0;
  if (!absl::SimpleAtoi(port_text, &port) || port <= 0) {
    return absl::InternalError(
        absl::StrCat(path, " holds no port: \"", port_text, "\""));
  }
  return port;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

absl::StatusOr<int64_t> ServerProcess::PeakResidentBytes() const {
  return StatusField(pid_, "VmHWM");
}

absl::StatusOr<int64_t> ServerProcess::ResidentBytes() const {
  return StatusField(pid_, "VmRSS");
}

absl::StatusOr<absl::Duration> ProcessCpuTime(pid_t pid) {
  const std::string path = absl::StrCat("/proc/", pid, "/stat");
  const std::string stat = ReadWhole(path);
  // The command name (field 2) is in parentheses and may hold spaces; utime
  // and stime are fields 14 and 15, i.e. the 12th and 13th after it.
  const size_t end_of_name = stat.rfind(')');
  if (end_of_name == std::string::npos) {
    return absl::NotFoundError(absl::StrCat("cannot parse ", path));
  }
  const std::vector<std::string> fields =
      absl::StrSplit(stat.substr(end_of_name + 2), ' ', absl::SkipEmpty());
  int64_t user = 0, system = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &user) ||
      !absl::SimpleAtoi(fields[12], &system)) {
    return absl::NotFoundError(absl::StrCat("cannot parse ", path));
  }
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  return absl::Seconds(static_cast<double>(user + system) /
                       static_cast<double>(ticks_per_second));
}

absl::Status ServerProcess::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGTERM);
  int status = 0;
  const pid_t waited = waitpid(pid_, &status, 0);
  pid_ = -1;
  if (waited < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(
        absl::StrCat("factgraphd did not exit cleanly on SIGTERM; its log:\n",
                     ReadWhole(log_path_)));
  }
  return absl::OkStatus();
}

}  // namespace factgraph::bench
