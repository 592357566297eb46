#!/usr/bin/env bash
# Throughput with durability (issue 6). Builds nothing: first
#   cmake --preset ci && cmake --build --preset ci -j2      (Release, build/)
# then: tests/bench/run-throughput-bench.sh [options]
#   --seconds S        length of each closed-loop run (default 8)
#   --e2e-messages N   messages for the end-to-end delivery run (default 5000; waits at most 150 s)
#   --out DIR          where journals, logs and results go (default: a new build/bench-throughput.*)
#   --no-peer          skip the npm peers
#   --rounds R         then measure the target rows R more times, interleaved with the
#                      peer (default 3); the targets are judged on the medians
#   --build DIR        the build folder holding bin/ and plugins/ (default build)
#   --baseline DIR     another checkout with its own DIR/build (e.g. the commit before a change,
#                      built in a worktree): each round also runs its gateway on the target rows,
#                      with the same generator, board simulator and certificates, and the report
#                      gives ours over the baseline's, round by round and on the medians
#   --smoke            a short run that checks counts only (CTest bench:throughput-smoke)
#   --profile S        only profile: perf records a fresh gateway for S seconds under 16
#                      connections (OUT/perf.data, OUT/profile.txt); needs perf (linux-perf)
# Starts rtw-board-sim and one fresh rtw-gateway per run on loopback ports with
# certificates made for this run, measures with build/bin/mllp-load, and prints
# one markdown table. Raw results: OUT/results.jsonl.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/bench"
build="$root/build"
seconds=8
e2e_messages=5000
out=""
peer=1
smoke=0
profile=0
rounds=3
baseline=""
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --e2e-messages) e2e_messages="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --baseline) baseline="$(cd "$2" && pwd)"; shift 2 ;;
    --no-peer) peer=0; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --smoke) smoke=1; peer=0; rounds=0; shift ;;
    --profile) profile="$2"; shift 2 ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) sed -n '2,21p' "$0" >&2; exit 64 ;;
  esac
done

bin="$build/bin"
for program in rtw-gateway rtw-board-sim mllp-load bench-fdatasync; do
  [[ -x "$bin/$program" ]] || { echo "missing $bin/$program: build first (see the header)" >&2; exit 1; }
done
if [[ -n "$baseline" && ! -x "$baseline/build/bin/rtw-gateway" ]]; then
  echo "missing $baseline/build/bin/rtw-gateway: build the baseline checkout first" >&2
  exit 1
fi
# The journal goes where this folder is: keep it on the disk the gateway would use, not tmpfs.
[[ -n "$out" ]] || out="$(mktemp -d "$build/bench-throughput.XXXXXX")"
mkdir -p "$out"
# A reused folder starts empty of earlier runs' journals and board store (certificates are kept).
rm -rf "$out"/gc-* "$out"/intake-only "$out"/board-elsewhere* "$out"/latency-* "$out/e2e" "$out/board" \
  "$out"/*.status "$out"/round-*
results="$out/results.jsonl"
: >"$results"
message="$root/tests/data/hl7/ref-i12-sample.hl7"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -INT "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# wait_for_port FILE KEY PID: prints the port a process wrote as KEY=N to FILE.
wait_for_port() {
  for _ in $(seq 1 200); do
    if [[ -f "$1" ]] && grep -q "^$2=" "$1"; then
      grep "^$2=" "$1" | head -1 | cut -d= -f2
      return 0
    fi
    kill -0 "$3" 2>/dev/null || break
    sleep 0.05
  done
  echo "process $3 did not report $2 (see $out)" >&2
  return 1
}

certs="$out/certs"
"$root/certs/make-dev-certs.sh" "$certs" clinic01 >/dev/null
tls=(--cert "$certs/partner-clinic01.pem" --key "$certs/partner-clinic01.key" --ca "$certs/ca.pem")

board_pid=""
board_port=""
# start_board NAME [COMMAND...]: a board simulator with its store in OUT/NAME,
# started through COMMAND (e.g. chrt) when given.
start_board() {
  local name=$1
  shift
  "$@" "$bin/rtw-board-sim" --home "$root" --port 0 --store "$out/$name" \
    --cert "$certs/board-sim.pem" --key "$certs/board-sim.key" --ca "$certs/ca.pem" \
    --status-file "$out/$name.status" >"$out/$name.log" 2>&1 &
  board_pid=$!
  pids+=("$board_pid")
  board_port=$(wait_for_port "$out/$name.status" board.port "$board_pid")
}
start_board board

gateway_pid=""
gateway_port=""
# The gateway start_gateway runs: this checkout's, or the baseline's (use_gateway).
gw_home="$root"
gw_build="$build"
# use_gateway ours|baseline
use_gateway() {
  if [[ $1 == baseline ]]; then gw_home="$baseline" gw_build="$baseline/build"; else gw_home="$root" gw_build="$build"; fi
}
# start_gateway NAME SETTING...: a fresh gateway with its own journal in OUT/NAME.
start_gateway() {
  local name=$1
  shift
  local dir="$out/$name"
  mkdir -p "$dir"
  local args=(--home "$gw_home" -Dmllp.port=0 -Dstore.path="$dir/journal.sqlite"
    -Dplugins.dir="$gw_build/plugins" -Dtls.certificate="$certs/gateway.pem"
    -Dtls.privateKey="$certs/gateway.key" -Dtls.ca="$certs/ca.pem"
    -Dboard.url="https://localhost:$board_port" -Dboard.certificate="$certs/gateway-client.pem"
    -Dboard.privateKey="$certs/gateway-client.key" -Dboard.ca="$certs/ca.pem"
    -Dstatus.file="$dir/gateway.status")
  # The partner HTTPS listener on a free port (a baseline from before it has no such setting).
  [[ $gw_home == "$root" ]] && args+=(-Dhttps.port=0)
  for setting in "$@"; do
    args+=("-D$setting")
  done
  "$gw_build/bin/rtw-gateway" "${args[@]}" >"$dir/gateway.log" 2>&1 &
  gateway_pid=$!
  pids+=("$gateway_pid")
  gateway_port=$(wait_for_port "$dir/gateway.status" mllp.port "$gateway_pid")
}

stop_gateway() {
  kill -INT "$gateway_pid" 2>/dev/null || true
  wait "$gateway_pid" 2>/dev/null || true
}

# load KIND EXTRA_JSON PORT MLLP_LOAD_ARGS...: one load run, its RESULT line kept.
failed=0
load() {
  local kind=$1 extra=$2 port=$3
  shift 3
  local output status=0
  output=$("$bin/mllp-load" --port "$port" --message "$message" --json "$@") || status=$?
  printf '%s\n' "$output" | grep -v '^RESULT ' | sed 's/^/    /'
  local json
  json=$(printf '%s\n' "$output" | sed -n 's/^RESULT //p')
  [[ -n "$json" ]] || json='{}'
  echo "{\"kind\":\"$kind\",$extra\"exit\":$status,\"load\":$json}" >>"$results"
  ((status == 0)) || failed=1
}

journal_count() {  # journal_count NAME STATE
  sqlite3 "$out/$1/journal.sqlite" "SELECT COUNT(*) FROM messages WHERE state = '$2'" 2>/dev/null || echo 0
}

now() { date +%s.%N; }

if ((profile > 0)); then
  # shellcheck source=throughput-peers/profile.sh
  source "$here/throughput-peers/profile.sh"
  profile_gateway "$profile"
  exit 0
fi

if ((smoke)); then
  matrix_connections=(1 4)
  group_commits=(true)
  per_run=(--messages 200 --seconds 20 --expect-all)
  e2e_messages=200
  rates=(500)
  rate_args=(--messages 200 --seconds 20 --expect-all)
  probe_seconds=1
else
  matrix_connections=(1 4 16)
  group_commits=(true false)
  per_run=(--messages 1000000 --seconds "$seconds")
  rates=(500 1000 2000)  # the target is at 2,000/s; the lower rates show where it holds
  rate_args=(--messages 1000000 --seconds 10)
  probe_seconds=5
fi

echo "== fdatasync probe in $out (same filesystem as the journals)"
"$bin/bench-fdatasync" --dir "$out" --seconds "$probe_seconds" --json | tee "$out/fdatasync.txt" |
  grep -v '^RESULT' | tail -1
sed -n 's/^RESULT \(.*\)$/{"kind":"fdatasync","probe":\1}/p' "$out/fdatasync.txt" >>"$results"

for gc in "${group_commits[@]}"; do
  for c in "${matrix_connections[@]}"; do
    echo "== acknowledged messages/s: $c connection(s), group commit $gc"
    start_gateway "gc-$gc-c$c" store.groupCommit="$gc"
    load matrix "\"group_commit\":$gc," "$gateway_port" "${tls[@]}" --connections "$c" \
      "${per_run[@]}" --label "rtw-gateway gc=$gc c=$c"
    stop_gateway
  done
done

if ((smoke == 0)); then
  # What intake alone costs: the same gateway with no translate or delivery
  # threads (an intake-only instance; not what the targets are measured on).
  echo "== acknowledged messages/s: 16 connections, intake-only instance (no workers)"
  start_gateway intake-only store.groupCommit=true translate.workers=0 delivery.workers=0
  load intake-only '"group_commit":true,' "$gateway_port" "${tls[@]}" --connections 16 \
    "${per_run[@]}" --label "rtw-gateway intake only c=16"
  stop_gateway

  # The whole pipeline with the board simulator under SCHED_IDLE: it runs on
  # CPU time the gateway and the generator leave, as if the board were on
  # another machine (in production it is). Not what the targets are measured on.
  echo "== acknowledged messages/s: 16 connections, board simulator under SCHED_IDLE (a board elsewhere)"
  main_board_pid=$board_pid
  main_board_port=$board_port
  start_board board-elsewhere chrt --idle 0
  start_gateway board-elsewhere-gw store.groupCommit=true
  load board-elsewhere '"group_commit":true,' "$gateway_port" "${tls[@]}" --connections 16 \
    "${per_run[@]}" --label "rtw-gateway c=16, board simulator under SCHED_IDLE"
  stop_gateway
  kill -INT "$board_pid" 2>/dev/null || true
  wait "$board_pid" 2>/dev/null || true
  board_pid=$main_board_pid
  board_port=$main_board_port
fi

for rate in "${rates[@]}"; do
  echo "== ACK latency at $rate messages/s (open loop), group commit on"
  start_gateway "latency-$rate" store.groupCommit=true
  load latency '"group_commit":true,' "$gateway_port" "${tls[@]}" --connections 16 \
    --rate "$rate" "${rate_args[@]}" --label "rtw-gateway open loop $rate/s"
  stop_gateway
done

# end_to_end NAME KIND: e2e_messages in over 16 connections, then until all are
# delivered to the board simulator; one result line of KIND.
end_to_end() {
  local name=$1 kind=$2
  start_gateway "$name" store.groupCommit=true
  local start intake_end end delivered=0 deadline
  start=$(now)
  load "$kind-intake" '"group_commit":true,' "$gateway_port" "${tls[@]}" --connections 16 \
    --messages "$e2e_messages" --seconds 120 --label "rtw-gateway e2e intake"
  intake_end=$(now)
  deadline=$(($(date +%s) + (smoke ? 30 : 150)))
  while (($(date +%s) < deadline)); do
    delivered=$(journal_count "$name" delivered)
    ((delivered >= e2e_messages)) && break
    sleep 0.2
  done
  end=$(now)
  local rejected dead
  rejected=$(journal_count "$name" rejected)
  dead=$(journal_count "$name" dead)
  echo "    delivered $delivered of $e2e_messages (rejected $rejected, dead $dead)"
  echo "{\"kind\":\"$kind\",\"messages\":$e2e_messages,\"delivered\":$delivered,\"rejected\":$rejected,\"dead\":$dead,\"intake_seconds\":$(awk "BEGIN{print $intake_end - $start}"),\"seconds\":$(awk "BEGIN{print $end - $start}")}" >>"$results"
  if ((delivered < e2e_messages)); then
    echo "    not all delivered within the time limit: the rate is what was delivered in it"
    ((smoke == 0)) || failed=1
  fi
  stop_gateway
}

echo "== end to end: $e2e_messages messages in, until all are delivered to the board simulator"
end_to_end e2e e2e

# One @medplum/hl7 server for the whole run: the peer rows and the rounds
# measure the same (warmed) process.
medplum_port=""
if ((peer)); then
  "$here/throughput-peers/install.sh" || true
  if [[ -f "$here/peers/node_modules/@medplum/hl7/package.json" ]]; then
    # @medplum/core needs the global WebSocket at load time: Node 20 has it behind a flag.
    node --experimental-websocket "$here/throughput-peers/medplum-hl7-server.cjs" \
      "$out/medplum.status" >"$out/medplum.log" 2>&1 &
    pids+=($!)
    medplum_port=$(wait_for_port "$out/medplum.status" peer.port $!) || medplum_port=""
  fi
  MEDPLUM_PORT="$medplum_port" "$here/throughput-peers/run-peers.sh" "$out" "$results" "$seconds" \
    "$bin" || echo "peers skipped (see above)"
fi

# The target rows again, interleaved with the peer: on a shared VM one run of
# each moves by ±20 % from one minute to the next, so the targets are judged
# on the medians of all runs of each row (report.py).
# round_rows WHO R: the target rows of round R on our gateway or the baseline's.
round_rows() {
  local who=$1 r=$2 kind=round label="rtw-gateway"
  [[ $who == baseline ]] && kind=baseline label="baseline rtw-gateway"
  use_gateway "$who"
  start_gateway "round-$r-$who-c16" store.groupCommit=true
  load "$kind-matrix" '"group_commit":true,' "$gateway_port" "${tls[@]}" --connections 16 \
    "${per_run[@]}" --label "$label gc=true c=16, round $r"
  stop_gateway
  if [[ $who == ours && -n "$medplum_port" ]]; then
    load round-peer '' "$medplum_port" --host 127.0.0.1 --connections 16 "${per_run[@]}" \
      --label "@medplum/hl7 c=16, round $r"
  fi
  start_gateway "round-$r-$who-latency" store.groupCommit=true
  load "$kind-latency" '"group_commit":true,' "$gateway_port" "${tls[@]}" --connections 16 \
    --rate 2000 "${rate_args[@]}" --label "$label open loop 2000/s, round $r"
  stop_gateway
  end_to_end "round-$r-$who-e2e" "$kind-e2e"
  use_gateway ours
}

# The target rows again, interleaved with the peer (and the baseline, which
# goes first in every other round): on a shared VM one run of each moves by
# ±20 % from one minute to the next, so the targets are judged on the medians
# of all runs of each row (report.py).
for ((r = 1; r <= rounds; r++)); do
  echo "== round $r of $rounds: the target rows again"
  if [[ -n "$baseline" ]] && ((r % 2 == 0)); then round_rows baseline "$r"; fi
  round_rows ours "$r"
  if [[ -n "$baseline" ]] && ((r % 2 == 1)); then round_rows baseline "$r"; fi
done

/usr/bin/python3 "$here/throughput-peers/report.py" "$results" "$root" $( ((smoke)) && echo --smoke) \
  ${baseline:+--baseline "$baseline"}
if ((failed)); then
  echo "some runs failed or did not count as expected (see above)" >&2
  exit 1
fi
