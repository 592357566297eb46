#!/usr/bin/env bash
# Real FHIR clients, unchanged, against a running rtw-gateway's FHIR endpoint
# over mutual TLS (westcoast-fhir's certificate): fhir-kit-client (node,
# client.mjs: create, read, a 422, a transaction and a batch; what it
# receives validated against the official R4 JSON schema) and curl (metadata, create, conditional create twice, read, 422,
# a create and a read in XML).
# Installs the pinned npm packages into tests/fhir-clients/node_modules
# (git-ignored) when missing; exits 77 (CTest: skipped), saying why, when the
# npm registry cannot be reached.
#   tests/fhir-clients/run.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir="$1"
build_dir="$2"
here="$source_dir/tests/fhir-clients"
work="$(mktemp -d)"
# shellcheck source=../support/system.sh
source "$source_dir/tests/support/system.sh"
trap 'stop_system; rm -rf "$work"' EXIT

if [[ ! -d "$here/node_modules/fhir-kit-client" ]]; then
  if ! (cd "$here" && npm ci --no-audit --no-fund >"$work/npm.log" 2>&1); then
    echo "SKIPPED: the pinned FHIR clients could not be installed from the npm registry:"
    tail -5 "$work/npm.log"
    exit 77
  fi
fi

start_system westcoast-fhir
base="https://localhost:$https_port/fhir"
referral="$source_dir/tests/golden/westcoast-fhir/servicerequest-referral.json"
node "$here/client.mjs" "$base" "$c/partner-westcoast-fhir.pem" "$c/partner-westcoast-fhir.key" \
  "$c/ca.pem" "$referral"

fail() { echo "FAIL: $*"; exit 1; }
curl_fhir() {
  curl -sS --cacert "$c/ca.pem" --cert "$c/partner-westcoast-fhir.pem" \
    --key "$c/partner-westcoast-fhir.key" -o "$work/body" -D "$work/head" -w '%{http_code}' "$@"
}
[[ $(curl_fhir "$base/metadata") == 200 ]] || fail "GET /metadata"
grep -q '"fhirVersion":"4.0.1"' "$work/body" || fail "the CapabilityStatement's fhirVersion"
condition='identifier=https://westcoast.example/referrals|WC-2026-0042'
status=$(curl_fhir -H 'Content-Type: application/fhir+json' -H "If-None-Exist: $condition" \
  --data-binary @"$referral" "$base/ServiceRequest")
[[ $status == 201 ]] || fail "conditional create: $status"
location=$(tr -d '\r' <"$work/head" | sed -n 's/^Location: //p')
[[ $location == "https://127.0.0.1:$https_port/fhir/ServiceRequest/"*"/_history/1" ]] \
  || fail "Location: $location"
status=$(curl_fhir -H 'Content-Type: application/fhir+json' -H "If-None-Exist: $condition" \
  --data-binary @"$referral" "$base/ServiceRequest")
[[ $status == 200 ]] || fail "the same conditional create again: $status"
[[ $(tr -d '\r' <"$work/head" | sed -n 's/^Location: //p') == "$location" ]] || fail "another Location"
id="${location##*/ServiceRequest/}"
id="${id%/_history/1}"
[[ $(curl_fhir "$base/ServiceRequest/$id") == 200 ]] || fail "read back"
ours='{"identifier":{"system":"https://rtw.test/sid/bc-clinic","value":"WESTCOASTPT"}}'
status=$(curl_fhir -H 'Content-Type: application/fhir+json' \
  --data "{\"resourceType\":\"ServiceRequest\",\"performer\":[$ours]}" "$base/ServiceRequest")
[[ $status == 422 ]] || fail "a ServiceRequest with nothing but its clinic: $status"
grep -q '"resourceType":"OperationOutcome"' "$work/body" || fail "its OperationOutcome"
# The referral in XML (as another implementation writes it): 201 in XML, read back in XML.
status=$(curl_fhir -H 'Content-Type: application/fhir+xml' \
  --data-binary @"$source_dir/tests/data/fhir/servicerequest-referral.xml" "$base/ServiceRequest")
[[ $status == 201 ]] || fail "create in XML: $status"
tr -d '\r' <"$work/head" | grep -qx 'Content-Type: application/fhir+xml; charset=utf-8' \
  || fail "the XML answer's Content-Type"
location=$(tr -d '\r' <"$work/head" | sed -n 's/^Location: //p')
[[ $(curl_fhir -H 'Accept: application/fhir+xml' "${location%/_history/1}") == 200 ]] \
  || fail "read back in XML"
grep -q '<ServiceRequest xmlns="http://hl7.org/fhir">' "$work/body" || fail "the resource in XML"
# fhir-kit-client's create, transaction and batch (one referral each), curl's
# create and its create in XML.
for _ in $(seq 1 200); do
  (($(board_documents) >= 5)) && break
  sleep 0.05
done
(($(board_documents) == 5)) || fail "$(board_documents) documents at the board, 5 expected"
echo "curl: metadata, create, conditional create twice (201, 200, same Location), read, 422," \
  "create and read in XML"
