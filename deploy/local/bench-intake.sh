#!/usr/bin/env bash
# Intake throughput with every check on (station signature, clock skew, CSR policy and proof of possession,
# secure-element attestation, station revocation, rate limits, replay, order and quota), against the raw
# ECDSA P-256 verify rate of this machine. Runs csr-intake alone on its own broker and database:
#   bash deploy/local/bench-intake.sh [REQUESTS (default 2000)]
# INSTANCES=2 runs two intake instances in one consumer group.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
requests=${1:-2000}
export IMPRINT_WORK=${IMPRINT_WORK:-$(cd "$here/../.." && pwd)/work/bench}
export IMPRINT_KAFKA_PORT=${IMPRINT_KAFKA_PORT:-29292}
export IMPRINT_PORT_BASE=${IMPRINT_PORT_BASE:-18280}
export IMPRINT_DB_NAME=${IMPRINT_DB_NAME:-imprint_bench}
export IMPRINT_SERVICES=csr-intake
export IMPRINT_INTAKE_INSTANCES=${INSTANCES:-1}
# Rate limits would bound the figure, not the work: lift them for the benchmark only.
export IMPRINT_CSR_INTAKE_JAVA_OPTS="-Dimprint.intake.rate-limits.station-burst=10000000 -Dimprint.intake.rate-limits.factory-burst=10000000"
source "$here/env.sh"

[ "${NO_BUILD:-}" = 1 ] || (cd "$IMPRINT_ROOT" && mvn -B -q -DskipTests package)
gateway() { java -cp "$(ls "$IMPRINT_ROOT"/factory-gateway/target/factory-gateway-*.jar | head -1):$IMPRINT_ROOT/factory-gateway/target/lib/*" io.imprint.gateway.GatewayCli "$@"; }
benchmarks() { java -cp "$(ls "$IMPRINT_ROOT"/benchmarks/target/benchmarks-*.jar | head -1):$IMPRINT_ROOT/benchmarks/target/lib/*" io.imprint.benchmarks.BenchmarkCli "$@"; }
gateway vendor-init --dir "$IMPRINT_WORK/vendor" >/dev/null
bash "$here/operators.sh" bench-orders order-admin >/dev/null
bash "$here/start-all.sh" --allow-embedded >/dev/null
trap 'bash "$here/stop-all.sh" >/dev/null 2>&1' EXIT

station=$IMPRINT_WORK/station
mkdir -p "$station"
gateway keygen --key "$station/station.key" --public-key "$station/station.pub.pem" >/dev/null
bash "$here/ca-ceremony.sh" enrol-station --factory factory-bench --station bench-1 \
  --public-key "$station/station.pub.pem" --hours 8 --out "$station/station.crt" >/dev/null
bash "$here/kafka.sh" grant-station --factory factory-bench --station bench-1 >/dev/null
order=bench-$(date +%s)
operator_curl bench-orders -fsS -o /dev/null \
  -H 'Content-Type: application/json' "$(operator_url csr-intake)/orders" \
  -d "{\"orderId\":\"$order\",\"factoryId\":\"factory-bench\",\"productModel\":\"bench\",\"quantity\":$((requests * 2)),
       \"notAfter\":\"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)\",\"deviceIdPattern\":\"[a-z]+-[a-z0-9]+-[0-9]{6}\",
       \"secureElementTypes\":[\"ATECC608A\"],\"attestationRequired\":true}"
echo "csr-intake instances: $IMPRINT_INTAKE_INSTANCES; machine: $(nproc) cores"
# The station publishes over its own mutual-TLS connection; the decisions (csr.accepted, csr.rejected, which no
# station may read) are read with the SRE's identity.
benchmarks bench-intake --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --key "$station/station.key" --cert "$station/station.crt" \
  --broker-ca "$IMPRINT_CERTS/service-ca.pem" --reader-identity "$IMPRINT_IDENTITIES/sre/identity.pem" \
  --factory factory-bench --station bench-1 --order "$order" --requests "$requests" --vendor "$IMPRINT_WORK/vendor"
echo "time per stage inside csr-intake (from its /q/metrics):"
curl -fsS "http://127.0.0.1:$(service_port csr-intake)/q/metrics" | awk '
  /^imprint_intake_stage_seconds_(count|sum)/ { match($0, /stage="[^"]*"/); s = substr($0, RSTART + 7, RLENGTH - 8)
    if ($0 ~ /_count/) c[s] = $NF; else t[s] = $NF }
  END { for (s in c) printf "  %-18s %8.2f ms mean over %d requests\n", s, 1000 * t[s] / c[s], c[s] }'
