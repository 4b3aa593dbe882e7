#!/usr/bin/env bash
# The test command: unit tests, service tests on a real broker (mutual TLS and ACLs), PostgreSQL and SoftHSM2
# token, and the system tests that run the whole suite as processes. The tests have their own work folder
# (work/test: token, CAs, identities, broker data), apart from the demo's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bash "$here/prereqs.sh" --postgres-server --tpm --deploy-checks
# docker-compose.yml and the Kubernetes manifests are checked, not run: no Docker engine or cluster here. The alert
# rules by promtool.
bash "$root/deploy/compose/check.sh"
bash "$root/deploy/k8s/check.sh"
bash "$root/deploy/observability/check.sh"
# A database on 127.0.0.1:5432 (the installed cluster, started if stopped), unless IMPRINT_DB_HOST says otherwise.
IMPRINT_DB_NAME=imprint_test bash "$here/postgres.sh" ensure >/dev/null
if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  # The broker's credentials come from the CA ceremony and the event-plane tool: build those first.
  (cd "$root" && mvn -B -q -DskipTests package -pl event-plane -am)
  export IMPRINT_WORK=$root/work/test
  # Our own broker on the first free port from 19092 (the controller takes the next one), so a broker
  # left by another checkout or run never gets in the way.
  port=19092
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || (exec 3<>"/dev/tcp/127.0.0.1/$((port + 1))") 2>/dev/null; do
    port=$((port + 100))
  done
  export IMPRINT_KAFKA_PORT=$port
  # A fresh broker each run: no record of an earlier run (CRL history, dead letters) shapes this one.
  rm -rf "$IMPRINT_WORK/kafka-$port"
  bash "$here/kafka.sh" start
  bash "$here/identities.sh" csr-intake signer audit fleet-registry revocation >/dev/null
  export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$port
  trap "IMPRINT_WORK='$IMPRINT_WORK' IMPRINT_KAFKA_PORT=$port bash '$here/kafka.sh' stop" EXIT
  unset IMPRINT_WORK IMPRINT_KAFKA_PORT
fi
cd "$root"
mvn -B verify "$@"
# The whole build packaged every service: its generated Kubernetes manifests must equal the committed ones.
if [ $# -eq 0 ]; then
  bash "$root/deploy/k8s/services.sh" check
fi
