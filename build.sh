#!/usr/bin/env bash
# ActorRecorder build entry point.
#   ./build.sh demo          install what is missing, build, and show the recorder working
#   ./build.sh test          install what the tests need, build (Release, warnings as errors), run every test project
#   ./build.sh bench [name]  run the benchmarks (all, or one suite: kernel, ...)
#   ./build.sh build         build only
# Idempotent: it installs only what is missing and can be run again at any time.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
ARTIFACTS="$ROOT/artifacts"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=0
# apt_install PACKAGE COMMAND: installs PACKAGE with apt-get when COMMAND is not on PATH.
apt_install() {
  local pkg=$1 cmd=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "'$cmd' is missing and I am not root (no sudo): install the Debian package '$pkg' and run again"
    sudo="sudo"
  fi
  command -v apt-get >/dev/null 2>&1 || die "'$cmd' is missing and there is no apt-get: install '$pkg' by hand and run again"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    $sudo apt-get update -qq || die "apt-get update failed: cannot install '$pkg'"
    APT_UPDATED=1
  fi
  say "installing $pkg (for $cmd)"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null \
    || die "apt-get install $pkg failed: install it by hand and run again"
  command -v "$cmd" >/dev/null 2>&1 || die "installed $pkg but '$cmd' is still not on PATH"
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

run_tests() {
  ensure_dotnet
  build
  local results="$ARTIFACTS/test-results"
  rm -rf "$results"
  mkdir -p "$results"
  local status=0 proj name
  for proj in tests/*.Tests/*.Tests.csproj; do
    name=$(basename "$proj" .csproj)
    say "testing $name"
    dotnet test "$proj" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$results/$name" --blame-hang-timeout 8m || status=1
  done
  summarise "$results" || status=1
  return $status
}

run_bench() {
  ensure_dotnet
  say "building benchmarks (Release)"
  dotnet build tests/ActorRecorder.Benchmarks -c Release -warnaserror -nologo -v q -clp:ErrorsOnly
  dotnet run --project tests/ActorRecorder.Benchmarks -c Release --no-build -- "$@"
}

run_demo() {
  ensure_dotnet
  build
  dotnet run --project src/ActorRecorder.Cli -c Release --no-build -- demo
}

verb=${1:-}
[ $# -gt 0 ] && shift
case "$verb" in
  test) run_tests ;;
  demo) run_demo ;;
  bench) run_bench "$@" ;;
  build) build ;;
  *) echo "usage: ./build.sh test | demo | bench [name] | build" >&2; exit 2 ;;
esac
