# Sourced by the test scripts that drive the real executables from a shell
# (tests/sdk-example/run.sh, tests/fhir-clients/run.sh): certificates from
# our dev CA, rtw-board-sim and rtw-gateway on loopback ports, stopped when
# the script exits. Needs: source_dir, build_dir, work (a scratch folder);
# sets board_port, mllp_port, https_port and c (the certificates' folder).

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
  echo "FAIL: no $2 from $4:"; cat "$4"; exit 1
}

# start_system PARTNER... -- SETTING...: certificates for the partners, the
# board simulator, and a gateway with -DSETTING for each setting.
start_system() {
  local partners=() settings=()
  while (($#)) && [[ $1 != -- ]]; do partners+=("$1"); shift; done
  (($#)) && shift
  settings=("$@")
  "$source_dir/certs/make-dev-certs.sh" "$work/certs" "${partners[@]}" >/dev/null
  c="$work/certs"
  "$build_dir/bin/rtw-board-sim" --home "$source_dir" --port 0 --store "$work/board" \
    --cert "$c/board-sim.pem" --key "$c/board-sim.key" --ca "$c/ca.pem" \
    --status-file "$work/board.status" >"$work/board.log" 2>&1 &
  pids+=($!)
  board_port=$(wait_for "$work/board.status" board.port $! "$work/board.log")
  local args=(--home "$source_dir" -Dmllp.port=0 -Dhttps.port=0 -Dplugins.dir="$build_dir/plugins"
    -Dstore.path="$work/journal.sqlite" -Dstatus.file="$work/gateway.status"
    -Dtls.certificate="$c/gateway.pem" -Dtls.privateKey="$c/gateway.key" -Dtls.ca="$c/ca.pem"
    -Dboard.url="https://localhost:$board_port" -Dboard.certificate="$c/gateway-client.pem"
    -Dboard.privateKey="$c/gateway-client.key" -Dboard.ca="$c/ca.pem")
  for setting in "${settings[@]}"; do args+=("-D$setting"); done
  "$build_dir/bin/rtw-gateway" "${args[@]}" >"$work/gateway.log" 2>&1 &
  pids+=($!)
  mllp_port=$(wait_for "$work/gateway.status" mllp.port $! "$work/gateway.log")
  https_port=$(wait_for "$work/gateway.status" https.port $! "$work/gateway.log")
}

# board_documents: how many documents the board simulator accepted.
board_documents() { grep -c '^RTWDOC1 ' "$work/board/documents.log" 2>/dev/null || echo 0; }
