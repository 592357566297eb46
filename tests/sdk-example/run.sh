#!/usr/bin/env bash
# A plugin built outside the tree: install the SDK from BUILD (cmake --install
# --component sdk), configure and build tests/sdk-example against it alone in
# a scratch folder, then run a referral through it as the gateway translates
# (rtwctl map: the plugin loaded by the plugin host, the partner's mappings,
# the finishing step), and a referral without a diagnosis, which its code refuses;
# then the same through a running rtw-gateway: the plugin loaded from its own
# folder beside the generic one, the two referrals sent over MLLP/TLS, the
# first acknowledged (CA, AA) and delivered to rtw-board-sim, the second
# answered AE with the plugin's reason.
#   tests/sdk-example/run.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir="$1"
build_dir="$2"
work="$(mktemp -d)"
# shellcheck source=../support/system.sh
source "$source_dir/tests/support/system.sh"
trap 'stop_system; rm -rf "$work"' EXIT

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

# The running gateway: clinic01 alone, with the example plugin from its own
# folder (linked beside the tree's plugins), the board simulator on loopback.
mkdir -p "$work/plugins"
ln -s "$work/build/libexample-partner.so" "$work/plugins/"
start_system clinic01 -- partners.dir="$work/partners" plugins.dir="$work/plugins"
# The log is written by a thread in bursts: the line may follow the status file.
for _ in $(seq 1 100); do
  grep -q "partner clinic01 uses plugin example-partner" "$work/gateway.log" && break
  sleep 0.05
done
grep -q "partner clinic01 uses plugin example-partner" "$work/gateway.log" \
  || { echo "FAIL: the gateway did not load the example plugin:"; cat "$work/gateway.log"; exit 1; }
send() {
  "$build_dir/bin/rtwctl" send --mllp "localhost:$mllp_port" --cert "$c/partner-clinic01.pem" \
    --key "$c/partner-clinic01.key" --ca "$c/ca.pem" "$@"
}
referral="$source_dir/tests/data/hl7/ref-i12-sample.hl7"
send "$referral" >"$work/sent.txt" 2>&1 || { echo "FAIL: the referral was not acknowledged:"; cat "$work/sent.txt"; exit 1; }
grep -q "MSA|CA|MSG0001" "$work/sent.txt" && grep -q "MSA|AA|MSG0001" "$work/sent.txt" \
  || { cat "$work/sent.txt"; exit 1; }
# The board holds the document before the gateway records the delivery: wait for both.
state() { sqlite3 "$work/journal.sqlite" "SELECT state FROM messages WHERE control_id = 'MSG0001'"; }
for _ in $(seq 1 200); do
  [[ "$(board_documents)" == 1 && "$(state)" == delivered ]] && break
  sleep 0.05
done
[[ "$(state)" == delivered && "$(board_documents)" == 1 ]] \
  || { echo "FAIL: the referral was not delivered once:"; cat "$work/gateway.log"; exit 1; }
sed -e 's/^DG1|\([^|]*\)|\([^|]*\)|[^|]*/DG1|\1|\2|/' -e 's/MSG0001/MSG0002/' "$referral" \
  >"$work/no-diagnosis-sent.hl7"
if send "$work/no-diagnosis-sent.hl7" >"$work/refused.txt" 2>&1; then
  echo "FAIL: the gateway accepted the referral without a diagnosis:"; cat "$work/refused.txt"; exit 1
fi
grep -q "MSA|AE|MSG0002" "$work/refused.txt" && grep -q "DG1-3 (diagnosis) is required" "$work/refused.txt" \
  || { echo "FAIL: not the plugin's AE:"; cat "$work/refused.txt"; exit 1; }
echo "sdk example: installed SDK, out-of-tree plugin built, loaded by rtwctl map and by a running"
echo "gateway; a referral translated, sent over MLLP/TLS and delivered to the board; one refused (AE)"
