#!/usr/bin/env bash
# The HL7 v2 parse benchmark in one command: rtw::hl7v2 (bench-hl7-parse,
# with the delimiter-scan ceiling) and the peers, each pinned to one core, on
# the same normalised corpus, then one table. See BENCHMARKS.md.
#
# usage: tests/bench/run-hl7-bench.sh [--seconds S] [--runs N] [--cpu N] [--out DIR] [--no-install]
#   --seconds S   length of each timed run (default 2)
#   --runs N      timed runs per parser; medians are reported (default 5)
#   --cpu N       the core every process is pinned to (default 1)
#   --out DIR     where results.jsonl, the normalised corpus and the value dumps
#                 go (default build/bench-hl7)
#   --no-install  do not run hl7-peers/install.sh (peers must be there)
# It builds nothing: build bench-hl7-parse first (see the message below).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bench="${RTW_BENCH_BIN:-$root/build/bin/bench-hl7-parse}"
seconds=2
runs=5
cpu=1
out="$root/build/bench-hl7"
install=1

while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --cpu) cpu="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-install) install=0; shift ;;
    *) sed -n '2,13p' "$0" >&2; exit 2 ;;
  esac
done

if [[ ! -x "$bench" ]]; then
  cat >&2 <<EOF
run-hl7-bench.sh: $bench not found. Build it first (Release):
  cmake --preset ci && cmake --build --preset ci -j2 --target bench-hl7-parse
EOF
  exit 1
fi

if ((install)); then
  "$here/hl7-peers/install.sh"
fi

pin=()
if command -v taskset >/dev/null && taskset -c "$cpu" true 2>/dev/null; then
  pin=(taskset -c "$cpu")
else
  echo "run-hl7-bench.sh: taskset -c $cpu unavailable: processes are NOT pinned to one core" >&2
fi

# medplum reads the global WebSocket when it loads; Node 20 has it only behind a flag.
node_flags=()
if [[ "$(node -e 'process.stdout.write(typeof WebSocket)')" == "undefined" ]]; then
  node_flags=(--experimental-websocket)
fi

mkdir -p "$out/dumps"
results="$out/results.jsonl"
: >"$results"
common=(--seconds "$seconds" --runs "$runs")

echo "== load before: $(uptime)"
# Two cores: anything else running shares the pinned core and halves figures.
if awk -v limit=0.5 '{ exit !($1 > limit) }' /proc/loadavg 2>/dev/null; then
  echo "run-hl7-bench.sh: warning: load average $(cut -d' ' -f1 /proc/loadavg) > 0.5:" \
    "other work will slow every parser down; rerun when the machine is idle" >&2
fi
echo "== bench-hl7-parse ($seconds s x $runs runs per variant, cpu $cpu)"
"${pin[@]}" "$bench" "${common[@]}" --write-peer-input "$out/input" \
  --dump "$out/dumps/rtw-hl7v2.dump" >>"$results"

failed=()
run_peer() {  # run_peer DUMP-NAME COMMAND...
  local dump="$1"
  shift
  echo "== $dump"
  if ! "${pin[@]}" "$@" --input "$out/input" "${common[@]}" --dump "$out/dumps/$dump.dump" \
    >>"$results"; then
    failed+=("$dump")
  fi
}
run_peer medplum-core node "${node_flags[@]}" "$here/hl7-peers/medplum-core.cjs"
run_peer node-hl7-client node "$here/hl7-peers/node-hl7-client.cjs"
run_peer simple-hl7 node "$here/hl7-peers/simple-hl7.cjs"
run_peer redoxengine-redox-hl7-v2 node "$here/hl7-peers/redox-hl7-v2.cjs"
run_peer python3-hl7 /usr/bin/python3 "$here/hl7-peers/python-hl7.py"
echo "== load after: $(uptime)"
if awk -v limit=1 '{ exit !($1 > limit) }' /proc/loadavg 2>/dev/null; then
  echo "run-hl7-bench.sh: warning: the load rose during the run: figures are disturbed" >&2
fi
echo

/usr/bin/python3 "$here/hl7-peers/report.py" "$results" "$out/dumps"
echo
echo "results: $results"
if ((${#failed[@]})); then
  echo "run-hl7-bench.sh: these runners failed (see above): ${failed[*]}" >&2
  exit 1
fi
