#include "client/cli/command_line.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace factgraph::cli {
namespace {

using ::testing::HasSubstr;

absl::Status Nothing(const Invocation&) { return absl::OkStatus(); }

std::vector<VerbSpec> TestVerbs() {
  return {
      {"get", {"NAME"}, "Shows one.", {}, true, Nothing},
      {"list",
       {"COLLECTION"},
       "Lists.",
       {{"filter", true, "filter"}, {"all", false, "all pages"}},
       true,
       Nothing},
      {"compile",
       {"DIR"},
       "Compiles.",
       {{"output", true, "file", 'o'}},
       false,
       Nothing},
  };
}

absl::StatusOr<ParsedCommandLine> Parse(std::vector<std::string> words) {
  static const auto* const verbs = new std::vector<VerbSpec>(TestVerbs());
  return ParseCommandLine(words, *verbs);
}

TEST(ParseCommandLineTest, VerbArgumentsAndOptionsInAnyOrder) {
  auto parsed = Parse({"--server=h:1", "list", "--filter", "kind = X",
                       "institutions", "--all", "--json"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->invocation.has_value());
  const Invocation& invocation = *parsed->invocation;
  EXPECT_EQ(invocation.verb().name, "list");
  EXPECT_EQ(invocation.argument(0), "institutions");
  EXPECT_EQ(invocation.String("server"), "h:1");
  EXPECT_EQ(invocation.String("filter"), "kind = X");
  EXPECT_TRUE(invocation.Bool("all"));
  EXPECT_TRUE(invocation.Bool("json"));
  EXPECT_FALSE(invocation.Has("page_size"));
  EXPECT_EQ(invocation.String("page_size", "7"), "7");
}

TEST(ParseCommandLineTest, ShortOptionAndDoubleDash) {
  auto parsed = Parse({"compile", "-o", "out.snap", "--", "--odd-dir"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->invocation->String("output"), "out.snap");
  EXPECT_EQ(parsed->invocation->argument(0), "--odd-dir");
}

TEST(ParseCommandLineTest, BooleanWithExplicitValue) {
  auto parsed = Parse({"list", "institutions", "--all=false"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->invocation->Bool("all"));
  auto bad = Parse({"list", "institutions", "--all=maybe"});
  EXPECT_TRUE(IsUsageError(bad.status()));
  EXPECT_EQ(bad.status().message(),
            "factgraph list: --all takes true or false, not \"maybe\"");
}

TEST(ParseCommandLineTest, UsageErrorsNameTheProblem) {
  struct Case {
    std::vector<std::string> words;
    std::string message;
  };
  const Case cases[] = {
      {{}, "factgraph: no verb given"},
      {{"fetch"},
       "factgraph: unknown verb \"fetch\"; verbs: get, list, compile"},
      {{"get"}, "factgraph get: missing NAME"},
      {{"get", "a/b", "c/d"}, "factgraph get: unexpected argument \"c/d\""},
      {{"get", "a/b", "--filter=x"}, "factgraph get: unknown option --filter"},
      {{"--filter=x", "list", "a"}, "factgraph: unknown option --filter"},
      {{"list", "a", "--filter"},
       "factgraph list: option --filter needs a value"},
      {{"list", "a", "--all", "--all"},
       "factgraph list: option --all given twice"},
      {{"compile", "d", "-o", "f", "--json"},
       "factgraph compile: --json is not supported"},
      {{"get", "a/b", "-x"}, "factgraph get: unknown option -x"},
  };
  for (const Case& c : cases) {
    auto parsed = Parse(c.words);
    ASSERT_FALSE(parsed.ok()) << c.message;
    EXPECT_TRUE(IsUsageError(parsed.status())) << c.message;
    EXPECT_EQ(parsed.status().message(), c.message);
  }
}

TEST(ParseCommandLineTest, HelpForms) {
  auto overview = Parse({"help"});
  ASSERT_TRUE(overview.ok());
  EXPECT_TRUE(overview->help);
  EXPECT_EQ(overview->help_verb, "");
  auto verb = Parse({"help", "list"});
  ASSERT_TRUE(verb.ok());
  EXPECT_EQ(verb->help_verb, "list");
  auto flag = Parse({"get", "--help"});
  ASSERT_TRUE(flag.ok());
  EXPECT_TRUE(flag->help);
  EXPECT_EQ(flag->help_verb, "get");
  auto short_flag = Parse({"-h"});
  ASSERT_TRUE(short_flag.ok());
  EXPECT_TRUE(short_flag->help);
  EXPECT_EQ(Parse({"help", "fetch"}).status().message(),
            "factgraph help: unknown verb \"fetch\"");
}

TEST(InvocationTest, TypedValuesAreCheckedWithTheOptionName) {
  VerbSpec verb = TestVerbs()[1];
  Invocation invocation(&verb, {"x"},
                        {{"page_size", "12"},
                         {"depth", "two"},
                         {"timeout", "1500ms"},
                         {"bad_timeout", "-1s"}});
  EXPECT_EQ(*invocation.Int("page_size", 0), 12);
  EXPECT_EQ(*invocation.Int("absent", 5), 5);
  EXPECT_EQ(invocation.Int("depth", 0).status().message(),
            "--depth takes an integer, not \"two\"");
  EXPECT_TRUE(IsUsageError(invocation.Int("depth", 0).status()));
  EXPECT_EQ(*invocation.Duration("timeout", absl::Seconds(10)),
            absl::Milliseconds(1500));
  EXPECT_THAT(std::string(invocation.Duration("bad_timeout", absl::Seconds(1))
                              .status()
                              .message()),
              HasSubstr("--bad_timeout takes a positive duration"));
}

TEST(UsageTextTest, ListsVerbsOptionsAndExitCodes) {
  const std::vector<VerbSpec> verbs = TestVerbs();
  const std::string overview = Overview(verbs);
  EXPECT_THAT(overview, HasSubstr("  list COLLECTION"));
  EXPECT_THAT(overview, HasSubstr("  compile DIR"));
  EXPECT_THAT(overview, HasSubstr("--server=VALUE"));
  EXPECT_THAT(overview, HasSubstr("64 for a usage error"));
  const std::string usage = VerbUsage(verbs[2]);
  EXPECT_THAT(usage, HasSubstr("usage: factgraph compile DIR [options]"));
  EXPECT_THAT(usage, HasSubstr("-o, --output=VALUE"));
}

}  // namespace
}  // namespace factgraph::cli
