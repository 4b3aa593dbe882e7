# The two sites of the offline factory, sourced by start.sh and stop.sh (and the system test's scripts):
#   factory CMD...   runs CMD as the factory site (its broker, database, ports and services)
#   hq CMD...        runs CMD as headquarters
#   sites CMD...     runs CMD knowing both brokers (IMPRINT_FACTORY_KAFKA, IMPRINT_HQ_KAFKA), e.g. mirror.sh
# Each broker lets the mirror do its side only (acls-factory.conf, acls-hq.conf beside deploy/local/acls.conf).
# The factory has a token of its own (IMPRINT_TOKEN) with its own issuing CA and OCSP responder (factory-ca.sh);
# headquarters' token holds the roots.
edge_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IMPRINT_FACTORY_KAFKA_PORT=${IMPRINT_FACTORY_KAFKA_PORT:-9292}
IMPRINT_FACTORY_PORT_BASE=${IMPRINT_FACTORY_PORT_BASE:-8280}
IMPRINT_HQ_KAFKA_PORT=${IMPRINT_HQ_KAFKA_PORT:-9192}
IMPRINT_HQ_PORT_BASE=${IMPRINT_HQ_PORT_BASE:-8180}
IMPRINT_EDGE_DB_PREFIX=${IMPRINT_EDGE_DB_PREFIX:-imprint_edge}
IMPRINT_FACTORY_ID=${IMPRINT_FACTORY_ID:-factory-1}

factory() {
  IMPRINT_TOKEN=$IMPRINT_FACTORY_ID IMPRINT_SIGNER_ISSUING_CA=issuing-ca-$IMPRINT_FACTORY_ID \
    IMPRINT_INTAKE_ISSUING_CAS=issuing-ca-$IMPRINT_FACTORY_ID \
    IMPRINT_REVOCATION_OCSP_RESPONDER_ALIAS=ocsp-responder-$IMPRINT_FACTORY_ID \
    IMPRINT_KAFKA_ACLS=$edge_here/../local/acls.conf,$edge_here/acls-factory.conf \
    IMPRINT_KAFKA_PORT=$IMPRINT_FACTORY_KAFKA_PORT IMPRINT_PORT_BASE=$IMPRINT_FACTORY_PORT_BASE \
    IMPRINT_DB_NAME=${IMPRINT_EDGE_DB_PREFIX}_factory IMPRINT_SERVICES="csr-intake signer revocation" \
    IMPRINT_PUBLIC_URL=${IMPRINT_FACTORY_PUBLIC_URL:-http://127.0.0.1:$((IMPRINT_FACTORY_PORT_BASE + 5))} "$@"
}

hq() {
  IMPRINT_KAFKA_ACLS=$edge_here/../local/acls.conf,$edge_here/acls-hq.conf \
    IMPRINT_KAFKA_PORT=$IMPRINT_HQ_KAFKA_PORT IMPRINT_PORT_BASE=$IMPRINT_HQ_PORT_BASE \
    IMPRINT_DB_NAME=${IMPRINT_EDGE_DB_PREFIX}_hq IMPRINT_SERVICES="audit fleet-registry" "$@"
}

sites() {
  IMPRINT_FACTORY_KAFKA=127.0.0.1:$IMPRINT_FACTORY_KAFKA_PORT IMPRINT_HQ_KAFKA=127.0.0.1:$IMPRINT_HQ_KAFKA_PORT "$@"
}
