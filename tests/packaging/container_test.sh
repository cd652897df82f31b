#!/usr/bin/env bash
# The container files in packaging/container/, checked without a Docker engine:
#   - compose.yaml parses and has postgres, node-1 and node-2 with the keys they need; every
#     file it mounts exists; its ${VAR} references all have defaults; the variables that
#     cluster.yaml requires are set in each node's environment;
#   - the Dockerfile is multi-stage on Debian 12; every COPY/ADD source exists and is not left
#     out by .dockerignore (nor is any file of the checkout); the final stage sets a non-root
#     USER before ENTRYPOINT; port, health check and configs agree (8080, 0.0.0.0);
#   - the runtime stage's apt-get list covers the libraries of the built binary and plugins:
#     `ldd` + `dpkg -S` map each library to its Debian package; a directly linked one must be
#     listed (or in the base image), every other one must come as a dependency of a listed
#     package, and a listed library package that nothing links is reported as stale;
#   - `jobhost config check` accepts cluster.yaml with each node's environment from
#     compose.yaml, and the image's jobhost.yaml with an empty environment. config check is
#     offline: it reads the file and opens the plugins for their settings schemas, it never
#     connects to the store. The plugin directory is pointed at the build's plugins.
# Usage: container_test.sh SOURCE_DIR JOBHOST_BINARY        Needs python3 and python3-yaml.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 SOURCE_DIR JOBHOST_BINARY" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
bin=$2
if [ ! -x "$bin" ]; then
  echo "FAILED: $bin is not an executable jobhost binary" >&2
  exit 1
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
if ! command -v python3 >/dev/null; then
  echo "FAILED: python3 is not installed (Debian package python3)" >&2
  exit 1
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
  echo "FAILED: python3 cannot import yaml: install the Debian package python3-yaml" >&2
  exit 1
fi
for tool in ldd readelf dpkg dpkg-query; do
  if ! command -v "$tool" >/dev/null; then
    echo "FAILED: $tool is not available (the runtime library check needs it)" >&2
    exit 1
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$src" "$bin" "$tmp" <<'PY'
import glob
import json
import os
import re
import shlex
import subprocess
import sys

import yaml

src, binary, tmp = sys.argv[1:4]
ctr = os.path.join(src, "packaging", "container")
dockerfile_path = os.path.join(ctr, "Dockerfile")
compose_path = os.path.join(ctr, "compose.yaml")
dockerignore_path = os.path.join(src, ".dockerignore")

passed = 0
failures = []


def ok(name):
    global passed
    passed += 1
    print(f"ok: {name}")


def fail(name, why):
    failures.append(name)
    print(f"FAILED: {name}: {why}")


def check(name, problems):
    """problems: a list of strings; empty means the check passed."""
    if problems:
        fail(name, "\n  " + "\n  ".join(problems))
    else:
        ok(name)


def rel(path):
    return os.path.relpath(path, src)


# --------------------------------------------------------------------------------------------
# .dockerignore: Docker's rules (moby/patternmatcher): patterns relative to the context root,
# `*` and `?` within one path element, `**` any number of elements, `!` re-includes, the last
# matching line wins, and a pattern that matches a directory excludes everything below it.
def ignore_patterns():
    patterns = []
    if not os.path.exists(dockerignore_path):
        return patterns
    with open(dockerignore_path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            if negate:
                line = line[1:].strip()
            line = os.path.normpath(line).lstrip("/")
            patterns.append((negate, re.compile(glob_regex(line))))
    return patterns


def glob_regex(pattern):
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                out += "(?:.*/)?"
                i += 1
            else:
                out += ".*"
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out += re.escape(c)
            else:
                body = pattern[i + 1:end]
                if body.startswith("^"):
                    body = "!" + body[1:]
                out += "[" + ("^" + body[1:] if body.startswith("!") else body) + "]"
                i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(c)
        i += 1
    return out


IGNORE = ignore_patterns()


def ignored(path_in_context):
    """Whether .dockerignore leaves this path (relative to the context root) out."""
    path = os.path.normpath(path_in_context)
    if path in (".", ""):
        return False
    parts = path.split("/")
    candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    result = False
    for negate, regex in IGNORE:
        if any(regex.fullmatch(c) for c in candidates):
            result = not negate
    return result


def checkout_files():
    """The checkout's files: git's tracked and untracked-but-not-ignored files when this is a
    git work tree, else every file that .gitignore does not ignore."""
    try:
        out = subprocess.run(
            ["git", "-C", src, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, check=True).stdout.decode()
        files = [f for f in out.split("\0") if f and os.path.lexists(os.path.join(src, f))]
        if files:
            return files
    except (OSError, subprocess.CalledProcessError):
        pass
    # Not a git work tree (an unpacked tarball): every file .gitignore does not ignore.
    gitignore = [re.compile(r"\.git")]
    if os.path.exists(os.path.join(src, ".gitignore")):
        with open(os.path.join(src, ".gitignore")) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith(("#", "!")):
                    anchored = line.startswith("/") or "/" in line.rstrip("/")
                    line = line.strip("/")
                    gitignore.append(re.compile(glob_regex(line if anchored else "**/" + line)))

    def git_ignored(path):
        parts = path.split("/")
        return any(r.fullmatch("/".join(parts[:n])) for r in gitignore
                   for n in range(1, len(parts) + 1))

    files = []
    for root, dirs, names in os.walk(src):
        r = os.path.relpath(root, src)
        dirs[:] = [d for d in dirs if not git_ignored(os.path.normpath(os.path.join(r, d)))]
        files += [p for p in (os.path.normpath(os.path.join(r, n)) for n in names)
                  if not git_ignored(p)]
    return files


# --------------------------------------------------------------------------------------------
# The Dockerfile, instruction by instruction (continuation lines joined, comments dropped).
def parse_dockerfile(path):
    instructions, current, start = [], "", 0
    with open(path) as f:
        lines = f.read().split("\n")
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("#") or (not stripped and not current):
            continue
        if not current:
            start = number
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, rest = current.strip().partition(" ")
        instructions.append({"line": start, "cmd": keyword.upper(), "args": rest.strip()})
        current = ""
    if current.strip():
        keyword, _, rest = current.strip().partition(" ")
        instructions.append({"line": start, "cmd": keyword.upper(), "args": rest.strip()})
    return instructions


def substitute(text, variables):
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: variables.get(m.group(1) or m.group(2), ""), text)


def copy_arguments(args):
    """(flags, sources, destination) of a COPY or ADD."""
    if args.startswith("["):
        words = json.loads(args)
        flags = []
    else:
        words = shlex.split(args)
        flags = [w for w in words if w.startswith("--")]
        words = [w for w in words if not w.startswith("--")]
        if words and words[0].startswith("["):  # flags before a JSON list
            words = json.loads(" ".join(words))
    return flags, words[:-1], words[-1] if words else ""


instructions = parse_dockerfile(dockerfile_path)
global_args, stages = {}, []
for ins in instructions:
    if ins["cmd"] == "FROM":
        stages.append({"from": ins, "body": []})
    elif not stages:
        if ins["cmd"] == "ARG":
            name, _, default = ins["args"].partition("=")
            global_args[name.strip()] = default.strip().strip('"')
    else:
        stages[-1]["body"].append(ins)

# FROM: multi-stage, every base image Debian 12 pinned by a tag (or digest).
problems, stage_names = [], set()
debian12 = re.compile(r"^(docker\.io/)?(library/)?debian:(12|bookworm)([-.][\w.-]*)?(@sha256:[0-9a-f]{64})?$")
for stage in stages:
    words = substitute(stage["from"]["args"], global_args).split()
    words = [w for w in words if not w.startswith("--")]
    image = words[0] if words else ""
    if len(words) >= 3 and words[1].lower() == "as":
        stage["name"] = words[2]
    if image in stage_names:
        pass  # built on an earlier stage
    elif not debian12.match(image):
        problems.append(f"Dockerfile:{stage['from']['line']}: FROM {image}: not Debian 12 "
                        "pinned by tag (debian:12-slim, debian:bookworm, ...)")
    if "name" in stage:
        stage_names.add(stage["name"])
if len(stages) < 2:
    problems.append(f"{len(stages)} stage(s): the Dockerfile must build in one stage and run in another")
check("Dockerfile: multi-stage, every FROM is Debian 12 pinned by tag", problems)

# COPY/ADD sources exist in the checkout and are in the build context.
problems = []
for stage in stages:
    for ins in stage["body"]:
        if ins["cmd"] not in ("COPY", "ADD"):
            continue
        flags, sources, _ = copy_arguments(ins["args"])
        if any(f.startswith("--from") for f in flags):
            continue  # from another stage or image, not from the context
        for source in sources:
            if re.match(r"^[a-z]+://", source) or source.startswith("git@"):
                problems.append(f"Dockerfile:{ins['line']}: {ins['cmd']} {source}: a remote source")
                continue
            matches = glob.glob(os.path.join(src, source)) if any(ch in source for ch in "*?[") \
                else ([os.path.join(src, source)] if os.path.exists(os.path.join(src, source)) else [])
            if not matches:
                problems.append(f"Dockerfile:{ins['line']}: {ins['cmd']} source '{source}' does not exist in {src}")
            for m in matches:
                if ignored(rel(m)):
                    problems.append(f"Dockerfile:{ins['line']}: {ins['cmd']} source '{rel(m)}' is excluded by .dockerignore")
check("Dockerfile: every COPY/ADD source exists and is in the build context", problems)

# The build copies the whole checkout: none of its files may be left out.
left_out = [f for f in checkout_files() if ignored(f)]
check(".dockerignore leaves no file of the checkout out of the build context",
      [f"{f} is excluded by .dockerignore" for f in left_out[:20]]
      + ([f"... and {len(left_out) - 20} more"] if len(left_out) > 20 else []))
must_ignore = ["build/bin/jobhost", "build-ctr/x", ".git/HEAD", "tests/browser/node_modules/x/y.js"]
check(".dockerignore leaves out build trees, .git and node_modules",
      [f"{p} would be sent to the Docker engine" for p in must_ignore if not ignored(p)])

final = stages[-1]["body"] if stages else []


def last(cmd, body=final):
    found = [i for i in body if i["cmd"] == cmd]
    return found[-1] if found else None


# USER: non-root, set before ENTRYPOINT, in the final stage.
problems = []
entrypoint, user = last("ENTRYPOINT"), last("USER")
if entrypoint is None:
    problems.append("the final stage has no ENTRYPOINT")
if user is None:
    problems.append("the final stage has no USER: the container would run as root")
else:
    name = user["args"].split(":")[0].strip()
    if name in ("root", "0", ""):
        problems.append(f"Dockerfile:{user['line']}: USER {user['args']} is root")
    if entrypoint is not None and user["line"] > entrypoint["line"]:
        problems.append(f"Dockerfile:{user['line']}: USER comes after ENTRYPOINT (line {entrypoint['line']})")
check("Dockerfile: the final stage runs as a non-root USER set before ENTRYPOINT", problems)

# ENTRYPOINT/CMD, port, volume, health check; the container configs listen on 0.0.0.0:8080.
problems = []
try:
    ep = json.loads(entrypoint["args"]) if entrypoint else None
except json.JSONDecodeError:
    ep = None
if ep != ["jobhost"]:
    problems.append('ENTRYPOINT must be ["jobhost"] (exec form, so that jobhost gets SIGTERM)')
cmd = last("CMD")
try:
    cmd_words = json.loads(cmd["args"]) if cmd else []
except json.JSONDecodeError:
    cmd_words = []
if not cmd_words or cmd_words[-1] != "run":
    problems.append('CMD must end with the daemon command "run" (exec form)')
expose = last("EXPOSE")
ports = expose["args"].split() if expose else []
if "8080" not in ports and "8080/tcp" not in ports:
    problems.append("EXPOSE 8080 is missing")
volume = last("VOLUME")
if not volume or "/var/lib/jobhost" not in volume["args"]:
    problems.append("VOLUME /var/lib/jobhost is missing")
health = last("HEALTHCHECK")
health_port = None
if not health:
    problems.append("HEALTHCHECK is missing")
else:
    m = re.search(r"https?://(127\.0\.0\.1|localhost):(\d+)/readyz", health["args"])
    if not m:
        problems.append("HEALTHCHECK does not ask the daemon's /readyz on 127.0.0.1")
    else:
        health_port = int(m.group(2))
for name in ("jobhost.yaml", "cluster.yaml"):
    try:
        with open(os.path.join(ctr, name)) as f:
            http = (yaml.safe_load(f) or {}).get("http") or {}
    except (OSError, yaml.YAMLError) as e:
        problems.append(f"packaging/container/{name}: {e}")
        continue
    if str(http.get("address")) not in ("0.0.0.0", "::"):
        problems.append(f"packaging/container/{name}: http.address is {http.get('address')!r}: "
                        "in a container the daemon must listen on 0.0.0.0")
    if http.get("enabled") is False:
        problems.append(f"packaging/container/{name}: http.enabled is false: no health check, no dashboard")
    if str(http.get("port", 8080)) != "8080" or (health_port is not None and health_port != 8080):
        problems.append(f"packaging/container/{name}: http.port {http.get('port')}, HEALTHCHECK port "
                        f"{health_port}, EXPOSE 8080 must agree")
check("Dockerfile and container configs: ENTRYPOINT/CMD, EXPOSE 8080, VOLUME, HEALTHCHECK on "
      "/readyz, http on 0.0.0.0:8080", problems)


# The runtime stage's apt-get install list.
def apt_packages(body):
    packages = []
    for ins in body:
        if ins["cmd"] != "RUN":
            continue
        for segment in re.split(r"&&|;|\|\|?", ins["args"]):
            words = shlex.split(segment)
            for i, w in enumerate(words):
                if w in ("apt-get", "apt") and "install" in words[i + 1:]:
                    rest = words[words.index("install", i) + 1:]
                    packages += [p for p in rest if not p.startswith("-")]
                    break
    return packages


runtime_packages = [re.sub(r"[=:].*$", "", p) for p in apt_packages(final)]
if not runtime_packages:
    fail("Dockerfile: the runtime stage installs packages with apt-get", "no apt-get install found")
uses_curl = bool(health) and re.search(r'\bcurl\b', health["args"] if health else "")
problems = []
if uses_curl and "curl" not in runtime_packages:
    problems.append("the HEALTHCHECK runs curl, but the runtime stage does not install curl")
for p in ("ca-certificates", "tzdata"):
    if p not in runtime_packages:
        problems.append(f"{p} is not installed in the runtime stage")
check("Dockerfile: the runtime stage installs ca-certificates, tzdata and its health check's tool",
      problems)

# --------------------------------------------------------------------------------------------
# Runtime libraries: ldd of the built binary and plugins, mapped to Debian packages.
BASE = {"libc6", "libgcc-s1", "libstdc++6"}  # in debian:12-slim (apt needs them)
EXTRAS = {"ca-certificates": "TLS roots", "tzdata": "time zones",
          "curl": "the health check"}          # listed for other reasons than linking

plugin_dir = os.path.normpath(os.path.join(os.path.dirname(binary), "..", "lib", "jobhost", "plugins"))
plugins = sorted(glob.glob(os.path.join(plugin_dir, "*.so")))
elves = [binary] + plugins
package_of_path = {}


def path_variants(path):
    """The names dpkg may know a library by: as given, resolved, and with /usr added or
    removed (Debian 12 merges /lib into /usr/lib, but packages register either)."""
    names = [path, os.path.realpath(path)]
    for p in list(names):
        names.append(p[4:] if p.startswith("/usr/") else "/usr" + p)
    return list(dict.fromkeys(names))


def dpkg_owners(paths):
    """Fills package_of_path for many libraries with one `dpkg -S`."""
    variants = {v: p for p in paths for v in reversed(path_variants(p))}
    r = subprocess.run(["dpkg", "-S"] + sorted(variants), capture_output=True, text=True)
    found = {}
    for line in r.stdout.splitlines():
        if line.startswith("diversion ") or ": " not in line:
            continue
        owners, _, known = line.partition(": ")
        if known in variants:
            found[known] = owners.split(", ")[0].split(":")[0]
    for p in paths:
        package_of_path[p] = next((found[v] for v in path_variants(p) if v in found), None)


def dpkg_owner(path):
    if path not in package_of_path:
        dpkg_owners([path])
    return package_of_path[path]


def ldd(path):
    """{soname or path: resolved path or None}."""
    r = subprocess.run(["ldd", path], capture_output=True, text=True)
    libs = {}
    for line in r.stdout.splitlines():
        line = line.strip()
        m = re.match(r"^(\S+) => (not found|(\S+) \(0x[0-9a-f]+\))", line)
        if m:
            libs[m.group(1)] = m.group(3)
        elif re.match(r"^/\S+ \(0x", line):
            p = line.split()[0]
            libs[os.path.basename(p)] = p
    if r.returncode != 0 and not libs:
        raise RuntimeError(f"ldd {path}: {r.stderr.strip() or r.stdout.strip()}")
    return libs


def needed(path):
    r = subprocess.run(["readelf", "-d", path], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"readelf -d {path}: {r.stderr.strip()}")
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", r.stdout)


def installed_dependencies():
    """Installed package -> the installed packages it depends on (Depends, Pre-Depends)."""
    r = subprocess.run(["dpkg-query", "-W", "-f",
                        "${Package}\t${db:Status-Abbrev}\t${Depends}\t${Pre-Depends}\t${Provides}\n"],
                       capture_output=True, text=True, check=True)
    deps, provides, installed = {}, {}, set()
    for line in r.stdout.splitlines():
        name, status, dep, pre, prov = (line.split("\t") + [""] * 5)[:5]
        if not status.startswith("ii"):
            continue
        installed.add(name)
        groups = [g for g in (dep + "," + pre).split(",") if g.strip()]
        deps.setdefault(name, []).extend(
            [re.sub(r"\(.*?\)|:\w+", "", a).strip() for a in g.split("|")] for g in groups)
        for v in prov.split(","):
            v = re.sub(r"\(.*?\)", "", v).strip()
            if v:
                provides.setdefault(v, set()).add(name)
    return deps, provides, installed


problems = []
if not plugins:
    problems.append(f"no plugins in {plugin_dir}: build them (ninja all) before this test")
direct, all_libs = {}, {}
try:
    for elf in elves:
        libs = ldd(elf)
        for so, path in libs.items():
            if path is None:
                problems.append(f"{os.path.basename(elf)}: {so} => not found")
            else:
                all_libs.setdefault(path, set()).add(os.path.basename(elf))
        for so in needed(elf):
            if libs.get(so):
                direct.setdefault(libs[so], set()).add(os.path.basename(elf))
except (OSError, RuntimeError) as e:
    problems.append(str(e))

listed = set(runtime_packages)
deps, provides, installed = installed_dependencies()
closure, queue = set(), list(listed | BASE)
while queue:
    p = queue.pop()
    if p in closure:
        continue
    closure.add(p)
    for group in deps.get(p, []):
        for alt in group:
            for q in ({alt} if alt in installed else set()) | provides.get(alt, set()):
                queue.append(q)

dpkg_owners(set(all_libs) | set(direct))
linked_packages = set()
for path, users in sorted(direct.items()):
    pkg = dpkg_owner(path)
    if pkg is None:
        problems.append(f"{path} (linked by {', '.join(sorted(users))}) belongs to no Debian package: "
                        "the runtime image cannot install it")
        continue
    linked_packages.add(pkg)
    if pkg not in listed and pkg not in BASE:
        problems.append(f"{os.path.basename(path)} (linked by {', '.join(sorted(users))}) is in "
                        f"package {pkg}, missing from the runtime stage's apt-get install list")
for path, users in sorted(all_libs.items()):
    pkg = dpkg_owner(path)
    if pkg is None:
        if path not in direct:
            problems.append(f"{path} (needed by {', '.join(sorted(users))}) belongs to no Debian package")
        continue
    if pkg not in closure:
        problems.append(f"{os.path.basename(path)} (package {pkg}, needed by {', '.join(sorted(users))}) "
                        "is neither listed in the runtime stage nor a dependency of a listed package")
check(f"runtime stage installs the packages of every library that {os.path.basename(binary)} "
      f"and {len(plugins)} plugin(s) link ({len(all_libs)} libraries, ldd + dpkg -S)", problems)
stale = sorted(p for p in listed - linked_packages - set(EXTRAS) - BASE)
check("runtime stage installs no library package that nothing links",
      [f"{p} is installed but no library of it is linked (remove it, or add it to EXTRAS in "
       "this test with the reason)" for p in stale])

# --------------------------------------------------------------------------------------------
# compose.yaml
problems = []
try:
    with open(compose_path) as f:
        compose_text = f.read()
    compose = yaml.safe_load(compose_text)
except (OSError, yaml.YAMLError) as e:
    compose, compose_text = None, ""
    problems.append(f"compose.yaml does not parse as YAML: {e}")
check("compose.yaml parses as YAML", problems)
compose = compose if isinstance(compose, dict) else {}
services = compose.get("services") or {}


def interpolate_defaults(value):
    """A compose value with every ${VAR:-default} replaced by its default (the caller's
    environment is deliberately not used: this checks what a plain `docker compose up` gets)."""
    value = str(value).replace("$$", "\0")
    value = re.sub(r"\$\{(\w+)(?::?-([^}]*))?\}", lambda m: m.group(2) or "", value)
    return value.replace("\0", "$")


def env_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) if "=" in e else (e, "") for e in env)
    return {k: interpolate_defaults(v) for k, v in env.items()}


problems = []
if sorted(services) != ["node-1", "node-2", "postgres"]:
    problems.append(f"services are {sorted(services)}, expected postgres, node-1, node-2")
for ref in re.finditer(r"(?<!\$)\$\{([^}]*)\}", compose_text):
    if not re.fullmatch(r"\w+:-[^}]*", ref.group(1)):
        problems.append(f"compose.yaml: ${{{ref.group(1)}}} has no default (use ${{VAR:-default}})")
pg = services.get("postgres") or {}
if not str(pg.get("image", "")).startswith("postgres:15"):
    problems.append(f"postgres: image {pg.get('image')!r}, expected the official postgres:15")
pg_env = pg.get("environment") or {}
for key in ("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"):
    if not re.fullmatch(r"\$\{%s:-[^}]+\}" % key, str(pg_env.get(key, ""))):
        problems.append(f"postgres: environment {key} must be ${{{key}:-default}}")
test = (pg.get("healthcheck") or {}).get("test")
if "pg_isready" not in (" ".join(map(str, test)) if isinstance(test, list) else str(test)):
    problems.append("postgres: the healthcheck does not run pg_isready")
named = compose.get("volumes") or {}
pg_volumes = [str(v) for v in pg.get("volumes") or []]
if not any(v.split(":")[0] in named and v.split(":")[1] == "/var/lib/postgresql/data"
           for v in pg_volumes if v.count(":") >= 1):
    problems.append("postgres: no named volume (declared under volumes:) at /var/lib/postgresql/data")
host_ports = set()
for name in ("node-1", "node-2"):
    node = services.get(name) or {}
    build = node.get("build") or {}
    context = os.path.normpath(os.path.join(ctr, str(build.get("context", ""))))
    if context != os.path.normpath(src):
        problems.append(f"{name}: build.context is {build.get('context')!r}, not the repository root")
    if os.path.normpath(os.path.join(context, str(build.get("dockerfile", "Dockerfile")))) != dockerfile_path:
        problems.append(f"{name}: build.dockerfile does not name packaging/container/Dockerfile")
    depends = node.get("depends_on") or {}
    if not isinstance(depends, dict) or (depends.get("postgres") or {}).get("condition") != "service_healthy":
        problems.append(f"{name}: depends_on postgres with condition service_healthy is missing")
    mounts = [str(v) for v in node.get("volumes") or []]
    config_mounts = [m for m in mounts if m.split(":")[1:2] == ["/etc/jobhost/jobhost.yaml"]]
    if not config_mounts:
        problems.append(f"{name}: no file mounted at /etc/jobhost/jobhost.yaml")
    elif not config_mounts[0].endswith(":ro"):
        problems.append(f"{name}: the config at /etc/jobhost/jobhost.yaml is not mounted read-only (:ro)")
    elif os.path.normpath(os.path.join(ctr, config_mounts[0].split(":")[0])) != os.path.join(ctr, "cluster.yaml"):
        problems.append(f"{name}: mounts {config_mounts[0].split(':')[0]} as its config, not cluster.yaml")
    ports = [interpolate_defaults(p) for p in node.get("ports") or []]
    if len(ports) != 1 or not re.fullmatch(r"127\.0\.0\.1:\d+:8080(/tcp)?", ports[0]):
        problems.append(f"{name}: ports {ports}: expected one 127.0.0.1:<port>:8080")
    else:
        host_ports.add(ports[0].split(":")[1])
    env = env_of(node)
    if env.get("JOBHOST_NODE") != name:
        problems.append(f"{name}: environment JOBHOST_NODE is {env.get('JOBHOST_NODE')!r}, not {name!r}")
    if env.get("PGPASSWORD") != interpolate_defaults(pg_env.get("POSTGRES_PASSWORD", "")):
        problems.append(f"{name}: PGPASSWORD does not default to the postgres service's password")
if host_ports != {"8081", "8082"}:
    problems.append(f"the nodes publish {sorted(host_ports)}, expected 8081 and 8082")
check("compose.yaml: postgres 15 with pg_isready and a named volume; node-1, node-2 built from the "
      "Dockerfile, cluster.yaml read-only, after postgres is healthy, on 127.0.0.1:8081/8082", problems)

# Every bind mount of compose.yaml exists (relative paths: to the compose file's directory).
problems = []
for name, service in services.items():
    for v in service.get("volumes") or []:
        source = (v.get("source") if isinstance(v, dict) else str(v).split(":")[0]) or ""
        if source.startswith((".", "/", "~")):
            if not os.path.exists(os.path.join(ctr, os.path.expanduser(source))):
                problems.append(f"{name}: mounted path {source} does not exist (relative to packaging/container/)")
        elif source and source not in named:
            problems.append(f"{name}: volume {source} is not declared under the top-level volumes:")
check("compose.yaml: every mounted path exists, every named volume is declared", problems)

# The variables that cluster.yaml requires (${NAME} without a default) are set in each node.
def scalars(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from scalars(v)
    elif isinstance(node, list):
        for v in node:
            yield from scalars(v)
    elif isinstance(node, str):
        yield node


try:
    with open(os.path.join(ctr, "cluster.yaml")) as f:
        cluster = yaml.safe_load(f)
except (OSError, yaml.YAMLError):
    cluster = None  # reported by the config check below
required = sorted({m for text in scalars(cluster) for m in
                   re.findall(r"(?<!\$)\$\{([A-Za-z_]\w*)\}", text.replace("$$", ""))})
# Read from the environment without a ${...}: http.token falls back to $JOBHOST_HTTP_TOKEN.
required.append("JOBHOST_HTTP_TOKEN")
problems = [f"{name}: cluster.yaml needs ${{{var}}}, its environment does not set it"
            for name in ("node-1", "node-2") for var in required
            if var not in env_of(services.get(name) or {})]
check(f"compose.yaml sets what cluster.yaml requires ({', '.join(required) or 'nothing'})", problems)

# --------------------------------------------------------------------------------------------
# jobhost config check: offline (no store connection), plugins opened for their settings.
def config_check(name, env):
    with open(os.path.join(ctr, name)) as f:
        text = f.read()
    if "/usr/lib/jobhost/plugins" not in text:
        return [f"{name} does not load /usr/lib/jobhost/plugins, where the image installs the plugins"]
    copy = os.path.join(tmp, name)
    with open(copy, "w") as f:
        f.write(text.replace("/usr/lib/jobhost/plugins", plugin_dir))
    env = dict(env, PATH=os.environ.get("PATH", "/usr/bin:/bin"))
    r = subprocess.run([binary, "config", "check", copy], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        return [f"jobhost config check {name} exited {r.returncode}:"] + \
               (r.stdout + r.stderr).strip().replace(copy, f"packaging/container/{name}").splitlines()
    return []


for name in ("node-1", "node-2"):
    env = env_of(services.get(name) or {})
    check(f"jobhost config check cluster.yaml with {name}'s environment from compose.yaml",
          config_check("cluster.yaml", env))
check("jobhost config check jobhost.yaml (the image's config) with an empty environment",
      config_check("jobhost.yaml", {}))

print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
PY
