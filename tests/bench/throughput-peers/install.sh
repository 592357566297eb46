#!/usr/bin/env bash
# Installs the MLLP servers the throughput benchmark compares against, only
# what is missing, into the git-ignored scratch folder tests/bench/peers/
# (shared with tests/bench/hl7-peers/install.sh). Versions are pinned so reruns
# compare the same code. Exits 0 with a warning when the registry cannot be
# reached: the benchmark then runs without the peer rows.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scratch="$(cd "$here/.." && pwd)/peers"

npm_peers=(
  "@medplum/hl7@5.0.10"
  "node-hl7-server@2.5.0"
)

installed_version() {  # prints the installed version of an npm package, or nothing
  local manifest="$scratch/node_modules/$1/package.json"
  [[ -f "$manifest" ]] && node -e 'console.log(require(process.argv[1]).version)' "$manifest"
}

missing=()
for spec in "${npm_peers[@]}"; do
  name="${spec%@*}"
  want="${spec##*@}"
  if [[ "$(installed_version "$name" 2>/dev/null || true)" != "$want" ]]; then
    missing+=("$spec")
  fi
done

if ((${#missing[@]})); then
  if ! command -v npm >/dev/null; then
    echo "install.sh: npm is not installed (apt-get install -y npm); peers skipped" >&2
    exit 0
  fi
  mkdir -p "$scratch"
  [[ -f "$scratch/package.json" ]] || echo '{"name":"rtw-bench-peers","private":true}' >"$scratch/package.json"
  echo "install.sh: npm install ${missing[*]} into $scratch"
  if ! npm install --prefix "$scratch" --no-audit --no-fund --loglevel=error "${missing[@]}"; then
    echo "install.sh: npm install failed (registry unreachable?); peers skipped" >&2
    exit 0
  fi
fi
echo "install.sh: throughput peers ready in $scratch/node_modules"
