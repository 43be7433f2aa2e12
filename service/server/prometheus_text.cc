#include "service/server/prometheus_text.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace factgraph::server {

void PrometheusText::Family(std::string_view name, std::string_view type,
                            std::string_view help) {
  out_->append("# HELP ").append(name).append(" ");
  // HELP escapes only backslash and newline.
  for (char c : help) {
    if (c == '\\') {
      out_->append("\\\\");
    } else if (c == '\n') {
      out_->append("\\n");
    } else {
      out_->push_back(c);
    }
  }
  out_->append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

void PrometheusText::Head(std::string_view name, const Labels& labels) {
  out_->append(name);
  if (labels.empty()) {
    out_->push_back(' ');
    return;
  }
  out_->push_back('{');
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out_->push_back(',');
    out_->append(labels[i].first).append("=\"");
    for (char c : labels[i].second) {
      if (c == '\\') {
        out_->append("\\\\");
      } else if (c == '"') {
        out_->append("\\\"");
      } else if (c == '\n') {
        out_->append("\\n");
      } else {
        out_->push_back(c);
      }
    }
    out_->push_back('"');
  }
  out_->append("} ");
}

void PrometheusText::Sample(std::string_view name, const Labels& labels,
                            uint64_t value) {
  Head(name, labels);
  out_->append(std::to_string(value)).push_back('\n');
}

void PrometheusText::Sample(std::string_view name, const Labels& labels,
                            double value) {
  Head(name, labels);
  out_->append(Number(value)).push_back('\n');
}

std::string PrometheusText::Number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  // Whole numbers as integers ("10", not "1e+01"), as Prometheus's own
  // clients write them.
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof(buffer), "%.0f", value);
    return buffer;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

}  // namespace factgraph::server
