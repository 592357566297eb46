# Sourced by the test scripts that drive the real executables from a shell
# (tests/sdk-example/run.sh, tests/fhir-clients/run.sh,
# tests/bench/fhir/run-fhir-bench.sh): certificates from our dev CA,
# rtw-board-sim and rtw-gateway on loopback ports, stopped by stop_system
# (call it when the script exits). Needs: source_dir, build_dir, work (a
# scratch folder); sets board_port, mllp_port, https_port and c (the
# certificates' folder).

pids=()
stop_system() {
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# wait_for FILE KEY PID LOG: the port a process wrote to its status file.
wait_for() {
  for _ in $(seq 1 300); do
    if grep -q "^$2=" "$1" 2>/dev/null; then sed -n "s/^$2=//p" "$1"; return 0; fi
    kill -0 "$3" 2>/dev/null || break
    sleep 0.05
  done
  echo "FAIL: no $2 from $4:" >&2; cat "$4" >&2; exit 1
}

# start_board PARTNER...: certificates for the partners (in $work/certs, sets
# c) and the board simulator (its store in $work/board; sets board_port and
# board_pid).
start_board() {
  "$source_dir/certs/make-dev-certs.sh" "$work/certs" "$@" >/dev/null
  c="$work/certs"
  "$build_dir/bin/rtw-board-sim" --home "$source_dir" --port 0 --store "$work/board" \
    --cert "$c/board-sim.pem" --key "$c/board-sim.key" --ca "$c/ca.pem" \
    --status-file "$work/board.status" >"$work/board.log" 2>&1 &
  board_pid=$!
  pids+=("$board_pid")
  board_port=$(wait_for "$work/board.status" board.port "$board_pid" "$work/board.log")
}

# start_gateway DIR SETTING...: a gateway with its journal, status file and
# log in DIR and -DSETTING for each setting (after start_board; sets
# gateway_pid, mllp_port and https_port).
start_gateway() {
  local dir=$1
  shift
  local args=(--home "$source_dir" -Dmllp.port=0 -Dhttps.port=0 -Dplugins.dir="$build_dir/plugins"
    -Dstore.path="$dir/journal.sqlite" -Dstatus.file="$dir/gateway.status"
    -Dtls.certificate="$c/gateway.pem" -Dtls.privateKey="$c/gateway.key" -Dtls.ca="$c/ca.pem"
    -Dboard.url="https://localhost:$board_port" -Dboard.certificate="$c/gateway-client.pem"
    -Dboard.privateKey="$c/gateway-client.key" -Dboard.ca="$c/ca.pem")
  for setting in "$@"; do args+=("-D$setting"); done
  mkdir -p "$dir"
  "$build_dir/bin/rtw-gateway" "${args[@]}" >"$dir/gateway.log" 2>&1 &
  gateway_pid=$!
  pids+=("$gateway_pid")
  mllp_port=$(wait_for "$dir/gateway.status" mllp.port "$gateway_pid" "$dir/gateway.log")
  https_port=$(wait_for "$dir/gateway.status" https.port "$gateway_pid" "$dir/gateway.log")
}

# start_system PARTNER... -- SETTING...: certificates for the partners, the
# board simulator, and a gateway in $work with -DSETTING for each setting.
start_system() {
  local partners=()
  while (($#)) && [[ $1 != -- ]]; do partners+=("$1"); shift; done
  (($#)) && shift
  start_board "${partners[@]}"
  start_gateway "$work" "$@"
}

# board_documents: how many documents the board simulator accepted.
board_documents() {
  local n
  n=$(grep -c '^RTWDOC1 ' "$work/board/documents.log" 2>/dev/null) || true
  echo "${n:-0}"
}
