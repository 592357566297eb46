#!/usr/bin/env bash
# End-to-end delivery rate on this machine: rtw-gateway and rtw-board-sim on
# loopback, N referrals sent by P parallel rtwctl clients (original mode), and
# the time until the board simulator holds every document.
#
#   tests/bench/boardsim/e2e-delivery.sh [--messages 20000] [--senders 8] [--workers 4]
#
# Prints intake (ACKs/s) and delivery (documents/s from the first message sent
# to the last document on the board's disk). Builds nothing (build/bin).
set -euo pipefail
cd "$(dirname "$0")/../../.."
messages=20000 senders=8 workers=4
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) messages=$2; shift 2 ;;
    --senders) senders=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d -p "$PWD/build" e2e-delivery.XXXXXX)  # a real disk, not a tmpfs
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

certs/make-dev-certs.sh "$work/certs" clinic01 >/dev/null 2>&1
c=$work/certs
build/bin/rtw-board-sim --home . --port 0 --store "$work/board" --cert "$c/board-sim.pem" \
  --key "$c/board-sim.key" --ca "$c/ca.pem" --status-file "$work/board.status" \
  >"$work/board.log" 2>&1 &
pids+=($!)
until grep -q board.port "$work/board.status" 2>/dev/null; do sleep 0.1; done
board_port=$(sed -n 's/board.port=//p' "$work/board.status")

build/bin/rtw-gateway --home . -Dmllp.port=0 -Dhttps.port=0 -Dstore.path="$work/journal.sqlite" \
  -Dplugins.dir=build/plugins -Dtls.certificate="$c/gateway.pem" -Dtls.privateKey="$c/gateway.key" \
  -Dtls.ca="$c/ca.pem" -Dboard.url="https://localhost:$board_port" \
  -Dboard.certificate="$c/gateway-client.pem" -Dboard.privateKey="$c/gateway-client.key" \
  -Dboard.ca="$c/ca.pem" -Ddelivery.workers="$workers" -Dstatus.file="$work/gateway.status" \
  >"$work/gateway.log" 2>&1 &
pids+=($!)
until grep -q mllp.port "$work/gateway.status" 2>/dev/null; do sleep 0.1; done
mllp_port=$(sed -n 's/mllp.port=//p' "$work/gateway.status")

# Referrals in original mode (one AA each), control ids unique per sender.
per_sender=$((messages / senders))
for s in $(seq 1 "$senders"); do
  awk -v n="$per_sender" -v s="$s" 'BEGIN { RS = "\0" } {
    sub(/\|P\|2\.5\|\|\|AL\|AL/, "|P|2.5"); m = $0
    for (i = 1; i <= n; i++) { x = m; sub(/MSG0001/, "E" s "-" i, x); printf "%s\n\n", x }
  }' tests/data/hl7/ref-i12-sample.hl7 >"$work/send-$s.hl7"
done
total=$((per_sender * senders))

count_board() { grep -c '^RTWDOC1 ' "$work/board/documents.log" 2>/dev/null || echo 0; }
start=$(date +%s.%N)
send_pids=()
for s in $(seq 1 "$senders"); do
  build/bin/rtwctl send --mllp "localhost:$mllp_port" --cert "$c/partner-clinic01.pem" \
    --key "$c/partner-clinic01.key" --ca "$c/ca.pem" "$work/send-$s.hl7" >/dev/null &
  send_pids+=($!)
done
for pid in "${send_pids[@]}"; do wait "$pid"; done
acked=$(date +%s.%N)
until [ "$(count_board)" -ge "$total" ]; do sleep 0.05; done
done_at=$(date +%s.%N)

awk -v n="$total" -v s="$start" -v a="$acked" -v d="$done_at" -v p="$senders" -v w="$workers" \
  'BEGIN { printf "messages=%d senders=%d delivery.workers=%d intake=%.0f ACKs/s delivery=%.0f documents/s (%.1f s)\n",
           n, p, w, n / (a - s), n / (d - s), d - s }'
