#!/usr/bin/env bash
# Creates a development CA and ECDSA P-256 certificates with the openssl CLI:
#   ca.pem/ca.key               the dev certificate authority
#   gateway.pem/.key            the gateway's server certificate (localhost)
#   gateway-client.pem/.key     the gateway's client certificate towards the board
#   board-sim.pem/.key          the board simulator's server certificate (localhost)
#   partner-<id>.pem/.key       one client certificate per partner
#   elsewhere.pem/.key          a server certificate for another host (elsewhere.rtw.test):
#                               the tests of our clients' host-name check
# Usage: certs/make-dev-certs.sh [OUT_DIR] [PARTNER_ID...]
# OUT_DIR defaults to certs/dev. Existing files are kept, so running it again makes only
# what is missing (a partner added since; delete a file or the folder to renew it).
# Partner ids default to the partners in the partner folder ($RTW_PARTNERS_DIR, default
# conf/partners/). A partner's certificate carries what its file's "certificates" match:
# the first "commonName" as subject CN (default <id>.partners.rtw.test) and every "dns",
# "uri" and "email" as subjectAltName. Nothing here is for production.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/dev}
shift || true
partner_dir=${RTW_PARTNERS_DIR:-$here/../conf/partners}
[ -d "$partner_dir" ] && partner_dir=$(cd "$partner_dir" && pwd)
partners=("$@")
if [ ${#partners[@]} -eq 0 ]; then
  for f in "$partner_dir"/*.json; do
    [ -e "$f" ] && partners+=("$(basename "$f" .json)")
  done
fi
days=825
mkdir -p "$out"
chmod 700 "$out"
cd "$out"

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; chmod 600 "$1"; }

if [ ! -f ca.pem ]; then
  newkey ca.key
  openssl req -x509 -new -key ca.key -sha256 -days "$days" -subj "/O=RTW Gateway Dev/CN=RTW Dev CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out ca.pem
fi

# issue NAME CN EXTENSIONS: a leaf certificate signed by the dev CA.
issue() {
  local name=$1 cn=$2 ext=$3
  [ -f "$name.pem" ] && return 0
  newkey "$name.key"
  openssl req -new -key "$name.key" -subj "/O=RTW Gateway Dev/CN=$cn" -out "$name.csr"
  printf '%s\n' "$ext" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 \
    -days "$days" -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

server_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"
client_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"

issue gateway localhost "$server_ext"
issue board-sim localhost "$server_ext"
issue gateway-client rtw-gateway "$client_ext"
issue elsewhere elsewhere.rtw.test "${server_ext%%subjectAltName=*}subjectAltName=DNS:elsewhere.rtw.test"
# values KEY FILE: every "KEY": "VALUE" of a partner file, one per line (comment lines skipped).
values() {
  [ -f "$2" ] || return 0
  sed '/^[[:space:]]*\/\//d' "$2" | grep -o "\"$1\"[[:space:]]*:[[:space:]]*\"[^\"]*\"" |
    sed 's/.*:[[:space:]]*"\(.*\)"$/\1/' || true
}

for id in "${partners[@]}"; do
  file=$partner_dir/$id.json
  cn=$(values commonName "$file" | head -n 1)
  alt=""
  while read -r name; do [ -n "$name" ] && alt+="${alt:+,}DNS:$name"; done < <(values dns "$file")
  while read -r name; do [ -n "$name" ] && alt+="${alt:+,}URI:$name"; done < <(values uri "$file")
  while read -r name; do [ -n "$name" ] && alt+="${alt:+,}email:$name"; done < <(values email "$file")
  ext=$client_ext
  [ -n "$alt" ] && ext+=$'\n'"subjectAltName=$alt"
  if [ ! -f "partner-$id.pem" ]; then
    issue "partner-$id" "${cn:-$id.partners.rtw.test}" "$ext"
    echo "made partner-$id.pem"
  fi
done
echo "certificates in $out"
