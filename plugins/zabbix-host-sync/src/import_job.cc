// zabbix.import_host_configs: the desired HostConfigs from a YAML or JSON file. All or
// nothing: one invalid entry and nothing is imported, every problem listed.
#include "config_file.h"
#include "config_table.h"
#include "jobs.h"

namespace zhs {

jobhost::Result import_host_configs(jobhost::Run& run) {
  const auto file = run.param<std::string>("file");
  const bool replace = run.param<bool>("replace");
  ConfigFileResult parsed = read_config_file(file);
  if (!parsed.errors.empty()) {
    nlohmann::json errors = parsed.errors;
    std::string message = std::to_string(parsed.errors.size()) + " problem(s) in " + file +
                          "; nothing imported. First: " + parsed.errors.front();
    run.event(message, {.data = nlohmann::json{{"file", file}, {"errors", errors}}.dump()},
              jobhost::Level::error);
    run.error(message);
    for (const auto& e : parsed.errors) run.warn(e);
    return jobhost::Result::failure(
        nlohmann::json{{"file", file}, {"imported", 0}, {"errors", errors}}.dump(), message);
  }
  ConfigTable table(run);
  const auto counts = table.upsert(parsed.configs, replace, jobhost::now_micros());
  const std::string result = jobhost::JsonObject()
                                 .add("file", file)
                                 .add("entries", static_cast<int64_t>(parsed.configs.size()))
                                 .add("inserted", counts.inserted)
                                 .add("changed", counts.changed)
                                 .add("unchanged", counts.unchanged)
                                 .add("removed", counts.removed)
                                 .add("total", table.count())
                                 .str();
  run.event("imported " + std::to_string(parsed.configs.size()) + " HostConfigs from " + file,
            {.data = result});
  return jobhost::Result::ok(result);
}

}  // namespace zhs
