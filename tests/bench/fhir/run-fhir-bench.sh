#!/usr/bin/env bash
# The FHIR create benchmark (issue 16). Builds nothing: first
#   cmake --preset ci && cmake --build --preset ci -j2      (Release, build/)
# then: tests/bench/fhir/run-fhir-bench.sh [options]
#   --seconds S     length of each run (default 8; the open loop sends RATE × S creates)
#   --rate R        the open loop's fixed rate, creates/s (default 500, the issue's target)
#   --rounds R      after the first pass, R interleaved rounds: ours, then the peer (default 3);
#                   the targets are judged on the medians of every run of each row
#   --out DIR       where journals, logs and results go (default: a new build/bench-fhir.*)
#   --build DIR     the build folder holding bin/ and plugins/ (default build)
#   --no-peer       skip the peer
#   --smoke         a short run that checks counts only (CTest bench:fhir-smoke): 200 creates
#                   closed loop and 100 at the rate, every one 201 and delivered to the board,
#                   100 creates at the peer, every one 201, and 50 transactions of 4 entries
#                   (closed loop), each 200 with every entry 201 and its Referral delivered
#   --profile S     only profile: perf records a fresh gateway for S seconds under the closed
#                   loop (OUT/perf.data, OUT/profile.txt); needs perf (apt-get install linux-perf)
# Starts rtw-board-sim, one fresh rtw-gateway per run (its own journal in OUT, on the
# disk: refused on tmpfs) and the peer (peer-server.mjs, for the whole run) on loopback
# ports with certificates made for this run, drives each with fhir-load.mjs (the golden
# ServiceRequest, each create with its own identifier, 16 keep-alive mutual-TLS
# connections) and prints one markdown table. Raw results: OUT/results.jsonl.
# The first pass also measures an intake-only gateway (no translate or delivery
# workers) in the closed loop: not a target, the request path alone. Each round
# ends with transaction Bundles of 4 entries (the golden transaction, closed
# loop): transactions/s, each one journal row and one Referral.
# Installs the pinned npm packages when missing (install.sh); without them: exit 77.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="$root/build"
seconds=8
rate=500
rounds=3
out=""
peer=1
smoke=0
profile=0
usage() { sed -n '2,/^set /{/^set /d;p}' "$0"; }
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --no-peer) peer=0; shift ;;
    --smoke) smoke=1; rounds=0; shift ;;
    --profile) profile="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 64 ;;
  esac
done

bin="$build/bin"
for program in rtw-gateway rtw-board-sim bench-fdatasync; do
  [[ -x "$bin/$program" ]] || { echo "missing $bin/$program: build first (see the header)" >&2; exit 1; }
done
command -v node >/dev/null || { echo "SKIPPED: node is not installed"; exit 77; }
"$here/install.sh" || { echo "SKIPPED: the generator's npm packages are not installed (above)"; exit 77; }

[[ -n "$out" ]] || out="$(mktemp -d "$build/bench-fhir.XXXXXX")"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# The journal must be where a real one would be: a journal on tmpfs syncs for free.
fstype=$(findmnt -no FSTYPE -T "$out" 2>/dev/null || stat -f -c %T "$out")
if [[ $fstype == tmpfs || $fstype == ramfs ]]; then
  echo "$out is on $fstype: the journal would not be durable; pass --out on a disk" >&2
  exit 1
fi
rm -rf "$out"/gw-* "$out/board" "$out"/*.status "$out"/*.log
results="$out/results.jsonl"
echo "{\"kind\":\"machine\",\"load_before\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"fstype\":\"$fstype\"}" >"$results"
resource="$root/tests/golden/westcoast-fhir/servicerequest-referral.json"

source_dir="$root" build_dir="$build" work="$out"
# shellcheck source=../../support/system.sh
source "$root/tests/support/system.sh"
trap stop_system EXIT
start_board westcoast-fhir
certs="$c"
tls=(--cert "$certs/partner-westcoast-fhir.pem" --key "$certs/partner-westcoast-fhir.key" --ca "$certs/ca.pem")

gateway_dir=""
gateway_url=""
# fresh_gateway NAME SETTING...: a new gateway with its own journal in OUT/gw-NAME.
fresh_gateway() {
  gateway_dir="$out/gw-$1"
  shift
  start_gateway "$gateway_dir" "$@"
  gateway_url="https://localhost:$https_port/fhir"
}
stop_gateway() {
  kill -INT "$gateway_pid" 2>/dev/null || true
  wait "$gateway_pid" 2>/dev/null || true
}

journal_count() {  # journal_count STATE: rows of the running gateway's journal in STATE
  sqlite3 "$gateway_dir/journal.sqlite" "SELECT COUNT(*) FROM messages WHERE state = '$1'" 2>/dev/null || echo 0
}
now() { date +%s.%N; }

# load KIND URL FHIR_LOAD_ARGS...: one run of the generator, its RESULT line
# kept in results.jsonl with KIND and the round.
failed=0
last_created=0
round=0
load() {
  local kind=$1 url=$2
  shift 2
  local output status=0 json
  output=$(node "$here/fhir-load.mjs" --url "$url" --resource "$resource" "${tls[@]}" --json "$@") ||
    status=$?
  printf '%s\n' "$output" | grep -v '^RESULT ' | sed 's/^/    /'
  json=$(printf '%s\n' "$output" | sed -n 's/^RESULT //p')
  [[ -n "$json" ]] || json='{}'
  last_created=$(printf '%s' "$json" | sed -n 's/.*"created":\([0-9]*\).*/\1/p')
  last_created=${last_created:-0}
  echo "{\"kind\":\"$kind\",\"round\":$round,\"exit\":$status,\"load\":$json}" >>"$results"
  ((status == 0)) || failed=1
}

# drain KIND LIMIT_S BOARD_BEFORE: after a gateway run, until every create is
# delivered to the board (or LIMIT_S); one result line of KIND.
drain() {
  local kind=$1 limit=$2 board_before=$3 start delivered=0 deadline
  start=$(now)
  deadline=$(($(date +%s) + limit))
  while (($(date +%s) < deadline)); do
    delivered=$(journal_count delivered)
    ((delivered >= last_created)) && break
    sleep 0.2
  done
  local seconds rejected dead board
  seconds=$(awk "BEGIN{printf \"%.2f\", $(now) - $start}")
  rejected=$(journal_count rejected)
  dead=$(journal_count dead)
  board=$(($(board_documents) - board_before))
  echo "    delivered $delivered of $last_created ${seconds} s after the load ended" \
    "(board simulator: $board new documents; rejected $rejected, dead $dead)"
  echo "{\"kind\":\"$kind\",\"round\":$round,\"created\":$last_created,\"delivered\":$delivered,\"board\":$board,\"rejected\":$rejected,\"dead\":$dead,\"drain_seconds\":$seconds}" >>"$results"
  if ((delivered != last_created || board != last_created || rejected || dead)); then
    echo "    not every create reached the board exactly once within ${limit} s" >&2
    ((smoke == 0)) || failed=1
  fi
}

# gateway_run NAME KIND FHIR_LOAD_ARGS...: a fresh gateway, one load, the drain.
gateway_run() {
  local name=$1 kind=$2
  shift 2
  local board_before
  board_before=$(board_documents)
  fresh_gateway "$name"
  load "$kind" "$gateway_url" "$@"
  drain "$kind-drain" $((smoke ? 30 : 60)) "$board_before"
  stop_gateway
}

# intake_only_run FHIR_LOAD_ARGS...: the same load at a gateway without
# translate and delivery workers (the request path alone: what the workers
# and the board simulator take from the same two cores shows against the
# closed-loop row); every create must be in its journal, received.
intake_only_run() {
  fresh_gateway "r$round-intake-only" translate.workers=0 delivery.workers=0
  load intake-only "$gateway_url" "$@"
  local received
  received=$(journal_count received)
  echo "    journaled $received of $last_created (received, no workers to take them further)"
  echo "{\"kind\":\"intake-only-journal\",\"round\":$round,\"created\":$last_created,\"received\":$received}" >>"$results"
  ((received == last_created)) || { echo "    not every create is in the journal" >&2; failed=1; }
  stop_gateway
}

if ((profile > 0)); then
  # shellcheck source=profile.sh
  source "$here/profile.sh"
  profile_gateway "$profile"
  exit 0
fi

peer_url=""
if ((peer)); then
  node "$here/peer-server.mjs" "$out/peer.status" "$certs/gateway.key" "$certs/gateway.pem" \
    "$certs/ca.pem" >"$out/peer.log" 2>&1 &
  pids+=($!)
  peer_url="https://localhost:$(wait_for "$out/peer.status" peer.port $! "$out/peer.log")/fhir"
fi
peer_run() {  # peer_run KIND FHIR_LOAD_ARGS...
  local kind=$1
  shift
  [[ -n "$peer_url" ]] && load "$kind" "$peer_url" "$@"
  return 0
}

echo "== fdatasync probe in $out (the journals' filesystem, $fstype)"
"$bin/bench-fdatasync" --dir "$out" --seconds "$((smoke ? 1 : 3))" --json >"$out/fdatasync.txt"
grep -v '^RESULT' "$out/fdatasync.txt" | tail -1
sed -n 's/^RESULT \(.*\)$/{"kind":"fdatasync","probe":\1}/p' "$out/fdatasync.txt" >>"$results"

# The transaction mode: the golden transaction (Patient, Coverage, Condition,
# ServiceRequest with urn:uuid references), each its own Bundle.identifier.
transaction="$root/tests/golden/westcoast-fhir/transaction-identified-referral.json"

if ((smoke)); then
  echo "== smoke: 200 creates closed loop, 100 at $rate/s, 100 at the peer"
  gateway_run smoke-closed closed --connections 16 --creates 200 --seconds 30 --label "rtw-gateway closed loop"
  gateway_run smoke-open open --connections 16 --rate "$rate" --creates 100 --seconds 30 \
    --label "rtw-gateway open loop $rate/s"
  peer_run peer-closed --connections 16 --creates 100 --seconds 30 --label "peer closed loop"
  gateway_run smoke-transaction transaction --connections 16 --creates 50 --seconds 30 \
    --resource "$transaction" --label "rtw-gateway transactions of 4 entries"
else
  run=(--connections 16 --seconds "$seconds")
  # pass 0 is the first pass; then the rounds, ours then the peer within a minute.
  for ((round = 0; round <= rounds; round++)); do
    if ((round == 0)); then echo "== first pass"; else echo "== round $round of $rounds"; fi
    gateway_run "r$round-closed" closed "${run[@]}" --label "rtw-gateway closed loop, round $round"
    ((round > 0)) || intake_only_run "${run[@]}" --label "rtw-gateway intake only (no workers)"
    peer_run peer-closed "${run[@]}" --label "peer closed loop, round $round"
    gateway_run "r$round-open" open "${run[@]}" --rate "$rate" --label "rtw-gateway open loop $rate/s, round $round"
    peer_run peer-open "${run[@]}" --rate "$rate" --label "peer open loop $rate/s, round $round"
    gateway_run "r$round-transaction" transaction "${run[@]}" --resource "$transaction" \
      --label "rtw-gateway transactions of 4 entries, round $round"
  done
fi

peer_version=$(node -e 'console.log(require(process.argv[1]).version)' \
  "$here/node_modules/@medplum/core/package.json")
report=(/usr/bin/python3 "$here/report.py" "$results" "$root" "$build" "@medplum/core $peer_version")
((smoke)) && report+=(--smoke)
"${report[@]}"
if ((failed)); then
  echo "some runs failed or did not count as expected (see above)" >&2
  exit 1
fi
