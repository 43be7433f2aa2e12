// A small knowledge base built in code (no loader, no seeds) for the tests of
// list, search, facts and graph: institutions, people, agreements, a
// project, a funding, an event, a statistic and a document, linked so that
// neighbourhoods and paths have known shapes.
#ifndef FACTGRAPH_TESTS_QUERY_FIXTURE_H_
#define FACTGRAPH_TESTS_QUERY_FIXTURE_H_

#include <memory>

#include "factgraph/v1/knowledge_base.pb.h"
#include "service/store/snapshot.h"

namespace factgraph::query::test_support {

v1::KnowledgeBase FixtureKnowledgeBase();

std::shared_ptr<const store::Snapshot> FixtureSnapshot();

}  // namespace factgraph::query::test_support

#endif  // FACTGRAPH_TESTS_QUERY_FIXTURE_H_
