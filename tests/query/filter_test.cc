#include "service/query/filter.h"

#include "factgraph/v1/institution.pb.h"
#include "gtest/gtest.h"

namespace factgraph::query {
namespace {
TEST(FilterTest, Smoke) {
  v1::Institution i;
  i.set_name("institutions/kaist");
  auto f = Filter::Parse("name = \"institutions/kaist\"",
                         *v1::Institution::descriptor());
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(f->Matches(i));
}
}  // namespace
}  // namespace factgraph::query
