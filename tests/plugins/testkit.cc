// testkit: job types that provoke every path of a run (success, exception, failure report,
// writes then throw, timeout, singleton, SQL types, HTTP, settings, progress, bad output).
#include <algorithm>
#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include <jobhost/sdk.hpp>

using jobhost::JsonObject;
using jobhost::Result;
using jobhost::Run;
using jobhost::Type;

namespace {

int64_t write_rows(Run& run, int64_t rows) {
  for (int64_t n = 0; n < rows; ++n)
    run.exec("INSERT INTO testkit_rows (job_id, n, note) VALUES (:job, :n, :note)", run.job_id(), n,
             "row " + std::to_string(n));
  return rows;
}

// Init and reconfigure: one schedule of testkit.single per key of the `keys` setting, with the
// rhythm of `every`; schedules of keys no longer listed are removed. every: refuse is refused
// before anything changes.
void apply_keys(jobhost::Context& ctx) {
  const auto every = ctx.setting_or<std::string>("every", "every 60s");
  if (every == "refuse") throw std::runtime_error("every: 'refuse' is refused by testkit");
  std::vector<std::string> keys;
  while (auto key = ctx.setting<std::string>("keys." + std::to_string(keys.size())))
    keys.push_back(*key);
  for (const auto& s : ctx.schedules("testkit.single"))  // the YAML's own are left alone
    if (s.source == "plugin" && std::find(keys.begin(), keys.end(), s.key) == keys.end())
      ctx.unschedule("testkit.single", s.key);
  // The run's shape, the same for every key; jitter_ms and record only when set, so that
  // schedules made without them keep their params exactly as before.
  JsonObject params;
  params.add("ms", ctx.setting_or<int64_t>("ms", 0));
  if (const auto jitter = ctx.setting_or<int64_t>("jitter_ms", 0); jitter != 0)
    params.add("jitter_ms", jitter);
  if (ctx.setting_or<bool>("record", false)) params.add("record", true);
  for (const auto& key : keys) ctx.schedule("testkit.single", key, every, params.str());
}

}  // namespace

JOBHOST_PLUGIN("testkit", "1.2.3", "Job types that provoke every path of the host") {
  plugin.setting("label", Type::string).default_value("tk").describe("A label echoed back");
  plugin.setting("limit", Type::integer).default_value("5").min(1).max(10);
  plugin.setting("token", Type::string).secret();
  plugin.setting("keys", Type::list).describe("Keys to keep a testkit.single schedule for");
  plugin.setting("every", Type::string).describe("Their rhythm (default every 60s)");
  plugin.setting("ms", Type::integer).default_value("0").min(0).describe("Their params.ms");
  plugin.setting("jitter_ms", Type::integer)
      .default_value("0")
      .min(0)
      .describe("Their params.jitter_ms");
  plugin.setting("record", Type::boolean).default_value("false").describe("Their params.record");
  plugin.on_init(apply_keys).on_reconfigure(apply_keys);

  plugin.migration(1, "any", "rows written by runs",
                   "CREATE TABLE testkit_rows (job_id BIGINT NOT NULL, n BIGINT NOT NULL, "
                   "note TEXT, PRIMARY KEY (job_id, n))");
  plugin.migration(2, "any", "one row per run",
                   "CREATE TABLE testkit_runs (job_id BIGINT PRIMARY KEY, worker_note TEXT)");
  plugin.migration(3, "sqlite", "typed values",
                   "CREATE TABLE testkit_values (i BIGINT, r REAL, t TEXT, z TEXT)");
  plugin.migration(3, "postgresql", "typed values",
                   "CREATE TABLE testkit_values (i BIGINT, r DOUBLE PRECISION, t TEXT, z TEXT)");

  plugin.job("testkit.noop").describe("Does nothing").run([](Run&) { return Result::ok(); });

  plugin.job("testkit.once")
      .describe("Records its job id; a second run of the same job would violate the key")
      .run([](Run& run) {
        run.exec("INSERT INTO testkit_runs (job_id) VALUES (:id)", run.job_id());
        return Result::ok();
      });

  plugin.job("testkit.write")
      .param("rows", Type::integer, "3", "How many rows to write")
      .run([](Run& run) {
        auto n = write_rows(run, run.param<int64_t>("rows"));
        run.event("wrote rows", {.data = JsonObject().add("rows", n).str()});
        return Result::ok(JsonObject().add("written", n).str());
      });

  plugin.job("testkit.write_then_throw")
      .param("rows", Type::integer, "3")
      .run([](Run& run) -> Result {
        auto n = write_rows(run, run.param<int64_t>("rows"));
        run.event("this event must vanish with the rollback");
        throw std::runtime_error("boom after writing " + std::to_string(n) + " rows");
      });

  plugin.job("testkit.throw").run([](Run&) -> Result {
    throw std::runtime_error("plain failure");
  });

  plugin.job("testkit.fail")
      .describe("Writes a row, then reports failure: its writes are kept")
      .run([](Run& run) {
        write_rows(run, 1);
        run.pre_data(R"({"before":1})");
        run.post_data(R"({"after":2})");
        run.data(R"({"checked":7})");
        run.signal_id("sig-42");
        return Result::failure(R"({"reason":"3 of 7 hosts out of sync"})");
      });

  plugin.job("testkit.sleep")
      .param("ms", Type::integer, "1000")
      .param("honour_cancel", Type::boolean, "true")
      .timeout(1)
      .run([](Run& run) {
        const auto ms = run.param<int64_t>("ms");
        const bool honour = run.param<bool>("honour_cancel");
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (std::chrono::steady_clock::now() < until) {
          if (honour) run.throw_if_cancelled();
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return Result::ok();
      });

  plugin.job("testkit.single")
      .required_param("key", Type::string, "The object this job is about")
      .param("ms", Type::integer, "0")
      .param("jitter_ms", Type::integer, "0", "Sleeps ms plus a random 0..jitter_ms")
      .param("record", Type::boolean, "false",
             "Records the run in testkit_runs (job id, key) before sleeping")
      .singleton("key")
      .run([](Run& run) {
        if (run.param<bool>("record"))
          run.exec("INSERT INTO testkit_runs (job_id, worker_note) VALUES (:id, :key)",
                   run.job_id(), run.key());
        int64_t ms = run.param<int64_t>("ms");
        if (const auto jitter = run.param<int64_t>("jitter_ms"); jitter > 0) {
          thread_local std::mt19937_64 random{std::random_device{}()};
          ms += std::uniform_int_distribution<int64_t>(0, jitter)(random);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        return Result::ok(JsonObject().add("key", run.key()).str());
      });

  plugin.job("testkit.types").describe("Round-trips typed values through SQL").run([](Run& run) {
    run.exec("INSERT INTO testkit_values (i, r, t, z) VALUES (:i, :r, :t, :z)", int64_t{42}, 2.5,
             std::string("007"), nullptr);
    auto rows = run.query(
        "SELECT i, r, t, z, (SELECT COUNT(*) FROM testkit_values) AS n FROM testkit_values");
    rows.next();
    JsonObject out;
    out.add("i", rows.get<int64_t>(0))
        .add("r", rows.get<double>(1))
        .add("t", rows.get<std::string>(2))
        .add("z_is_null", rows.is_null(3))
        .add("n", rows.get<int64_t>(4))
        .add("column_4", rows.column_name(4));
    return Result::ok(out.str());
  });

  plugin.job("testkit.http")
      .required_param("url", Type::string)
      .param("timeout_ms", Type::integer, "0")
      .run([](Run& run) {
        jobhost::HttpRequest req;
        req.url = run.param<std::string>("url");
        req.timeout = std::chrono::milliseconds(run.param<int64_t>("timeout_ms"));
        req.headers.emplace_back("X-Testkit", "1");
        auto resp = run.http(req);
        return Result::ok(JsonObject()
                              .add("status", resp.status)
                              .add("body", resp.body)
                              .add("content_type", resp.header("content-type").value_or(""))
                              .str());
      });

  plugin.job("testkit.settings").run([](Run& run) {
    return Result::ok(JsonObject()
                          .add("label", run.setting_or<std::string>("label", "?"))
                          .add("limit", run.setting_or<int64_t>("limit", -1))
                          .add_raw("all", run.settings_json())
                          .str());
  });

  plugin.job("testkit.progress").run([](Run& run) {
    run.progress(5, 10, "halfway");
    return Result::ok();
  });

  plugin.job("testkit.flaky")
      .describe("Errors on its first `fail_times` attempts, then completes")
      .param("fail_times", Type::integer, "2")
      .retries(3, 1, 2)
      .run([](Run& run) {
        if (run.attempt() <= run.param<int64_t>("fail_times"))
          throw std::runtime_error("flaky failure on attempt " + std::to_string(run.attempt()));
        return Result::ok(JsonObject().add("attempt", run.attempt()).str());
      });

  plugin.job("testkit.write_slow")
      .describe("Writes rows, then sleeps (to be killed mid-run)")
      .param("rows", Type::integer, "3")
      .param("ms", Type::integer, "10000")
      .param("honour_cancel", Type::boolean, "true")
      .retries(2, 1, 1)
      .timeout(120)
      .run([](Run& run) {
        write_rows(run, run.param<int64_t>("rows"));
        const bool honour = run.param<bool>("honour_cancel");
        const auto until =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(run.param<int64_t>("ms"));
        while (std::chrono::steady_clock::now() < until) {
          if (honour) run.throw_if_cancelled();
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return Result::ok();
      });

  plugin.job("testkit.hang")
      .describe("Writes a row, then ignores cancellation far past its 1 s timeout")
      .param("ms", Type::integer, "30000")
      .timeout(1)
      .run([](Run& run) {
        write_rows(run, 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(run.param<int64_t>("ms")));
        return Result::ok();
      });

  plugin.job("testkit.register")
      .describe(
          "Registers (or with remove=true removes) a per-key schedule of testkit.single, "
          "or of `type`; key \"\" is the type's own schedule")
      .required_param("key", Type::string)
      .param("type", Type::string, "testkit.single")
      .param("when", Type::string, "every 2s")
      .param("remove", Type::boolean, "false")
      .run([](Run& run) {
        const auto key = run.param<std::string>("key");
        const auto type = run.param<std::string>("type");
        if (run.param<bool>("remove"))
          return Result::ok(JsonObject().add("removed", run.unschedule(type, key)).str());
        run.schedule(type, key, run.param<std::string>("when"),
                     type == "testkit.single" ? R"({"ms":0})" : "");
        return Result::ok();
      });

  plugin.job("testkit.schedules")
      .describe("Lists the schedules of `type` as the registry has them")
      .param("type", Type::string, "testkit.single")
      .run([](Run& run) {
        std::string items;
        for (const auto& s : run.schedules(run.param<std::string>("type")))
          items += (items.empty() ? "" : ",") + JsonObject()
                                                    .add("key", s.key)
                                                    .add("schedule", s.schedule)
                                                    .add("source", s.source)
                                                    .add("enabled", s.enabled)
                                                    .add("has_next", s.next_run_at.has_value())
                                                    .str();
        return Result::ok(JsonObject().add_raw("schedules", "[" + items + "]").str());
      });

  plugin.job("testkit.latest")
      .describe("Lists the latest run of each key of `type` as the host recorded it")
      .param("type", Type::string, "testkit.single")
      .run([](Run& run) {
        std::string items;
        for (const auto& j : run.latest_jobs(run.param<std::string>("type")))
          items += (items.empty() ? "" : ",") + JsonObject()
                                                    .add("key", j.key)
                                                    .add("job_id", j.job_id)
                                                    .add("status", j.status)
                                                    .add("error", j.error.value_or(""))
                                                    .add("finished", j.finished_at.has_value())
                                                    .add("retry", j.retry_at.has_value())
                                                    .add("attempt", j.attempt)
                                                    .str();
        return Result::ok(JsonObject().add_raw("jobs", "[" + items + "]").str());
      });

  plugin.job("testkit.every")
      .describe("Has a default schedule of every 1s")
      .schedule("every 1s")
      .run([](Run& run) { return Result::ok(JsonObject().add("job", run.job_id()).str()); });

  plugin.job("testkit.throttled")
      .describe("May not be scheduled more often than every 60s (ABI 1.3 min_interval)")
      .min_interval(60)
      .run([](Run&) { return Result::ok(); });

  // The plugin's status for the API and the dashboard (GET /api/v1/plugins/testkit/status).
  plugin.job("testkit.status")
      .describe("Read-only: the label setting and how many rows testkit.write wrote")
      .read_only()
      .run([](Run& run) {
        auto rows = run.query("SELECT COUNT(*) FROM testkit_rows");
        rows.next();
        return Result::ok(JsonObject()
                              .add("label", run.setting_or<std::string>("label", "?"))
                              .add("rows", rows.get<int64_t>(0))
                              .str());
      });

  // ABI 1.4 read-only queries: one that only reads, one that breaks its promise on purpose.
  plugin.job("testkit.query")
      .describe("Read-only: counts testkit_rows, echoes `who` and the label setting")
      .required_param("who", Type::string)
      .param("n", Type::integer, "1")
      .key("who")
      .read_only()
      .run([](Run& run) {
        auto rows = run.query("SELECT COUNT(*) FROM testkit_rows");
        rows.next();
        // PostgreSQL says whether the run's transaction is READ ONLY ("on"); SQLite cannot.
        std::string read_only_tx;
        if (run.dialect() == "postgresql") {
          auto show = run.query("SHOW transaction_read_only");
          show.next();
          read_only_tx = show.get<std::string>(0);
        }
        return Result::ok(JsonObject()
                              .add("read_only_tx", read_only_tx)
                              .add("who", run.param<std::string>("who"))
                              .add("n", run.param<int64_t>("n"))
                              .add("key", run.key())
                              .add("rows", rows.get<int64_t>(0))
                              .add("job_id", run.job_id())
                              .add("label", run.setting_or<std::string>("label", "?"))
                              .str());
      });

  plugin.job("testkit.query_write")
      .describe(
          "Declared read-only, but writes: `what` is sql, sql_many, event, schedule, get or post "
          "(to `url`); swallow=true ignores the host's refusal")
      .param("what", Type::string, "sql")
      .param("url", Type::string, "")
      .param("swallow", Type::boolean, "false")
      .read_only()
      .run([](Run& run) {
        const auto what = run.param<std::string>("what");
        try {
          if (what == "sql") {
            write_rows(run, 1);
          } else if (what == "sql_many") {
            run.exec_many("INSERT INTO testkit_rows (job_id, n, note) VALUES (:j, :n, 'many')",
                          {Run::row(run.job_id(), int64_t{7})});
          } else if (what == "event") {
            run.event("a query must not log this");
          } else if (what == "schedule") {
            run.schedule("testkit.single", "from-query", "every 60s");
          } else {
            jobhost::HttpRequest req;
            req.method = what == "post" ? "POST" : "GET";
            req.url = run.param<std::string>("url");
            req.body = "{}";
            run.http(req);
          }
        } catch (const jobhost::Error&) {
          if (!run.param<bool>("swallow")) throw;
        }
        return Result::ok(JsonObject().add("what", what).str());
      });

  plugin.job("testkit.bad_output").run([](Run&) { return Result::ok("{not json"); });

  plugin.job("testkit.bad_sql").run([](Run& run) {
    run.exec("INSERT INTO no_such_table (x) VALUES (:x)", 1);
    return Result::ok();
  });
}
