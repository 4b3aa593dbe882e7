#!/usr/bin/env bash
# OCSP responses per second on loopback, side by side in one run: Imprint's responder against `openssl ocsp` (the
# OpenSSL reference responder, -multi 2, a fresh one per client since it stalls on an idle connection) answering for
# the same serials from an index file, and against Debian's `cfssl ocspserve` serving the very responses Imprint
# pre-signed for them (it only serves pre-signed responses: a nonce is not echoed). Each is driven by wrk (keep-alive, WRK_CONNECTIONS) and by ab (a new
# connection per request), with the same RFC 5019 request (one certificate, no nonce) and with a nonce (signed on
# demand). Imprint runs with its suite (broker, PostgreSQL, token) in a work folder of its own; the CPU each process
# spent is printed for each Imprint run.
#   bash deploy/local/bench-ocsp.sh [SECONDS per run (default 10)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-10}
connections=${WRK_CONNECTIONS:-32}
export IMPRINT_WORK=${IMPRINT_WORK:-$(cd "$here/../.." && pwd)/work/bench-ocsp}
export IMPRINT_KAFKA_PORT=${IMPRINT_KAFKA_PORT:-29892}
export IMPRINT_PORT_BASE=${IMPRINT_PORT_BASE:-18880}
export IMPRINT_DB_NAME=${IMPRINT_DB_NAME:-imprint_bench_ocsp}
source "$here/env.sh"
command -v wrk >/dev/null && command -v ab >/dev/null && command -v cfssl >/dev/null ||
  { echo "bench-ocsp: needs wrk, ab and cfssl (apt-get install wrk apache2-utils golang-cfssl)" >&2; exit 1; }

[ "${NO_BUILD:-}" = 1 ] || (cd "$IMPRINT_ROOT" && mvn -B -q -DskipTests package)
IMPRINT_SERVICES="signer revocation" bash "$here/start-all.sh" --allow-embedded >/dev/null
trap 'IMPRINT_SERVICES="signer revocation" bash "$here/stop-all.sh" >/dev/null 2>&1; [ -n "${peer:-}" ] && stop_peer' EXIT
eval "$(bash "$here/postgres.sh" ensure --allow-embedded)"
sql() { PGPASSWORD=${IMPRINT_DB_PASSWORD:-} psql -qtAX "postgresql://${IMPRINT_DB_USER:-postgres}@127.0.0.1:5432/$IMPRINT_DB_NAME" -c "$1"; }
url=http://127.0.0.1:$(service_port revocation)
dir=$IMPRINT_WORK/bench-ocsp
mkdir -p "$dir"
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
postgres_cpu() { local t=0 p; for p in $(pgrep -x postgres); do t=$((t + $(cpu_of "$p"))); done; echo $t; }
ticks=$(getconf CLK_TCK)

# The same 1,000 serials for both: recorded as issued by Imprint's issuing CA, listed in openssl's index.
issuer=$(openssl x509 -in "$IMPRINT_CERTS/issuing-ca.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
tag=$(date +%s)
sql "INSERT INTO revocation.issued_certificate (serial_number, issuer, device_id, request_id, issued_at)
     SELECT 'c' || lpad(to_hex(i), 7, '0') || '$tag', '$issuer', 'ocsp-bench-' || i, md5('$tag' || i), now()
     FROM generate_series(1, 1000) AS i ON CONFLICT DO NOTHING"
: > "$dir/index.txt"
for i in $(seq 1 1000); do
  printf 'V\t991231235959Z\t\t%s\tunknown\t/CN=ocsp-bench-%d\n' "$(printf 'C%07X%s' "$i" "$tag")" "$i" >> "$dir/index.txt"
done
# Imprint pre-signs a response for each as it is recorded; cfssl gets the same responses.
for _ in $(seq 1 120); do
  [ "$(sql "SELECT count(*) FROM revocation.ocsp_response WHERE serial_number LIKE '%$tag'")" = 1000 ] && break
  sleep 0.5
done
sql "SELECT translate(encode(response, 'base64'), E'\n', '') FROM revocation.ocsp_response
     WHERE serial_number LIKE '%$tag'" > "$dir/cfssl-responses.b64"
[ "$(wc -l < "$dir/cfssl-responses.b64")" = 1000 ] || { echo "bench-ocsp: Imprint did not pre-sign 1,000 responses" >&2; exit 1; }
serial=0x$(printf 'c%07x%s' 500 "$tag")
openssl ocsp -issuer "$IMPRINT_CERTS/issuing-ca.pem" -serial "$serial" -no_nonce -reqout "$dir/plain.der" >/dev/null
openssl ocsp -issuer "$IMPRINT_CERTS/issuing-ca.pem" -serial "$serial" -reqout "$dir/nonce.der" >/dev/null
# openssl's responder signs with a software key of its own (same curve as Imprint's responder key).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/peer.key" -out "$dir/peer.pem" \
  -subj "/CN=openssl ocsp bench responder" -days 2 >/dev/null 2>&1
cat > "$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/ocsp-request"
local f = io.open(os.getenv("OCSP_REQUEST"), "rb"); wrk.body = f:read("*a"); f:close()
LUA
answers() { openssl ocsp -reqin "$dir/$1" -url "$2" -no_nonce -noverify -resp_text 2>&1 | grep -c "Cert Status: good" || true; }
# A client that stalls (openssl ocsp does, on an idle connection) is stopped and its figure reported as "stalled".
wrk_rate() {
  OCSP_REQUEST=$dir/$1 timeout $((seconds + 30)) wrk -t2 -c"$connections" -d"${seconds}s" -s "$dir/post.lua" "$2" 2>&1 \
    | awk '/Requests\/sec/ {print $2; found = 1} END {if (!found) print "stalled"}'
}
ab_rate() {
  timeout 120 ab -q -n "$3" -c "$connections" -p "$dir/$1" -T application/ocsp-request "$2" 2>&1 \
    | awk '/Requests per second/ {print $4; found = 1} END {if (!found) print "stalled"}'
}
# The best of three runs (each responder alike): the 2 cores are shared with the client, and runs vary.
ab_best() {
  local best=0 r i
  for i in 1 2 3; do
    [ -z "${fresh_peer:-}" ] || start_peer
    r=$(ab_rate "$@")
    [ -z "${fresh_peer:-}" ] || stop_peer
    best=$(awk -v a="$best" -v b="$r" 'BEGIN {print (b + 0 > a + 0) ? b : a}')
  done
  echo "$best"
}
max() { awk -v a="$1" -v b="$2" 'BEGIN {print (a + 0 > b + 0) ? a : b}'; }
start_peer() {
  openssl ocsp -index "$dir/index.txt" -port 18999 -rsigner "$dir/peer.pem" -rkey "$dir/peer.key" \
    -CA "$IMPRINT_CERTS/issuing-ca.pem" -multi 2 -ignore_err >/dev/null 2>&1 &
  peer=$!
  # Only a port check: openssl ocsp stalls on a connection that sends no request.
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/18999) 2>/dev/null && break; sleep 0.1; done
}
# -multi forks workers that outlive their parent (and spin once stalled): stop them all, by their command line.
stop_peer() {
  pkill -f "openssl ocsp -index $dir/index.txt" 2>/dev/null || true
  wait "$peer" 2>/dev/null || true
  peer=""
}

start_cfssl() {
  cfssl ocspserve -address 127.0.0.1 -port 18998 -responses "$dir/cfssl-responses.b64" -loglevel 5 >/dev/null 2>&1 &
  cfssl_pid=$!
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/18998) 2>/dev/null && break; sleep 0.1; done
}
stop_cfssl() { kill "$cfssl_pid" 2>/dev/null || true; wait "$cfssl_pid" 2>/dev/null || true; }

[ "$(answers plain.der "$url/ocsp")" = 1 ] || { echo "bench-ocsp: Imprint does not answer good for $serial" >&2; exit 1; }
rev=$(cat "$IMPRINT_PIDS/revocation.pid"); broker=$(cat "$IMPRINT_WORK/kafka-$IMPRINT_KAFKA_PORT/broker.pid")
printf '%-34s %12s %12s\n' "responder, request" "wrk req/s" "ab req/s"
for request in plain.der nonce.der; do
  wrk_rate "$request" "$url/ocsp" >/dev/null # warm-up
  r0=$(cpu_of "$rev"); p0=$(postgres_cpu)
  w=$(wrk_rate "$request" "$url/ocsp")
  r1=$(cpu_of "$rev"); p1=$(postgres_cpu)
  # A connection per request runs code keep-alive does not: warmed up (the JIT) before it is measured.
  ab_rate "$request" "$url/ocsp" 30000 >/dev/null
  a=$(ab_best "$request" "$url/ocsp" 30000)
  [ "$request" = plain.der ] && imprint_wrk=$w imprint_ab=$a
  printf '%-34s %12s %12s   (wrk run: revocation %s ms CPU per 1,000, postgres %s)\n' "Imprint, $request" "$w" "$a" \
    "$(awk -v c=$((r1 - r0)) -v t="$ticks" -v n="$w" -v s="$seconds" 'BEGIN {printf "%.0f", c * 1000 / t / (n * s) * 1000}')" \
    "$(awk -v c=$((p1 - p0)) -v t="$ticks" -v n="$w" -v s="$seconds" 'BEGIN {printf "%.0f", c * 1000 / t / (n * s) * 1000}')"
  start_peer
  [ "$(timeout 20 bash -c "$(declare -f answers); dir=$dir answers $request http://127.0.0.1:18999/")" = 1 ] \
    || echo "  (openssl ocsp did not answer good)"
  w=$(wrk_rate "$request" http://127.0.0.1:18999/)
  stop_peer
  a=$(fresh_peer=1 ab_best "$request" http://127.0.0.1:18999/ 5000)
  printf '%-34s %12s %12s\n' "openssl ocsp -multi 2, $request" "$w" "$a"
  best_wrk=$(max "${best_wrk:-0}" "$w"); best_ab=$(max "${best_ab:-0}" "$a")
done
start_cfssl
trap 'IMPRINT_SERVICES="signer revocation" bash "$here/stop-all.sh" >/dev/null 2>&1; stop_cfssl' EXIT
[ "$(answers plain.der http://127.0.0.1:18998/)" = 1 ] || echo "  (cfssl ocspserve did not answer good)"
wrk_rate plain.der http://127.0.0.1:18998/ >/dev/null # warm-up
c0=$(cpu_of "$cfssl_pid")
w=$(wrk_rate plain.der http://127.0.0.1:18998/)
c1=$(cpu_of "$cfssl_pid")
ab_rate plain.der http://127.0.0.1:18998/ 30000 >/dev/null
a=$(ab_best plain.der http://127.0.0.1:18998/ 30000)
printf '%-34s %12s %12s   (wrk run: cfssl %s ms CPU per 1,000)\n' "cfssl ocspserve, plain.der" "$w" "$a" \
  "$(awk -v c=$((c1 - c0)) -v t="$ticks" -v n="$w" -v s="$seconds" 'BEGIN {printf "%.0f", c * 1000 / t / (n * s) * 1000}')"
best_wrk=$(max "$best_wrk" "$w"); best_ab=$(max "$best_ab" "$a")
printf 'Imprint (RFC 5019 request) against the best peer (any request): %s x with wrk, %s x with ab\n' \
  "$(awk -v i="$imprint_wrk" -v b="$best_wrk" 'BEGIN {printf "%.2f", i / b}')" \
  "$(awk -v i="$imprint_ab" -v b="$best_ab" 'BEGIN {printf "%.2f", i / b}')"
