#!/usr/bin/env bash
# Prepares the local SoftHSM2 token and runs Imprint's CA ceremony in it (idempotent):
# root, issuing, station CA and OCSP responder keys generated inside the token, certificates exported to
# $IMPRINT_WORK/certs. PINs are random, kept in owner-only files under $IMPRINT_WORK/secrets, never printed.
#   ca-ceremony.sh                       the hierarchy
#   ca-ceremony.sh enrol-station ARGS    a station certificate
#   ca-ceremony.sh issue-factory-ca / roll-issuing-ca / issue-ocsp-responder ARGS   (see CeremonyCli)
# Every command writes a transcript sealed by the CA key it used under $IMPRINT_CERTS/transcripts.
set -euo pipefail
source "$(dirname "$0")/env.sh"
tokens=$IMPRINT_WORK/softhsm/tokens
mkdir -p "$tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$tokens" > "$SOFTHSM2_CONF"
export IMPRINT_HSM_PIN_FILE
IMPRINT_HSM_PIN_FILE=$(secret_file hsm-user-pin)
if [ -z "$(ls -A "$tokens")" ]; then
  # softhsm2-util takes PINs only as arguments; they are random and used once, here.
  softhsm2-util --init-token --free --label imprint --so-pin "$(cat "$(secret_file hsm-so-pin)")" \
    --pin "$(cat "$IMPRINT_HSM_PIN_FILE")" >/dev/null
  echo "ceremony: initialised SoftHSM2 token 'imprint' in $tokens"
fi
jar=$(ls "$IMPRINT_ROOT"/pki/target/pki-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
[ -n "$jar" ] || { echo "ceremony: build first (mvn -DskipTests package)" >&2; exit 1; }
if [ "${1:-init}" = "init" ]; then
  java -cp "$jar:$IMPRINT_ROOT/pki/target/lib/*" io.imprint.pki.ceremony.CeremonyCli init --out "$IMPRINT_CERTS"
else
  java -cp "$jar:$IMPRINT_ROOT/pki/target/lib/*" io.imprint.pki.ceremony.CeremonyCli "$@"
fi
