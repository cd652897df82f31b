// selfsched: a plugin that sets its job types' own schedules (key "") itself, as zabbix-host-sync
// and meraki-sync do: unconditionally, in init and reconfigure from a setting, and at run time
// on demand. The tests configure some of those schedules in the host's YAML to check that the
// operator's entry wins over every such call.
#include <string>

#include <jobhost/sdk.hpp>

using jobhost::JsonObject;
using jobhost::Result;
using jobhost::Run;
using jobhost::Type;

namespace {

constexpr const char* kTypes[] = {"selfsched.sync", "selfsched.other"};

// Both types' own schedules get `every`; "none" removes them (as a plugin does when its
// setting turns scheduling off). Neither looks at what is stored: the host decides.
void apply(jobhost::Context& ctx) {
  const auto every = ctx.setting_or<std::string>("every", "every 1h");
  for (const char* type : kTypes) {
    if (every == "none")
      ctx.unschedule(type, "");
    else
      ctx.schedule(type, "", every);
  }
}

}  // namespace

JOBHOST_PLUGIN("selfsched", "0.1.0", "Sets its job types' own schedules from a setting") {
  plugin.setting("every", Type::string)
      .default_value("every 1h")
      .describe("The own schedule of both job types; none removes them");
  plugin.on_init(apply).on_reconfigure(apply);

  plugin.job("selfsched.sync").describe("Does nothing, on a schedule").run([](Run&) {
    return Result::ok();
  });
  plugin.job("selfsched.other").describe("Does nothing, on a schedule").run([](Run&) {
    return Result::ok();
  });
  plugin.job("selfsched.set")
      .describe("Sets (or with remove=true removes) the own schedule of `type` at run time")
      .required_param("type", Type::string)
      .param("when", Type::string, "every 2h")
      .param("remove", Type::boolean, "false")
      .run([](Run& run) {
        const auto type = run.param<std::string>("type");
        if (run.param<bool>("remove"))
          return Result::ok(JsonObject().add("removed", run.unschedule(type, "")).str());
        run.schedule(type, "", run.param<std::string>("when"));
        return Result::ok();
      });
}
