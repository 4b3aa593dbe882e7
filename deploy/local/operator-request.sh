#!/usr/bin/env bash
# An operator's request by record instead of a service's HTTPS API: signed with the operator's own key
# ($IMPRINT_OPERATORS/<name>/identity.pem, from operators.sh) and written by the operators' desk broker identity
# (service:operator-desk, enrolled here on first use). The service acts on it only if the signature holds and the roles
# file gives the operator the role (revoker; order-admin), and keeps the request id printed here. At headquarters of an
# offline factory (deploy/factory-edge, run under its `hq` settings) the factory's link carries it to the factory
# whenever the link is up.
#   operator-request.sh OPERATOR revoke SERIAL [REASON [COMMENT]]          REASON: an RFC 5280 reason name (UNSPECIFIED,
#                                                                        KEY_COMPROMISE, SUPERSEDED, ...); UNSPECIFIED if left out
#   operator-request.sh OPERATOR open-order ORDER FACTORY MODEL QUANTITY NOT_AFTER    e.g. ... 2027-03-31T00:00:00Z
#   operator-request.sh OPERATOR close-order ORDER
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
usage() {
  echo "usage: operator-request.sh OPERATOR revoke SERIAL [REASON [COMMENT]]" >&2
  echo "       operator-request.sh OPERATOR open-order ORDER FACTORY MODEL QUANTITY NOT_AFTER" >&2
  echo "       operator-request.sh OPERATOR close-order ORDER" >&2
  exit 64
}
[ $# -ge 3 ] || usage
operator=$1 what=$2
shift 2
case $what in
  revoke)
    [ $# -le 3 ] || usage
    request=(request-revocation --serial "$1" --reason "${2:-UNSPECIFIED}")
    [ -z "${3:-}" ] || request+=(--comment "$3") ;;
  open-order)
    [ $# -eq 5 ] || usage
    request=(request-order --action open --order "$1" --factory "$2" --model "$3" --quantity "$4" --not-after "$5") ;;
  close-order)
    [ $# -eq 1 ] || usage
    request=(request-order --action close --order "$1") ;;
  *) usage ;;
esac
identity=$IMPRINT_OPERATORS/$operator/identity.pem
[ -s "$identity" ] || { echo "operator-request: no operator '$operator' here (deploy/local/operators.sh $operator ROLE)" >&2; exit 64; }
jar=$(ls "$IMPRINT_ROOT"/event-plane/target/event-plane-*.jar 2>/dev/null | head -1 || true)
[ -n "$jar" ] || { echo "operator-request: build first (mvn -DskipTests package)" >&2; exit 1; }
bash "$here/identities.sh" operator-desk
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error \
  -cp "$jar:$IMPRINT_ROOT/event-plane/target/lib/*" io.imprint.eventplane.EventPlaneCli "${request[0]}" \
  --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --identity "$IMPRINT_IDENTITIES/operator-desk/identity.pem" \
  --broker-ca "$IMPRINT_CERTS/service-ca.pem" --operator-identity "$identity" "${request[@]:1}"
