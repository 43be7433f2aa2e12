// How a long query learns that its caller is gone.
#ifndef FACTGRAPH_SERVICE_QUERY_CANCEL_CHECK_H_
#define FACTGRAPH_SERVICE_QUERY_CANCEL_CHECK_H_

#include <functional>

namespace factgraph::query {

// Polled inside the search loops; returning true stops the work with
// CANCELLED. May be empty.
using CancelCheck = std::function<bool()>;

}  // namespace factgraph::query

#endif  // FACTGRAPH_SERVICE_QUERY_CANCEL_CHECK_H_
