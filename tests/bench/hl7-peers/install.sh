#!/usr/bin/env bash
# Installs the HL7 v2 peers the benchmark compares against, only what is
# missing: the npm peers into the git-ignored scratch folder tests/bench/peers/
# and Debian's python3-hl7 with apt. Versions are pinned so reruns compare the
# same code. simple-hl7 is only run by the benchmark, never linked or copied.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/npm-peers.sh"

install_npm_peers "@medplum/core@5.2.13" "node-hl7-client@4.0.0" "simple-hl7@3.3.0" \
  "@redoxengine/redox-hl7-v2@1.0.1"

if ! /usr/bin/python3 -c 'import hl7' 2>/dev/null; then
  echo "install.sh: apt-get install -y python3-hl7"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y python3-hl7 || { apt-get update && apt-get install -y python3-hl7; }
  else
    sudo apt-get install -y python3-hl7
  fi
fi

echo "install.sh: peers ready (npm: $npm_scratch/node_modules, python: $(/usr/bin/python3 -c 'import hl7; print(hl7.__file__)'))"
