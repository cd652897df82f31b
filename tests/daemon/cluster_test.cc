// Several `jobhost run` daemons sharing one PostgreSQL database, as a cluster of hosts would:
// three hosts racing to fire many singleton schedules; a host killed mid-run, declared lost by
// the other and its job rescued long before the job's lease expires; PostgreSQL restarted under
// two running hosts; two hosts starting at the same instant on an empty database. Real child
// processes on a real server (SQLite is one machine's file: no cluster there).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "daemon/daemon_harness.h"
#include "store/framework_schema.h"
#include "support/pg_server.h"

namespace jobhost {
namespace {

using testing::Cli;
using testing::Daemon;
using testing::eventually;
using ::testing::HasSubstr;
using testing::instance_prefix;
using testing::kSecond;
using ::testing::StartsWith;
using namespace std::chrono_literals;
using nlohmann::json;

// The daemons below beat every second; a host is lost after three seconds without a beat.
constexpr int kHeartbeatS = 1;
constexpr int kLostAfterS = 3;

std::string schedules(std::string_view body) {
  return "schedules:\n" + std::string(testing::kEveryOff) + std::string(body);
}

testing::HostSetup cluster_setup(testing::StoreTarget store, int workers) {
  testing::HostSetup setup;
  setup.store = std::move(store);
  setup.plugin_files = {testing::test_plugin("testkit")};
  setup.workers = workers;
  return setup;
}

// The entry of the daemon with `pid` among the hosts of `jobhost status --json`; null when it
// is not listed.
json status_host(const json& status, pid_t pid) {
  if (status.is_object() && status["hosts"].is_array())
    for (const auto& h : status["hosts"])
      if (h.value("pid", int64_t{-1}) == pid) return h;
  return nullptr;
}

// The jobs a host entry of `jobhost status --json` says it runs, as [{id, type}] (whatever else
// an entry may tell); null when the entry has no "running".
json running_of(const json& host) {
  if (!host.is_object() || !host.contains("running") || !host["running"].is_array()) return nullptr;
  json out = json::array();
  for (const auto& r : host["running"])
    out.push_back(r.is_object()
                      ? json{{"id", r.value("id", int64_t{-1})}, {"type", r.value("type", "")}}
                      : r);
  return out;
}

bool ran_on(const jobs::JobRecord& j, pid_t pid) {
  return j.host.rfind(instance_prefix(pid), 0) == 0;
}

// SIGTERM to every daemon at once, as an orchestrator stopping the cluster; each exits 0.
void stop_all(const std::vector<Daemon*>& daemons) {
  for (auto* d : daemons) d->process().kill(SIGTERM);
  for (auto* d : daemons) {
    auto ended = d->process().wait(20s);
    ASSERT_TRUE(ended.has_value()) << "still running 20 s after SIGTERM\n" << d->log();
    EXPECT_EQ(ended->describe(), "exit code 0") << d->log();
  }
}

std::optional<jobs::JobRecord> wait_for_final(testing::StoreProbe& probe, int64_t id,
                                              std::chrono::milliseconds timeout) {
  std::optional<jobs::JobRecord> j;
  eventually(
      [&] {
        j = probe.job(id);
        return j && jobs::is_final(j->status);
      },
      timeout);
  return j;
}

std::vector<jobs::EventRecord> error_events(testing::StoreProbe& probe, int64_t job_id) {
  auto events = probe.events(job_id);
  std::erase_if(events, [](const auto& e) { return e.level != "error"; });
  return events;
}

// A cluster's everyday load: 55 singleton schedules, each due every second and fired by
// whichever of three hosts gets there first, with runs of random length (0..600 ms, so a run
// now and then still holds its key when the key's next slot comes). However the hosts race,
// each slot makes at most one job, each job runs once, and two runs of one key never overlap.
TEST(Cluster, ThreeHostsFireAThousandSingletonSlotsEachOnceNeverTwoAtOnce) {
  JOBHOST_REQUIRE_POSTGRES();
  constexpr int kKeys = 55;
  constexpr auto kFiring = 21s;  // 55 keys for 21 s: about 1,150 fires
  auto setup =
      cluster_setup(testing::make_store_target(testing::StoreKind::postgresql, "three_hosts"), 8);
  std::string keys;
  for (int k = 0; k < kKeys; ++k)
    keys += (k == 0 ? "" : ", ") + std::string(k < 10 ? "k0" : "k") + std::to_string(k);
  // testkit keeps one schedule of testkit.single per key; record: each run writes its job id
  // into testkit_runs (primary key) before sleeping, so a second run of a job would fail.
  setup.plugins_yaml = "  testkit:\n    keys: [" + keys +
                       "]\n    every: every 1s\n    ms: 0\n    jitter_ms: 600\n"
                       "    record: true\n";
  Cli cli(testing::daemon_yaml(setup, schedules("")));
  // The first one creates the schema; the others join a cluster already firing.
  std::vector<Daemon> daemons;
  daemons.reserve(3);
  daemons.emplace_back(cli);
  ASSERT_TRUE(daemons[0].wait_ready()) << daemons[0].log();
  daemons.emplace_back(cli);
  daemons.emplace_back(cli);
  for (auto& d : daemons) ASSERT_TRUE(d.wait_ready()) << d.log();
  std::this_thread::sleep_for(kFiring);
  ASSERT_NO_FATAL_FAILURE(stop_all({&daemons[0], &daemons[1], &daemons[2]}));
  // Slots fired just before the stop may still wait in the queue.
  auto drained = cli.run({"work", "--drain"});
  EXPECT_EQ(drained.exit_code, 0) << drained.describe();
  EXPECT_EQ(testing::unique_violations(drained.err), "");

  testing::StoreProbe probe(setup.store);
  const auto all = probe.jobs();
  // A fire makes a job, or is skipped (the key's previous run still holds the singleton slot):
  // firing records that as a warning event naming the holder.
  int64_t skipped = 0;
  for (const auto& e : probe.events())
    if (e.name == "testkit.single" && e.level == "warn" && e.message.rfind("skipped: ", 0) == 0)
      ++skipped;
  const auto fires = static_cast<int64_t>(all.size()) + skipped;
  EXPECT_GE(fires, 1000);
  EXPECT_LT(skipped * 20, fires) << skipped << " of " << fires << " fires skipped (over 5%)";
  EXPECT_EQ(probe.slots_fired_twice(), 0) << "a slot with more than one job";
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM jh_schedules WHERE job_type = 'testkit.single'"),
            kKeys)
      << "three hosts registered the same keys";

  // Each job: fired by its key's schedule, run once, completed. Only the first few of the
  // offenders are named, to keep a failure readable.
  std::string bad;
  int64_t bad_jobs = 0;
  std::map<std::string, std::vector<const jobs::JobRecord*>> by_key;
  for (const auto& j : all) {
    const bool ok = j.type == "testkit.single" && j.origin == "schedule" && j.schedule_id &&
                    j.status == jobs::JobStatus::completed && j.attempt == 1 && j.started_at &&
                    j.finished_at;
    if (!ok && ++bad_jobs <= 5)
      bad += "job " + std::to_string(j.id) + " " + j.type + " key " + j.key + " " +
             jobs::status_name(j.status) + " attempt " + std::to_string(j.attempt) + " " +
             j.error.value_or("") + "\n";
    if (ok) by_key[j.key].push_back(&j);
  }
  EXPECT_EQ(bad_jobs, 0) << bad;
  EXPECT_EQ(by_key.size(), static_cast<size_t>(kKeys));
  std::string overlaps;
  int64_t overlapping = 0;
  for (auto& [key, runs] : by_key) {
    std::sort(runs.begin(), runs.end(),
              [](const auto* a, const auto* b) { return *a->started_at < *b->started_at; });
    for (size_t i = 1; i < runs.size(); ++i)
      if (*runs[i]->started_at < *runs[i - 1]->finished_at && ++overlapping <= 5)
        overlaps += "key " + key + ": job " + std::to_string(runs[i]->id) + " started at " +
                    format_time(*runs[i]->started_at) + ", before job " +
                    std::to_string(runs[i - 1]->id) + " finished at " +
                    format_time(*runs[i - 1]->finished_at) + "\n";
  }
  EXPECT_EQ(overlapping, 0) << overlaps;

  // One testkit_runs row per job, written by its one run, under its key.
  const auto jobs_n = static_cast<int64_t>(all.size());
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM testkit_runs"), jobs_n);
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM testkit_runs r JOIN jh_jobs j ON j.id = r.job_id "
                        "WHERE j.type = 'testkit.single' AND r.worker_note = j.job_key"),
            jobs_n);

  // All three hosts claimed work from the one queue.
  std::string per_host;
  for (auto& d : daemons) {
    const auto ran =
        std::count_if(all.begin(), all.end(), [&](const auto& j) { return ran_on(j, d.pid()); });
    EXPECT_GT(ran, 0) << "pid " << d.pid() << " ran no job";
    per_host += " " + std::to_string(ran);
    EXPECT_EQ(testing::unique_violations(d.log()), "");
    EXPECT_EQ(testing::error_lines(d.log()), "");
  }
  std::cout << "[          ] " << fires << " fires: " << all.size() << " jobs, " << skipped
            << " skipped; jobs per host:" << per_host << "\n";
}

// kill -9 of a host in the middle of a run, with jobs.lease_s 60: the other host declares it
// lost once its last heartbeat is host.lost_after_s old and rescues the job then, not when the
// lease expires a minute later; the retry runs on the survivor, and `jobhost status` tells the
// lost host from the live one.
TEST(Cluster, KilledHostIsDeclaredLostAndItsJobRescuedBeforeItsLeaseExpires) {
  JOBHOST_REQUIRE_POSTGRES();
  auto setup =
      cluster_setup(testing::make_store_target(testing::StoreKind::postgresql, "killed_host"), 2);
  // testkit.once every second: the schedules go on firing, on the survivor, after the kill.
  Cli cli(testing::daemon_yaml(
      setup, schedules("  testkit.once: { every: 1s }\n") + "jobs:\n  lease_s: 60\n",
      "  heartbeat_s: " + std::to_string(kHeartbeatS) +
          "\n  lost_after_s: " + std::to_string(kLostAfterS) + "\n"));
  // Only the victim runs when the job is enqueued, so it is the one to claim it.
  Daemon victim(cli);
  ASSERT_TRUE(victim.wait_ready()) << victim.log();
  // rows 3, then 6 s of sleep: time to start the survivor and kill the victim mid-run (the
  // retry sleeps as long).
  auto enq = cli.json(
      {"enqueue", "testkit.write_slow", "--param", "rows=3", "--param", "ms=6000", "--json"});
  const int64_t id = enq.value("id", int64_t{-1});
  ASSERT_GT(id, 0) << enq;
  testing::StoreProbe probe(setup.store);
  const std::string rows_of_job =
      "SELECT COUNT(*) FROM testkit_rows WHERE job_id = " + std::to_string(id);
  ASSERT_TRUE(eventually(
      [&] {
        auto j = probe.job(id);
        return j && j->status == jobs::JobStatus::running;
      },
      10s))
      << victim.log();
  Daemon survivor(cli);
  ASSERT_TRUE(survivor.wait_ready()) << survivor.log();
  {
    auto j = probe.job(id);
    ASSERT_TRUE(j && j->status == jobs::JobStatus::running && ran_on(*j, victim.pid()))
        << "the victim runs the job: " << (j ? j->host : "no job");
  }
  // Both live; the victim shows the job it runs.
  const json running_job = json::array({json{{"id", id}, {"type", "testkit.write_slow"}}});
  {
    auto st = cli.json({"status", "--json"});
    auto v = status_host(st, victim.pid());
    auto s = status_host(st, survivor.pid());
    ASSERT_TRUE(v.is_object() && s.is_object()) << st.dump(2);
    EXPECT_EQ(v.value("state", ""), "live") << v.dump(2);
    EXPECT_EQ(running_of(v), running_job) << v.dump(2);
    EXPECT_EQ(s.value("state", ""), "live") << s.dump(2);
    EXPECT_EQ(running_of(s), json::array()) << s.dump(2);
  }

  victim.process().kill(SIGKILL);
  const Micros killed_at = now_micros();
  auto killed = victim.process().wait(10s);
  ASSERT_TRUE(killed.has_value());
  EXPECT_EQ(killed->signal, SIGKILL);
  const auto orphan = probe.job(id);
  ASSERT_TRUE(orphan.has_value() && orphan->lease_until.has_value());
  EXPECT_EQ(orphan->status, jobs::JobStatus::running) << "nobody knows yet";
  EXPECT_GE(*orphan->lease_until, killed_at + 50 * kSecond)
      << "jobs.lease_s (60), renewed while the victim lived";
  EXPECT_EQ(probe.count(rows_of_job), 0) << "the killed run's rows never committed";
  const std::string victim_host = orphan->host;

  // Its last beat was at most heartbeat_s before the kill; lost_after_s later the survivor's
  // next round (every heartbeat_s) declares it lost and rescues the job: 3 s of slack on top.
  // Waiting 40 s tells "late" from "only when the lease expired" (60 s).
  std::vector<jobs::EventRecord> rescued;
  ASSERT_TRUE(eventually(
      [&] {
        rescued = error_events(probe, id);
        return !rescued.empty();
      },
      40s))
      << "not rescued within 40 s of the kill\n"
      << survivor.log();
  const Micros delay = rescued[0].created_at - killed_at;
  EXPECT_LE(delay, (kLostAfterS + kHeartbeatS + 3) * kSecond)
      << "rescued " << delay / 1000 << " ms after the kill";
  std::cout << "[          ] rescued " << delay / 1000 << " ms after the kill, "
            << (*orphan->lease_until - rescued[0].created_at) / 1000
            << " ms before its lease expired\n";
  EXPECT_LT(rescued[0].created_at + 45 * kSecond, *orphan->lease_until)
      << "well before the lease expired";
  EXPECT_THAT(rescued[0].message, StartsWith("rescued: host lost: " + victim_host));
  EXPECT_THAT(rescued[0].message, HasSubstr("declared lost"));
  auto data = json::parse(rescued[0].data.value_or("{}"), nullptr, false);
  EXPECT_EQ(data.value("host", ""), victim_host) << rescued[0].data.value_or("");
  EXPECT_EQ(data.value("attempt", 0), 1) << rescued[0].data.value_or("");
  EXPECT_THAT(survivor.log(), HasSubstr(victim_host));
  EXPECT_THAT(survivor.log(), HasSubstr("declared lost"));
  {
    auto st = cli.json({"status", "--json"});
    auto v = status_host(st, victim.pid());
    auto s = status_host(st, survivor.pid());
    ASSERT_TRUE(v.is_object()) << "a lost host stays listed for a while\n" << st.dump(2);
    ASSERT_TRUE(s.is_object()) << st.dump(2);
    EXPECT_EQ(v.value("state", ""), "lost") << v.dump(2);
    EXPECT_EQ(running_of(v), json::array()) << "its job was rescued\n" << v.dump(2);
    EXPECT_EQ(s.value("state", ""), "live") << s.dump(2);
  }

  // The retry (after write_slow's 1 s backoff) runs on the survivor, which shows it running.
  EXPECT_TRUE(eventually(
      [&] {
        auto s = status_host(cli.json({"status", "--json"}), survivor.pid());
        return s.is_object() && running_of(s) == running_job;
      },
      10s))
      << "the survivor never showed the retry running";
  auto j = wait_for_final(probe, id, 20s);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->status, jobs::JobStatus::completed) << j->error.value_or("");
  EXPECT_EQ(j->attempt, 2) << "the killed attempt and its retry";
  EXPECT_TRUE(ran_on(*j, survivor.pid())) << j->host;
  EXPECT_EQ(probe.count(rows_of_job), 3) << "the retry's rows (the same keys: a leftover row of "
                                            "the killed run would have failed it)";
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM jh_jobs WHERE type = 'testkit.write_slow'"), 1)
      << "no duplicate job";
  // The schedule kept firing without the victim: the slots after the kill ran on the survivor.
  const std::string after_kill =
      "SELECT COUNT(*) FROM jh_jobs WHERE type = 'testkit.once' AND "
      "status = 'completed' AND scheduled_at > " +
      std::to_string(killed_at + kSecond);
  EXPECT_GE(probe.count(after_kill), 5);
  EXPECT_EQ(
      probe.count(after_kill + " AND host NOT LIKE '" + instance_prefix(survivor.pid()) + "%'"), 0);
  EXPECT_EQ(error_events(probe, id).size(), 1u);

  auto stopped = survivor.stop(SIGTERM, 20s);
  ASSERT_TRUE(stopped.has_value()) << survivor.log();
  EXPECT_EQ(stopped->describe(), "exit code 0") << survivor.log();
  EXPECT_EQ(testing::unique_violations(survivor.log()), "");
}

// PostgreSQL restarted (fast shutdown: every session is ended) under two hosts that fire a
// schedule every second, while one of them is in the middle of a slow run. Neither exits: their
// scheduler, workers, lease keeper and heartbeat connect again and carry on. The run in flight
// lost its transaction and its connection, so its end cannot be recorded; it is not lost with
// them: its lease, no longer renewed, expires, and it is rescued and retried.
TEST(Cluster, DatabaseRestartUnderRunningHosts) {
  JOBHOST_REQUIRE_POSTGRES();
  // Its own server, to restart it; commits survive that.
  testing::PgServerOptions options;
  options.durability = testing::PgDurability::server_crash_safe;
  auto server = testing::PgServer::start(options);
  auto setup = cluster_setup({testing::StoreKind::postgresql, server->connection_string()}, 2);
  // lost_after_s well above the restart's length: a restart does not make a host lost.
  Cli cli(testing::daemon_yaml(
      setup,
      schedules("  testkit.write: { every: 1s, params: { rows: 1 } }\n") + "jobs:\n  lease_s: 2\n",
      "  heartbeat_s: 1\n  lost_after_s: 10\n"));
  Daemon a(cli);
  ASSERT_TRUE(a.wait_ready()) << a.log();
  Daemon b(cli);
  ASSERT_TRUE(b.wait_ready()) << b.log();
  auto probe = std::make_unique<testing::StoreProbe>(setup.store);

  // rows 3, then 4 s of sleep, inside its transaction: the restart comes half a second in.
  auto enq = cli.json(
      {"enqueue", "testkit.write_slow", "--param", "rows=3", "--param", "ms=4000", "--json"});
  const int64_t id = enq.value("id", int64_t{-1});
  ASSERT_GT(id, 0) << enq;
  std::optional<jobs::JobRecord> in_flight;
  ASSERT_TRUE(eventually(
      [&] {
        in_flight = probe->job(id);
        return in_flight && in_flight->status == jobs::JobStatus::running;
      },
      10s))
      << a.log() << b.log();
  std::this_thread::sleep_for(500ms);
  const bool on_a = ran_on(*in_flight, a.pid());
  ASSERT_TRUE(on_a || ran_on(*in_flight, b.pid())) << in_flight->host;
  Daemon& runner = on_a ? a : b;
  Daemon& other = on_a ? b : a;

  probe.reset();  // its connection would not survive the restart either
  server->restart(testing::PgStopMode::fast);
  const Micros restarted_at = now_micros();
  probe = std::make_unique<testing::StoreProbe>(setup.store);
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(a.process().running()) << a.log();
  EXPECT_TRUE(b.process().running()) << b.log();

  // The run in flight: errored once (rescued when its lease expired), retried, completed with
  // the retry's rows only.
  auto j = wait_for_final(*probe, id, 30s);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->status, jobs::JobStatus::completed) << j->error.value_or("") << "\n" << runner.log();
  EXPECT_EQ(j->attempt, 2) << "the cut attempt and its retry";
  EXPECT_EQ(probe->count("SELECT COUNT(*) FROM testkit_rows WHERE job_id = " + std::to_string(id)),
            3);
  auto errors = error_events(*probe, id);
  ASSERT_EQ(errors.size(), 1u) << "errored once";
  EXPECT_THAT(errors[0].message, StartsWith("rescued: "));
  std::cout << "[          ] the run in flight: " << errors[0].message << "\n";
  EXPECT_EQ(probe->count("SELECT COUNT(*) FROM jh_jobs WHERE type = 'testkit.write_slow'"), 1);

  // Both beat again, and neither was declared lost.
  for (const Daemon* d : {&a, &b}) {
    const std::string host = "instance LIKE '" + instance_prefix(d->pid()) + "%'";
    EXPECT_TRUE(eventually(
        [&] {
          return probe->count("SELECT COUNT(*) FROM jh_hosts WHERE " + host +
                              " AND heartbeat_at > " + std::to_string(restarted_at)) == 1;
        },
        5s))
        << "no heartbeat of pid " << d->pid() << " since the restart\n"
        << d->log();
    EXPECT_EQ(
        probe->count("SELECT COUNT(*) FROM jh_hosts WHERE " + host + " AND lost_at IS NOT NULL"),
        0);
  }

  // The schedule goes on: slots after the restart make jobs, and they complete.
  const auto completed_since = [&](Micros since, const std::string& where) {
    return probe->count(
        "SELECT COUNT(*) FROM jh_jobs WHERE type = 'testkit.write' AND status = 'completed' AND "
        "scheduled_at >= " +
        std::to_string(since) + where);
  };
  EXPECT_TRUE(eventually([&] { return completed_since(restarted_at, "") >= 3; }, 15s))
      << a.log() << b.log();
  // The host whose run was cut alone: its scheduler fires and its workers run.
  auto stopped = other.stop(SIGTERM, 20s);
  ASSERT_TRUE(stopped.has_value()) << other.log();
  EXPECT_EQ(stopped->describe(), "exit code 0") << other.log();
  const Micros alone_since = now_micros();
  EXPECT_TRUE(eventually(
      [&] {
        return completed_since(alone_since,
                               " AND host LIKE '" + instance_prefix(runner.pid()) + "%'") >= 2;
      },
      10s))
      << runner.log();
  stopped = runner.stop(SIGTERM, 20s);
  ASSERT_TRUE(stopped.has_value()) << runner.log();
  EXPECT_EQ(stopped->describe(), "exit code 0") << runner.log();

  EXPECT_EQ(probe->count("SELECT COUNT(*) FROM jh_jobs WHERE type = 'testkit.write' AND status "
                         "IN ('errored', 'failed') AND scheduled_at >= " +
                         std::to_string(restarted_at)),
            0)
      << "a slot fired after the restart failed";
  EXPECT_EQ(probe->slots_fired_twice(), 0);
  EXPECT_EQ(testing::unique_violations(a.log()), "");
  EXPECT_EQ(testing::unique_violations(b.log()), "");
}

// Two hosts started at the same instant on an empty database: both migrate, register the same
// default schedules and their own rows at once. Both come up, both are live, every migration
// was applied once, and neither logged an error.
TEST(Cluster, TwoHostsStartingTogetherOnAnEmptyDatabase) {
  JOBHOST_REQUIRE_POSTGRES();
  auto setup = cluster_setup(
      testing::make_store_target(testing::StoreKind::postgresql, "starting_together"), 2);
  // testkit.every keeps its default schedule (every 1s): both register it, and fire it.
  Cli cli(testing::daemon_yaml(setup, ""));
  Daemon a(cli);
  Daemon b(cli);
  ASSERT_TRUE(a.wait_ready()) << a.log();
  ASSERT_TRUE(b.wait_ready()) << b.log();

  auto st = cli.json({"status", "--json"});
  ASSERT_TRUE(st["hosts"].is_array()) << st.dump(2);
  EXPECT_EQ(st["hosts"].size(), 2u) << st.dump(2);
  for (const Daemon* d : {&a, &b}) {
    auto h = status_host(st, d->pid());
    ASSERT_TRUE(h.is_object()) << "pid " << d->pid() << " not listed\n" << st.dump(2);
    EXPECT_EQ(h.value("role", ""), "daemon");
    EXPECT_EQ(h.value("state", ""), "live") << h.dump(2);
  }

  testing::StoreProbe probe(setup.store);
  // Versions 1..N of each component, once each: the primary key (component, version) forbids a
  // second row, so a host that applied a migration twice would have failed to start; this
  // checks that none is missing and nothing else was recorded.
  const auto framework_versions = static_cast<int64_t>(store::framework_migrations().size());
  const auto versions = [&](const std::string& component, const char* what) {
    return probe.count(std::string("SELECT ") + what +
                       "(version) FROM jh_schema_migrations WHERE component = '" + component + "'");
  };
  EXPECT_EQ(versions(store::kFrameworkComponent, "COUNT"), framework_versions);
  EXPECT_EQ(versions(store::kFrameworkComponent, "MAX"), framework_versions);
  EXPECT_EQ(versions("plugin:testkit", "COUNT"), 3);
  EXPECT_EQ(versions("plugin:testkit", "MAX"), 3);
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM jh_schema_migrations"), framework_versions + 3);
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM jh_schedules"), 1) << "testkit.every's default";

  std::this_thread::sleep_for(2s);  // both fire testkit.every
  ASSERT_NO_FATAL_FAILURE(stop_all({&a, &b}));
  EXPECT_EQ(probe.slots_fired_twice(), 0);
  for (const Daemon* d : {&a, &b}) {
    EXPECT_EQ(testing::error_lines(d->log()), "") << d->log();
    EXPECT_EQ(testing::unique_violations(d->log()), "");
  }
}

// Two machines, each with its own configuration file, on one store: the file of the second
// one changes, and `jobhost reload` run on the first reaches both daemons (a notification
// through PostgreSQL, not a signal to local processes): the second applies its new plugin
// settings, and its per-key schedules are there for every host.
TEST(Cluster, ReloadRunOnOneMachineReachesTheDaemonsOfTheOthers) {
  JOBHOST_REQUIRE_POSTGRES();
  auto setup = cluster_setup(
      testing::make_store_target(testing::StoreKind::postgresql, "reload_everywhere"), 1);
  auto yaml = [&](const std::string& keys) {
    setup.plugins_yaml = "  testkit:\n    keys: [" + keys + "]\n    every: every 1h\n";
    return testing::daemon_yaml(setup, schedules(""));
  };
  Cli first(yaml("a"));
  Cli second(yaml("a"));
  Daemon a(first);
  ASSERT_TRUE(a.wait_ready()) << a.log();
  Daemon b(second);
  ASSERT_TRUE(b.wait_ready()) << b.log();
  testing::StoreProbe probe(setup.store);
  const std::string keys =
      "SELECT COUNT(*) FROM jh_schedules WHERE job_type = 'testkit.single' AND schedule_key = ";
  EXPECT_EQ(probe.count(keys + "'a'"), 1);

  std::ofstream(second.config_path()) << yaml("a, b");
  auto reloaded = first.run({"reload"});
  EXPECT_EQ(reloaded.exit_code, 0) << reloaded.describe();
  EXPECT_THAT(reloaded.out, HasSubstr("pid " + std::to_string(b.pid()))) << reloaded.out;
  ASSERT_TRUE(eventually([&] { return probe.count(keys + "'b'") == 1; }, 10s)) << b.log();
  EXPECT_THAT(b.log(), HasSubstr("plugin testkit: new settings applied"));
  const std::string reloading = "SIGHUP: reloading the configuration";
  ASSERT_TRUE(eventually([&] { return a.log().find(reloading) != std::string::npos; }, 10s))
      << a.log();
  // One request, one reload each.
  for (const Daemon* d : {&a, &b}) {
    const std::string log = d->log();
    EXPECT_EQ(log.find(reloading), log.rfind(reloading)) << log;
  }
  ASSERT_NO_FATAL_FAILURE(stop_all({&a, &b}));
}

}  // namespace
}  // namespace jobhost
