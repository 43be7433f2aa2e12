// The pieces under /metrics and the JSON logs, without a server: exact
// counts over many threads, bucket placement, refusal classification,
// number and string encoding.
#include <string>
#include <thread>
#include <vector>

#include "factgraph/v1/factgraph_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/server/call_metrics.h"
#include "service/server/log_format.h"
#include "service/server/prometheus_text.h"

namespace factgraph::server {
namespace {

using ::testing::HasSubstr;

constexpr char kGet[] = "/factgraph.v1.FactGraphService/GetInstitution";

// CallMetrics finds the services in the generated descriptor pool, which
// holds a proto file once its generated code is linked in; this links it.
const bool kServiceLinked = v1::QueryFactsResponse::descriptor() != nullptr;

TEST(CallMetricsTest, CountsFromManyThreadsAddUpExactly) {
  ASSERT_TRUE(kServiceLinked);
  CallMetrics metrics({"factgraph.v1.FactGraphService"});
  const int get = metrics.MethodIndex(kGet);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) {
        metrics.CallStarted(get);
        metrics.CallHandled(get, grpc::StatusCode::OK, "",
                            absl::Microseconds(75));
        metrics.CallEnded(get);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(metrics.Handled(get, grpc::StatusCode::OK), 40000u);
  std::string text;
  metrics.AppendPrometheus(&text);
  const std::string labels =
      "grpc_service=\"factgraph.v1.FactGraphService\",grpc_method="
      "\"GetInstitution\",grpc_type=\"unary\"";
  EXPECT_THAT(text,
              HasSubstr("grpc_server_started_total{" + labels + "} 40000\n"));
  EXPECT_THAT(text,
              HasSubstr("grpc_server_in_flight_calls{" + labels + "} 0\n"));
  // 75 µs is above the 50 µs bucket and within the 100 µs one.
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_bucket{" + labels +
                              ",grpc_code=\"OK\",le=\"5e-05\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_bucket{" + labels +
                              ",grpc_code=\"OK\",le=\"0.0001\"} 40000\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_sum{" + labels +
                              ",grpc_code=\"OK\"} 3\n"));
}

TEST(CallMetricsTest, UnknownMethodsShareOneSeries) {
  ASSERT_TRUE(kServiceLinked);
  CallMetrics metrics({"factgraph.v1.FactGraphService"});
  EXPECT_EQ(metrics.MethodIndex("/evil.Service/A"),
            metrics.MethodIndex("/evil.Service/B"));
  EXPECT_EQ(metrics.method(metrics.MethodIndex("/evil.Service/A")).name,
            "unknown");
  EXPECT_TRUE(metrics.IsQueryFacts(
      metrics.MethodIndex("/factgraph.v1.FactGraphService/QueryFacts")));
}

TEST(ClassifyRefusalTest, LimitsAndPageTokenReasons) {
  auto limit = [](grpc::StatusCode code, const char* message) {
    const int index = ClassifyRefusal(code, message).limit;
    return index < 0 ? std::string("none") : std::string(kLimitNames[index]);
  };
  auto reason = [](const char* message) {
    const int index =
        ClassifyRefusal(grpc::StatusCode::INVALID_ARGUMENT, message)
            .page_token_reason;
    return index < 0 ? std::string("none")
                     : std::string(kPageTokenReasons[index]);
  };
  EXPECT_EQ(limit(grpc::StatusCode::RESOURCE_EXHAUSTED,
                  "more than 256 QueryFacts streams are open; retry later"),
            "open_fact_streams");
  EXPECT_EQ(limit(grpc::StatusCode::OUT_OF_RANGE,
                  "names: 3 names, more than the limit of 2"),
            "batch_size");
  EXPECT_EQ(limit(grpc::StatusCode::OUT_OF_RANGE,
                  "the pattern matches more than 10 facts; narrow it"),
            "facts_per_call");
  EXPECT_EQ(limit(grpc::StatusCode::NOT_FOUND, "institutions/x not found"),
            "none");
  EXPECT_EQ(reason("page_token: not a page token (bad encoding); pass"),
            "malformed");
  EXPECT_EQ(reason("page_token: not a page token this server issued "
                   "(signature mismatch); pass"),
            "forged");
  EXPECT_EQ(reason("page_token: the token belongs to a different request"),
            "request_changed");
  EXPECT_EQ(reason("page_token: the knowledge base snapshot x that this "
                   "listing started on is no longer served"),
            "snapshot_expired");
  EXPECT_EQ(reason("filter: unexpected token"), "none");
}

TEST(PrometheusTextTest, NumbersAndEscapes) {
  EXPECT_EQ(PrometheusText::Number(0.00025), "0.00025");
  EXPECT_EQ(PrometheusText::Number(10), "10");
  EXPECT_EQ(PrometheusText::Number(1.0 / 3), "0.3333333333333333");
  std::string out;
  PrometheusText text(&out);
  text.Family("x_total", "counter", "a \\ b\nc");
  text.Sample("x_total", {{"l", "q\"\\\n"}}, uint64_t{2});
  EXPECT_EQ(out,
            "# HELP x_total a \\\\ b\\nc\n# TYPE x_total counter\n"
            "x_total{l=\"q\\\"\\\\\\n\"} 2\n");
}

TEST(LogFormatTest, JsonStringEscapesEverythingThatCouldBreakALine) {
  EXPECT_EQ(JsonString("a\"b\\c\nd\te\x01"), "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  EXPECT_EQ(JsonString("Zürich"), "\"Zürich\"");
  // Invalid UTF-8: a lone continuation byte, a truncated sequence, an
  // overlong encoding of '/'.
  EXPECT_EQ(JsonString("a\x80z\xC3"), "\"a\\ufffdz\\ufffd\"");
  EXPECT_EQ(JsonString("\xC0\xAF"), "\"\\ufffd\\ufffd\"");
}

TEST(LogFormatTest, OneObjectPerLine) {
  const absl::Time time = absl::FromUnixMicros(1796491629824635);
  EXPECT_EQ(
      JsonLogLine(
          time, "error", "reload refused",
          {LogField::String("event", "reload"), LogField::Int("port", 50051),
           LogField::Strings("errors", {"a.textproto:1: x", "b \"q\""})}),
      "{\"time\":\"2026-12-05T17:27:09.824635Z\",\"level\":\"error\","
      "\"message\":\"reload refused\",\"event\":\"reload\","
      "\"port\":50051,\"errors\":[\"a.textproto:1: x\","
      "\"b \\\"q\\\"\"]}\n");
  EXPECT_EQ(ErrorLines("heading:\nfirst\n\nsecond\n"),
            (std::vector<std::string>{"heading:", "first", "second"}));
  EXPECT_FALSE(ParseLogFormat("yaml").ok());
  EXPECT_EQ(*ParseLogFormat("json"), LogFormat::kJson);
}

}  // namespace
}  // namespace factgraph::server
