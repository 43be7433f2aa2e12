#include "service/query/list.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "factgraph/v1/institution.pb.h"
#include "gtest/gtest.h"
#include "service/store/snapshot_holder.h"
#include "tests/query/fixture.h"

namespace factgraph::query {
namespace {

using google::protobuf::Message;
using Names = std::vector<std::string>;

std::string NameOf(const Message& message) {
  return message.GetReflection()->GetString(
      message, message.GetDescriptor()->FindFieldByName("name"));
}

Names NamesOf(const std::vector<const Message*>& messages) {
  Names names;
  for (const Message* message : messages) names.push_back(NameOf(*message));
  return names;
}

const store::Collection& Institutions() {
  return *store::CollectionById("institutions");
}

class ListTest : public ::testing::Test {
 protected:
  ListTest() : snapshot_(test_support::FixtureSnapshot()) {
    holder_.Swap(snapshot_);
  }

  absl::StatusOr<ListResult> List(
      const ListRequest& request,
      const store::Collection& collection = Institutions()) {
    return ListPage(holder_, holder_.Current(), collection, request, limits_,
                    tokens_, &memos_);
  }

  // Every page of a listing, following the tokens.
  Names ListAll(ListRequest request,
                const store::Collection& collection = Institutions()) {
    Names names;
    for (int page = 0; page < 100; ++page) {
      absl::StatusOr<ListResult> result = List(request, collection);
      EXPECT_TRUE(result.ok()) << result.status();
      if (!result.ok()) break;
      for (const std::string& name : NamesOf(result->resources)) {
        names.push_back(name);
      }
      if (result->next_page_token.empty()) break;
      request.page_token = result->next_page_token;
    }
    return names;
  }

  std::shared_ptr<const store::Snapshot> snapshot_;
  store::SnapshotHolder holder_;
  ListLimits limits_;
  PageTokenCodec tokens_{"test secret"};
  ListMemos memos_;
};

TEST_F(ListTest, PagesThroughTheCollectionInNameOrder) {
  ListRequest request;
  request.page_size = 4;
  absl::StatusOr<ListResult> page = List(request);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(NamesOf(page->resources),
            (Names{"institutions/daejeon", "institutions/kaist",
                   "institutions/ku", "institutions/ku-anam-hospital"}));
  EXPECT_EQ(page->total_size, 10);
  EXPECT_EQ(page->snapshot, snapshot_);
  ASSERT_FALSE(page->next_page_token.empty());

  request.page_token = page->next_page_token;
  page = List(request);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(NamesOf(page->resources),
            (Names{"institutions/ku-medicine", "institutions/kumc",
                   "institutions/moderna", "institutions/msit"}));
  EXPECT_EQ(page->total_size, 10);

  request.page_token = page->next_page_token;
  page = List(request);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(NamesOf(page->resources),
            (Names{"institutions/ncc", "institutions/seoul"}));
  EXPECT_TRUE(page->next_page_token.empty());
}

TEST_F(ListTest, DefaultAndCappedPageSizes) {
  limits_.default_page_size = 3;
  limits_.max_page_size = 5;
  ListRequest request;
  absl::StatusOr<ListResult> page = List(request);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->resources.size(), 3u);
  request.page_size = 1000;
  page = List(request);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->resources.size(), 5u);
  EXPECT_EQ(ListAll(request).size(), 10u);
}

TEST_F(ListTest, FilterAndOrder) {
  ListRequest request;
  request.filter = "kind = HOSPITAL";
  EXPECT_EQ(ListAll(request), (Names{"institutions/ku-anam-hospital",
                                     "institutions/kumc", "institutions/ncc"}));
  request.order_by = "display_name desc";
  EXPECT_EQ(ListAll(request),
            (Names{"institutions/ncc", "institutions/ku-anam-hospital",
                   "institutions/kumc"}));
  request.page_size = 1;
  EXPECT_EQ(ListAll(request),
            (Names{"institutions/ncc", "institutions/ku-anam-hospital",
                   "institutions/kumc"}));
  request = ListRequest();
  request.filter = "aliases:*";
  request.order_by = "kind, display_name desc";
  EXPECT_EQ(
      ListAll(request),
      (Names{"institutions/ku", "institutions/kaist", "institutions/ncc",
             "institutions/kumc", "institutions/msit", "institutions/seoul"}));
}

TEST_F(ListTest, OrderWithoutAFilterPagesThroughOneCachedSort) {
  const Names by_display_name_desc = {
      "institutions/seoul",       "institutions/ncc",
      "institutions/moderna",     "institutions/msit",
      "institutions/ku-medicine", "institutions/ku-anam-hospital",
      "institutions/ku",          "institutions/kumc",
      "institutions/kaist",       "institutions/daejeon"};
  ListRequest request;
  request.order_by = "display_name desc";
  request.page_size = 3;
  EXPECT_EQ(ListAll(request), by_display_name_desc);
  request.page_size = 100;
  EXPECT_EQ(ListAll(request), by_display_name_desc);
  absl::StatusOr<ListResult> page = List(request);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->total_size, 10);
  // Ascending, spelled two ways: the same cached order.
  request.order_by = "display_name";
  const Names ascending(by_display_name_desc.rbegin(),
                        by_display_name_desc.rend());
  EXPECT_EQ(ListAll(request), ascending);
  request.order_by = " display_name  asc";
  request.page_size = 4;
  EXPECT_EQ(ListAll(request), ascending);
}

TEST_F(ListTest, IndexedTermsGiveTheSameResultsAsAFullScan) {
  struct Case {
    std::string collection, filter;
    Names expected;
  };
  const std::vector<Case> cases = {
      {"institutions",
       "parent = \"institutions/ku\"",
       {"institutions/ku-medicine"}},
      {"institutions",
       "location = \"institutions/seoul\"",
       {"institutions/ku", "institutions/ku-anam-hospital"}},
      {"institutions",
       "location.name = \"institutions/seoul\" AND kind = HOSPITAL",
       {"institutions/ku-anam-hospital"}},
      {"institutions", "name = \"institutions/kaist\"", {"institutions/kaist"}},
      {"institutions", "name = \"people/lee-kwang-hyung\"", {}},
      {"institutions", "location = \"institutions/nowhere\"", {}},
      {"people",
       "roles.institution = \"institutions/kaist\"",
       {"people/lee-kwang-hyung"}},
      {"agreements",
       "parties:\"institutions/kaist\"",
       {"agreements/kaist-moderna", "agreements/ku-kaist",
        "agreements/ncc-kaist"}},
      {"agreements",
       "parties:\"institutions/kaist\" AND parties:\"institutions/ku\"",
       {"agreements/ku-kaist"}},
      {"events",
       "organizers = \"institutions/kaist\" participants:*",
       {"events/symposium"}},
      {"fundings",
       "project = \"projects/project-h\"",
       {"fundings/project-h-grant"}},
  };
  for (const Case& c : cases) {
    const store::Collection& collection = *store::CollectionById(c.collection);
    ListRequest request;
    request.filter = c.filter;
    EXPECT_EQ(ListAll(request, collection), c.expected) << c.filter;
    // The same filter evaluated on every resource, without indexes.
    absl::StatusOr<Filter> filter =
        Filter::Parse(c.filter, *collection.descriptor);
    ASSERT_TRUE(filter.ok());
    Names scanned;
    for (const Message* resource : snapshot_->Resources(collection)) {
      if (filter->Matches(*resource)) scanned.push_back(NameOf(*resource));
    }
    EXPECT_EQ(scanned, c.expected) << c.filter;
  }
}

TEST_F(ListTest, RequestErrors) {
  ListRequest request;
  request.page_size = -1;
  absl::StatusOr<ListResult> result = List(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(),
            "page_size must not be negative (got -1)");

  request = ListRequest();
  request.filter = "kind = BLUE";
  result = List(request);
  EXPECT_EQ(result.status().message(),
            "filter: field \"kind\" is an enum: \"BLUE\" is not a value of "
            "factgraph.v1.InstitutionKind at position 8");
  request = ListRequest();
  request.order_by = "aliases";
  EXPECT_EQ(List(request).status().code(), absl::StatusCode::kInvalidArgument);

  request = ListRequest();
  request.page_token = "garbage";
  result = List(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message().substr(0, 12), "page_token: ");
}

TEST_F(ListTest, PageSizeMayChangeBetweenPages) {
  // AIP-158: the token carries the offset; page_size is not part of the
  // request it belongs to.
  ListRequest request;
  request.page_size = 1;
  absl::StatusOr<ListResult> first = List(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ListRequest next = request;
  next.page_token = first->next_page_token;
  next.page_size = 3;
  absl::StatusOr<ListResult> second = List(next);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->resources.size(), 3u);
  ListRequest all;
  all.page_size = 4;
  absl::StatusOr<ListResult> together = List(all);
  ASSERT_TRUE(together.ok()) << together.status();
  EXPECT_EQ(second->resources[0], together->resources[1]);
  EXPECT_EQ(second->resources[2], together->resources[3]);
}

TEST_F(ListTest, TokenOfAnotherRequestIsRejected) {
  ListRequest request;
  request.page_size = 2;
  request.filter = "kind = HOSPITAL";
  absl::StatusOr<ListResult> first = List(request);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_page_token.empty());

  ListRequest changed = request;
  changed.page_token = first->next_page_token;
  changed.filter = "kind = UNIVERSITY";
  EXPECT_EQ(List(changed).status().code(), absl::StatusCode::kInvalidArgument);
  changed = request;
  changed.page_token = first->next_page_token;
  changed.order_by = "name desc";
  EXPECT_EQ(List(changed).status().code(), absl::StatusCode::kInvalidArgument);
  changed = request;
  changed.page_token = first->next_page_token;
  changed.filter = "";
  EXPECT_EQ(List(changed, *store::CollectionById("people")).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Another codec secret: another server's token.
  request.page_token = first->next_page_token;
  EXPECT_EQ(ListPage(holder_, holder_.Current(), Institutions(), request,
                     limits_, PageTokenCodec("other"), &memos_)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

std::shared_ptr<const store::Snapshot> ChangedSnapshot() {
  v1::KnowledgeBase kb = test_support::FixtureKnowledgeBase();
  v1::Institution* added = kb.add_institutions();
  added->set_name("institutions/aaa");
  added->set_display_name("AAA");
  added->set_kind(v1::INSTITUTION_KIND_COMPANY);
  return store::Snapshot::Build(kb, "changed", absl::Now());
}

TEST_F(ListTest, TokenPinsItsSnapshotAcrossAReload) {
  ListRequest request;
  request.page_size = 4;
  absl::StatusOr<ListResult> first = List(request);
  ASSERT_TRUE(first.ok());
  const std::shared_ptr<const store::Snapshot> changed = ChangedSnapshot();
  ASSERT_NE(changed->id(), snapshot_->id());
  holder_.Swap(changed);

  request.page_token = first->next_page_token;
  absl::StatusOr<ListResult> second = List(request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->snapshot->id(), snapshot_->id());
  EXPECT_EQ(second->total_size, 10);
  EXPECT_EQ(NamesOf(second->resources),
            (Names{"institutions/ku-medicine", "institutions/kumc",
                   "institutions/moderna", "institutions/msit"}));

  // A new listing reads the new snapshot.
  request.page_token.clear();
  absl::StatusOr<ListResult> fresh = List(request);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->snapshot->id(), changed->id());
  EXPECT_EQ(fresh->total_size, 11);
  EXPECT_EQ(NameOf(*fresh->resources[0]), "institutions/aaa");
}

TEST_F(ListTest, TokenOfADroppedSnapshotIsAFailedPrecondition) {
  store::SnapshotHolder::Options options;
  options.max_retained = 0;
  store::SnapshotHolder holder(options);
  holder.Swap(snapshot_);
  ListRequest request;
  request.page_size = 4;
  absl::StatusOr<ListResult> first =
      ListPage(holder, holder.Current(), Institutions(), request, limits_,
               tokens_, &memos_);
  ASSERT_TRUE(first.ok());
  holder.Swap(ChangedSnapshot());
  request.page_token = first->next_page_token;
  absl::StatusOr<ListResult> second =
      ListPage(holder, holder.Current(), Institutions(), request, limits_,
               tokens_, &memos_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(second.status().message(),
            "page_token: the knowledge base snapshot " + snapshot_->id() +
                " that this listing started on is no longer served; start the "
                "listing again without a page_token");
}

TEST_F(ListTest, NoSnapshotYetIsUnavailable) {
  store::SnapshotHolder empty;
  EXPECT_EQ(ListPage(empty, nullptr, Institutions(), ListRequest(), limits_,
                     tokens_, &memos_)
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(ListTest, Get) {
  absl::StatusOr<const Message*> found =
      Get(*snapshot_, Institutions(), "institutions/kaist");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(static_cast<const v1::Institution*>(*found)->display_name(),
            "KAIST");

  struct Case {
    std::string name;
    absl::StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"institutions/nope", absl::StatusCode::kNotFound,
       "institutions/nope not found"},
      {"people/lee-kwang-hyung", absl::StatusCode::kInvalidArgument,
       "name: \"people/lee-kwang-hyung\" is not a name of collection "
       "\"institutions\", expected \"institutions/{id}\""},
      {"", absl::StatusCode::kInvalidArgument,
       "name: a resource name is required, \"institutions/{id}\""},
      {"institutions/", absl::StatusCode::kInvalidArgument,
       "name: \"institutions/\" is not a resource name, expected "
       "\"institutions/{id}\""},
      {"kaist", absl::StatusCode::kInvalidArgument,
       "name: \"kaist\" is not a resource name, expected "
       "\"institutions/{id}\""},
      {"institutions/ka ist", absl::StatusCode::kInvalidArgument,
       "name: \"institutions/ka ist\" is not a resource name: character 3 of "
       "its id is not one of A-Z a-z 0-9 - . _ ~"},
      {"institutions/a/b", absl::StatusCode::kInvalidArgument,
       "name: \"institutions/a/b\" is not a resource name: character 2 of its "
       "id is not one of A-Z a-z 0-9 - . _ ~"},
      {std::string("institutions/\n"), absl::StatusCode::kInvalidArgument,
       "name: \"institutions/\\n\" is not a resource name: character 1 of its "
       "id is not one of A-Z a-z 0-9 - . _ ~"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<const Message*> result =
        Get(*snapshot_, Institutions(), c.name);
    ASSERT_FALSE(result.ok()) << c.name;
    EXPECT_EQ(result.status().code(), c.code) << c.name;
    EXPECT_EQ(result.status().message(), c.message) << c.name;
  }
}

TEST_F(ListTest, BatchGet) {
  const std::vector<std::string> names = {"institutions/ku",
                                          "institutions/kaist"};
  absl::StatusOr<std::vector<const Message*>> found =
      BatchGet(*snapshot_, Institutions(), names, 1000);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(NamesOf(*found), names);

  // A repeated name would only repeat the resource: refused.
  found = BatchGet(*snapshot_, Institutions(),
                   {"institutions/ku", "institutions/kaist", "institutions/ku"},
                   1000);
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(found.status().message(),
            "names[2]: institutions/ku repeats names[0]; ask for each resource "
            "once");

  found = BatchGet(*snapshot_, Institutions(),
                   {"institutions/kaist", "institutions/nope", "bad"}, 1000);
  // Malformed names are reported before missing ones.
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(found.status().message(),
            "names[2]: \"bad\" is not a resource name, expected "
            "\"institutions/{id}\"");
  found = BatchGet(*snapshot_, Institutions(),
                   {"institutions/kaist", "institutions/nope"}, 1000);
  EXPECT_EQ(found.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(found.status().message(), "names[1]: institutions/nope not found");
  found = BatchGet(*snapshot_, Institutions(),
                   {"institutions/kaist", "events/symposium"}, 1000);
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
  found = BatchGet(*snapshot_, Institutions(),
                   {"institutions/a", "institutions/b", "institutions/c"}, 2);
  EXPECT_EQ(found.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(found.status().message(),
            "names: 3 names, more than the limit of 2");
  found = BatchGet(*snapshot_, Institutions(), {}, 2);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());
}

}  // namespace
}  // namespace factgraph::query
