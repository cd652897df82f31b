#include "schedule/config_schedules.h"

#include <map>
#include <optional>
#include <set>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "jobs/params.h"
#include "schedule/error.h"
#include "schedule/min_interval.h"
#include "schedule/spec.h"

namespace jobhost::schedule {

namespace {

struct SectionReader {
  const config::PluginSection& section;
  std::string path;  // schedules.<type>
  std::vector<config::ConfigProblem>& problems;

  void report(const YAML::Node& at, const std::string& key, const std::string& message) {
    config::ConfigProblem p;
    p.file = section.file;
    if (at.IsDefined() && at.Mark().line >= 0) {
      p.line = at.Mark().line + 1;
      p.column = at.Mark().column + 1;
    } else {
      p.line = section.line;
      p.column = section.column;
    }
    p.key_path = key.empty() ? path : path + "." + key;
    p.message = message;
    problems.push_back(std::move(p));
  }
};

// YAML params -> JSON, scalars as text (the job type's schema types them).
nlohmann::json params_json(const YAML::Node& node) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& kv : node) out[kv.first.as<std::string>()] = kv.second.as<std::string>();
  return out;
}

// The job type's compiled-in default, when it has one that applies to its own slot (key "").
std::optional<DesiredSchedule> type_default(const config::HostConfig& config,
                                            const plugin::JobTypeSpec& type,
                                            std::vector<config::ConfigProblem>& problems,
                                            Micros now) {
  if (type.default_schedule.empty()) return std::nullopt;
  const auto* key = type.key_param.empty() ? nullptr : type.find_param(type.key_param);
  if (key && key->required && !key->default_value) return std::nullopt;
  DesiredSchedule d;
  d.job_type = type.name;
  d.source = Source::job_type_default;
  try {
    const ScheduleSpec spec = parse_schedule(type.default_schedule);
    check_min_interval(spec, type.min_interval_s, type.name, now);
    d.spec = spec.text;
  } catch (const std::exception& e) {
    // A plugin's bad default is the plugin's bug: reported, the job type runs unscheduled.
    problems.push_back(
        {config.source, 0, 0, "schedules." + type.name,
         "the plugin's default schedule '" + type.default_schedule + "' is invalid: " + e.what()});
    return std::nullopt;
  }
  return d;
}

// The YAML entry `section` for `type`, laid over the type's default `base` (an entry may give
// only jitter, enabled or params). Nullopt, with its problems reported, when it is invalid.
std::optional<DesiredSchedule> read_entry(const config::PluginSection& section,
                                          const plugin::JobTypeSpec& type,
                                          std::optional<DesiredSchedule> base,
                                          std::vector<config::ConfigProblem>& problems,
                                          Micros now) {
  static const std::set<std::string> kKeys = {"every",  "cron",    "time_zone",
                                              "jitter", "enabled", "params"};
  const std::string& type_name = type.name;
  SectionReader r{section, "schedules." + type_name, problems};
  const YAML::Node& node = section.node;
  if (!node.IsMap()) {
    r.report(node, "", "must be a map with `every:` or `cron:`");
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (!kKeys.count(key)) {
      r.report(kv.first, key,
               "unknown key (allowed: every, cron, time_zone, jitter, enabled, params)");
      ok = false;
    }
  }
  const YAML::Node every = node["every"], cron = node["cron"], zone = node["time_zone"],
                   jitter = node["jitter"], enabled = node["enabled"], params = node["params"];
  DesiredSchedule d = base.value_or(DesiredSchedule{});
  d.job_type = type_name;
  d.source = Source::config;
  try {
    const Micros j = jitter ? parse_duration(jitter.as<std::string>(), "jitter") : 0;
    if (every && cron) {
      r.report(cron, "cron", "give either `every:` or `cron:`, not both");
      ok = false;
    } else if (every) {
      if (zone) {
        r.report(zone, "time_zone", "only a `cron:` schedule has a time zone");
        ok = false;
      }
      d.spec = interval_schedule(parse_duration(every.as<std::string>(), "every"), j).text;
    } else if (cron) {
      d.spec = cron_schedule(cron.as<std::string>(), zone ? zone.as<std::string>() : "UTC", j).text;
    } else if (d.spec.empty()) {
      r.report(YAML::Node(), "",
               "job type " + type_name + " has no default schedule: give `every:` or `cron:`");
      ok = false;
    } else if (jitter) {
      // Only a jitter for the job type's default schedule.
      auto spec = parse_schedule(d.spec);
      d.spec = spec.kind == ScheduleSpec::Kind::interval
                   ? interval_schedule(spec.interval, j).text
                   : cron_schedule(spec.cron.text, spec.time_zone, j).text;
    }
    if (!d.spec.empty())
      check_min_interval(parse_schedule(d.spec), type.min_interval_s, type_name, now);
  } catch (const std::exception& e) {
    const YAML::Node& at = jitter && std::string(e.what()).rfind("jitter", 0) == 0 ? jitter
                           : every                                                 ? every
                                                                                   : cron;
    r.report(at, every ? "every" : (cron ? "cron" : "jitter"), e.what());
    ok = false;
  }
  if (enabled) {
    if (enabled.as<std::string>() == "true" || enabled.as<std::string>() == "false") {
      d.enabled = enabled.as<std::string>() == "true";
    } else {
      r.report(enabled, "enabled", "must be true or false");
      ok = false;
    }
  }
  if (params) {
    if (!params.IsMap()) {
      r.report(params, "params", "must be a map of parameter names to values");
      ok = false;
    } else {
      try {
        d.params = jobs::params_from_json(type, params_json(params)).dump();
      } catch (const std::exception& e) {
        r.report(params, "params", e.what());
        ok = false;
      }
    }
  }
  if (!ok) return std::nullopt;
  return d;
}

}  // namespace

DesiredSchedules desired_schedules(const config::HostConfig& config,
                                   const plugin::PluginRegistry& plugins) {
  DesiredSchedules out;
  const Micros now = now_micros();
  std::map<std::string, DesiredSchedule> by_type;
  for (const auto& type : plugins.job_types())
    if (auto d = type_default(config, *type, out.problems, now)) by_type[type->name] = *d;

  for (const auto& [type_name, section] : config.schedules) {
    const auto type = plugins.find_job_type(type_name);
    if (!type) {
      SectionReader r{section, "schedules." + type_name, out.problems};
      r.report(YAML::Node(), "", "no loaded plugin provides job type '" + type_name + "'");
      continue;
    }
    auto base = by_type.count(type_name) ? std::optional(by_type[type_name]) : std::nullopt;
    if (auto d = read_entry(section, *type, std::move(base), out.problems, now))
      by_type[type_name] = *d;
  }
  for (auto& [name, d] : by_type) out.schedules.push_back(std::move(d));
  return out;
}

std::optional<ConfiguredSchedule> configured_schedule(const config::HostConfig& config,
                                                      const plugin::JobTypeSpec& type,
                                                      const std::string& key) {
  // The YAML names job types only: it configures their own slot, never a per-object one.
  if (!key.empty()) return std::nullopt;
  const auto it = config.schedules.find(type.name);
  if (it == config.schedules.end()) return std::nullopt;
  std::vector<config::ConfigProblem> problems;  // the reconcile reports them
  const Micros now = now_micros();
  ConfiguredSchedule out;
  out.desired =
      read_entry(it->second, type, type_default(config, type, problems, now), problems, now);
  return out;
}

bool is_stored_as(const ScheduleRecord& current, const DesiredSchedule& d) {
  return current.spec == d.spec && current.params == d.params &&
         current.source == source_name(d.source) && (!d.enabled || *d.enabled == current.enabled);
}

ReconcileReport reconcile_schedules(store::Session& session,
                                    const std::vector<DesiredSchedule>& desired, Micros now) {
  ReconcileReport report;
  ScheduleStore schedules(session);
  store::WriteTransaction tx(session);
  std::set<std::pair<std::string, std::string>> wanted;
  for (const auto& d : desired) {
    wanted.insert({d.job_type, d.key});
    auto current = schedules.find(d.job_type, d.key);
    // What a plugin registered at run time beats its compiled-in default (the YAML does not).
    if (current && current->source == "plugin" && d.source == Source::job_type_default) {
      ++report.unchanged;
      continue;
    }
    if (current && is_stored_as(*current, d)) {
      ++report.unchanged;
      continue;
    }
    schedules.upsert(d, now);
    ++(current ? report.updated : report.created);
  }
  for (const auto& r : schedules.list()) {
    if (r.source == "plugin" || wanted.count({r.job_type, r.key})) continue;
    schedules.remove(r.job_type, r.key);
    ++report.removed;
  }
  tx.commit();
  return report;
}

}  // namespace jobhost::schedule
