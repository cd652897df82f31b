// Job and event records as the store keeps them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/time.h"

namespace jobhost::jobs {

// NetBox's status words. `scheduled`: waiting for its time; `pending`: ready to be claimed.
enum class JobStatus { scheduled, pending, running, completed, errored, failed };
const char* status_name(JobStatus s);
std::optional<JobStatus> parse_status(std::string_view s);
bool is_final(JobStatus s);

struct JobRecord {
  int64_t id = 0;
  std::string type;
  std::string key;
  JobStatus status = JobStatus::pending;
  std::string origin;
  std::string params = "{}";  // JSON
  Micros created_at = 0;
  Micros scheduled_at = 0;
  std::optional<Micros> started_at, finished_at, lease_until;
  int64_t attempt = 0;
  int64_t max_attempts = 1;
  std::string host;
  std::optional<std::string> result, data, pre_data, post_data, signal_id, error;
  std::optional<int64_t> progress_done, progress_total;
  std::optional<std::string> progress_message;
  std::optional<int64_t> schedule_id;

  // {id, type, key, status, ..., job_data: {status, result, data, pre_data, post_data, signal_id}}
  nlohmann::json to_json() const;
};

// What enqueue writes.
struct NewJob {
  std::string type;
  std::string key;
  std::optional<std::string> singleton_slot;
  std::string params = "{}";
  Micros scheduled_at = 0;
  int64_t max_attempts = 1;
  std::string origin = "manual";
  std::optional<int64_t> schedule_id;  // the schedule that fired it
};

// What a worker needs to run a job it claimed.
struct ClaimedJob {
  int64_t id = 0;
  std::string type;
  std::string key;
  std::string params;
  int64_t attempt = 0;
  int64_t max_attempts = 1;
  Micros started_at = 0;
  std::optional<int64_t> schedule_id;
};

struct EventRecord {
  int64_t id = 0;
  Micros created_at = 0;
  std::string name;  // the job type, or the host's own event name
  std::optional<int64_t> job_id;
  std::string level = "info";
  std::string message;
  std::optional<std::string> result, exception, data, pre_data, post_data, signal_id;

  nlohmann::json to_json() const;
};

}  // namespace jobhost::jobs
