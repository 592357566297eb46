# Sourced by the peers' install scripts: installs pinned npm packages that are
# missing (or at another version) into the git-ignored scratch folder
# tests/bench/peers/, shared by all benchmarks.
#   install_npm_peers SPEC...   e.g. "@medplum/hl7@5.0.10"; returns 1 when npm
#                               is missing or the install failed

npm_scratch="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/peers"

installed_npm_version() {  # the installed version of an npm package, or nothing
  local manifest="$npm_scratch/node_modules/$1/package.json"
  [[ -f "$manifest" ]] && node -e 'console.log(require(process.argv[1]).version)' "$manifest"
}

install_npm_peers() {
  local missing=() spec
  for spec in "$@"; do
    if [[ "$(installed_npm_version "${spec%@*}" 2>/dev/null || true)" != "${spec##*@}" ]]; then
      missing+=("$spec")
    fi
  done
  ((${#missing[@]})) || return 0
  if ! command -v npm >/dev/null; then
    echo "install.sh: npm is not installed (apt-get install -y npm)" >&2
    return 1
  fi
  mkdir -p "$npm_scratch"
  [[ -f "$npm_scratch/package.json" ]] ||
    echo '{"name":"rtw-bench-peers","private":true}' >"$npm_scratch/package.json"
  echo "install.sh: npm install ${missing[*]} into $npm_scratch"
  npm install --prefix "$npm_scratch" --no-audit --no-fund --loglevel=error "${missing[@]}"
}
