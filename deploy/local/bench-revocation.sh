#!/usr/bin/env bash
# Bulk revocation at scale on this machine, with the suite started in a work folder of its own: seeds N issued
# certificates of one order into revocation's records (synthetic serials, as cert.issued would have recorded them:
# revocation keeps a certificate's serial, issuer, device, factory, station and order, and OCSP answers by serial),
# then times a dry run, the bulk job by order until DONE, OCSP (openssl ocsp) for the last certificate, the
# outbox drained (every cert.revoked acknowledged by the broker) and every CRL shard regenerated (the signer signs
# them, revocation stores them). Prints each figure and the CPU each process spent, and how long pre-signing every
# certificate's OCSP response took (before the job) and signing them again as revoked (after it).
#   bash deploy/local/bench-revocation.sh [N (default 100000)]
# RELAY_HELD=1 holds the outbox relay (no events sent, no CRL): the job alone, without the sending beside it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
count=${1:-100000}
export IMPRINT_WORK=${IMPRINT_WORK:-$(cd "$here/../.." && pwd)/work/bench-revocation}
export IMPRINT_KAFKA_PORT=${IMPRINT_KAFKA_PORT:-29992}
export IMPRINT_PORT_BASE=${IMPRINT_PORT_BASE:-18980}
export IMPRINT_DB_NAME=${IMPRINT_DB_NAME:-imprint_bench_revocation}
source "$here/env.sh"
if [ -n "${RELAY_HELD:-}" ]; then
  export IMPRINT_REVOCATION_JAVA_OPTS="${IMPRINT_REVOCATION_JAVA_OPTS:-} -Dimprint.revocation.outbox-interval=PT1H -Dimprint.revocation.outbox-sweep=PT1H"
fi

[ "${NO_BUILD:-}" = 1 ] || (cd "$IMPRINT_ROOT" && mvn -B -q -DskipTests package)
# Each run from nothing: an earlier run's revocations would be in this one's CRLs.
IMPRINT_SERVICES="signer revocation" bash "$here/stop-all.sh" >/dev/null 2>&1 || true
rm -rf "$IMPRINT_WORK"
eval "$(bash "$here/postgres.sh" ensure --allow-embedded)"
PGPASSWORD=${IMPRINT_DB_PASSWORD:-} psql -qtAX "postgresql://${IMPRINT_DB_USER:-postgres}@127.0.0.1:5432/postgres" \
  -c "DROP DATABASE IF EXISTS $IMPRINT_DB_NAME WITH (FORCE)" >/dev/null
# Two revokers: a job beyond the dual-control size (1,000 by default) waits for the second one's approval.
bash "$here/operators.sh" bench-revoker revoker bench-approver revoker >/dev/null
IMPRINT_SERVICES="signer revocation" bash "$here/start-all.sh" --allow-embedded >/dev/null
trap 'IMPRINT_SERVICES="signer revocation" bash "$here/stop-all.sh" >/dev/null 2>&1' EXIT
sql() { PGPASSWORD=${IMPRINT_DB_PASSWORD:-} psql -qtAX "postgresql://${IMPRINT_DB_USER:-postgres}@127.0.0.1:5432/$IMPRINT_DB_NAME" -c "$1"; }
url=http://127.0.0.1:$(service_port revocation)
api=$(operator_url revocation)
now_ms() { date +%s%3N; }
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
postgres_cpu() { local t=0 p; for p in $(pgrep -x postgres); do t=$((t + $(cpu_of "$p"))); done; echo $t; }

issuer=$(openssl x509 -in "$IMPRINT_CERTS/issuing-ca.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
key_id=$(openssl x509 -in "$IMPRINT_CERTS/issuing-ca.pem" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64)
order=bench-$(date +%s)
tag=$(printf '%s' "$order" | md5sum | cut -c1-8)
serial_of() { printf 'b%s%015x' "$tag" "$1"; }
start=$(now_ms)
# Each certificate's CRL scope as the signer writes it: its shard (serial modulo 256, the last byte) of the CA's CRLs.
sql "INSERT INTO revocation.issued_certificate (serial_number, issuer, device_id, request_id, issued_at, factory_id,
       station_id, order_id, crl_scope)
     SELECT 'b$tag' || lpad(to_hex(i), 15, '0'), '$issuer', '$order-' || i,
       md5('$order' || i), now() - interval '1 hour', 'factory-bench', 'station-bench', '$order',
       '$IMPRINT_PUBLIC_URL/crl/$key_id/' || (i % 256)
     FROM generate_series(1, $count) AS i;
     INSERT INTO revocation.crl_scope (issuer, distribution_point)
       SELECT DISTINCT issuer, crl_scope FROM revocation.issued_certificate ON CONFLICT DO NOTHING"
echo "seeded $count certificates of order $order over 256 CRL shards in $(( $(now_ms) - start )) ms"
rev=$(cat "$IMPRINT_PIDS/revocation.pid")
presigning=$([ "${IMPRINT_REVOCATION_OCSP_PRESIGN:-true}" = true ] && echo 1 || true)
# Every certificate's OCSP response pre-signed, as a deployment that recorded them over time would have them.
# With a start time (the job's): only when, its CPU is in the job's figures.
presigned() {
  local start=${1:-$(now_ms)} r0 p0
  r0=$(cpu_of "$rev"); p0=$(postgres_cpu)
  until [ "$(sql "SELECT count(*) FROM revocation.ocsp_presign_due")" = 0 ]; do sleep 0.5; done
  printf '%s ms' "$(( $(now_ms) - start ))"
  [ -n "${1:-}" ] || printf ' (CPU meanwhile: revocation %s ms, postgres %s ms)' \
    "$(( ($(cpu_of "$rev") - r0) * 1000 / $(getconf CLK_TCK) ))" "$(( ($(postgres_cpu) - p0) * 1000 / $(getconf CLK_TCK) ))"
}
[ -z "$presigning" ] || echo "every seeded certificate's OCSP response pre-signed in $(presigned)"
last=$(serial_of "$count")
shard_url() { echo "$url/crl/$key_id/$(( $1 % 256 ))"; }

# One revocation first: how soon OCSP and the CRL (signed by the signer, fetched as a relying party does) show it.
first=$(serial_of 1)
start=$(now_ms)
operator_curl bench-revoker -fsS -o /dev/null -H 'Content-Type: application/json' "$api/revocations" \
  -d "{\"serialNumber\":\"$first\",\"reason\":\"KEY_COMPROMISE\"}"
answered_ms=$(( $(now_ms) - start ))
openssl ocsp -issuer "$IMPRINT_CERTS/issuing-ca.pem" -serial "0x$first" -url "$url/ocsp" -no_nonce \
  -CAfile "$IMPRINT_CERTS/root-ca.pem" -verify_other "$IMPRINT_CERTS/issuing-ca.pem" 2>/dev/null | grep -q revoked
ocsp_ms=$(( $(now_ms) - start ))
presigned_ms=
if [ -n "$presigning" ]; then
  until [ "$(sql "SELECT revoked FROM revocation.ocsp_response WHERE serial_number = '$first'")" = t ]; do sleep 0.02; done
  presigned_ms=$(( $(now_ms) - start ))
fi
crl_deadline=$(( $(now_ms) + 30000 ))
# Its shard's first CRL (a full one: nothing to base a delta on yet) or its delta, as a relying party fetches them.
until [ -n "${RELAY_HELD:-}" ] || [ "$(now_ms)" -gt "$crl_deadline" ] || { curl -fsS "$(shard_url 1)" 2>/dev/null;
    curl -fsS "$(shard_url 1)/delta" 2>/dev/null || true; } | openssl crl -inform DER -noout -text 2>/dev/null \
    | grep -qi "serial number: *0*${first}"; do
  sleep 0.02
done
echo "one revocation: answered in $answered_ms ms, revoked per openssl ocsp at $ocsp_ms ms${presigned_ms:+, its\
 \"revoked\" response pre-signed and stored at $presigned_ms ms}, in the served CRL at" \
  "${RELAY_HELD:+(relay held: no CRL) }$(( $(now_ms) - start )) ms"

start=$(now_ms)
operator_curl bench-revoker -fsS -H 'Content-Type: application/json' "$api/revocations/jobs" \
  -d "{\"orderId\":\"$order\",\"dryRun\":true}"
echo "  dry run: $(( $(now_ms) - start )) ms"

broker=$(cat "$IMPRINT_WORK/kafka-$IMPRINT_KAFKA_PORT/broker.pid")
signer=$(cat "$IMPRINT_PIDS/signer.pid")
# The job marks its CRLs when it ends: every CRL asked for after this number is the job's.
crl_before=$(sql "SELECT coalesce(max(crl_number), 0) FROM revocation.crl_request")
cpu_before="$(cpu_of "$rev") $(postgres_cpu) $(cpu_of "$broker") $(cpu_of "$signer")"
start=$(now_ms)
job=$(operator_curl bench-revoker -fsS -H 'Content-Type: application/json' "$api/revocations/jobs" \
  -d "{\"orderId\":\"$order\",\"reason\":\"KEY_COMPROMISE\",\"comment\":\"bench\"}" | sed 's/.*"jobId":"\([^"]*\)".*/\1/')
# Dual control: the second revoker approves (timed with the job: an approval is one statement).
if operator_curl bench-revoker -fsS "$api/revocations/jobs/$job" | grep -q '"status":"AWAITING_APPROVAL"'; then
  operator_curl bench-approver -fsS -o /dev/null -X POST "$api/revocations/jobs/$job/approve"
fi
until operator_curl bench-revoker -fsS "$api/revocations/jobs/$job" | grep -q '"status":"DONE"'; do
  sleep 0.05
done
done_ms=$(( $(now_ms) - start ))
ocsp=$(openssl ocsp -issuer "$IMPRINT_CERTS/issuing-ca.pem" -serial "0x$last" -url "$url/ocsp" -no_nonce \
  -CAfile "$IMPRINT_CERTS/root-ca.pem" -verify_other "$IMPRINT_CERTS/issuing-ca.pem" 2>&1 | grep -i "0x$last\|revoked\|good" | head -2 | tr '\n' ' ')
visible_ms=$(( $(now_ms) - start ))
# Every shard's CRLs re-signed after the job: a CRL (full, or a delta over the shard's full CRL) asked for after
# the job's last revocation, signed and stored. All of them together list every revocation of the job.
shards_sql="SELECT count(DISTINCT c.distribution_point), count(*) FILTER (WHERE c.delta_base IS NULL),
  coalesce(sum(length(c.der)), 0), coalesce(sum(c.entry_count), 0) FROM revocation.crl c
  WHERE c.distribution_point <> '' AND c.crl_number > $crl_before"
# Both watched in one loop: the CRLs need not wait for the events.
drained_ms=
shards_ms=
crl_deadline=$(( $(now_ms) + 900000 ))
until [ -n "${RELAY_HELD:-}" ] || [ "$(now_ms)" -gt "$crl_deadline" ] || { [ -n "$drained_ms" ] && [ -n "$shards_ms" ]; }; do
  [ -n "$drained_ms" ] || [ "$(sql "SELECT count(*) FROM revocation.outbox")" != 0 ] || drained_ms=$(( $(now_ms) - start ))
  [ -n "$shards_ms" ] || [ "$(sql "SELECT count(DISTINCT distribution_point) FROM revocation.crl
    WHERE distribution_point <> '' AND crl_number > $crl_before")" -lt 256 ] || shards_ms=$(( $(now_ms) - start ))
  sleep 0.1
done
read -r r0 p0 b0 s0 <<< "$cpu_before"
ticks=$(getconf CLK_TCK)
echo "  job by order, $count certificates: DONE in $done_ms ms; last certificate per openssl ocsp at $visible_ms ms: $ocsp"
echo "  every cert.revoked acknowledged by the broker at $drained_ms ms"
IFS='|' read -r shard_count full_count shard_bytes listed <<< "$(sql "$shards_sql")"
echo "  every shard's CRL re-signed and stored at $shards_ms ms: $shard_count shards ($full_count full CRLs, the" \
  "rest deltas), $shard_bytes bytes, $listed entries${RELAY_HELD:+ (relay held: none)}"
echo "  CPU: revocation $(( ($(cpu_of "$rev") - r0) * 1000 / ticks )) ms, postgres $(( ($(postgres_cpu) - p0) * 1000 / ticks )) ms," \
  "broker $(( ($(cpu_of "$broker") - b0) * 1000 / ticks )) ms, signer $(( ($(cpu_of "$signer") - s0) * 1000 / ticks )) ms"
operator_curl bench-revoker -fsS "$api/revocations/jobs/$job"; echo
# OCSP answers "revoked" from each commit; the stored responses follow: every revoked one pre-signed again.
[ -z "$presigning" ] || echo "  every revoked certificate's OCSP response pre-signed again at $(presigned "$start") from the job's start"
