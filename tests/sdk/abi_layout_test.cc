// The ABI 1.0 layout, pinned: a change here breaks every plugin built against SDK 1.0. Only
// appending fields at the end of a struct (in a later minor) is allowed.
#include <gtest/gtest.h>

#include <cstddef>

#include "jobhost/plugin_api.h"
#include "plugin/abi.h"

namespace {

// The frozen prefix the host reads before anything else.
static_assert(offsetof(jh_plugin_v1, struct_size) == 0);
static_assert(offsetof(jh_plugin_v1, abi_major) == 4);
static_assert(offsetof(jh_plugin_v1, abi_minor) == 6);
static_assert(offsetof(jh_plugin_v1, name) == 8);
static_assert(offsetof(jh_host_api_v1, struct_size) == 0);
static_assert(offsetof(jh_host_api_v1, abi_major) == 4);
static_assert(offsetof(jh_host_api_v1, abi_minor) == 6);
static_assert(offsetof(jh_host_info, struct_size) == 0);

// Sizes of ABI 1.0 on LP64 (x86_64, aarch64).
static_assert(sizeof(void*) == 8, "the pinned sizes below are for 64-bit platforms");
static_assert(sizeof(jh_value) == 24);
static_assert(offsetof(jh_value, u) == 8);
static_assert(jobhost::plugin::kPluginV1_0Size == 112);
static_assert(jobhost::plugin::kJobTypeV1_0Size == 88);
static_assert(jobhost::plugin::kParamV1_0Size == 32);
static_assert(jobhost::plugin::kSettingV1_0Size == 68);
static_assert(jobhost::plugin::kMigrationV1_0Size == 32);
static_assert(sizeof(jh_event_v1) == 48);
static_assert(sizeof(jh_output_v1) == 40);
// The 1.0 request and response end where 1.3 appended its fields.
static_assert(offsetof(jh_http_request_v1, max_redirects) + sizeof(uint32_t) == 76);
static_assert(offsetof(jh_http_response_v1, effective_url) + sizeof(void*) == 48);
static_assert(sizeof(jh_http_header) == 16);
// The 1.0 host-service table: 28 function slots after the 8-byte prefix.
static_assert(offsetof(jh_host_api_v1, last_error) == 8);
static_assert(offsetof(jh_host_api_v1, http_error_at) == 8 + 27 * sizeof(void*));
// 1.1 appended two slots, after every 1.0 slot.
static_assert(offsetof(jh_host_api_v1, schedule_set) == 8 + 28 * sizeof(void*));
static_assert(offsetof(jh_host_api_v1, schedule_remove) == 8 + 29 * sizeof(void*));
// 1.2 appended two slots to the table and one field to the descriptor, after everything of 1.1.
static_assert(offsetof(jh_host_api_v1, schedule_list) == 8 + 30 * sizeof(void*));
static_assert(offsetof(jh_host_api_v1, latest_jobs) == 8 + 31 * sizeof(void*));
static_assert(offsetof(jh_plugin_v1, reconfigure) ==
              offsetof(jh_plugin_v1, user_data) + sizeof(void*));
// 1.3 appended one field to the job type, after everything of 1.2.
static_assert(offsetof(jh_job_type_v1, min_interval_s) ==
              offsetof(jh_job_type_v1, user_data) + sizeof(void*));
// 1.4 appended read_only after it, in what was 1.3's tail padding: the size stays 96 bytes, so
// the host tells a 1.4 element from a 1.3 one by the plugin's minor, not by job_type_size.
static_assert(offsetof(jh_job_type_v1, read_only) ==
              offsetof(jh_job_type_v1, min_interval_s) + sizeof(uint32_t));
static_assert(sizeof(jh_job_type_v1) == 96);

// 1.3 also appended rate limiting to the HTTP request and its account to the response.
static_assert(offsetof(jh_http_request_v1, rate_key) == 80);
static_assert(offsetof(jh_http_request_v1, retry_429) == 104);
static_assert(sizeof(jh_http_request_v1) == 112);
static_assert(offsetof(jh_http_response_v1, rate_limited) == 48);
static_assert(sizeof(jh_http_response_v1) == 64);

// Status codes and type codes are part of the ABI too.
static_assert(JH_OK == 0 && JH_ERROR == 1 && JH_FAILED == 2 && JH_CANCELLED == 5 &&
              JH_CONFLICT == 9);
static_assert(JH_VALUE_NULL == 0 && JH_VALUE_JSON == 4);
static_assert(JH_TYPE_STRING == 1 && JH_TYPE_OBJECT == 6);

TEST(AbiLayout, CurrentMinorIsOneFour) {
  EXPECT_EQ(JH_ABI_MAJOR, 1);
  EXPECT_EQ(JH_ABI_MINOR, 4);
  EXPECT_STREQ(JH_PLUGIN_ENTRY_V1, "jobhost_plugin_v1");
}

}  // namespace
