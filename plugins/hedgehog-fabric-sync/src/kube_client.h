// A client for one fabric's Kubernetes API server over the host's HTTP service: /version and
// the paged lists of the Hedgehog kinds, with errors that say what to fix.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <jobhost/sdk.hpp>
#include <nlohmann/json.hpp>

#include "fabric_config.h"
#include "kinds.h"

namespace hfs {

// The API server unreachable, refusing the credentials, or answering with an error: the
// run's error (the host retries it per the job type's policy).
class KubeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Every object of one kind, as the list endpoint served them.
struct KindList {
  const Kind* kind = nullptr;
  bool installed = true;  // false: the API answered 404 (its CRD is not installed)
  std::vector<nlohmann::json> items;
  int pages = 0;
  int restarts = 0;  // lists started again after a continue token expired (410 Gone)
};

class KubeClient {
 public:
  KubeClient(const jobhost::Context& ctx, Fabric fabric, RequestSettings settings);

  // GET /version: {"gitVersion": ..., "platform": ...}.
  nlohmann::json version();
  // Lists every kind in the fabric's namespace, `page_size` objects per request. The kinds are
  // paged side by side: each round asks for the next page of every kind not yet complete, at
  // most max_in_flight at once. A kind whose continue token expires is listed again from its
  // start (at most 3 times). Cancellation is checked between rounds.
  std::vector<KindList> list_all(const std::vector<Kind>& kinds);
  // The first page of one kind with `limit` objects (a connection test).
  KindList first_page(const Kind& kind, int64_t limit);

  int64_t requests() const { return requests_; }
  const Fabric& fabric() const { return fabric_; }

 private:
  jobhost::HttpRequest get(const std::string& path_and_query) const;
  // The JSON body of a 200 answer to `request`; throws KubeError for anything else.
  nlohmann::json answer(const jobhost::HttpRequest& request, const jobhost::HttpResult& result,
                        const std::string& what) const;
  // A kind's list answer: false when it is a 404 on a first page (the CRD is not installed).
  bool installed(const jobhost::HttpResult& result, bool first_page) const {
    return !(result.ok && result.response.status == 404 && first_page);
  }
  [[noreturn]] void fail_status(const jobhost::HttpRequest& request,
                                const jobhost::HttpResponse& response,
                                const std::string& what) const;

  const jobhost::Context& ctx_;
  Fabric fabric_;
  RequestSettings settings_;
  int64_t requests_ = 0;
};

}  // namespace hfs
