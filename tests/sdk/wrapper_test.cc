// The C++ wrapper on its own, against a fake host-service table: the descriptor it builds,
// and how exceptions and results become ABI status codes at the edge.
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "jobhost/sdk.hpp"

namespace {

std::string g_error;
std::string g_result;

void fake_set_error(jh_context*, const char* m) {
  g_error = m ? m : "";
}
const char* fake_last_error(jh_context*) {
  return "host said no";
}
jh_status fake_set_output(jh_context*, const jh_output_v1* out, size_t) {
  g_result = out->result_json ? out->result_json : "";
  return JH_OK;
}

jh_host_api_v1 fake_api() {
  jh_host_api_v1 api;
  std::memset(&api, 0, sizeof api);
  api.struct_size = sizeof api;
  api.abi_major = JH_ABI_MAJOR;
  api.set_error = fake_set_error;
  api.last_error = fake_last_error;
  api.set_output = fake_set_output;
  return api;
}

void define(jobhost::Plugin& plugin) {
  plugin.setting("interval", jobhost::Type::integer).min(5).default_value("10").describe("minutes");
  plugin.migration(1, "any", "t", "CREATE TABLE t (x BIGINT)");
  plugin.job("demo.ok")
      .describe("completes")
      .required_param("who", jobhost::Type::string)
      .param("n", jobhost::Type::integer, "3")
      .singleton("who")
      .timeout(30)
      .retries(4, 10, 300)
      .read_only()
      .run([](jobhost::Run&) { return jobhost::Result::ok(R"({"ok":true})"); });
  plugin.job("demo.fails").run([](jobhost::Run&) {
    return jobhost::Result::failure(R"({"n":1})");
  });
  plugin.job("demo.throws").run([](jobhost::Run&) -> jobhost::Result {
    throw std::runtime_error("it broke");
  });
  plugin.job("demo.conflict").run([](jobhost::Run&) -> jobhost::Result {
    throw jobhost::Error("slot taken", JH_CONFLICT);
  });
  plugin.job("demo.weird").run([](jobhost::Run&) -> jobhost::Result { throw 42; });
}

const jh_plugin_v1* descriptor() {
  static jobhost::Plugin plugin("demo", "2.0.0", "wrapper test", &define);
  return plugin.descriptor(nullptr);
}

jh_status run_job(uint32_t index) {
  auto api = fake_api();
  const auto& jt = descriptor()->job_types[index];
  g_error.clear();
  g_result.clear();
  return jt.run(jt.user_data, &api, nullptr);
}

TEST(Wrapper, BuildsADescriptorOfTheCurrentAbi) {
  const auto* d = descriptor();
  EXPECT_EQ(d->struct_size, sizeof(jh_plugin_v1));
  EXPECT_EQ(d->abi_major, JH_ABI_MAJOR);
  EXPECT_EQ(d->abi_minor, JH_TARGET_MINOR);
  EXPECT_STREQ(d->name, "demo");
  EXPECT_STREQ(d->sdk_version, JH_SDK_VERSION);
  ASSERT_EQ(d->job_type_count, 5u);
  EXPECT_EQ(d->job_type_size, sizeof(jh_job_type_v1));
  const auto& ok = d->job_types[0];
  EXPECT_STREQ(ok.name, "demo.ok");
  EXPECT_EQ(ok.singleton, 1);
  EXPECT_STREQ(ok.key_param, "who");
  EXPECT_EQ(ok.timeout_s, 30u);
  EXPECT_EQ(ok.max_attempts, 4u);
  EXPECT_EQ(ok.retry_backoff_s, 10u);
  EXPECT_EQ(ok.retry_backoff_max_s, 300u);
  EXPECT_EQ(ok.read_only, 1) << "ABI 1.4: .read_only()";
  EXPECT_EQ(d->job_types[1].read_only, 0);
  ASSERT_EQ(ok.param_count, 2u);
  EXPECT_EQ(ok.params[0].required, 1);
  EXPECT_STREQ(ok.params[1].default_value, "3");
  ASSERT_EQ(d->setting_count, 1u);
  EXPECT_EQ(d->settings[0].has_min, 1);
  EXPECT_EQ(d->settings[0].min, 5.0);
  ASSERT_EQ(d->migration_count, 1u);
  EXPECT_STREQ(d->migrations[0].dialect, "any");
}

TEST(Wrapper, ResultsAndExceptionsBecomeStatusCodesWithMessages) {
  EXPECT_EQ(run_job(0), JH_OK);
  EXPECT_EQ(g_result, R"({"ok":true})");
  EXPECT_EQ(run_job(1), JH_FAILED);
  EXPECT_EQ(g_result, R"({"n":1})");
  EXPECT_EQ(run_job(2), JH_ERROR);
  EXPECT_EQ(g_error, "it broke");
  EXPECT_EQ(run_job(3), JH_CONFLICT);
  EXPECT_EQ(g_error, "slot taken");
  EXPECT_EQ(run_job(4), JH_ERROR);
  EXPECT_EQ(g_error, "unknown exception (not derived from std::exception)");
}

TEST(Wrapper, ApiHasChecksTheTableSizeOfAnOlderHost) {
  auto api = fake_api();
  EXPECT_TRUE(JH_API_HAS(&api, set_output));
  api.struct_size = offsetof(jh_host_api_v1, set_output);  // a host whose table ends before it
  EXPECT_FALSE(JH_API_HAS(&api, set_output));
  EXPECT_TRUE(JH_API_HAS(&api, set_error));
}

TEST(Wrapper, ValuesConvertWithTypeChecks) {
  jh_value v = jobhost::detail::to_value(int64_t{7});
  EXPECT_EQ(jobhost::detail::from_value<int64_t>(v, "x"), 7);
  EXPECT_EQ(jobhost::detail::from_value<std::string>(v, "x"), "7");
  EXPECT_DOUBLE_EQ(jobhost::detail::from_value<double>(v, "x"), 7.0);
  std::string text = "abc";
  jh_value t = jobhost::detail::to_value(text);
  try {
    jobhost::detail::from_value<int64_t>(t, "parameter 'n'");
    FAIL();
  } catch (const jobhost::Error& e) {
    EXPECT_STREQ(e.what(), "parameter 'n': expected integer, got text");
    EXPECT_EQ(e.code(), JH_INVALID_ARGUMENT);
  }
  EXPECT_EQ(jobhost::detail::to_value(std::optional<int>{}).type, JH_VALUE_NULL);
  EXPECT_EQ(jobhost::detail::to_value(true).u.i, 1);
}

TEST(Wrapper, JsonHelpersEscape) {
  EXPECT_EQ(jobhost::json_quote("a\"b\\c\n\x01"), R"("a\"b\\c\n\u0001")");
  EXPECT_EQ(
      jobhost::JsonObject().add("s", "x").add("n", 3).add("b", false).add_raw("o", "{}").str(),
      R"({"s":"x","n":3,"b":false,"o":{}})");
}

}  // namespace
