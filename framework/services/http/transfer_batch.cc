#include "services/http/transfer_batch.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "services/http/request_checks.h"

namespace jobhost::http::detail {

namespace {

// The promise to callers: cancelled() is asked at least this often.
constexpr int kPollMillis = 100;

// Connections a multi handle keeps open, in use or idle, at least: enough for a handful of
// hosts between single calls.
constexpr std::size_t kMinConnectionCache = 8;

Outcome failure(ErrorKind kind, std::string error) {
  Outcome outcome;
  outcome.ok = false;
  outcome.kind = kind;
  outcome.error = std::move(error);
  return outcome;
}

}  // namespace

TransferBatch::TransferBatch(CURLM* multi, CURLSH* share, RateLimiter& limiter,
                             std::span<const Request> requests)
    : multi_(multi),
      share_(share),
      limiter_(limiter),
      requests_(requests),
      outcomes_(requests.size()),
      active_(requests.size()),
      rate_(requests.size()) {
  for (std::size_t i = 0; i < requests.size(); ++i) waiting_.push_back(i);
}

TransferBatch::~TransferBatch() {
  for (auto& transfer : active_) {
    if (transfer) curl_multi_remove_handle(multi_, transfer->easy());
  }
}

std::vector<Outcome> TransferBatch::run(std::size_t max_in_flight,
                                        const std::function<bool()>& cancelled) {
  if (max_in_flight == 0) max_in_flight = 1;
  // When the cache is full curl closes a finished transfer's connection instead of keeping it
  // (its own default shrinks with the transfers still running), so a wide batch would open a
  // new connection for nearly every request. Room for all in flight keeps them reused.
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS,
                    static_cast<long>(std::max(max_in_flight, kMinConnectionCache)));
  if (cancelled && cancelled()) {
    end_rest(ErrorKind::cancelled, "cancelled");
    return std::move(outcomes_);
  }
  start_more(max_in_flight);
  while (running_ > 0 || !waiting_.empty()) {
    int still_running = 0;
    CURLMcode code = curl_multi_perform(multi_, &still_running);
    if (code == CURLM_OK) {
      collect_finished();
      start_more(max_in_flight);
      if (running_ == 0 && waiting_.empty()) break;
      if (cancelled && cancelled()) {
        end_rest(ErrorKind::cancelled, "cancelled");
        break;
      }
      // Returns early when a socket is ready or curl has a timer due; with nothing running it
      // is the wait for the next rate-limit token.
      code = curl_multi_poll(multi_, nullptr, 0, poll_millis(RateLimiter::Clock::now()), nullptr);
    }
    if (code != CURLM_OK) {
      end_rest(ErrorKind::other, std::string("curl multi: ") + curl_multi_strerror(code));
      break;
    }
  }
  return std::move(outcomes_);
}

int TransferBatch::poll_millis(RateLimiter::Clock::time_point now) const {
  if (!wake_) return kPollMillis;
  const auto until = std::chrono::ceil<std::chrono::milliseconds>(*wake_ - now).count();
  return static_cast<int>(std::clamp<long long>(until, 0, kPollMillis));
}

bool TransferBatch::may_start(std::size_t index, RateLimiter::Clock::time_point now) {
  const Request& request = requests_[index];
  RateState& state = rate_[index];
  if (!request.rate.key.empty()) {
    if (auto again = limiter_.try_take(request.rate, now)) {
      if (!state.refused_since) state.refused_since = now;
      wake_ = wake_ ? std::min(*wake_, *again) : *again;
      return false;
    }
  }
  if (state.refused_since) {
    state.waited += now - *state.refused_since;
    state.refused_since.reset();
  }
  return true;
}

void TransferBatch::start_more(std::size_t max_in_flight) {
  const auto now = RateLimiter::Clock::now();
  wake_.reset();
  for (auto it = waiting_.begin(); it != waiting_.end() && running_ < max_in_flight;) {
    const std::size_t index = *it;
    if (!may_start(index, now)) {
      ++it;
      continue;
    }
    it = waiting_.erase(it);
    const Request& request = requests_[index];
    if (auto problem = request_problem(request)) {
      outcomes_[index] = failure(ErrorKind::other, std::move(*problem));
      continue;
    }
    try {
      auto transfer = std::make_unique<Transfer>(request, share_);
      CURLMcode code = curl_multi_add_handle(multi_, transfer->easy());
      if (code != CURLM_OK) {
        outcomes_[index] =
            failure(ErrorKind::other, std::string("curl multi: ") + curl_multi_strerror(code));
        continue;
      }
      index_of_[transfer->easy()] = index;
      active_[index] = std::move(transfer);
      ++running_;
    } catch (const std::exception& error) {
      outcomes_[index] = failure(ErrorKind::other, error.what());
    }
  }
}

void TransferBatch::collect_finished() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    // The message dies with the handle's removal, so read it first.
    CURLcode result = message->data.result;
    std::size_t index = index_of_.at(message->easy_handle);
    curl_multi_remove_handle(multi_, message->easy_handle);
    Outcome outcome = active_[index]->finish(result);
    retire(index);
    if (absorbed_429(index, outcome)) continue;
    outcome.response.rate_limited = rate_[index].rate_limited;
    outcome.response.rate_wait =
        std::chrono::duration_cast<std::chrono::microseconds>(rate_[index].waited);
    outcomes_[index] = std::move(outcome);
  }
}

bool TransferBatch::absorbed_429(std::size_t index, const Outcome& outcome) {
  const RateLimit& rate = requests_[index].rate;
  RateState& state = rate_[index];
  if (!outcome.ok || outcome.response.status != 429 || rate.key.empty() ||
      state.rate_limited >= rate.retry_429)
    return false;
  const auto wait = retry_after(outcome.response.header("Retry-After"), state.rate_limited,
                                std::chrono::system_clock::now());
  limiter_.hold(rate.key, RateLimiter::Clock::now() + wait);
  ++state.rate_limited;
  waiting_.push_front(index);  // first in line once the hold ends
  return true;
}

void TransferBatch::end_rest(ErrorKind kind, const std::string& error) {
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  for (std::size_t index = 0; index < active_.size(); ++index) {
    if (!active_[index]) continue;
    // Removing an unfinished transfer closes its connection rather than reusing it.
    curl_multi_remove_handle(multi_, active_[index]->easy());
    outcomes_[index] = failure(kind, error);
    outcomes_[index].response.effective_url = requests_[index].url;
    outcomes_[index].response.seconds = seconds;
    retire(index);
  }
  for (std::size_t index : waiting_) {
    outcomes_[index] = failure(kind, error);
    outcomes_[index].response.effective_url = requests_[index].url;
  }
  waiting_.clear();
}

void TransferBatch::retire(std::size_t index) {
  bytes_sent_ += active_[index]->bytes_sent();
  bytes_received_ += active_[index]->bytes_received();
  index_of_.erase(active_[index]->easy());
  active_[index].reset();
  --running_;
}

}  // namespace jobhost::http::detail
