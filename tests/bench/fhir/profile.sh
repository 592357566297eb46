# shellcheck shell=bash
# Sourced by run-fhir-bench.sh --profile S: where a fresh gateway spends its
# time under the closed loop (16 connections), in three views:
# - CPU per create by thread over the whole run (the load, then the drain
#   until every create is at the board), from /proc, with the board
#   simulator's and the generator's beside it: what one create costs the
#   machine, the second translation and the delivery included;
# - perf's on-CPU samples during the load (cpu-clock: this VM has no hardware
#   counters; DWARF call graphs: the release build has no frame pointers),
#   split into stages by profile_split.py, then the top symbols;
# - perf stat: the syscalls and context switches on-CPU samples do not show.

# cpu_ticks PID: utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# thread_cpu PID: "comm ticks" for each thread name of a process, summed.
thread_cpu() {
  local task
  for task in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(tr ' ' '_' <"$task/comm")" "$(awk '{print $14 + $15}' "$task/stat")"
  done | awk '{t[$1] += $2} END {for (c in t) print c, t[c]}'
}

profile_gateway() {
  local seconds=$1
  command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; return 1; }
  local board_before board_ticks hz
  hz=$(getconf CLK_TCK)
  board_before=$(board_documents)
  fresh_gateway profile
  board_ticks=$(cpu_ticks "$board_pid")
  node "$here/fhir-load.mjs" --url "$gateway_url" --resource "$resource" "${tls[@]}" --connections 16 \
    --seconds "$((2 * seconds + 3))" --label "profiled run" --json >"$out/profile-load.txt" &
  local load_pid=$!
  sleep 1
  perf stat -e 'syscalls:sys_enter_fdatasync,syscalls:sys_enter_write,syscalls:sys_enter_epoll_create,syscalls:sys_enter_epoll_create1,context-switches,task-clock' \
    -p "$gateway_pid" -o "$out/profile-stat.txt" -- sleep "$seconds"
  perf record -q -F 499 -e cpu-clock --call-graph dwarf,32768 -p "$gateway_pid" -o "$out/perf.data" \
    -- sleep "$seconds" 2>/dev/null
  wait "$load_pid" || true
  sed -n 's/^RESULT \(.*\)$/{"kind":"profile","round":0,"load":\1}/p' "$out/profile-load.txt" >>"$results"
  last_created=$(sed -n 's/^RESULT .*"created":\([0-9]*\).*/\1/p' "$out/profile-load.txt")
  drain profile-drain 120 "$board_before"
  thread_cpu "$gateway_pid" >"$out/profile-threads.txt"
  board_ticks=$(($(cpu_ticks "$board_pid") - board_ticks))
  stop_gateway
  local generator_seconds
  generator_seconds=$(sed -n 's/^RESULT .*"seconds":\([0-9.]*\).*"generator_cpu_percent":\([0-9.]*\).*/\1 \2/p' \
    "$out/profile-load.txt" | awk '{print $1 * $2 / 100}')

  perf report -i "$out/perf.data" --sort comm -g none --stdio >"$out/report-comm.txt" 2>/dev/null || true
  perf report -i "$out/perf.data" --children --sort sym -g none --stdio >"$out/report-children.txt" 2>/dev/null || true
  perf report -i "$out/perf.data" --no-children --sort dso,sym -g none --stdio >"$out/report-self.txt" 2>/dev/null || true
  perf script -i "$out/perf.data" -F comm,ip,sym 2>/dev/null | /usr/bin/python3 "$here/profile_split.py" \
    >"$out/report-stages.txt" || true
  {
    grep -v '^RESULT' "$out/profile-load.txt"
    echo
    echo "== CPU per create over the whole run (the load, then the drain: $last_created creates)"
    echo
    echo "| thread | CPU s | µs per create |"
    echo "|---|--:|--:|"
    sort -k2 -nr "$out/profile-threads.txt" | awk -v hz="$hz" -v n="$last_created" \
      '{printf "| gateway: %s | %.2f | %.0f |\n", $1, $2 / hz, 1e6 * $2 / hz / n; total += $2}
       END {printf "| **gateway, all threads** | %.2f | %.0f |\n", total / hz, 1e6 * total / hz / n}'
    awk -v t="$board_ticks" -v hz="$hz" -v n="$last_created" \
      'BEGIN {printf "| board simulator | %.2f | %.0f |\n", t / hz, 1e6 * t / hz / n}'
    awk -v s="$generator_seconds" -v n="$last_created" \
      'BEGIN {printf "| generator (during the load) | %.2f | %.0f |\n", s, 1e6 * s / n}'
    echo
    cat "$out/profile-stat.txt"
    echo "== the gateway's on-CPU samples during the load, by stage (profile_split.py)"
    cat "$out/report-stages.txt"
    echo "== by thread"
    grep '%' "$out/report-comm.txt" | head -20 || true
    echo "== inclusive share (user-space symbols)"
    grep '%' "$out/report-children.txt" | grep -v '\[k\]' | head -100 || true
    echo "== self share (every symbol, kernel included)"
    grep '%' "$out/report-self.txt" | head -50 || true
  } >"$out/profile.txt"
  cat "$out/profile.txt"
}
