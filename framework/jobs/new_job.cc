#include "jobs/new_job.h"

namespace jobhost::jobs {

std::string singleton_slot(const std::string& type, const std::string& key) {
  // The unit separator cannot appear in a job type name.
  return key.empty() ? type : type + '\x1f' + key;
}

NewJob make_new_job(const plugin::JobTypeSpec& type, const nlohmann::json& params,
                    const std::string& origin, Micros scheduled_at) {
  NewJob j;
  j.type = type.name;
  if (!type.key_param.empty() && params.contains(type.key_param)) {
    const auto& k = params.at(type.key_param);
    j.key = k.is_string() ? k.get<std::string>() : k.dump();
  }
  if (type.singleton) j.singleton_slot = singleton_slot(type.name, j.key);
  j.params = params.dump();
  j.scheduled_at = scheduled_at;
  j.max_attempts = type.retry.max_attempts;
  j.origin = origin;
  return j;
}

}  // namespace jobhost::jobs
