#!/usr/bin/env bash
# testssl.sh (Debian's 3.0.8) against each of the gateway's TLS listeners —
# MLLP and the partner HTTPS listener — started with the dev certificates:
# protocols, cipher categories, each cipher per protocol, server defaults and
# every vulnerability check; then check-testssl.py holds the findings to the
# baseline of SECURITY.md (Mozilla "intermediate"). The JSON of each run is
# kept in BUILD_DIR/testssl/ for SECURITY.md. Exits 77 (CTest: skipped),
# saying why, when testssl.sh is not installed.
#   tests/security/run-testssl.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir="$1"
build_dir="$2"
if ! command -v testssl >/dev/null; then
  echo "SKIPPED: testssl.sh is not installed (apt-get install testssl.sh; scripts/setup does)"
  exit 77
fi
work="$(mktemp -d)"
out="$build_dir/testssl"
mkdir -p "$out"
# shellcheck source=../support/system.sh
source "$source_dir/tests/support/system.sh"
trap 'stop_system; rm -rf "$work"' EXIT

start_system westcoast-fhir
status=0
for listener in "mllp:$mllp_port" "https:$https_port"; do
  name="${listener%%:*}"
  port="${listener#*:}"
  rm -f "$out/$name.json"
  # testssl's own exit code counts findings of any severity (the dev CA is
  # self-signed, a CRL/OCSP URI is absent): the checker decides.
  testssl --quiet --color 0 --warnings off --fast --protocols --std --each-cipher \
    --server-defaults --vulnerable --jsonfile "$out/$name.json" "localhost:$port" \
    >"$out/$name.txt" 2>&1 || true
  python3 "$source_dir/tests/security/check-testssl.py" "$name" "$out/$name.json" || status=1
done
exit "$status"
