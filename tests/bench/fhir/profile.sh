# shellcheck shell=bash
# Sourced by run-fhir-bench.sh --profile S: where a fresh gateway spends its
# time under the closed loop (16 connections). perf samples on-CPU time
# (cpu-clock: this VM has no hardware counters) with DWARF call graphs (the
# release build has no frame pointers); perf stat counts the syscalls and
# context switches on-CPU samples do not show. The report gives the share of
# each thread (comm), the inclusive share of user-space symbols, and the
# self share of every symbol (kernel included).

profile_gateway() {
  local seconds=$1
  command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; return 1; }
  local board_before
  board_before=$(board_documents)
  fresh_gateway profile
  node "$here/fhir-load.mjs" --url "$gateway_url" --resource "$resource" "${tls[@]}" --connections 16 \
    --seconds "$((2 * seconds + 3))" --label "profiled run" --json >"$out/profile-load.txt" &
  local load_pid=$!
  sleep 1
  perf stat -e 'syscalls:sys_enter_fdatasync,syscalls:sys_enter_write,syscalls:sys_enter_writev,context-switches,task-clock' \
    -p "$gateway_pid" -o "$out/profile-stat.txt" -- sleep "$seconds"
  perf record -q -F 499 -e cpu-clock --call-graph dwarf,32768 -p "$gateway_pid" -o "$out/perf.data" \
    -- sleep "$seconds" 2>/dev/null
  wait "$load_pid" || true
  sed -n 's/^RESULT //p' "$out/profile-load.txt" | sed 's/^\(.*\)$/{"kind":"profile","load":\1}/' >>"$results"
  last_created=$(sed -n 's/^RESULT .*"created":\([0-9]*\).*/\1/p' "$out/profile-load.txt")
  drain profile-drain 60 "$board_before"
  stop_gateway
  {
    grep -v '^RESULT' "$out/profile-load.txt"
    cat "$out/profile-stat.txt"
    echo "== share of the gateway's on-CPU samples by thread"
    perf report -i "$out/perf.data" --sort comm -g none --stdio 2>/dev/null | grep '%' | head -20
    echo "== inclusive share of the gateway's on-CPU samples (user-space symbols)"
    perf report -i "$out/perf.data" --children --sort sym -g none --stdio 2>/dev/null |
      grep '%' | grep -v '\[k\]' | head -120
    echo "== self share (every symbol, kernel included)"
    perf report -i "$out/perf.data" --no-children --sort dso,sym -g none --stdio 2>/dev/null |
      grep '%' | head -60
  } >"$out/profile.txt"
  cat "$out/profile.txt"
}
