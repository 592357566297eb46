# Sourced by run-throughput-bench.sh --profile S: where a fresh gateway spends
# its time under 16 closed-loop connections. perf samples on-CPU time
# (cpu-clock: this VM has no hardware counters) with DWARF call graphs (the
# release build has no frame pointers); perf stat counts the syscalls and
# context switches that on-CPU samples do not show (the gateway mostly waits).

profile_gateway() {
  local seconds=$1
  command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; return 1; }
  start_gateway profile store.groupCommit=true
  "$bin/mllp-load" --port "$gateway_port" --message "$message" "${tls[@]}" --connections 16 \
    --messages 10000000 --seconds "$((2 * seconds + 2))" --label "profiled run" >"$out/profile-load.txt" &
  local load_pid=$!
  sleep 1
  perf stat -e 'syscalls:sys_enter_fdatasync,syscalls:sys_enter_write,context-switches,task-clock' \
    -p "$gateway_pid" -o "$out/profile-stat.txt" -- sleep "$seconds"
  perf record -q -F 299 -e cpu-clock --call-graph dwarf,32768 -p "$gateway_pid" -o "$out/perf.data" \
    -- sleep "$seconds" 2>/dev/null
  wait "$load_pid" || true
  stop_gateway
  {
    cat "$out/profile-load.txt"
    cat "$out/profile-stat.txt"
    echo "== inclusive share of the gateway's on-CPU samples (user-space symbols)"
    perf report -i "$out/perf.data" --children --sort sym -g none --stdio 2>/dev/null |
      grep '%' | grep -v '\[k\]' | head -80
  } >"$out/profile.txt"
  cat "$out/profile.txt"
}
