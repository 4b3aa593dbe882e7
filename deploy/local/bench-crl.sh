#!/usr/bin/env bash
# CRL regeneration at scale, side by side in one run on this machine:
#   (a) Imprint: every partition's full CRL for N revocations of one CA (256 shards by default), built, linted
#       by signature check and signed through the token (SoftHSM2) as the signer does, the shards over the cores
#   (b) openssl ca -gencrl over the same N revocations (one CRL, a software P-256 key), timed by /usr/bin/time
# Prints wall time, bytes and peak RSS of each.
#   bash deploy/local/bench-crl.sh [N (default 1000000)]
# SHARDS and ROUNDS set (a)'s shard count (256) and rounds (3, best and median printed); HEAP its heap (256m).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
count=${1:-1000000}
export IMPRINT_WORK=${IMPRINT_WORK:-$(cd "$here/../.." && pwd)/work/bench-crl}
source "$here/env.sh"
command -v /usr/bin/time >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
[ "${NO_BUILD:-}" = 1 ] || (cd "$IMPRINT_ROOT" && mvn -B -q -DskipTests package)
[ -s "$IMPRINT_CERTS/issuing-ca.pem" ] || bash "$here/ca-ceremony.sh" >/dev/null

bench=$IMPRINT_WORK/crl
rm -rf "$bench"
mkdir -p "$bench"
export IMPRINT_HSM_PIN_FILE
IMPRINT_HSM_PIN_FILE=$(secret_file "hsm-user-pin$IMPRINT_TOKEN_SUFFIX")
echo "== (a) Imprint: partitioned CRLs through the token"
/usr/bin/time -f "imprint process: %e s wall, %U s user + %S s system CPU, max RSS %M KB (JVM, token and the revocations' generation included)" \
  java "-Xmx${HEAP:-256m}" -cp "$(ls "$IMPRINT_ROOT"/benchmarks/target/benchmarks-*.jar | head -1):$IMPRINT_ROOT/benchmarks/target/lib/*" \
  io.imprint.benchmarks.BenchmarkCli bench-crl --revocations "$count" --shards "${SHARDS:-256}" \
  --rounds "${ROUNDS:-3}" --openssl-index "$bench/index.txt"

echo "== (b) openssl ca -gencrl over the same $count revocations"
openssl ecparam -name prime256v1 -genkey -noout -out "$bench/ca-key.pem"
openssl req -new -x509 -key "$bench/ca-key.pem" -subj "/O=Bench/CN=openssl bench CA" -days 3650 -out "$bench/ca.pem"
echo 1000 > "$bench/crlnumber"
cat > "$bench/openssl.cnf" <<CNF
[ ca ]
default_ca = bench
[ bench ]
database = $bench/index.txt
crlnumber = $bench/crlnumber
certificate = $bench/ca.pem
private_key = $bench/ca-key.pem
default_md = sha256
default_crl_days = 1
unique_subject = no
CNF
for round in $(seq 1 "${ROUNDS:-3}"); do
  /usr/bin/time -f "openssl ca -gencrl round $round: %e s wall, %U s user + %S s system CPU, max RSS %M KB" \
    openssl ca -config "$bench/openssl.cnf" -gencrl -out "$bench/openssl.crl" 2>&1 | grep -v "^Using configuration"
done
echo "openssl CRL: $(stat -c %s "$bench/openssl.crl") bytes (PEM), $(openssl crl -in "$bench/openssl.crl" -noout -text | grep -c 'Serial Number:') entries"
