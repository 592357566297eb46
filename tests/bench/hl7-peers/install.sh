#!/usr/bin/env bash
# Installs the HL7 v2 peers the benchmark compares against, only what is
# missing: the npm peers into the git-ignored scratch folder tests/bench/peers/
# and Debian's python3-hl7 with apt. Versions are pinned so reruns compare the
# same code. simple-hl7 is only run by the benchmark, never linked or copied.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scratch="$(cd "$here/.." && pwd)/peers"

npm_peers=(
  "@medplum/core@5.2.13"
  "node-hl7-client@4.0.0"
  "simple-hl7@3.3.0"
  "@redoxengine/redox-hl7-v2@1.0.1"
)

installed_version() {  # prints the installed version of an npm package, or nothing
  local manifest="$scratch/node_modules/$1/package.json"
  [[ -f "$manifest" ]] && node -e 'console.log(require(process.argv[1]).version)' "$manifest"
}

missing=()
for spec in "${npm_peers[@]}"; do
  name="${spec%@*}"
  want="${spec##*@}"
  if [[ "$(installed_version "$name" || true)" != "$want" ]]; then
    missing+=("$spec")
  fi
done

if ((${#missing[@]})); then
  command -v npm >/dev/null || { echo "install.sh: npm is not installed (apt-get install -y npm)" >&2; exit 1; }
  mkdir -p "$scratch"
  [[ -f "$scratch/package.json" ]] || echo '{"name":"rtw-bench-peers","private":true}' >"$scratch/package.json"
  echo "install.sh: npm install ${missing[*]} into $scratch"
  npm install --prefix "$scratch" --no-audit --no-fund --loglevel=error "${missing[@]}"
fi

if ! /usr/bin/python3 -c 'import hl7' 2>/dev/null; then
  echo "install.sh: apt-get install -y python3-hl7"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y python3-hl7 || { apt-get update && apt-get install -y python3-hl7; }
  else
    sudo apt-get install -y python3-hl7
  fi
fi

echo "install.sh: peers ready (npm: $scratch/node_modules, python: $(/usr/bin/python3 -c 'import hl7; print(hl7.__file__)'))"
