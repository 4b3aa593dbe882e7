#!/usr/bin/env bash
# Service identities for the event plane: each is a key generated here (it never leaves
# $IMPRINT_WORK/identities/<name>/identity.pem, readable by its owner only, never printed) and a certificate
# from the service CA in the token, subject OU=Imprint service, CN=<name>: the broker maps it to the principal
# service:<name>. Re-issued (same key) when less than 30 days remain: re-enrolment is how a service key is
# rolled. Each identity also serves TLS for 127.0.0.1 and localhost (the broker; the services' HTTPS ports), or for
# the names in IMPRINT_SERVER_NAMES (docker-compose.yml: the containers' names).
#   identities.sh NAME...        e.g. identities.sh broker admin csr-intake signer
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
renew_seconds=$((30 * 86400))
pending=()
for name in "$@"; do
  dir=$IMPRINT_IDENTITIES/$name
  # An identity enrolled before the services served HTTPS lacks serverAuth: re-issued once.
  if [ -s "$dir/identity.pem" ] &&
     openssl x509 -in "$dir/identity.pem" -noout -checkend "$renew_seconds" >/dev/null 2>&1 &&
     openssl x509 -in "$dir/identity.pem" -noout -ext extendedKeyUsage 2>/dev/null | grep -q "Server Authentication"; then
    continue
  fi
  key_to_enrol "$dir"
  pending+=("$name")
done
[ ${#pending[@]} -gt 0 ] || exit 0

enrol() {
  bash "$here/ca-ceremony.sh" enrol-service --dir "$IMPRINT_IDENTITIES" --transcripts "$IMPRINT_CERTS/transcripts" \
    "$@" >/dev/null
}
# Every identity also serves TLS: the broker's listener, the services' HTTPS ports for operators.
enrol --service "$(IFS=,; echo "${pending[*]}")" --server-names "${IMPRINT_SERVER_NAMES:-127.0.0.1,localhost}"
for name in "${pending[@]}"; do
  dir=$IMPRINT_IDENTITIES/$name
  identity_from_enrolment "$dir"
  echo "identities: $name enrolled with the service CA ($dir/identity.pem)"
done
