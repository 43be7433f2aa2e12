#include "client/cli/connection.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "factgraph/service_config.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "service/store/file_reader.h"

namespace factgraph::cli {
namespace {

std::shared_ptr<grpc::Channel> MakeChannel(const ConnectionOptions& options) {
  grpc::ChannelArguments arguments;
  // Responses as large as the server may send (a document's content).
  arguments.SetMaxReceiveMessageSize(64 << 20);
  // The recommended service config of deploy/README.md: round_robin over
  // every address of the target, FactGraphService calls retried on
  // UNAVAILABLE.
  arguments.SetServiceConfigJSON(kServiceConfigJson);
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.tls) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.tls_ca_pem;
    ssl.pem_cert_chain = options.tls_cert_pem;
    ssl.pem_private_key = options.tls_key_pem;
    credentials = grpc::SslCredentials(ssl);
    if (!options.tls_server_name.empty()) {
      arguments.SetSslTargetNameOverride(options.tls_server_name);
    }
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  return grpc::CreateCustomChannel(options.server, credentials, arguments);
}

}  // namespace

absl::StatusOr<ConnectionOptions> ConnectionOptionsFrom(
    const Invocation& invocation) {
  ConnectionOptions options;
  if (const char* from_env = std::getenv("FACTGRAPH_SERVER");
      from_env != nullptr && *from_env != '\0') {
    options.server = from_env;
  }
  options.server = invocation.String("server", options.server);
  if (options.server.empty()) return UsageError("--server is empty");
  absl::StatusOr<absl::Duration> timeout =
      invocation.Duration("timeout", options.timeout);
  if (!timeout.ok()) return timeout.status();
  options.timeout = *timeout;
  options.tls = invocation.Bool("tls");

  struct FileOption {
    const char* name;
    std::string* target;
    bool is_tls;
  };
  const FileOption files[] = {
      {"tls_ca_file", &options.tls_ca_pem, true},
      {"tls_cert_file", &options.tls_cert_pem, true},
      {"tls_key_file", &options.tls_key_pem, true},
      {"token_file", &options.token, false},
  };
  for (const FileOption& file : files) {
    if (!invocation.Has(file.name)) continue;
    absl::StatusOr<std::string> contents =
        store::ReadRegularFile(invocation.String(file.name));
    if (!contents.ok()) {
      return absl::Status(
          contents.status().code(),
          absl::StrCat("--", file.name, ": ", contents.status().message()));
    }
    *file.target = *std::move(contents);
    if (file.is_tls) options.tls = true;
  }
  if (options.tls_cert_pem.empty() != options.tls_key_pem.empty()) {
    return UsageError("--tls_cert_file and --tls_key_file go together");
  }
  options.token = std::string(absl::StripAsciiWhitespace(options.token));
  if (invocation.Has("token_file") && options.token.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--token_file: ", invocation.String("token_file"), " holds no token"));
  }
  options.tls_server_name = invocation.String("tls_server_name");
  if (!options.tls_server_name.empty()) options.tls = true;
  return options;
}

Connection::Connection(ConnectionOptions options)
    : options_(std::move(options)), channel_(MakeChannel(options_)) {}

void Connection::Prepare(grpc::ClientContext* context) const {
  context->set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  if (!options_.token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", options_.token));
  }
}

std::string ErrorDetailsText(const std::string& details) {
  google::rpc::Status rich;
  if (details.empty() || !rich.ParseFromString(details)) return "";
  std::vector<std::string> parts;
  for (const google::protobuf::Any& any : rich.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    google::rpc::ResourceInfo resource;
    google::rpc::RetryInfo retry;
    if (any.UnpackTo(&info)) {
      parts.push_back(absl::StrCat("reason=", info.reason()));
      auto position = info.metadata().find("position");
      if (position != info.metadata().end()) {
        parts.push_back(absl::StrCat("position=", position->second));
      }
    } else if (any.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) {
        parts.push_back(absl::StrCat("field=", violation.field()));
      }
    } else if (any.UnpackTo(&resource)) {
      parts.push_back(absl::StrCat("resource=", resource.resource_type(), " ",
                                   resource.resource_name()));
    } else if (any.UnpackTo(&retry)) {
      parts.push_back(absl::StrCat(
          "retry_after=", absl::FormatDuration(
                              absl::Seconds(retry.retry_delay().seconds()) +
                              absl::Nanoseconds(retry.retry_delay().nanos()))));
    }
  }
  if (parts.empty()) return "";
  return absl::StrCat(" [", absl::StrJoin(parts, " "), "]");
}

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(status.error_message(),
                                   ErrorDetailsText(status.error_details())));
}

absl::Status Connection::Failed(const grpc::Status& status) const {
  absl::Status failed = FromGrpc(status);
  if (status.error_code() != grpc::StatusCode::UNAVAILABLE) return failed;
  // A plaintext client talking to a TLS server sees the socket closed; a TLS
  // client talking to a plaintext server sees a failed handshake.
  const std::string& message = status.error_message();
  if (!options_.tls && absl::StrContains(message, "Socket closed")) {
    return absl::UnavailableError(absl::StrCat(
        failed.message(), " (if ", options_.server,
        " serves TLS, pass --tls, --tls_ca_file or --tls_server_name)"));
  }
  if (options_.tls &&
      absl::StrContains(absl::AsciiStrToLower(message), "handshake")) {
    return absl::UnavailableError(absl::StrCat(
        failed.message(), " (the TLS handshake with ", options_.server,
        " failed: check --tls_ca_file, or whether it serves plaintext)"));
  }
  return failed;
}

}  // namespace factgraph::cli
