// The smallest useful jobhost plugin: one job type that records a greeting in its own table,
// adds an event and returns a result, all in the run's transaction.
#include <jobhost/sdk.hpp>

JOBHOST_PLUGIN("hello", "1.0.0", "Example plugin: greets someone and counts the greetings") {
  plugin.setting("greeting", jobhost::Type::string)
      .default_value("Hello")
      .describe("Greeting word");
  plugin.migration(1, "any", "greetings table",
                   "CREATE TABLE hello_greetings (who TEXT NOT NULL, message TEXT NOT NULL)");

  plugin.job("hello.greet")
      .describe("Greet someone and count how often they were greeted")
      .param("who", jobhost::Type::string, "world", "Who to greet")
      .singleton()
      .timeout(30)
      .run([](jobhost::Run& run) {
        const auto who = run.param<std::string>("who");
        const auto message = run.setting_or<std::string>("greeting", "Hello") + ", " + who + "!";
        run.exec("INSERT INTO hello_greetings (who, message) VALUES (:who, :message)", who,
                 message);
        auto rows = run.query("SELECT COUNT(*) FROM hello_greetings WHERE who = :who", who);
        rows.next();
        const auto result =
            jobhost::JsonObject().add("message", message).add("times", rows.get<int64_t>(0)).str();
        run.event(message, {.data = result});
        return jobhost::Result::ok(result);
      });
}
