#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "services/http/curl_transfer.h"
#include "services/http/http_types.h"

// Internal to services/http.
namespace jobhost::http::detail {

// Drives a list of requests through one multi handle: at most `max_in_flight` at once, the
// caller's cancel check polled between curl's waits, outcomes kept in request order. A single
// perform() is a batch of one, so both paths share the timeout and cancel handling.
class TransferBatch {
 public:
  TransferBatch(CURLM* multi, CURLSH* share, std::span<const Request> requests);
  ~TransferBatch();  // takes unfinished transfers off the multi handle, which outlives us
  TransferBatch(const TransferBatch&) = delete;
  TransferBatch& operator=(const TransferBatch&) = delete;

  std::vector<Outcome> run(std::size_t max_in_flight, const std::function<bool()>& cancelled);

  std::uint64_t bytes_sent() const { return bytes_sent_; }
  std::uint64_t bytes_received() const { return bytes_received_; }

 private:
  void start_more(std::size_t max_in_flight);
  void collect_finished();
  // Ends every request not finished yet with the same failure.
  void end_rest(ErrorKind kind, const std::string& error);
  void retire(std::size_t index);

  CURLM* multi_;
  CURLSH* share_;
  std::span<const Request> requests_;
  std::vector<Outcome> outcomes_;
  std::vector<std::unique_ptr<Transfer>> active_;  // by request index; null unless running
  std::unordered_map<CURL*, std::size_t> index_of_;
  std::size_t next_ = 0;
  std::size_t running_ = 0;
  std::uint64_t bytes_sent_ = 0;
  std::uint64_t bytes_received_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace jobhost::http::detail
