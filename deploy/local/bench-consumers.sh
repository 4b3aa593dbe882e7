#!/usr/bin/env bash
# Do audit and fleet-registry keep pace with the signer? One run on this machine: signer, audit and fleet-registry
# (with broker, PostgreSQL and token) drain a backlog of accepted requests committed at once; prints when each
# was done, the rates against the signer's (the baseline), how far behind each consumer was when the signer had
# committed its last certificate, and the CPU each process spent per certificate.
#   bash deploy/local/bench-consumers.sh [REQUESTS (default 10000)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
requests=${1:-10000}
export IMPRINT_WORK=${IMPRINT_WORK:-$(cd "$here/../.." && pwd)/work/bench-consumers}
export IMPRINT_KAFKA_PORT=${IMPRINT_KAFKA_PORT:-29592}
export IMPRINT_PORT_BASE=${IMPRINT_PORT_BASE:-18580}
export IMPRINT_DB_NAME=${IMPRINT_DB_NAME:-imprint_bench_consumers}
export IMPRINT_SERVICES="signer audit fleet-registry"
source "$here/env.sh"

[ "${NO_BUILD:-}" = 1 ] || (cd "$IMPRINT_ROOT" && mvn -B -q -DskipTests package)
bash "$here/start-all.sh" --allow-embedded >/dev/null
trap 'bash "$here/stop-all.sh" >/dev/null 2>&1' EXIT

bash "$here/identities.sh" csr-intake >/dev/null
postgres=$(pgrep -o -x postgres || true)
java -cp "$(ls "$IMPRINT_ROOT"/benchmarks/target/benchmarks-*.jar | head -1):$IMPRINT_ROOT/benchmarks/target/lib/*" \
  io.imprint.benchmarks.BenchmarkCli bench-consumers --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --requests "$requests" \
  --identity "$IMPRINT_IDENTITIES/admin/identity.pem" --broker-ca "$IMPRINT_CERTS/service-ca.pem" \
  --intake-identity "$IMPRINT_IDENTITIES/csr-intake/identity.pem" \
  --audit "http://127.0.0.1:$(service_port audit)" --fleet "http://127.0.0.1:$(service_port fleet-registry)" \
  --cpu "signer=$(cat "$IMPRINT_PIDS/signer.pid"),audit=$(cat "$IMPRINT_PIDS/audit.pid"),fleet-registry=$(cat "$IMPRINT_PIDS/fleet-registry.pid"),broker=$(cat "$IMPRINT_WORK/kafka-$IMPRINT_KAFKA_PORT/broker.pid")${postgres:+,postgres=$postgres}"
