#!/usr/bin/env bash
# Service identities for the event plane: each is a key generated here (it never leaves
# $IMPRINT_WORK/identities/<name>/identity.pem, readable by its owner only, never printed) and a certificate
# from the service CA in the token, subject OU=Imprint service, CN=<name>: the broker maps it to the principal
# service:<name>. Re-issued (same key) when less than 30 days remain: re-enrolment is how a service key is
# rolled. The broker's identity also serves TLS for 127.0.0.1 and localhost.
#   identities.sh NAME...        e.g. identities.sh broker admin csr-intake signer
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
renew_seconds=$((30 * 86400))
pending=()
for name in "$@"; do
  dir=$IMPRINT_IDENTITIES/$name
  if [ -s "$dir/identity.pem" ] &&
     openssl x509 -in "$dir/identity.pem" -noout -checkend "$renew_seconds" >/dev/null 2>&1; then
    continue
  fi
  mkdir -p "$dir" && chmod 700 "$dir"
  if [ -s "$dir/identity.pem" ]; then
    (umask 077 && openssl pkey -in "$dir/identity.pem" -out "$dir/key.pem")
  else
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/key.pem")
  fi
  openssl pkey -in "$dir/key.pem" -pubout -out "$dir/pub.pem"
  pending+=("$name")
done
[ ${#pending[@]} -gt 0 ] || exit 0

enrol() {
  bash "$here/ca-ceremony.sh" enrol-service --dir "$IMPRINT_IDENTITIES" --transcripts "$IMPRINT_CERTS/transcripts" \
    "$@" >/dev/null
}
others=()
for name in "${pending[@]}"; do
  if [ "$name" = broker ]; then enrol --service broker --server-names 127.0.0.1,localhost; else others+=("$name"); fi
done
[ ${#others[@]} -eq 0 ] || enrol --service "$(IFS=,; echo "${others[*]}")"
for name in "${pending[@]}"; do
  dir=$IMPRINT_IDENTITIES/$name
  (umask 077 && cat "$dir/key.pem" "$dir/cert.pem" > "$dir/identity.pem.new" && mv "$dir/identity.pem.new" "$dir/identity.pem")
  rm -f "$dir/key.pem" "$dir/pub.pem" "$dir/cert.pem"
  echo "identities: $name enrolled with the service CA ($dir/identity.pem)"
done
