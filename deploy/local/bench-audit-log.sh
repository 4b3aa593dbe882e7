#!/usr/bin/env bash
# How audit holds up with a large log. One run on this machine: audit (with broker, PostgreSQL and token) over a
# log of ENTRIES records written straight into its database; prints the full verification against a plain read
# of the same rows (the baseline), with CPU per entry of audit and PostgreSQL, the first checkpoint over the whole
# log, and inclusion-proof latency against a lookup of the same certificates.
#   bash deploy/local/bench-audit-log.sh [ENTRIES (default 1000000)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
entries=${1:-1000000}
export IMPRINT_WORK=${IMPRINT_WORK:-$(cd "$here/../.." && pwd)/work/bench-audit-log}
export IMPRINT_KAFKA_PORT=${IMPRINT_KAFKA_PORT:-29692}
export IMPRINT_PORT_BASE=${IMPRINT_PORT_BASE:-18680}
export IMPRINT_DB_NAME=${IMPRINT_DB_NAME:-imprint_bench_audit_log}
export IMPRINT_SERVICES="audit"
# No periodic checkpoint while the log is filled and verified: the benchmark signs the first one itself.
export IMPRINT_AUDIT_JAVA_OPTS="${IMPRINT_AUDIT_JAVA_OPTS:-} -Dimprint.audit.checkpoint-interval=24h"
source "$here/env.sh"

[ "${NO_BUILD:-}" = 1 ] || (cd "$IMPRINT_ROOT" && mvn -B -q -DskipTests package)
# Each run starts from an empty log.
eval "$(bash "$here/postgres.sh" ensure)"
db_host=${IMPRINT_DB_URL#postgresql://}
db_host=${db_host%%/*}
PGPASSWORD=$IMPRINT_DB_PASSWORD psql -h "${db_host%:*}" -p "${db_host#*:}" -U "$IMPRINT_DB_USER" -d postgres -qc \
  "DROP DATABASE IF EXISTS $IMPRINT_DB_NAME WITH (FORCE)" >/dev/null
bash "$here/start-all.sh" --allow-embedded >/dev/null
trap 'bash "$here/stop-all.sh" >/dev/null 2>&1' EXIT

postgres=$(pgrep -o -x postgres || true)
java -cp "$(ls "$IMPRINT_ROOT"/benchmarks/target/benchmarks-*.jar | head -1):$IMPRINT_ROOT/benchmarks/target/lib/*" \
  io.imprint.benchmarks.BenchmarkCli bench-audit-log --entries "$entries" \
  --jdbc "jdbc:$IMPRINT_DB_URL" --db-user "$IMPRINT_DB_USER" --db-password "$IMPRINT_DB_PASSWORD" --audit "http://127.0.0.1:$(service_port audit)" \
  --cpu "audit=$(cat "$IMPRINT_PIDS/audit.pid")${postgres:+,postgres=$postgres}"
