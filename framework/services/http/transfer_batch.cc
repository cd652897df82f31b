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

TransferBatch::TransferBatch(CURLM* multi, CURLSH* share, std::span<const Request> requests)
    : multi_(multi),
      share_(share),
      requests_(requests),
      outcomes_(requests.size()),
      active_(requests.size()) {}

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
  while (running_ > 0) {
    int still_running = 0;
    CURLMcode code = curl_multi_perform(multi_, &still_running);
    if (code == CURLM_OK) {
      collect_finished();
      start_more(max_in_flight);
      if (running_ == 0) break;
      if (cancelled && cancelled()) {
        end_rest(ErrorKind::cancelled, "cancelled");
        break;
      }
      // Returns early when a socket is ready or curl has a timer due.
      code = curl_multi_poll(multi_, nullptr, 0, kPollMillis, nullptr);
    }
    if (code != CURLM_OK) {
      end_rest(ErrorKind::other, std::string("curl multi: ") + curl_multi_strerror(code));
      break;
    }
  }
  return std::move(outcomes_);
}

void TransferBatch::start_more(std::size_t max_in_flight) {
  while (running_ < max_in_flight && next_ < requests_.size()) {
    std::size_t index = next_++;
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
    outcomes_[index] = active_[index]->finish(result);
    retire(index);
  }
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
  for (; next_ < requests_.size(); ++next_) outcomes_[next_] = failure(kind, error);
}

void TransferBatch::retire(std::size_t index) {
  bytes_sent_ += active_[index]->bytes_sent();
  bytes_received_ += active_[index]->bytes_received();
  index_of_.erase(active_[index]->easy());
  active_[index].reset();
  --running_;
}

}  // namespace jobhost::http::detail
