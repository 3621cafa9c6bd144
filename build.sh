#!/usr/bin/env bash
# ActorRecorder build entry point.
#   ./build.sh demo          install what is missing, build, and show the recorder working
#   ./build.sh test          install what the tests need, build (Release, warnings as errors), run every test project
#   ./build.sh bench [name] [--quick] [--channels N] [--soak-minutes N] [--baseline DLL]  run the benchmarks (all, or one suite: recording, idle, recovery, delivery, cluster, operations, journal)
#   ./build.sh cluster-demo  three nodes on loopback with a throwaway PostgreSQL: placement, a SIGKILLed node's channels re-homed, rebalance
#   ./build.sh build         build only
# Idempotent: it installs only what is missing and can be run again at any time.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
ARTIFACTS="$ROOT/artifacts"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=0
# apt_get PACKAGE: installs a Debian package with apt-get (as root, or through sudo).
apt_get() {
  local pkg=$1 sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "'$pkg' is missing and I am not root (no sudo): install the Debian package '$pkg' and run again"
    sudo="sudo"
  fi
  command -v apt-get >/dev/null 2>&1 || die "'$pkg' is missing and there is no apt-get: install '$pkg' by hand and run again"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    $sudo apt-get update -qq || die "apt-get update failed: cannot install '$pkg'"
    APT_UPDATED=1
  fi
  say "installing $pkg"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null \
    || die "apt-get install $pkg failed: install it by hand and run again"
}

# apt_install PACKAGE COMMAND: installs PACKAGE with apt-get when COMMAND is not on PATH.
apt_install() {
  local pkg=$1 cmd=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  apt_get "$pkg"
  command -v "$cmd" >/dev/null 2>&1 || die "installed $pkg but '$cmd' is still not on PATH"
}

# --- PostgreSQL: a throwaway server for the tests and benchmarks ------------------------------
# Debian's postgresql package keeps its programs in /usr/lib/postgresql/<version>/bin (not on PATH).
# The server runs as the postgres user from a temporary directory (data, socket, log) on a free
# port, with trust authentication on loopback only, and is stopped and removed afterwards.
PG_DIR=""
PG_PORT=""

pg_bin_dir() { find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1; }

# as_pg CMD...: runs CMD as the postgres user when we are root (initdb refuses root), else as ourselves.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_postgres() {
  local bin
  bin=$(pg_bin_dir)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    apt_get postgresql
    bin=$(pg_bin_dir)
    [ -n "$bin" ] && [ -x "$bin/initdb" ] || die "installed postgresql but found no initdb under /usr/lib/postgresql/*/bin"
  fi
  export PATH="$bin:$PATH"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "the postgres user is missing although postgresql is installed"
  fi
}

# port_in_use PORT: true when something accepts connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_postgres DATABASE [server options...]: starts the server and exports ACTORRECORDER_TEST_POSTGRES.
start_postgres() {
  local database=$1
  shift
  if [ -n "${ACTORRECORDER_TEST_POSTGRES:-}" ]; then
    say "using the PostgreSQL server given in ACTORRECORDER_TEST_POSTGRES"
    return 0
  fi
  ensure_postgres
  PG_DIR=$(mktemp -d /tmp/actorrecorder-pg.XXXXXX)
  trap stop_postgres EXIT
  [ "$(id -u)" -ne 0 ] || chown postgres: "$PG_DIR"
  as_pg initdb -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  local attempt
  for attempt in 1 2 3 4 5; do
    PG_PORT=$((20000 + RANDOM % 30000))
    port_in_use "$PG_PORT" && continue
    if as_pg pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 $*" start >/dev/null; then
      as_pg createdb -h "$PG_DIR" -p "$PG_PORT" -U postgres "$database" || return 1
      export ACTORRECORDER_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$database;Maximum Pool Size=100"
      say "PostgreSQL $(as_pg postgres --version | awk '{print $3}') running on port $PG_PORT (data in $PG_DIR)"
      return 0
    fi
    tail -n 5 "$PG_DIR/server.log" >&2 || true
  done
  return 1
}

stop_postgres() {
  [ -n "$PG_DIR" ] || return 0
  as_pg pg_ctl -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}

# postgres_for DATABASE [options]: a server for the tests; without one, CI fails here and a developer's run goes on (the PostgreSQL tests then fail saying why).
postgres_for() {
  if ! start_postgres "$@"; then
    [ "${CI:-}" != "true" ] || die "CI=true and no PostgreSQL server could be started: the PostgreSQL tests cannot run"
    say "warning: no PostgreSQL server could be started; the PostgreSQL tests will fail"
  fi
}

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet, version in global.json) is not installed; Debian does not package it: install it from Microsoft's packages and run again"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

build() {
  ensure_dotnet
  say "building (Release, warnings as errors)"
  dotnet build ActorRecorder.sln -c Release -warnaserror -nologo -v q -clp:ErrorsOnly
}

# Sums the counters of every .trx under $1 and prints the closing line "N passed, N failed, N skipped".
summarise() {
  local dir=$1 passed=0 failed=0 skipped=0 total=0 f
  while IFS= read -r f; do
    local counters
    counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
    [ -n "$counters" ] || continue
    local get
    get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    total=$((total + $(get total)))
    passed=$((passed + $(get passed)))
    failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
    skipped=$((skipped + $(get notExecuted) + $(get inconclusive)))
  done < <(find "$dir" -name '*.trx' | sort)
  printf '%s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped"
  [ "$total" -gt 0 ] || { echo "build.sh: no test was executed" >&2; return 1; }
  [ "$failed" -eq 0 ]
}

# The recorder runs real ffmpeg/ffprobe (Debian's ffmpeg package has both).
ensure_ffmpeg() {
  apt_install ffmpeg ffmpeg
  command -v ffprobe >/dev/null 2>&1 || die "ffmpeg is installed but ffprobe is missing"
}

# The tests also run the ytdlp resolver: yt-dlp and streamlink against a local stream.
ensure_media_tools() {
  ensure_ffmpeg
  apt_install yt-dlp yt-dlp
  apt_install streamlink streamlink
  # /metrics is checked by promtool and scraped by a real Prometheus server (Debian's prometheus package has both).
  apt_install prometheus promtool
  # The proxy specs record through a real HTTP proxy on loopback.
  apt_install tinyproxy tinyproxy
  # The rclone target's specs copy to a real remote: rclone serving WebDAV on loopback.
  apt_install rclone rclone
}

run_tests() {
  ensure_dotnet
  ensure_media_tools
  build
  local results="$ARTIFACTS/test-results"
  rm -rf "$results"
  mkdir -p "$results"
  postgres_for actorrecorder_test
  local status=0 proj name
  for proj in tests/*.Tests/*.Tests.csproj; do
    name=$(basename "$proj" .csproj)
    say "testing $name"
    dotnet test "$proj" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results/$name" --blame-hang-timeout 8m || status=1
  done
  stop_postgres
  summarise "$results" || status=1
  return $status
}

run_bench() {
  ensure_dotnet
  ensure_ffmpeg
  apt_install curl curl
  say "building benchmarks (Release)"
  dotnet build tests/ActorRecorder.Benchmarks -c Release -warnaserror -nologo -v q -clp:ErrorsOnly
  # The recovery suite measures PostgreSQL too, and the cluster runs on it: a throwaway server with the default (durable) settings.
  if [ $# -eq 0 ] || [ "$1" = "recovery" ] || [ "$1" = "cluster" ] || [ "${1#--}" != "$1" ]; then
    postgres_for actorrecorder_bench
  fi
  dotnet run --project tests/ActorRecorder.Benchmarks -c Release --no-build -- "$@"
}

run_cluster_demo() {
  ensure_dotnet
  ensure_ffmpeg
  say "building (Release)"
  dotnet build tests/ActorRecorder.Benchmarks -c Release -warnaserror -nologo -v q -clp:ErrorsOnly
  start_postgres actorrecorder_demo || die "the cluster demo needs PostgreSQL and none could be started"
  dotnet run --project tests/ActorRecorder.Benchmarks -c Release --no-build -- cluster-demo
}

run_demo() {
  ensure_dotnet
  ensure_ffmpeg
  build
  dotnet run --project src/ActorRecorder.Cli -c Release --no-build -- demo
}

verb=${1:-}
[ $# -gt 0 ] && shift
case "$verb" in
  test) run_tests ;;
  demo) run_demo ;;
  bench) run_bench "$@" ;;
  cluster-demo) run_cluster_demo ;;
  build) build ;;
  *) echo "usage: ./build.sh test | demo | cluster-demo | bench [recording|idle|recovery|delivery|cluster|operations|journal] [--quick] [--channels N] [--baseline DLL] | build" >&2; exit 2 ;;
esac
