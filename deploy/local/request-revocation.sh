#!/usr/bin/env bash
# An operator asks for a revocation by record instead of revocation's HTTPS API: a request signed with the operator's
# own key ($IMPRINT_OPERATORS/<name>/identity.pem, from operators.sh) is written to imprint.revocation.requested.v1 by
# the revocation desk's broker identity (service:revocation-desk, enrolled here on first use). Revocation acts on it
# only if the signature holds and the roles file gives the operator the revoker role; it keeps the request id printed
# here, so cert.revoked and audit name it. At headquarters of an offline factory (deploy/factory-edge, run under its
# `hq` settings) the factory's link carries the request to the factory whenever the link is up.
#   request-revocation.sh OPERATOR SERIAL [REASON [COMMENT]]   e.g. request-revocation.sh alice 4f0a... KEY_COMPROMISE "INC-7"
# REASON: an RFC 5280 reason name (UNSPECIFIED, KEY_COMPROMISE, AFFILIATION_CHANGED, SUPERSEDED, CESSATION_OF_OPERATION,
# ...); UNSPECIFIED if left out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
[ $# -ge 2 ] && [ $# -le 4 ] || { echo "usage: request-revocation.sh OPERATOR SERIAL [REASON [COMMENT]]" >&2; exit 64; }
operator=$1 serial=$2 reason=${3:-UNSPECIFIED} comment=${4:-}
identity=$IMPRINT_OPERATORS/$operator/identity.pem
[ -s "$identity" ] || { echo "request-revocation: no operator '$operator' here (deploy/local/operators.sh $operator revoker)" >&2; exit 64; }
jar=$(ls "$IMPRINT_ROOT"/event-plane/target/event-plane-*.jar 2>/dev/null | head -1 || true)
[ -n "$jar" ] || { echo "request-revocation: build first (mvn -DskipTests package)" >&2; exit 1; }
bash "$here/identities.sh" revocation-desk
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error \
  -cp "$jar:$IMPRINT_ROOT/event-plane/target/lib/*" io.imprint.eventplane.EventPlaneCli request-revocation \
  --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --identity "$IMPRINT_IDENTITIES/revocation-desk/identity.pem" \
  --broker-ca "$IMPRINT_CERTS/service-ca.pem" --operator-identity "$identity" --serial "$serial" --reason "$reason" \
  ${comment:+--comment "$comment"}
