#!/usr/bin/env bash
# Gives the factory its own issuing CA in its own token (idempotent; after headquarters' ceremony). The key is
# generated in the factory's token and never leaves it: only its certification request goes to headquarters, whose
# root certifies it (checking the request's signature and name), and the certificate comes back to be installed beside
# the key. The factory's OCSP responder key is made in its token too. The certificates land in the work folder's certs,
# where headquarters' consumers find the issuing CAs whose cert.issued events they accept; the factory's own
# transcripts in $IMPRINT_WORK/factory-ca/transcripts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/sites.sh"
certs=$(source "$here/../local/env.sh" && echo "$IMPRINT_CERTS")
requests=$(source "$here/../local/env.sh" && echo "$IMPRINT_WORK/factory-ca")
ca=issuing-ca-$IMPRINT_FACTORY_ID
# The ceremony in the roots' token (headquarters'), and in the factory's.
roots() { bash "$here/../local/ca-ceremony.sh" "$@"; }
at_the_factory() { IMPRINT_CEREMONY_TOKEN=$IMPRINT_FACTORY_ID bash "$here/../local/ca-ceremony.sh" "$@"; }
if [ ! -s "$certs/$ca.pem" ]; then
  at_the_factory request-factory-ca --factory "$IMPRINT_FACTORY_ID" --out "$requests"
  roots certify-factory-ca --factory "$IMPRINT_FACTORY_ID" --request "$requests/$ca.csr" --out "$certs" \
    --transcripts "$certs/transcripts"
fi
at_the_factory install-factory-ca --factory "$IMPRINT_FACTORY_ID" --certificate "$certs/$ca.pem" \
  --root "$certs/root-ca.pem" --out "$requests"
at_the_factory issue-ocsp-responder --issuer "$ca" --alias "ocsp-responder-$IMPRINT_FACTORY_ID" --out "$certs" \
  --transcripts "$requests/transcripts"
