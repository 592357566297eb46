#!/usr/bin/env bash
# A plugin built outside the tree: install the SDK from BUILD (cmake --install
# --component sdk), configure and build tests/sdk-example against it alone in
# a scratch folder, then run a referral through it as the gateway translates
# (rtwctl map: the plugin loaded by the plugin host, the partner's mappings,
# the finishing step), and a referral without a diagnosis, which its code refuses.
#   tests/sdk-example/run.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir="$1"
build_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --component sdk --prefix "$work/sdk" >/dev/null
test -f "$work/sdk/lib/cmake/RtwPluginSdk/RtwPluginSdkConfig.cmake"
test -f "$work/sdk/include/rtw/sdk/plugin.h"
# Nothing of the gateway's tree on the plugin's include path: a copy of its folder.
cp -r "$source_dir/tests/sdk-example" "$work/src"
cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/sdk" >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
test -f "$work/build/libexample-partner.so"

# clinic01's entry with the example plugin instead of the generic one.
mkdir -p "$work/partners"
sed 's/"plugin": "generic"/"plugin": "example-partner"/' "$source_dir/conf/partners/clinic01.json" \
  >"$work/partners/clinic01.json"
grep -q '"example-partner"' "$work/partners/clinic01.json"
map() {
  (cd "$source_dir" && "$build_dir/bin/rtwctl" map --partner clinic01 --partners "$work/partners" \
    --plugins "$work/build" --today 2025-03-01 "$@")
}
sample="$source_dir/tests/golden/clinic01/spec-sample-referral.hl7"
map "$sample" >"$work/referral.xml" 2>"$work/map.log" || { cat "$work/map.log"; exit 1; }
grep -q "<Referral" "$work/referral.xml"
grep -q "<claimNumber>" "$work/referral.xml"

# The plugin's own code: no diagnosis (DG1-3), refused before the mapping.
sed 's/^DG1|\([^|]*\)|\([^|]*\)|[^|]*/DG1|\1|\2|/' "$sample" >"$work/no-diagnosis.hl7"
if map "$work/no-diagnosis.hl7" >/dev/null 2>"$work/refused.log"; then
  echo "FAIL: the referral without a diagnosis was accepted"; exit 1
fi
grep -q "example-partner: DG1-3 (diagnosis) is required" "$work/refused.log" \
  || { cat "$work/refused.log"; exit 1; }
echo "sdk example: installed SDK, out-of-tree plugin built, loaded, a referral translated and one refused"
