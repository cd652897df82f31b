// ${...} expansion on its own: every form, every error message, secrets from files.

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "config/env_expand.h"
#include "config/fake_env.h"
#include "config/temp_dir.h"

namespace jobhost::config {
namespace {

using testing::fake_env;
using testing::not_set;
using testing::TempDir;

ExpansionContext context_with(std::map<std::string, std::string> variables) {
  return {.env = fake_env(std::move(variables))};
}

std::string expanded(std::string_view text, const ExpansionContext& context) {
  const Expansion result = expand_string(text, context);
  EXPECT_EQ(result.error, "") << "for " << text;
  return result.text;
}

std::string error_of(std::string_view text, const ExpansionContext& context) {
  return expand_string(text, context).error;
}

TEST(ExpandString, Variables) {
  const ExpansionContext context =
      context_with({{"HOST", "db.example"}, {"PORT", "5432"}, {"EMPTY", ""}});
  EXPECT_EQ(expanded("${HOST}", context), "db.example");
  EXPECT_EQ(expanded("host=${HOST} port=${PORT}", context), "host=db.example port=5432");
  EXPECT_EQ(expanded("[${EMPTY}]", context), "[]");
  EXPECT_EQ(expanded("no references", context), "no references");
  EXPECT_EQ(expanded("", context), "");
}

TEST(ExpandString, DefaultsApplyWhenUnsetOrEmpty) {
  const ExpansionContext context = context_with({{"SET", "yes"}, {"EMPTY", ""}});
  EXPECT_EQ(expanded("${SET:-no}", context), "yes");
  EXPECT_EQ(expanded("${UNSET:-fallback value}", context), "fallback value");
  EXPECT_EQ(expanded("${EMPTY:-fallback}", context), "fallback");
  EXPECT_EQ(expanded("${UNSET:-}", context), "");
  EXPECT_EQ(expanded("${UNSET:-http://x:80/}", context), "http://x:80/");
}

TEST(ExpandString, DollarSigns) {
  const ExpansionContext context = context_with({{"A", "$$"}});
  EXPECT_EQ(expanded("$$", context), "$");
  EXPECT_EQ(expanded("pa$$word", context), "pa$word");
  EXPECT_EQ(expanded("$${A}", context), "${A}");
  EXPECT_EQ(expanded("^abc$", context), "^abc$");
  EXPECT_EQ(expanded("costs $5", context), "costs $5");
  EXPECT_EQ(expanded("${A}", context), "$$");  // an expanded value is not expanded again
}

TEST(ExpandString, Errors) {
  const ExpansionContext context = context_with({});
  EXPECT_EQ(error_of("${ZABBIX_TOKEN}", context),
            "environment variable 'ZABBIX_TOKEN' is not set: set it where jobhost runs (the "
            "systemd service reads /etc/jobhost/environment) or give a default, "
            "${ZABBIX_TOKEN:-value}");
  EXPECT_EQ(error_of("ok ${A", context), "'${' at character 4 has no closing '}'");
  EXPECT_EQ(error_of("${1A}", context),
            "'${1A}' is not a valid reference (use ${NAME}, ${NAME:-default} or ${file:/path})");
  EXPECT_EQ(error_of("${}", context),
            "'${}' is not a valid reference (use ${NAME}, ${NAME:-default} or ${file:/path})");
  EXPECT_EQ(error_of("${A:-${B}}", context),
            "'${' at character 1 contains another '${': references cannot be nested");
  EXPECT_EQ(error_of("x$TOKEN", context),
            "'$' at character 2 is followed by a name: write ${NAME} to use a variable, or $$ "
            "for a literal '$'");
}

TEST(ExpandString, SecretFiles) {
  TempDir dir;
  const auto secret = dir.write("token", "s3cret\r\n\n");
  dir.write("relative/key", "k\n");
  dir.write("keeps-inner-newlines", "a\nb\n");
  const ExpansionContext context{.env = fake_env({}), .base_dir = dir.path()};
  EXPECT_EQ(expanded("${file:" + secret.string() + "}", context), "s3cret");
  EXPECT_EQ(expanded("Bearer ${file:relative/key}", context), "Bearer k");
  EXPECT_EQ(expanded("${file:keeps-inner-newlines}", context), "a\nb");
  EXPECT_EQ(error_of("${file:nope}", context), "cannot read secret file '" +
                                                   (dir.path() / "nope").string() +
                                                   "': No such file or directory");
  EXPECT_EQ(error_of("${file:}", context), "${file:...} needs a file path");
}

TEST(ExpandString, ProcessEnvironmentIsTheDefault) {
  // PATH is set for any test run; nothing is written to the environment.
  const char* path = std::getenv("PATH");
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(process_environment()("PATH"), std::string(path));
  EXPECT_EQ(expand_string("${PATH}", {}).text, std::string(path));
  EXPECT_EQ(process_environment()("JOBHOST_TEST_SURELY_UNSET_VARIABLE"), std::nullopt);
}

TEST(ExpandDocument, ReportsEachFailingScalarWithItsPathAndPosition) {
  YAML::Node document = YAML::Load(
      "a: ${A}\n"
      "list:\n"
      "  - ok\n"
      "  - ${MISSING}\n"
      "nested: { key: \"x ${ALSO_MISSING}\" }\n");
  std::vector<ConfigProblem> problems;
  const std::set<std::string> failed =
      expand_document(document, context_with({{"A", "1"}}), "doc.yaml", problems);
  EXPECT_EQ(format_problems(problems), "doc.yaml:4:5: list[1]: " + not_set("MISSING") + "\n" +
                                           "doc.yaml:5:16: nested.key: " + not_set("ALSO_MISSING"));
  EXPECT_EQ(failed, (std::set<std::string>{"list[1]", "nested.key"}));
  EXPECT_EQ(document["a"].Scalar(), "1");
  EXPECT_EQ(document["list"][1].Scalar(), "${MISSING}");  // left as it was
}

}  // namespace
}  // namespace jobhost::config
