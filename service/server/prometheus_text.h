// Writes the Prometheus text exposition format (version 0.0.4): # HELP and
// # TYPE per family, then its samples with escaped label values.
#ifndef FACTGRAPH_SERVICE_SERVER_PROMETHEUS_TEXT_H_
#define FACTGRAPH_SERVICE_SERVER_PROMETHEUS_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace factgraph::server {

class PrometheusText {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  explicit PrometheusText(std::string* out) : out_(out) {}

  void Family(std::string_view name, std::string_view type,
              std::string_view help);
  void Sample(std::string_view name, const Labels& labels, uint64_t value);
  void Sample(std::string_view name, const Labels& labels, double value);

  // Shortest text that reads back as `value` ("0.00025", "1", "+Inf").
  static std::string Number(double value);

 private:
  void Head(std::string_view name, const Labels& labels);
  std::string* const out_;
};

}  // namespace factgraph::server

#endif  // FACTGRAPH_SERVICE_SERVER_PROMETHEUS_TEXT_H_
