#!/usr/bin/env bash
# The whole flow under load on this machine: broker, PostgreSQL, token and the five services, driven by STATIONS
# simulated factory stations (each its own key, certificate and mutual-TLS connection) publishing attested,
# signed submissions. After a warm-up, a closed loop (IN_FLIGHT requests outstanding) finds the rate the stack
# sustains; an open loop at half that rate (or RATE) measures latency. Each run prints devices/s, publish ->
# certificate percentiles (HdrHistogram), every consumer group's lag at the end and the CPU per device of each
# process, and draws a PNG into docs/benchmarks/.
#   bash deploy/local/bench-e2e.sh [SECONDS (default 60)]
# Environment: STATIONS (4), IN_FLIGHT (200), RATE (devices/s for the open loop), WARMUP (15 s).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-60}
stations=${STATIONS:-4}
export IMPRINT_WORK=${IMPRINT_WORK:-$(cd "$here/../.." && pwd)/work/bench-e2e}
export IMPRINT_KAFKA_PORT=${IMPRINT_KAFKA_PORT:-29692}
export IMPRINT_PORT_BASE=${IMPRINT_PORT_BASE:-18680}
export IMPRINT_DB_NAME=${IMPRINT_DB_NAME:-imprint_bench_e2e}
# Rate limits would bound the figure, not the work: lift them for the benchmark only.
export IMPRINT_CSR_INTAKE_JAVA_OPTS="${IMPRINT_CSR_INTAKE_JAVA_OPTS:-} -Dimprint.intake.rate-limits.station-burst=10000000 -Dimprint.intake.rate-limits.factory-burst=10000000"
source "$here/env.sh"

[ "${NO_BUILD:-}" = 1 ] || (cd "$IMPRINT_ROOT" && mvn -B -q -DskipTests package)
gateway() { java -cp "$(ls "$IMPRINT_ROOT"/factory-gateway/target/factory-gateway-*.jar | head -1):$IMPRINT_ROOT/factory-gateway/target/lib/*" io.imprint.gateway.GatewayCli "$@"; }
benchmarks() { java -cp "$(ls "$IMPRINT_ROOT"/benchmarks/target/benchmarks-*.jar | head -1):$IMPRINT_ROOT/benchmarks/target/lib/*" io.imprint.benchmarks.BenchmarkCli "$@"; }
gateway vendor-init --dir "$IMPRINT_WORK/vendor" >/dev/null
bash "$here/operators.sh" bench-orders order-admin >/dev/null
bash "$here/start-all.sh" --allow-embedded >/dev/null
trap 'bash "$here/stop-all.sh" >/dev/null 2>&1' EXIT

factory=factory-load
rm -rf "$IMPRINT_WORK/stations"
for i in $(seq 1 "$stations"); do
  dir=$IMPRINT_WORK/stations/station-$(printf %02d "$i")
  mkdir -p "$dir"
  gateway keygen --key "$dir/station.key" --public-key "$dir/station.pub.pem" >/dev/null
  bash "$here/ca-ceremony.sh" enrol-station --factory "$factory" --station "$(basename "$dir")" \
    --public-key "$dir/station.pub.pem" --hours 8 --out "$dir/station.crt" >/dev/null
  bash "$here/kafka.sh" grant-station --factory "$factory" --station "$(basename "$dir")" >/dev/null
done
order=load-$(date +%s)
operator_curl bench-orders -fsS -o /dev/null \
  -H 'Content-Type: application/json' "$(operator_url csr-intake)/orders" \
  -d "{\"orderId\":\"$order\",\"factoryId\":\"$factory\",\"productModel\":\"load\",\"quantity\":10000000,
       \"notAfter\":\"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)\",\"deviceIdPattern\":\"[a-z]+-[a-z0-9]+-[0-9]{6}\",
       \"secureElementTypes\":[\"ATECC608A\"],\"attestationRequired\":true}"
postgres=$(pgrep -o -x postgres || true)
cpu=""
for service in csr-intake signer audit fleet-registry revocation; do
  cpu+="$service=$(cat "$IMPRINT_PIDS/$service.pid"),"
done
cpu+="broker=$(cat "$IMPRINT_WORK/kafka-$IMPRINT_KAFKA_PORT/broker.pid")${postgres:+,postgres=$postgres}"
benchmarks bench-e2e --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --stations "$IMPRINT_WORK/stations" \
  --broker-ca "$IMPRINT_CERTS/service-ca.pem" --admin-identity "$IMPRINT_IDENTITIES/sre/identity.pem" \
  --factory "$factory" --order "$order" --vendor "$IMPRINT_WORK/vendor" --seconds "$seconds" \
  --warmup-seconds "${WARMUP:-15}" --in-flight "${IN_FLIGHT:-200}" ${RATE:+--rate "$RATE"} \
  --devices "${DEVICES:-$((seconds * 600))}" --plots "$IMPRINT_ROOT/docs/benchmarks" --cpu "$cpu"
