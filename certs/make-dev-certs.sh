#!/usr/bin/env bash
# Creates a development CA and ECDSA P-256 certificates with the openssl CLI:
#   ca.pem/ca.key               the dev certificate authority
#   gateway.pem/.key            the gateway's server certificate (localhost)
#   gateway-client.pem/.key     the gateway's client certificate towards the board
#   board-sim.pem/.key          the board simulator's server certificate (localhost)
#   partner-<id>.pem/.key       one client certificate per sample partner
# Usage: certs/make-dev-certs.sh [OUT_DIR] [PARTNER_ID...]
# OUT_DIR defaults to certs/dev; existing files are kept (delete the folder to renew).
# Partner ids default to the partners in conf/partners/. Nothing here is for production.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/dev}
shift || true
partners=("$@")
if [ ${#partners[@]} -eq 0 ]; then
  for f in "$here"/../conf/partners/*.json; do
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
for id in "${partners[@]}"; do
  issue "partner-$id" "$id.partners.rtw.test" "$client_ext"
done
echo "certificates in $out"
