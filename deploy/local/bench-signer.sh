#!/usr/bin/env bash
# Signer throughput, three figures from one run on this machine and token, each in steady state (warmed up):
#   (a) the raw per-certificate bound: CSR verify + build + lint + PKCS#11 sign + verify, plain loop, no Kafka
#   (b) the signer process draining a backlog: csr.accepted committed -> cert.issued committed (Kafka transactions)
#   (c) cfssl serve (Debian's golang-cfssl) signing the same kind of CSR over HTTP with a software key
#   bash deploy/local/bench-signer.sh [REQUESTS (default 20000)]
# SESSIONS sets the signer's HSM sessions and the threads of (a) and (c) (default 4).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
requests=${1:-20000}
sessions=${SESSIONS:-4}
export IMPRINT_WORK=${IMPRINT_WORK:-$(cd "$here/../.." && pwd)/work/bench-signer}
export IMPRINT_KAFKA_PORT=${IMPRINT_KAFKA_PORT:-29492}
export IMPRINT_PORT_BASE=${IMPRINT_PORT_BASE:-18480}
export IMPRINT_DB_NAME=${IMPRINT_DB_NAME:-imprint_bench}
export IMPRINT_SERVICES=signer
export IMPRINT_SIGNER_SESSIONS=$sessions
source "$here/env.sh"

if ! command -v cfssl >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "bench-signer: install golang-cfssl (sudo apt-get install -y golang-cfssl)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-cfssl >/dev/null
fi
[ "${NO_BUILD:-}" = 1 ] || (cd "$IMPRINT_ROOT" && mvn -B -q -DskipTests package)
bash "$here/start-all.sh" --allow-embedded >/dev/null
cfssl_pid=
trap 'bash "$here/stop-all.sh" >/dev/null 2>&1; [ -n "$cfssl_pid" ] && kill "$cfssl_pid" 2>/dev/null' EXIT

# cfssl's CA: a P-256 key in a file, which is what cfssl serve signs with.
cf=$IMPRINT_WORK/cfssl
mkdir -p "$cf"
if [ ! -f "$cf/ca.pem" ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$cf/ca-key.pem"
  openssl req -new -x509 -key "$cf/ca-key.pem" -subj "/O=Bench/CN=cfssl bench CA" -days 3650 -out "$cf/ca.pem"
fi
cat > "$cf/config.json" <<'JSON'
{"signing": {"default": {"usages": ["digital signature", "client auth"], "expiry": "87600h"}}}
JSON
cfssl_port=$((IMPRINT_PORT_BASE + 19))
cfssl serve -address 127.0.0.1 -port "$cfssl_port" -ca "$cf/ca.pem" -ca-key "$cf/ca-key.pem" \
  -config "$cf/config.json" -loglevel 4 > "$IMPRINT_LOGS/cfssl.log" 2>&1 &
cfssl_pid=$!
for _ in $(seq 1 40); do curl -fs "http://127.0.0.1:$cfssl_port/api/v1/cfssl/health" >/dev/null 2>&1 && break; sleep 0.25; done

export IMPRINT_HSM_PIN_FILE
IMPRINT_HSM_PIN_FILE=$(secret_file "hsm-user-pin$IMPRINT_TOKEN_SUFFIX")
# The load generator signs its csr.accepted as csr-intake does (the signer acts on nothing else) and reads
# offsets and certificates as the administrator, all over mutual TLS.
bash "$here/identities.sh" csr-intake >/dev/null
java -cp "$(ls "$IMPRINT_ROOT"/benchmarks/target/benchmarks-*.jar | head -1):$IMPRINT_ROOT/benchmarks/target/lib/*" \
  io.imprint.benchmarks.BenchmarkCli bench-signer --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --requests "$requests" \
  --identity "$IMPRINT_IDENTITIES/admin/identity.pem" --broker-ca "$IMPRINT_CERTS/service-ca.pem" \
  --intake-identity "$IMPRINT_IDENTITIES/csr-intake/identity.pem" \
  --sessions "$sessions" --cfssl "http://127.0.0.1:$cfssl_port" \
  --cpu "signer=$(cat "$IMPRINT_PIDS/signer.pid"),broker=$(cat "$IMPRINT_WORK/kafka-$IMPRINT_KAFKA_PORT/broker.pid")"
