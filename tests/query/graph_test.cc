#include "service/query/graph.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/query/fixture.h"

namespace factgraph::query {
namespace {

using Link = std::pair<std::string, std::string>;  // (subject, path)

struct ExpectedNeighbor {
  std::string name;
  int distance;
  std::vector<Link> links;
};

struct ExpectedPath {
  std::vector<std::string> entities;
  std::vector<Link> links;
};

class GraphTest : public ::testing::Test {
 protected:
  GraphTest() : snapshot_(test_support::FixtureSnapshot()) {}

  void ExpectNeighbors(const NeighborsRequest& request,
                       const std::vector<ExpectedNeighbor>& expected,
                       bool truncated) {
    absl::StatusOr<v1::ListNeighborsResponse> response =
        ListNeighbors(*snapshot_, request);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->truncated(), truncated);
    ASSERT_EQ(response->neighbors_size(), static_cast<int>(expected.size()))
        << response->DebugString();
    for (size_t i = 0; i < expected.size(); ++i) {
      const v1::Neighbor& neighbor = response->neighbors(static_cast<int>(i));
      EXPECT_EQ(neighbor.entity().name(), expected[i].name) << i;
      EXPECT_EQ(neighbor.distance(), expected[i].distance) << i;
      std::vector<Link> links;
      for (const v1::Fact& fact : neighbor.links()) {
        links.emplace_back(fact.subject(), fact.path());
      }
      EXPECT_EQ(links, expected[i].links) << expected[i].name;
    }
  }

  void ExpectPaths(const PathsRequest& request,
                   const std::vector<ExpectedPath>& expected, bool truncated) {
    absl::StatusOr<v1::FindPathsResponse> response =
        FindPaths(*snapshot_, request);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->truncated(), truncated);
    ASSERT_EQ(response->paths_size(), static_cast<int>(expected.size()))
        << response->DebugString();
    for (size_t i = 0; i < expected.size(); ++i) {
      const v1::Path& path = response->paths(static_cast<int>(i));
      std::vector<std::string> entities;
      for (const v1::EntityRef& entity : path.entities()) {
        entities.push_back(entity.name());
      }
      std::vector<Link> links;
      for (const v1::Fact& fact : path.links()) {
        links.emplace_back(fact.subject(), fact.path());
      }
      EXPECT_EQ(entities, expected[i].entities) << i;
      EXPECT_EQ(links, expected[i].links) << i;
    }
  }

  std::shared_ptr<const store::Snapshot> snapshot_;
};

const std::vector<ExpectedNeighbor> kKaistDepth1 = {
    {"agreements/kaist-moderna",
     1,
     {{"agreements/kaist-moderna", "parties[0]"}}},
    {"agreements/ku-kaist", 1, {{"agreements/ku-kaist", "parties[1]"}}},
    {"agreements/ncc-kaist", 1, {{"agreements/ncc-kaist", "parties[1]"}}},
    {"events/symposium",
     1,
     {{"events/symposium", "organizers[1]"},
      {"events/symposium", "participants[0]"}}},
    {"institutions/daejeon", 1, {{"institutions/kaist", "location"}}},
    {"people/lee-kwang-hyung",
     1,
     {{"people/lee-kwang-hyung", "roles[0].institution"}}},
    {"projects/project-h", 1, {{"projects/project-h", "participants[0]"}}},
};

TEST_F(GraphTest, NeighborsAtDepthOne) {
  NeighborsRequest request;
  request.name = "institutions/kaist";
  ExpectNeighbors(request, kKaistDepth1, false);
  request.depth = 1;
  request.max_results = 7;
  ExpectNeighbors(request, kKaistDepth1, false);
}

TEST_F(GraphTest, NeighborsAtDepthTwo) {
  NeighborsRequest request;
  request.name = "institutions/kaist";
  request.depth = 2;
  std::vector<ExpectedNeighbor> expected = kKaistDepth1;
  const std::vector<ExpectedNeighbor> second = {
      {"fundings/project-h-grant",
       2,
       {{"fundings/project-h-grant", "project"}}},
      {"institutions/ku",
       2,
       {{"agreements/ku-kaist", "parties[0]"},
        {"events/symposium", "organizers[0]"}}},
      {"institutions/ku-anam-hospital", 2, {{"projects/project-h", "lead"}}},
      {"institutions/moderna", 2, {{"agreements/kaist-moderna", "parties[1]"}}},
      {"institutions/ncc", 2, {{"agreements/ncc-kaist", "parties[0]"}}},
      {"institutions/seoul",
       2,
       {{"agreements/ku-kaist", "place"}, {"events/symposium", "place"}}},
  };
  expected.insert(expected.end(), second.begin(), second.end());
  ExpectNeighbors(request, expected, false);

  request.max_results = 8;
  ExpectNeighbors(
      request,
      std::vector<ExpectedNeighbor>(expected.begin(), expected.begin() + 8),
      true);
  request.max_results = 7;
  ExpectNeighbors(request, kKaistDepth1, true);
}

TEST_F(GraphTest, NeighborsThroughSomePredicates) {
  NeighborsRequest request;
  request.name = "institutions/kaist";
  request.depth = 4;
  request.predicates = {"parties"};
  ExpectNeighbors(
      request,
      {{"agreements/kaist-moderna",
        1,
        {{"agreements/kaist-moderna", "parties[0]"}}},
       {"agreements/ku-kaist", 1, {{"agreements/ku-kaist", "parties[1]"}}},
       {"agreements/ncc-kaist", 1, {{"agreements/ncc-kaist", "parties[1]"}}},
       {"institutions/ku", 2, {{"agreements/ku-kaist", "parties[0]"}}},
       {"institutions/moderna",
        2,
        {{"agreements/kaist-moderna", "parties[1]"}}},
       {"institutions/ncc", 2, {{"agreements/ncc-kaist", "parties[0]"}}}},
      false);
  request.predicates = {"parent"};
  ExpectNeighbors(request, {}, false);
  request.name = "institutions/ku-anam-hospital";
  ExpectNeighbors(
      request,
      {{"institutions/ku-medicine",
        1,
        {{"institutions/ku-anam-hospital", "parent"}}},
       {"institutions/ku", 2, {{"institutions/ku-medicine", "parent"}}}},
      false);
}

TEST_F(GraphTest, NeighborErrors) {
  struct Case {
    NeighborsRequest request;
    absl::StatusCode code;
    std::string message;
  };
  std::vector<Case> cases(5);
  cases[0].request.name = "institutions/kaist";
  cases[0].request.depth = 5;
  cases[0].code = absl::StatusCode::kInvalidArgument;
  cases[0].message = "depth must be between 1 and 4 (got 5)";
  cases[1].request.name = "institutions/kaist";
  cases[1].request.depth = -1;
  cases[1].code = absl::StatusCode::kInvalidArgument;
  cases[1].message = "depth must be between 1 and 4 (got -1)";
  cases[2].request.name = "institutions/nope";
  cases[2].code = absl::StatusCode::kNotFound;
  cases[2].message = "name: institutions/nope not found";
  cases[3].request.name = "nope";
  cases[3].code = absl::StatusCode::kInvalidArgument;
  cases[3].message =
      "name: \"nope\" is not a resource name, expected \"{collection}/{id}\"";
  cases[4].request.name = "institutions/kaist";
  cases[4].request.max_results = -1;
  cases[4].code = absl::StatusCode::kInvalidArgument;
  cases[4].message = "max_results must not be negative (got -1)";
  for (const Case& c : cases) {
    absl::StatusOr<v1::ListNeighborsResponse> response =
        ListNeighbors(*snapshot_, c.request);
    ASSERT_FALSE(response.ok()) << c.message;
    EXPECT_EQ(response.status().code(), c.code);
    EXPECT_EQ(response.status().message(), c.message);
  }
  NeighborsRequest request;
  request.name = "things/kaist";
  EXPECT_EQ(ListNeighbors(*snapshot_, request).status().message(),
            "name: \"things/kaist\" is not a resource name: \"things\" is not "
            "a collection (one of institutions, people, agreements, projects, "
            "fundings, events, statistics, documents, statements)");
}

TEST_F(GraphTest, NeighborsCanBeCancelled) {
  NeighborsRequest request;
  request.name = "institutions/kaist";
  request.depth = 4;
  int polls = 0;
  absl::StatusOr<v1::ListNeighborsResponse> response =
      ListNeighbors(*snapshot_, request, [&] { return ++polls > 3; });
  EXPECT_EQ(response.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(polls, 4);
}

TEST_F(GraphTest, SinglePath) {
  PathsRequest request;
  request.from = "institutions/kaist";
  request.to = "institutions/moderna";
  ExpectPaths(request,
              {{{"institutions/kaist", "agreements/kaist-moderna",
                 "institutions/moderna"},
                {{"agreements/kaist-moderna", "parties[0]"},
                 {"agreements/kaist-moderna", "parties[1]"}}}},
              false);
}

TEST_F(GraphTest, AllShortestPathsInOrder) {
  PathsRequest request;
  request.from = "institutions/kaist";
  request.to = "institutions/ku";
  const std::vector<ExpectedPath> expected = {
      {{"institutions/kaist", "agreements/ku-kaist", "institutions/ku"},
       {{"agreements/ku-kaist", "parties[1]"},
        {"agreements/ku-kaist", "parties[0]"}}},
      {{"institutions/kaist", "events/symposium", "institutions/ku"},
       {{"events/symposium", "organizers[1]"},
        {"events/symposium", "organizers[0]"}}},
      {{"institutions/kaist", "events/symposium", "institutions/ku"},
       {{"events/symposium", "participants[0]"},
        {"events/symposium", "organizers[0]"}}},
  };
  ExpectPaths(request, expected, false);
  request.max_paths = 2;
  ExpectPaths(request, {expected[0], expected[1]}, true);
  request.max_paths = 3;
  ExpectPaths(request, expected, false);

  request.to = "people/kim-dong-won";
  request.max_paths = 0;
  std::vector<ExpectedPath> to_kim = expected;
  for (ExpectedPath& path : to_kim) {
    path.entities.push_back("people/kim-dong-won");
    path.links.emplace_back("people/kim-dong-won", "roles[0].institution");
  }
  ExpectPaths(request, to_kim, false);
  // Reversed, the same chains in the other direction.
  request.from = "people/kim-dong-won";
  request.to = "institutions/kaist";
  absl::StatusOr<v1::FindPathsResponse> reversed =
      FindPaths(*snapshot_, request);
  ASSERT_TRUE(reversed.ok());
  ASSERT_EQ(reversed->paths_size(), 3);
  EXPECT_EQ(reversed->paths(0).entities(1).name(), "institutions/ku");
  EXPECT_EQ(reversed->paths(0).entities(2).name(), "agreements/ku-kaist");
}

TEST_F(GraphTest, LongerPathsAndMaxLength) {
  PathsRequest request;
  request.from = "institutions/kaist";
  request.to = "institutions/msit";
  const ExpectedPath path = {{"institutions/kaist", "projects/project-h",
                              "fundings/project-h-grant", "institutions/msit"},
                             {{"projects/project-h", "participants[0]"},
                              {"fundings/project-h-grant", "project"},
                              {"fundings/project-h-grant", "funder"}}};
  ExpectPaths(request, {path}, false);
  request.max_length = 3;
  ExpectPaths(request, {path}, false);
  request.max_length = 2;
  ExpectPaths(request, {}, false);
  // Display names come from the snapshot.
  request.max_length = 0;
  absl::StatusOr<v1::FindPathsResponse> response =
      FindPaths(*snapshot_, request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->paths(0).entities(3).display_name(),
            "Ministry of Science and ICT");
}

TEST_F(GraphTest, PathErrors) {
  PathsRequest request;
  request.from = "institutions/kaist";
  request.to = "institutions/kaist";
  EXPECT_EQ(FindPaths(*snapshot_, request).status().message(),
            "from and to are the same entity (institutions/kaist)");
  request.to = "institutions/nope";
  EXPECT_EQ(FindPaths(*snapshot_, request).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(FindPaths(*snapshot_, request).status().message(),
            "to: institutions/nope not found");
  request.to = "institutions/ku";
  request.max_length = 7;
  EXPECT_EQ(FindPaths(*snapshot_, request).status().message(),
            "max_length must be between 1 and 6 (got 7)");
  request.max_length = 0;
  request.max_paths = -2;
  EXPECT_EQ(FindPaths(*snapshot_, request).status().message(),
            "max_paths must not be negative (got -2)");
  request.max_paths = 0;
  request.from = "";
  EXPECT_EQ(FindPaths(*snapshot_, request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.from = "institutions/kaist";
  EXPECT_EQ(FindPaths(*snapshot_, request, [] { return true; }).status().code(),
            absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace factgraph::query
