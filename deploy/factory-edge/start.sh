#!/usr/bin/env bash
# The offline factory (pattern 1) on one machine: the factory's own broker with csr-intake, the signer and
# revocation on the local token (the factory's CA keys never leave it; its CRLs and OCSP are served at the
# factory), headquarters' broker with audit and fleet-registry, and MirrorMaker 2 between them (mirror.sh). Each site
# has its own broker, database, ports and token: headquarters' holds the roots (and the service, station and operator
# CAs that enrol both sites' identities), the factory's its own issuing CA and OCSP responder (factory-ca.sh).
# Idempotent: what runs is kept.
#   start.sh        then provision at the factory (its broker and csr-intake), read at headquarters (audit, fleet)
#   stop.sh         stops the mirror, both sites and both brokers
# Ports: the factory's broker IMPRINT_FACTORY_KAFKA_PORT (9292), services from IMPRINT_FACTORY_PORT_BASE (8280: csr-intake
# 8281, signer 8282, revocation 8285); headquarters' broker IMPRINT_HQ_KAFKA_PORT (9192), services from
# IMPRINT_HQ_PORT_BASE (8180: audit 8183, fleet-registry 8184).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/sites.sh"
certs=$(source "$here/../local/env.sh" && echo "$IMPRINT_CERTS")
[ -s "$certs/operator-ca.pem" ] || hq bash "$here/../local/ca-ceremony.sh" >/dev/null
bash "$here/factory-ca.sh" >/dev/null
hq bash "$here/../local/start-all.sh" "$@"
factory bash "$here/../local/start-all.sh" "$@"
sites bash "$here/mirror.sh" start
