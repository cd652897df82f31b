/* One small C plugin, built once per way a plugin can break the ABI handshake (the CMake
 * target defines which). Each build must be refused by the host with its own reason. */
#include <stddef.h>

#include "jobhost/plugin_api.h"

static jh_status run_noop(void* user_data, const jh_host_api_v1* api, jh_context* run) {
  (void)user_data;
  (void)api;
  (void)run;
  return JH_OK;
}

#ifndef JOB_NAMESPACE
#define JOB_NAMESPACE PLUGIN_NAME
#endif

static const jh_job_type_v1 job_types[] = {
#ifdef VARIANT_OLD_MINOR_PADDING
    /* A 1.3 plugin (see abi_minor below) whose element has a non-zero byte where 1.4 put
     * read_only, in what was 1.3's tail padding (padding need not be zero, e.g. in an array
     * built on the stack): the host must not take it for read_only. */
    {.name = JOB_NAMESPACE ".noop", .description = "does nothing", .run = run_noop, .read_only = 1},
#else
    {.name = JOB_NAMESPACE ".noop", .description = "does nothing", .run = run_noop},
#endif
#ifdef VARIANT_DUP_JOB
    {.name = PLUGIN_NAME ".noop", .description = "declared twice", .run = run_noop},
#endif
};

#ifdef VARIANT_BAD_MIGRATION
/* Version 1 is fine, version 2 fails: neither may be left in the store. */
static const jh_migration_v1 migrations[] = {
    {.version = 1,
     .dialect = "any",
     .description = "a table",
     .sql = "CREATE TABLE badmig_ok (x BIGINT)"},
    {.version = 2,
     .dialect = "any",
     .description = "a broken statement",
     .sql = "CREATE TABLE badmig_second (x BIGINT); INSERT INTO no_such_table VALUES (1)"},
};
#endif

static const jh_plugin_v1 descriptor = {
#ifdef VARIANT_SMALL_STRUCT
    .struct_size = 16,
#else
    .struct_size = sizeof(jh_plugin_v1),
#endif
#ifdef VARIANT_ABI_MAJOR2
    .abi_major = 2,
#else
    .abi_major = JH_ABI_MAJOR,
#endif
#if defined(VARIANT_NEWER_MINOR)
    .abi_minor = JH_ABI_MINOR + 1,
#elif defined(VARIANT_OLD_MINOR_PADDING)
    .abi_minor = 3,
#elif defined(VARIANT_ABI_MAJOR2)
    .abi_minor = 0,
#else
    .abi_minor = JH_ABI_MINOR,
#endif
    .name = PLUGIN_NAME,
    .version = "0.0.1",
    .sdk_version = JH_SDK_VERSION,
    .description = "ABI variant test plugin",
    .job_types = job_types,
    .job_type_count = sizeof job_types / sizeof job_types[0],
    .job_type_size = sizeof(jh_job_type_v1),
#ifdef VARIANT_BAD_MIGRATION
    .migrations = migrations,
    .migration_count = 2,
    .migration_size = sizeof(jh_migration_v1),
#endif
};

#ifdef VARIANT_NO_ENTRY
/* Exports something, but not the entry point. */
JH_EXPORT int not_the_entry_point(void) {
  return descriptor.struct_size > 0 ? 42 : 0;
}
#else
JH_EXPORT const jh_plugin_v1* jobhost_plugin_v1(const jh_host_info* host) {
  (void)host;
#ifdef VARIANT_RETURNS_NULL
  return descriptor.struct_size > 0 ? NULL : &descriptor; /* always NULL */
#else
  return &descriptor;
#endif
}
#endif
