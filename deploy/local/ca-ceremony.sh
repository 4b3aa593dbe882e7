#!/usr/bin/env bash
# Prepares the local SoftHSM2 token and runs Imprint's CA ceremony in it (idempotent):
# root, issuing, station CA and OCSP responder keys generated inside the token, certificates exported to
# $IMPRINT_WORK/certs. PINs are random, kept in owner-only files under $IMPRINT_WORK/secrets, never printed.
#   ca-ceremony.sh                       the hierarchy
#   ca-ceremony.sh enrol-station ARGS    a station certificate
#   ca-ceremony.sh issue-factory-ca / roll-issuing-ca / issue-ocsp-responder ARGS   (see CeremonyCli)
# It works in the roots' token, whatever token the site's services use (IMPRINT_TOKEN); a command for a site's own
# token names it: IMPRINT_CEREMONY_TOKEN=NAME ca-ceremony.sh request-factory-ca / install-factory-ca /
# issue-ocsp-responder ARGS (deploy/factory-edge/factory-ca.sh).
# Every command writes a transcript sealed by the CA key it used under $IMPRINT_CERTS/transcripts.
set -euo pipefail
IMPRINT_TOKEN=${IMPRINT_CEREMONY_TOKEN:-}
source "$(dirname "$0")/env.sh"
# The roots live in the work folder's own token; a site's token (a factory's) gets its CA from them.
if [ "${1:-init}" = init ] && [ -n "$IMPRINT_TOKEN" ]; then
  echo "ceremony: the hierarchy belongs in the roots' token, not in '$IMPRINT_TOKEN'" >&2
  exit 2
fi
tokens=$(dirname "$SOFTHSM2_CONF")/tokens
mkdir -p "$tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$tokens" > "$SOFTHSM2_CONF"
export IMPRINT_HSM_PIN_FILE
IMPRINT_HSM_PIN_FILE=$(secret_file "hsm-user-pin$IMPRINT_TOKEN_SUFFIX")
if [ -z "$(ls -A "$tokens")" ]; then
  # softhsm2-util takes PINs only as arguments; they are random and used once, here.
  softhsm2-util --init-token --free --label "imprint$IMPRINT_TOKEN_SUFFIX" \
    --so-pin "$(cat "$(secret_file "hsm-so-pin$IMPRINT_TOKEN_SUFFIX")")" --pin "$(cat "$IMPRINT_HSM_PIN_FILE")" >/dev/null
  echo "ceremony: initialised SoftHSM2 token 'imprint$IMPRINT_TOKEN_SUFFIX' in $tokens"
fi
jar=$(ls "$IMPRINT_ROOT"/pki/target/pki-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
[ -n "$jar" ] || { echo "ceremony: build first (mvn -DskipTests package)" >&2; exit 1; }
if [ "${1:-init}" = "init" ]; then
  java -cp "$jar:$IMPRINT_ROOT/pki/target/lib/*" io.imprint.pki.ceremony.CeremonyCli init --out "$IMPRINT_CERTS"
else
  java -cp "$jar:$IMPRINT_ROOT/pki/target/lib/*" io.imprint.pki.ceremony.CeremonyCli "$@"
fi
