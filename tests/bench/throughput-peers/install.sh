#!/usr/bin/env bash
# Installs the MLLP servers the throughput benchmark compares against, only
# what is missing, into the git-ignored scratch folder tests/bench/peers/
# (shared with tests/bench/hl7-peers/install.sh). Versions are pinned so reruns
# compare the same code. Exits 0 with a warning when they cannot be installed
# (no npm, registry unreachable): the benchmark then runs without the peer rows.
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/npm-peers.sh"

if ! install_npm_peers "@medplum/hl7@5.0.10" "node-hl7-server@2.5.0"; then
  echo "install.sh: peers skipped" >&2
  exit 0
fi
echo "install.sh: throughput peers ready in $npm_scratch/node_modules"
