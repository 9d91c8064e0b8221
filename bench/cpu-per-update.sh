#!/usr/bin/env bash
# CPU time per operation of the load client and of each node, read from /proc/<pid>/stat
# (utime + stime) over a window of a closed-loop put load: where the machine's cores go.
#
# usage: bench/cpu-per-update.sh VARIANT CLIENTS DURABILITY [run options...]
#   e.g. bench/cpu-per-update.sh fastpath 64 memory
#        bench/cpu-per-update.sh optimized 64 fsync --io-threads 2
#
# Starts three nodes of VARIANT on 127.0.0.1-3 (ports 7101-7103, data under a fresh temporary
# directory), warms them up with 16 clients for 15 s (a separate load-client JVM), then runs
# CLIENTS clients of puts (--mix put=100) for 12 s of warm-up and 10 s measured, and reads the CPU
# counters of the client and the nodes over 8 s inside the measured part. Prints ops/s and, per
# process, CPU (percent of one core, kernel share in brackets) and microseconds of CPU per
# operation. Every process it starts is stopped on exit. Needs `mvn -B -q package -DskipTests`.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '5,7p' "$0" | cut -c3- >&2
  exit 2
fi
variant=$1 clients=$2 durability=$3
shift 3
case "$variant" in vanilla | optimized | fastpath) ;; *) echo "unknown variant: $variant" >&2; exit 2 ;; esac
case "$durability" in fsync | nosync | memory) ;; *) echo "unknown durability: $durability" >&2; exit 2 ;; esac
[[ "$clients" =~ ^[1-9][0-9]*$ ]] || { echo "clients must be a positive number: $clients" >&2; exit 2; }

cd "$(dirname "$0")/.."
raft_jar=raft/target/raft.jar
load_jar=load-client/target/load-client.jar
for j in "$raft_jar" "$load_jar"; do
  [ -f "$j" ] || { echo "$j is missing: run mvn -B -q package -DskipTests first" >&2; exit 1; }
done

cluster=1=127.0.0.1:7101,2=127.0.0.2:7102,3=127.0.0.3:7103
work=$(mktemp -d)
node_pids=()
load_pid=
cleanup() {
  for p in ${load_pid:+"$load_pid"} "${node_pids[@]}"; do kill "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for i in 1 2 3; do
  java -Xmx2g -jar "$raft_jar" server --id "$i" --cluster "$cluster" --data "$work/data-$i" \
    --variant "$variant" --durability "$durability" > "$work/node-$i.log" 2>&1 &
  node_pids+=("$!")
done
sleep 3

fast=off
[ "$variant" = fastpath ] && fast=on
java -jar "$load_jar" run --cluster "$cluster" --clients 16 --mix put=100 --warmup 1s \
  --duration 15s --fast-path "$fast" --out "$work/warm" "$@" > "$work/warm.log" 2>&1

java -jar "$load_jar" run --cluster "$cluster" --clients "$clients" --mix put=100 --warmup 12s \
  --duration 10s --fast-path "$fast" --out "$work/run" "$@" > "$work/run.log" 2>&1 &
load_pid=$!
sleep 13.5 # past the client's start and most of its warm-up

ticks() { awk '{print $14 + $15, $15}' "/proc/$1/stat"; }
for p in "$load_pid" "${node_pids[@]}"; do
  if ! kill -0 "$p" 2> /dev/null; then
    echo "a process ended before the measurement window (pid $p); load client output:" >&2
    cat "$work/run.log" "$work/warm.log" >&2
    tail -n 5 "$work"/node-*.log >&2
    exit 1
  fi
done
declare -A before after
client_pid=$load_pid
for p in "$client_pid" "${node_pids[@]}"; do before[$p]=$(ticks "$p"); done
t0=$(date +%s.%N)
sleep 8
t1=$(date +%s.%N)
for p in "$client_pid" "${node_pids[@]}"; do after[$p]=$(ticks "$p"); done
wait "$load_pid"
load_pid=

total=$(grep '^total' "$work/run.log" || true)
[ -n "$total" ] || { echo "the load run failed:" >&2; cat "$work/run.log" >&2; exit 1; }
rate=$(sed 's/.*ops, \([0-9.]*\) ops\/s.*/\1/' <<< "$total")
hz=$(getconf CLK_TCK)
report() {
  local label=$1 p=$2 all0 sys0 all1 sys1
  read -r all0 sys0 <<< "${before[$p]}"
  read -r all1 sys1 <<< "${after[$p]}"
  awk -v a="$((all1 - all0))" -v s="$((sys1 - sys0))" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
    -v rate="$rate" -v label="$label" 'BEGIN {
      secs = t1 - t0; cpu = a / hz / secs;
      printf "  %-7s cpu %4.0f%% (kernel %3.0f%%) %6.1f us per op\n", label, 100 * cpu,
        100 * s / hz / secs, cpu / rate * 1e6 }'
}
echo "$variant, $clients clients, $durability${*:+, $*}: $(sed 's/  */ /g' <<< "$total")"
report client "$client_pid"
for i in 0 1 2; do report "node $((i + 1))" "${node_pids[$i]}"; done
grep -E '^fast path' "$work/run.log" || true
