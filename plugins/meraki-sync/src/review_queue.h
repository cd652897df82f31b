// The review queue: a review-mode sync stages its changes as a change set; nothing in the
// inventory changes until the set is approved (meraki.approve) or after it is rejected
// (meraki.reject). A newer set for the same organizations supersedes an older pending one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <jobhost/sdk.hpp>
#include <nlohmann/json.hpp>

#include "changes.h"

namespace mks {

struct ChangeSetInfo {
  int64_t id = 0;
  int64_t created_at = 0;
  int64_t job_id = 0;
  std::vector<std::string> organizations;
  std::string status;  // pending, approved, rejected, superseded, stale
  nlohmann::json counts;
  int64_t change_count = 0;
  std::optional<int64_t> decided_at;
  std::optional<int64_t> decided_by_job;
  std::optional<std::string> note;

  nlohmann::json to_json() const;
};

class ReviewQueue {
 public:
  explicit ReviewQueue(const jobhost::Run& run) : run_(run) {}

  // Stages `changes` as a new pending set and marks older pending sets that cover any of the
  // same organizations superseded. Returns the new set's id and the ids superseded.
  std::pair<int64_t, std::vector<int64_t>> stage(const std::vector<Change>& changes,
                                                 const std::vector<std::string>& organizations,
                                                 const nlohmann::json& counts, int64_t now) const;

  std::optional<ChangeSetInfo> find(int64_t id) const;
  // Newest first; `status` "" for every status.
  std::vector<ChangeSetInfo> list(const std::string& status, int64_t limit) const;
  std::vector<Change> changes(int64_t id, int64_t limit = -1) const;
  void decide(int64_t id, const std::string& status, int64_t now,
              const std::optional<std::string>& note) const;

 private:
  const jobhost::Run& run_;
};

}  // namespace mks
