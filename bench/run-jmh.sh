#!/usr/bin/env bash
# Runs the JMH suite from bench/target/benchmarks.jar and keeps the result:
#   results/jmh/<UTC date>/<name>.json            raw JMH JSON (never overwritten)
#   results/jmh/<UTC date>/<name>.run.properties  date, git commit, cores, command
#   results/jmh/<UTC date>/summary.md             Markdown summary of every run of that date
#
# usage: bench/run-jmh.sh [--quick] [--name NAME] [REGEX] [JMH OPTIONS...]
#   --quick      one fork, one 1 s warm-up and one 1 s measurement iteration, fewer params:
#                every benchmark in about two minutes (a smoke run, not a measurement)
#   --name NAME  the result's file name (default run-HHMMSS, or quick-HHMMSS with --quick)
# Everything else goes to JMH unchanged (an option given there wins over its --quick value), e.g.
#   bench/run-jmh.sh ClusterBenchmark.put -p variant=vanilla -t 16
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/bench/target/benchmarks.jar"

# The --quick preset; an option or param given on the command line replaces its preset value.
quick_flags=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
quick_params=(durability=fsync valueBytes=100 sessions=100000 operations=1000)

quick=0
name=""
jmh_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --name)
      [[ $# -ge 2 ]] || { echo "run-jmh.sh: --name needs a value" >&2; exit 2; }
      name="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) jmh_args+=("$1"); shift ;;
  esac
done

if [[ ! -f "$jar" ]]; then
  echo "run-jmh.sh: $jar is missing; build it: mvn -B -q -pl raft,bench -am package -DskipTests" >&2
  exit 2
fi
if [[ -z "$name" ]]; then
  name="$([[ $quick == 1 ]] && echo quick || echo run)-$(date -u +%H%M%S)"
fi
if [[ ! "$name" =~ ^[A-Za-z0-9._-]+$ ]]; then
  echo "run-jmh.sh: --name may hold letters, digits, '.', '_' and '-' only: $name" >&2
  exit 2
fi

dir="$root/results/jmh/$(date -u +%Y-%m-%d)"
json="$dir/$name.json"
if [[ -e "$json" ]]; then
  echo "run-jmh.sh: $json exists; raw results are never overwritten, choose another --name" >&2
  exit 2
fi
mkdir -p "$dir"

given_flag() {
  local a
  for a in ${jmh_args[@]+"${jmh_args[@]}"}; do [[ "$a" == "$1" ]] && return 0; done
  return 1
}
given_param() {
  local i
  for ((i = 0; i + 1 < ${#jmh_args[@]}; i++)); do
    [[ "${jmh_args[i]}" == -p && "${jmh_args[i + 1]}" == "$1="* ]] && return 0
  done
  return 1
}

options=()
if [[ $quick == 1 ]]; then
  for ((i = 0; i < ${#quick_flags[@]}; i += 2)); do
    given_flag "${quick_flags[i]}" || options+=("${quick_flags[i]}" "${quick_flags[i + 1]}")
  done
  for p in "${quick_params[@]}"; do
    given_param "${p%%=*}" || options+=(-p "$p")
  done
fi
options+=(${jmh_args[@]+"${jmh_args[@]}"})

commit="$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$root" status --porcelain -- . ':!results' 2>/dev/null)" ]]; then
  commit="$commit (with uncommitted changes)"
fi
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit=$commit"
  echo "cores=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
  echo "os=$(uname -srm)"
  printf 'command=java -jar bench/target/benchmarks.jar'
  printf ' %q' ${options[@]+"${options[@]}"} -rf json -rff "${json#"$root"/}"
  printf '\n'

} > "$dir/$name.run.properties"

status=0
java -jar "$jar" ${options[@]+"${options[@]}"} -rf json -rff "$json" || status=$?
if [[ -s "$json" ]]; then
  java -cp "$jar" io.raftkv.bench.JmhSummary "$dir"
else
  echo "run-jmh.sh: JMH wrote no results (exit code $status)" >&2
  rm -f "$dir/$name.run.properties"
fi
exit "$status"
