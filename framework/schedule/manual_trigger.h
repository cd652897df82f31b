// A manual run of a job type (`jobhost trigger`, POST /api/v1/jobs): enqueued now, the
// schedule's rhythm untouched, refused while its schedule is disabled unless forced.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "plugin/plugin_spec.h"
#include "store/database.h"

namespace jobhost::schedule {

// Why a trigger was refused; the message says what to do.
class TriggerRefused : public std::runtime_error {
 public:
  enum class Reason { schedule_disabled, no_key_param };
  TriggerRefused(Reason reason, const std::string& message)
      : std::runtime_error(message), reason_(reason) {}
  Reason reason() const { return reason_; }

 private:
  Reason reason_;
};

struct ManualTrigger {
  std::string key;  // the key parameter's value; "" for the type-wide schedule
  nlohmann::json params = nlohmann::json::object();  // checked (jobs::params_from_json/_text)
  bool force = false;                                // run even if the schedule is disabled
  std::string origin = "trigger";
};

// Enqueues the job and returns its id. Throws TriggerRefused, jobs::ParamError,
// jobs::SingletonConflict, store::StoreError.
int64_t trigger_job(store::Session& session, const plugin::JobTypeSpec& type,
                    const ManualTrigger& trigger);

}  // namespace jobhost::schedule
