// myplugin: the starting point of a jobhost plugin. One setting (the `plugins: myplugin:`
// section of the host's YAML), one job type with a parameter and a default schedule.
// Rename "myplugin" here and in CMakeLists.txt, then replace the run function with your job.
#include <string>

#include <jobhost/sdk.hpp>

JOBHOST_PLUGIN("myplugin", "0.1.0", "Template plugin: greets someone on a schedule") {
  // Settings are checked by the host against this declaration (type, default, limits) before
  // the plugin starts; `jobhost config check` reports a wrong value with its file and line.
  plugin.setting("greeting", jobhost::Type::string)
      .default_value("Hello")
      .describe("Word to greet with");

  // Tables of your own: plugin.migration(1, "any", "what it adds", "CREATE TABLE ..."), then
  // run.exec(...) / run.query(...) inside the run's transaction (see sdk/examples/hello).

  // Job type names are "<plugin>.<job>". The default schedule can be overridden in the YAML
  // (`schedules: { myplugin.greet: {every: 10m} }`); `jobhost run-now myplugin.greet -p who=ops`
  // runs it at once.
  plugin.job("myplugin.greet")
      .describe("Greet someone and record it in the event log")
      .param("who", jobhost::Type::string, "world", "Who to greet")
      .schedule("every 60m")
      .singleton()
      .timeout(60)
      .run([](jobhost::Run& run) {
        const auto who = run.param<std::string>("who");
        if (who.empty())  // failed: the job ran and says what is wrong (an exception: errored)
          return jobhost::Result::failure("{}", "parameter 'who' is empty");
        const auto message = run.setting_or<std::string>("greeting", "Hello") + ", " + who + "!";
        run.event(message);
        return jobhost::Result::ok(jobhost::JsonObject().add("message", message).str());
      });
}
