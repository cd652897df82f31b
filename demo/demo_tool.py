#!/usr/bin/env python3
"""The demo driver's helpers (demo/run-demo.sh): what is awkward in bash.

  demo_tool.py free-port [PREFERRED]          a TCP port free on 127.0.0.1 (PREFERRED if it is)
  demo_tool.py render TEMPLATE OUT            fill ${DEMO_*} from the environment
  demo_tool.py wait-http URL SECONDS PID      wait until URL answers 200 (fail if PID dies)
  demo_tool.py report JOBHOST CONFIG STATE [--once | DASHBOARD_URL]
                                              print the jobs finished since the last report
                                              (STATE remembers them) and the next runs; with
                                              --once, exit 1 naming every sync that did not
                                              complete

Only the standard library: python3 is part of scripts/setup-debian.sh's packages.
"""

import datetime
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

# The three plugins' sync job types, as `jobhost plugins` lists them.
SYNC_TYPES = ("zabbix.host_config_sync_refresh", "hedgehog.fabric_sync", "meraki.sync")
FINISHED = ("completed", "errored", "failed")
# What the summary lists: the syncs, and the demo's import of the desired Zabbix hosts (not the
# status queries it runs itself).
SHOWN = SYNC_TYPES + ("zabbix.import_host_configs",)


def free_port(preferred):
    """PREFERRED when nothing listens there, else a port the kernel hands out."""
    candidates = ([preferred] if preferred else []) + [0]
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SystemExit("demo: no free TCP port on 127.0.0.1")


def render(template, out):
    """Fills ${DEMO_*}; a reference without a value is an error (never an empty setting)."""
    with open(template, encoding="utf-8") as f:
        text = f.read()
    missing = []

    def value(match):
        name = match.group(1)
        if name not in os.environ:
            missing.append(name)
            return match.group(0)
        return os.environ[name]

    text = re.sub(r"\$\{(DEMO_[A-Z0-9_]+)\}", value, text)
    if missing:
        raise SystemExit("demo: %s: not set: %s" % (template, ", ".join(sorted(set(missing)))))
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)


def wait_http(url, seconds, pid):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return 0
        except (urllib.error.URLError, OSError):
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print("demo: the daemon exited before %s answered" % url, file=sys.stderr)
            return 1
        time.sleep(0.1)
    print("demo: %s did not answer within %d s" % (url, seconds), file=sys.stderr)
    return 1


def jobhost_json(jobhost, config, *args):
    out = subprocess.run(
        [jobhost, "--config", config, "--log-level", "error", *args, "--json"],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out)


def parse_time(text):
    if not text:
        return None
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def clock(text):
    t = parse_time(text)
    return t.astimezone().strftime("%H:%M:%S") if t else "--:--:--"


def duration(seconds):
    if seconds is None:
        return "-"
    return "%.0f ms" % (seconds * 1000) if seconds < 1 else "%.1f s" % seconds


def in_how_long(text, now):
    t = parse_time(text)
    if t is None:
        return "-"
    s = max(0, int((t - now).total_seconds() + 0.5))
    return "%ds" % s if s < 60 else "%dm%02ds" % (s // 60, s % 60)


def job_name(job):
    return job["type"] + ("/" + job["key"] if job.get("key") else "")


def zabbix_details(jobhost, config, api):
    """A few drifted and failed hosts, from the plugin's read-only status query: over the
    daemon's API when it runs (no job recorded), else run here."""
    try:
        if api:
            with urllib.request.urlopen(api + "api/v1/plugins/zabbix-host-sync/status", timeout=10) as answer:
                status = json.load(answer)["result"]
        else:
            status = jobhost_json(jobhost, config, "run-now", "zabbix.status", "-p", "limit=3")["result"]
    except (OSError, ValueError, KeyError, subprocess.CalledProcessError) as e:
        # The sync's own line stands without the details; the summary must go on.
        return ["(the hosts' details are not available: %s)" % e]
    lines = []
    for state in ("out_of_sync", "failed"):
        hosts = ((status.get(state) or {}).get("hosts") or [])[:3]  # the API's own list is longer
        for host in hosts:
            if host.get("error"):
                lines.append("%s %s: %s" % (state.replace("_", " "), host["host"], host["error"]))
            for d in host.get("differences") or []:
                lines.append(
                    "%s %s: %s is %r, should be %r"
                    % (state.replace("_", " "), host["host"], d["field"], d["actual"], d["expected"])
                )
        more = (status.get("counts") or {}).get(state, 0) - len(hosts)
        if more > 0:
            lines.append("... %d more %s (jobhost run-now zabbix.report -p state=%s)" % (more, state.replace("_", " "), state))
    return lines


def outcome(job, jobhost, config, api):
    """One line on what the run changed or found, and detail lines."""
    result = (job.get("job_data") or {}).get("result") or {}
    if job["status"] != "completed":
        return job.get("error") or "(no error message)", []
    if job["type"] == "zabbix.host_config_sync_refresh":
        line = "%d hosts checked: %d in sync, %d OUT OF SYNC, %d failed" % (
            result.get("total", 0),
            result.get("in_sync", 0),
            result.get("out_of_sync", 0),
            result.get("failed", 0),
        )
        return line, zabbix_details(jobhost, config, api)
    if job["type"] == "hedgehog.fabric_sync":
        line = "fabric %s: %d objects, %d created, %d updated, %d deleted, %d unchanged" % (
            result.get("fabric", job.get("key")),
            result.get("objects", 0),
            result.get("created", 0),
            result.get("updated", 0),
            result.get("deleted", 0),
            result.get("unchanged", 0),
        )
        changed = [
            "%s +%d ~%d -%d" % (kind, c["created"], c["updated"], c["deleted"])
            for kind, c in sorted((result.get("kinds") or {}).items())
            if c.get("created") or c.get("updated") or c.get("deleted")
        ]
        # The first sync creates every kind: the per-kind line only says something afterwards.
        first = result.get("created", 0) == result.get("objects", -1)
        return line, (["changed: " + ", ".join(changed)] if changed and not first else [])
    if job["type"] == "meraki.sync":
        counts = result.get("counts") or {}
        parts = [
            "%s %d (+%d ~%d -%d)" % (kind, c.get("total", 0), c.get("create", 0), c.get("update", 0), c.get("delete", 0))
            for kind, c in ((k, counts.get(k) or {}) for k in ("organizations", "sites", "devices"))
        ]
        line = "mode %s, %d changes: %s" % (result.get("mode", "?"), result.get("changes", 0), ", ".join(parts))
        return line, []
    if job["type"] == "zabbix.import_host_configs":
        return "%d HostConfigs imported (%d new, %d changed) from %s" % (
            result.get("entries", 0),
            result.get("inserted", 0),
            result.get("changed", 0),
            os.path.basename(result.get("file", "?")),
        ), []
    return json.dumps(result, sort_keys=True)[:120], []


def report(jobhost, config, state_file, once, api):
    try:
        with open(state_file, encoding="utf-8") as f:
            seen = set(json.load(f))
    except FileNotFoundError:
        seen = set()
    jobs = jobhost_json(jobhost, config, "jobs", "--limit", "50")
    printed = False
    for job in sorted(jobs, key=lambda j: j["id"]):
        # A run that errored and waits for its retry is news too: once per attempt.
        retrying = job["status"] in ("scheduled", "pending") and job.get("error")
        if job["type"] not in SHOWN or (job["status"] not in FINISHED and not retrying):
            continue
        mark = "%d:%d:%s" % (job["id"], job.get("attempt", 1), job["status"])
        if mark in seen:
            continue
        seen.add(mark)
        line, details = outcome(job, jobhost, config, api) if not retrying else (job["error"], [])
        status = "retrying" if retrying else job["status"]
        print(
            "%s  %-36s %-9s %8s  %s"
            % (clock(job.get("finished_at") or job.get("created_at")), job_name(job), status, duration(job.get("duration_s")), line)
        )
        for d in details:
            print("%s%s" % (" " * 10, d))
        printed = True
    with open(state_file, "w", encoding="utf-8") as f:
        json.dump(sorted(seen), f)

    if printed and not once:
        now = datetime.datetime.now(datetime.timezone.utc)
        schedules = jobhost_json(jobhost, config, "schedules")
        nexts = [
            "%s in %s" % (s["job_type"] + ("/" + s["key"] if s.get("key") else ""), in_how_long(s["next_run_at"], now))
            for s in sorted(schedules, key=lambda s: s["next_run_at"] or "")
            if s["enabled"] and s["job_type"] in SYNC_TYPES
        ]
        print("%s  next: %s" % (now.astimezone().strftime("%H:%M:%S"), "; ".join(nexts)))
    sys.stdout.flush()
    if not once:
        return 0

    # --once: the newest run of every sync (per key) must have completed.
    newest = {}
    for job in jobs:
        if job["type"] in SYNC_TYPES:
            newest.setdefault(job_name(job), job)
    problems = ["%s %s: %s" % (n, j["status"] if j["status"] in FINISHED else "errored", j.get("error")) for n, j in sorted(newest.items()) if j["status"] != "completed"]
    for t in SYNC_TYPES:
        if not any(name == t or name.startswith(t + "/") for name in newest):
            problems.append("%s: did not run" % t)
    print()
    if problems:
        print("demo: %d of the syncs did not complete:" % len(problems))
        for p in problems:
            print("  " + p)
        return 1
    print("demo: all %d syncs completed (%s)" % (len(newest), ", ".join(sorted(newest))))
    return 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "free-port":
        print(free_port(int(argv[2]) if len(argv) > 2 else 0))
        return 0
    if len(argv) == 4 and argv[1] == "render":
        render(argv[2], argv[3])
        return 0
    if len(argv) == 5 and argv[1] == "wait-http":
        return wait_http(argv[2], int(argv[3]), int(argv[4]))
    if len(argv) in (5, 6) and argv[1] == "report":
        once = len(argv) == 6 and argv[5] == "--once"
        api = argv[5] if len(argv) == 6 and not once else None
        return report(argv[2], argv[3], argv[4], once, api)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:
        # Ctrl-C reaches the whole foreground group; the driver's trap does the stopping.
        sys.exit(130)
