// Context: what the host lends a plugin (logging, settings, HTTP). Run (run.hpp) adds the
// per-run services. Both are thin views over the ABI's jh_context; they own nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jobhost/cpp/error.hpp"
#include "jobhost/cpp/rows.hpp"
#include "jobhost/cpp/value.hpp"
#include "jobhost/plugin_api.h"

// True when the host's service table is large enough to hold `slot` (a slot added in a
// later minor than the host has is absent, and must not be called).
#define JH_API_HAS(api, slot)                                                    \
  ((api) != nullptr &&                                                           \
   (api)->struct_size >= offsetof(jh_host_api_v1, slot) + sizeof((api)->slot) && \
   (api)->slot != nullptr)

namespace jobhost {

enum class Level {
  trace = JH_LOG_TRACE,
  debug = JH_LOG_DEBUG,
  info = JH_LOG_INFO,
  warn = JH_LOG_WARN,
  error = JH_LOG_ERROR
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{0};  // 0 = host default (10 s)
  std::chrono::milliseconds timeout{0};          // 0 = host default (60 s)
  bool tls_insecure = false;                     // certificate verification stays on unless set
  std::string ca_file;                           // empty = system CAs
  uint32_t max_redirects = 0;                    // 0 = redirects come back to the caller
#if JH_TARGETS_MINOR(3)
  // ABI 1.3: requests with the same rate_key share a token bucket kept by the host (see
  // jh_http_request_v1): paced at rate_per_s with bursts of rate_burst, and up to retry_429
  // answers 429 waited out (Retry-After) and sent again before one comes back.
  std::string rate_key;
  double rate_per_s = 0;
  double rate_burst = 1;
  uint32_t retry_429 = 0;
#endif
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string effective_url;
#if JH_TARGETS_MINOR(3)
  uint32_t rate_limited = 0;               // ABI 1.3: 429s the host waited out before this answer
  std::chrono::microseconds rate_wait{0};  // ABI 1.3: time spent waiting for tokens
#endif

  // First header of that name, compared case-insensitively.
  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k.size() != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < k.size() && same; ++i) same = lower(k[i]) == lower(name[i]);
      if (same) return v;
    }
    return std::nullopt;
  }

 private:
  static char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
};

// One outcome of Context::http_many: a response, or the transport error that prevented one.
struct HttpResult {
  bool ok = false;
  HttpResponse response;
  std::string error;
};

// One schedule of a job type as the host's schedule registry has it (Context::schedules).
struct ScheduleInfo {
  std::string key;       // the object ("fab-1"), "" for the job type's own schedule
  std::string schedule;  // "every 300s", "cron 0 3 * * *"
  std::string source;    // "plugin", "config" (the host's YAML) or "default"
  bool enabled = true;
  std::optional<int64_t> next_run_at;  // microseconds since the epoch
  std::optional<int64_t> last_fired_at;
  std::optional<int64_t> last_finished_at;
  std::optional<std::string> last_outcome;  // completed, failed, errored, skipped
};

// The most recent run of one key of a job type as the host recorded it (Context::latest_jobs).
struct JobInfo {
  std::string key;
  int64_t job_id = 0;
  std::string status;  // running, completed, failed, errored, scheduled (a retry is due)
  std::optional<std::string> error;
  std::optional<int64_t> started_at;  // microseconds since the epoch
  std::optional<int64_t> finished_at;
  std::optional<int64_t> retry_at;  // when status is scheduled: the next attempt
  int64_t attempt = 0;
};

class Context {
 public:
  Context(const jh_host_api_v1* api, jh_context* ctx) : api_(api), ctx_(ctx) {}

  const jh_host_api_v1* api() const { return api_; }
  jh_context* raw() const { return ctx_; }

  // ---- log ----
  void log(Level level, std::string_view message, const std::string& fields_json = {}) const {
    std::string text(message);
    api_->log(ctx_, static_cast<int32_t>(level), text.c_str(),
              fields_json.empty() ? nullptr : fields_json.c_str());
  }
  bool log_enabled(Level level) const {
    return api_->log_enabled(ctx_, static_cast<int32_t>(level)) != 0;
  }
  void debug(std::string_view m, const std::string& f = {}) const { log(Level::debug, m, f); }
  void info(std::string_view m, const std::string& f = {}) const { log(Level::info, m, f); }
  void warn(std::string_view m, const std::string& f = {}) const { log(Level::warn, m, f); }
  void error(std::string_view m, const std::string& f = {}) const { log(Level::error, m, f); }

  // ---- settings ----
  // The setting at a dotted path, or nullopt when it is absent (and has no default).
  template <class T>
  std::optional<T> setting(const std::string& path) const {
    jh_value v{};
    jh_status s = api_->setting_get(ctx_, path.c_str(), &v);
    if (s == JH_NOT_FOUND) return std::nullopt;
    check(s);
    return detail::from_value<T>(v, "setting '" + path + "'");
  }
  template <class T>
  T setting_or(const std::string& path, T fallback) const {
    auto v = setting<T>(path);
    return v ? *v : fallback;
  }
  std::string settings_json() const { return api_->settings_json(ctx_); }

  // ---- HTTP ----
  // Performs one request; throws Error on a transport failure (not on HTTP 4xx/5xx).
  HttpResponse http(const HttpRequest& request) const {
    Marshalled m(request);
    jh_http_response_v1* raw = nullptr;
    check(api_->http_request(ctx_, &m.req, sizeof m.req, &raw));
    return take(raw);
  }

  // Performs requests concurrently, at most max_in_flight at a time; results in order.
  std::vector<HttpResult> http_many(const std::vector<HttpRequest>& requests,
                                    uint32_t max_in_flight) const {
    std::vector<Marshalled> ms;
    ms.reserve(requests.size());
    for (const auto& r : requests) ms.emplace_back(r);
    std::vector<jh_http_request_v1> raw_requests;
    raw_requests.reserve(ms.size());
    for (auto& m : ms) raw_requests.push_back(m.req);
    std::vector<jh_http_response_v1*> responses(requests.size(), nullptr);
    std::vector<jh_status> statuses(requests.size(), JH_OK);
    jh_status s = api_->http_request_many(ctx_, raw_requests.data(), sizeof(jh_http_request_v1),
                                          static_cast<uint32_t>(requests.size()), max_in_flight,
                                          responses.data(), statuses.data());
    std::vector<HttpResult> out(requests.size());
    std::string first_error;
    for (size_t i = 0; i < requests.size(); ++i) {
      if (statuses[i] == JH_OK && responses[i] != nullptr) {
        out[i].ok = true;
        out[i].response = take(responses[i]);
      } else {
        out[i].error = api_->http_error_at(ctx_, static_cast<uint32_t>(i));
      }
    }
    if (s == JH_CANCELLED) throw Cancelled(last_error());
    if (s != JH_OK && s != JH_HTTP_ERROR) check(s);
    return out;
  }

#if JH_TARGETS_MINOR(1)
  // ---- schedules (ABI 1.1) ----
  // Creates or replaces the schedule of one of this plugin's job types for one object, e.g.
  // schedule("hedgehog.fabric_sync", "fab-1", "every 300s"). One per job type and key; key ""
  // is the job type's own schedule (e.g. an interval from a setting, registered at init).
  // A `schedules:` entry for it in the host's YAML wins: the host then keeps the operator's
  // schedule and the call returns normally (no need to check the stored source first).
  void schedule(const std::string& job_type, const std::string& key, const std::string& when,
                const std::string& params_json = {}) const {
    require(JH_API_HAS(api_, schedule_set), "schedule_set");
    check(api_->schedule_set(ctx_, job_type.c_str(), key.c_str(), when.c_str(),
                             params_json.empty() ? nullptr : params_json.c_str()));
  }
  // Removes it; false when there was none. One the host's YAML configures stays (true).
  bool unschedule(const std::string& job_type, const std::string& key) const {
    require(JH_API_HAS(api_, schedule_remove), "schedule_remove");
    jh_status s = api_->schedule_remove(ctx_, job_type.c_str(), key.c_str());
    if (s == JH_NOT_FOUND) return false;
    check(s);
    return true;
  }
#endif

#if JH_TARGETS_MINOR(2)
  // ---- schedules (ABI 1.2) ----
  // Every schedule of one of this plugin's job types, ordered by key: what runs when, and how
  // the last run ended (e.g. for a status report, or to drop the schedules of objects gone).
  std::vector<ScheduleInfo> schedules(const std::string& job_type) const {
    require(JH_API_HAS(api_, schedule_list), "schedule_list");
    jh_rows* raw = nullptr;
    check(api_->schedule_list(ctx_, job_type.c_str(), &raw));
    Rows rows(api_, raw);
    std::vector<ScheduleInfo> out;
    while (rows.next()) {
      ScheduleInfo s;
      s.key = rows.get<std::string>(0);
      s.schedule = rows.get<std::string>(1);
      s.source = rows.get<std::string>(2);
      s.enabled = rows.get<int64_t>(3) != 0;
      s.next_run_at = rows.get<std::optional<int64_t>>(4);
      s.last_fired_at = rows.get<std::optional<int64_t>>(5);
      s.last_finished_at = rows.get<std::optional<int64_t>>(6);
      s.last_outcome = rows.get<std::optional<std::string>>(7);
      out.push_back(std::move(s));
    }
    return out;
  }

  // The most recent run of each key of one of this plugin's job types, ordered by key: whether
  // an object is being synced now, or why its last sync errored (its writes were rolled back).
  std::vector<JobInfo> latest_jobs(const std::string& job_type) const {
    require(JH_API_HAS(api_, latest_jobs), "latest_jobs");
    jh_rows* raw = nullptr;
    check(api_->latest_jobs(ctx_, job_type.c_str(), &raw));
    Rows rows(api_, raw);
    std::vector<JobInfo> out;
    while (rows.next()) {
      JobInfo j;
      j.key = rows.get<std::string>(0);
      j.job_id = rows.get<int64_t>(1);
      j.status = rows.get<std::string>(2);
      j.error = rows.get<std::optional<std::string>>(3);
      j.started_at = rows.get<std::optional<int64_t>>(4);
      j.finished_at = rows.get<std::optional<int64_t>>(5);
      j.retry_at = rows.get<std::optional<int64_t>>(6);
      j.attempt = rows.get<int64_t>(7);
      out.push_back(std::move(j));
    }
    return out;
  }
#endif

  std::string last_error() const {
    return api_->last_error(ctx_);
  }

 protected:
  // A service newer than the host: refuse clearly instead of calling a slot that is not there.
  void require(bool available, const char* service) const {
    if (!available)
      throw Error(std::string("this host's ABI ") + std::to_string(api_->abi_major) + "." +
                      std::to_string(api_->abi_minor) + " has no " + service +
                      " (it needs a newer jobhost)",
                  JH_UNSUPPORTED);
  }

  // Throws the host's message for a failed call.
  void check(jh_status s) const {
    if (s == JH_OK) return;
    std::string message = api_->last_error(ctx_);
    if (message.empty()) message = "host call failed with status " + std::to_string(s);
    if (s == JH_CANCELLED) throw Cancelled(message);
    throw Error(message, s);
  }

 private:
  // The C view of an HttpRequest; points into the request, so it must not outlive it.
  struct Marshalled {
    jh_http_request_v1 req{};
    std::vector<jh_http_header> headers;
    explicit Marshalled(const HttpRequest& r) {
      for (const auto& [k, v] : r.headers) headers.push_back({k.c_str(), v.c_str()});
      req.method = r.method.c_str();
      req.url = r.url.c_str();
      req.headers = headers.data();
      req.header_count = static_cast<uint32_t>(headers.size());
      req.body = r.body.data();
      req.body_len = r.body.size();
      req.connect_timeout_ms = static_cast<uint32_t>(r.connect_timeout.count());
      req.timeout_ms = static_cast<uint32_t>(r.timeout.count());
      req.tls_insecure = r.tls_insecure ? 1 : 0;
      req.ca_file = r.ca_file.empty() ? nullptr : r.ca_file.c_str();
      req.max_redirects = r.max_redirects;
#if JH_TARGETS_MINOR(3)
      req.rate_key = r.rate_key.empty() ? nullptr : r.rate_key.c_str();
      req.rate_per_s = r.rate_per_s;
      req.rate_burst = r.rate_burst;
      req.retry_429 = r.retry_429;
#endif
    }
    Marshalled(Marshalled&& o) noexcept : req(o.req), headers(std::move(o.headers)) {
      req.headers = headers.data();
    }
  };

  // Copies a host-owned response and releases it.
  HttpResponse take(jh_http_response_v1* raw) const {
    struct Release {
      const jh_host_api_v1* api;
      jh_http_response_v1* r;
      ~Release() { api->http_response_release(r); }
    } release{api_, raw};
    HttpResponse out;
    out.status = raw->status;
    out.body.assign(raw->body ? raw->body : "", raw->body_len);
    for (uint32_t i = 0; i < raw->header_count; ++i)
      out.headers.emplace_back(raw->headers[i].name, raw->headers[i].value);
    out.effective_url = raw->effective_url ? raw->effective_url : "";
#if JH_TARGETS_MINOR(3)
    out.rate_limited = raw->rate_limited;
    out.rate_wait = std::chrono::microseconds(static_cast<int64_t>(raw->rate_wait_us));
#endif
    return out;
  }

  const jh_host_api_v1* api_;
  jh_context* ctx_;
};

}  // namespace jobhost
