#!/usr/bin/env bash
# The peers of the throughput benchmark, measured by the same load generator:
# @medplum/hl7's Hl7Server over plain TCP (it has no TLS) with 1, 4 and 16
# connections, and node-hl7-server 2.5.0 over TLS to show the ACK-count check.
# Called by run-throughput-bench.sh, which installs the peers and runs the
# @medplum/hl7 server for the whole benchmark (its rounds measure it again):
#   MEDPLUM_PORT=N run-peers.sh OUT RESULTS_JSONL SECONDS BIN_DIR
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out=$1
results=$2
seconds=${3:-8}
bin=${4:-$root/build/bin}
message="$root/tests/data/hl7/ref-i12-sample.hl7"
modules="$here/../peers/node_modules"

peer_pid=""
trap '[[ -n "$peer_pid" ]] && kill "$peer_pid" 2>/dev/null; wait 2>/dev/null' EXIT

wait_for_peer() {  # wait_for_peer STATUS_FILE: prints the port
  for _ in $(seq 1 200); do
    [[ -f "$1" ]] && grep -q '^peer.port=' "$1" && { cut -d= -f2 "$1"; return 0; }
    kill -0 "$peer_pid" 2>/dev/null || break
    sleep 0.05
  done
  return 1
}

version() { node -e 'console.log(require(process.argv[1]).version)' "$modules/$1/package.json"; }

measure() {  # measure PEER TRANSPORT PORT MLLP_LOAD_ARGS...
  local name=$1 transport=$2 port=$3 output status=0
  shift 3
  output=$("$bin/mllp-load" --host 127.0.0.1 --port "$port" --message "$message" --json "$@") ||
    status=$?
  printf '%s\n' "$output" | grep -v '^RESULT ' | sed 's/^/    /'
  local json
  json=$(printf '%s\n' "$output" | sed -n 's/^RESULT //p')
  echo "{\"kind\":\"peer\",\"peer\":\"$name\",\"transport\":\"$transport\",\"exit\":$status,\"load\":${json:-{\}}}" >>"$results"
}

if [[ -n "${MEDPLUM_PORT:-}" ]]; then
  medplum="@medplum/hl7 $(version @medplum/hl7)"
  for c in 1 4 16; do
    echo "== peer $medplum Hl7Server, buildAck(), plain TCP: $c connection(s)"
    measure "$medplum" tcp "$MEDPLUM_PORT" --connections "$c" --messages 1000000 --seconds "$seconds" \
      --label "$medplum c=$c"
  done
else
  echo "the @medplum/hl7 server is not running (not installed, or see OUT/medplum.log)" >&2
fi

if [[ -f "$modules/node-hl7-server/package.json" ]]; then
  nhs="node-hl7-server $(version node-hl7-server)"
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  rm -f "$out/nhs.status"
  node "$here/node-hl7-server-tls.cjs" "$out/nhs.status" "$port" "$out/certs/gateway.key" \
    "$out/certs/gateway.pem" >"$out/nhs.log" 2>&1 &
  peer_pid=$!
  if port=$(wait_for_peer "$out/nhs.status"); then
    echo "== peer $nhs, TLS, 4 connections (expected: WRONG, more than one ACK per message)"
    measure "$nhs" tls "$port" --host localhost --connections 4 --messages 2000 --seconds 5 --ack-timeout-ms 3000 \
      --cert "$out/certs/partner-clinic01.pem" --key "$out/certs/partner-clinic01.key" \
      --ca "$out/certs/ca.pem" --label "$nhs c=4"
  else
    echo "node-hl7-server did not start (see $out/nhs.log)" >&2
  fi
fi
exit 0
