#!/usr/bin/env bash
# Operator identities (people at the operator APIs): each a key generated here (it never leaves
# $IMPRINT_OPERATORS/<name>/identity.pem, readable by its owner only, never printed) and a client certificate from
# the operator CA in the token, subject OU=Imprint operator, CN=<name>, valid 30 days (re-issued, same key, when
# less than 7 days remain); and the roles each holds, in $IMPRINT_OPERATORS/roles.properties, which the services
# read at start and again when it changes (running services follow). Roles: order-admin, revoker, auditor.
#   operators.sh NAME ROLE[,ROLE...] [NAME ROLE[,ROLE...]]...    e.g. operators.sh alice revoker,auditor bob revoker
# Then, for example:
#   curl --cert $IMPRINT_OPERATORS/alice/identity.pem --cacert $IMPRINT_CERTS/infrastructure-root-ca.pem \
#     https://127.0.0.1:8485/revocations/<serial>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
[ $(($# % 2)) -eq 0 ] && [ $# -gt 0 ] || { echo "usage: operators.sh NAME ROLE[,ROLE...] [NAME ROLE...]..." >&2; exit 64; }
[ -s "$IMPRINT_CERTS/operator-ca.pem" ] || bash "$here/ca-ceremony.sh" >/dev/null
mkdir -p "$IMPRINT_OPERATORS" && chmod 700 "$IMPRINT_OPERATORS"
roles=$IMPRINT_OPERATORS/roles.properties
touch "$roles"
while [ $# -gt 0 ]; do
  name=$1 granted=$2
  shift 2
  dir=$IMPRINT_OPERATORS/$name
  if ! { [ -s "$dir/identity.pem" ] &&
         openssl x509 -in "$dir/identity.pem" -noout -checkend $((7 * 86400)) >/dev/null 2>&1; }; then
    key_to_enrol "$dir"
    bash "$here/ca-ceremony.sh" enrol-operator --operator "$name" --public-key "$dir/pub.pem" --days 30 \
      --out "$dir/cert.pem" --transcripts "$IMPRINT_CERTS/transcripts" >/dev/null
    identity_from_enrolment "$dir"
    echo "operators: $name enrolled with the operator CA ($dir/identity.pem)"
  fi
  { awk -F= -v n="$name" '$1 != n' "$roles"; echo "$name=$granted"; } > "$roles.new" && mv "$roles.new" "$roles"
  echo "operators: $name holds $granted"
done
