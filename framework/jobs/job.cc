#include "jobs/job.h"

#include <nlohmann/json.hpp>

namespace jobhost::jobs {

namespace {

constexpr std::pair<JobStatus, const char*> kNames[] = {
    {JobStatus::scheduled, "scheduled"}, {JobStatus::pending, "pending"},
    {JobStatus::running, "running"},     {JobStatus::completed, "completed"},
    {JobStatus::errored, "errored"},     {JobStatus::failed, "failed"},
};

// Stored JSON goes back out as JSON; text that is not JSON (it should not happen) as a string.
nlohmann::json json_or_null(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  auto parsed = nlohmann::json::parse(*s, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json(*s) : parsed;
}

nlohmann::json time_or_null(const std::optional<Micros>& t) {
  return t ? nlohmann::json(format_time(*t)) : nlohmann::json(nullptr);
}

}  // namespace

const char* status_name(JobStatus s) {
  for (const auto& [v, n] : kNames)
    if (v == s) return n;
  return "unknown";
}

std::optional<JobStatus> parse_status(std::string_view s) {
  for (const auto& [v, n] : kNames)
    if (s == n) return v;
  return std::nullopt;
}

bool is_final(JobStatus s) {
  return s == JobStatus::completed || s == JobStatus::errored || s == JobStatus::failed;
}

nlohmann::json JobRecord::to_json() const {
  nlohmann::json j;
  j["id"] = id;
  j["type"] = type;
  j["key"] = key;
  j["status"] = status_name(status);
  j["origin"] = origin;
  j["params"] = json_or_null(params);
  j["created_at"] = format_time(created_at);
  j["scheduled_at"] = format_time(scheduled_at);
  j["started_at"] = time_or_null(started_at);
  j["finished_at"] = time_or_null(finished_at);
  j["duration_s"] = (started_at && finished_at)
                        ? nlohmann::json(static_cast<double>(*finished_at - *started_at) / 1e6)
                        : nlohmann::json(nullptr);
  j["attempt"] = attempt;
  j["max_attempts"] = max_attempts;
  j["host"] = host.empty() ? nlohmann::json(nullptr) : nlohmann::json(host);
  j["lease_until"] = time_or_null(lease_until);
  j["error"] = error ? nlohmann::json(*error) : nlohmann::json(nullptr);
  j["schedule_id"] = schedule_id ? nlohmann::json(*schedule_id) : nlohmann::json(nullptr);
  j["progress"] = {{"done", progress_done ? nlohmann::json(*progress_done) : nullptr},
                   {"total", progress_total ? nlohmann::json(*progress_total) : nullptr},
                   {"message", progress_message ? nlohmann::json(*progress_message) : nullptr}};
  j["job_data"] = {{"status", status_name(status)},
                   {"result", json_or_null(result)},
                   {"data", json_or_null(data)},
                   {"pre_data", json_or_null(pre_data)},
                   {"post_data", json_or_null(post_data)},
                   {"signal_id", signal_id ? nlohmann::json(*signal_id) : nullptr}};
  return j;
}

nlohmann::json EventRecord::to_json() const {
  return {{"id", id},
          {"time", format_time(created_at)},
          {"name", name},
          {"job_id", job_id ? nlohmann::json(*job_id) : nullptr},
          {"level", level},
          {"message", message},
          {"result", json_or_null(result)},
          {"exception", exception ? nlohmann::json(*exception) : nullptr},
          {"data", json_or_null(data)},
          {"pre_data", json_or_null(pre_data)},
          {"post_data", json_or_null(post_data)},
          {"signal_id", signal_id ? nlohmann::json(*signal_id) : nullptr}};
}

}  // namespace jobhost::jobs
