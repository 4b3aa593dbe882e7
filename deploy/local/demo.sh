#!/usr/bin/env bash
# The main job, end to end on real parts: builds Imprint, starts a Kafka broker (mutual TLS and ACLs only),
# PostgreSQL, a SoftHSM2 token (CA ceremony) and the five services; enrols a factory station and grants it
# its broker rights; opens a production order for DEVICES devices (default 100) that requires secure-element
# attestation; the station submits EXTRA (default 5) more than ordered, so exactly DEVICES are provisioned and
# EXTRA are refused QUOTA_EXHAUSTED; revokes one; tries what a rogue factory would with kcat; ships every device
# but the revoked one (a warehouse file uploaded to audit) and prints audit's reconciliation of the order, signed
# off; prints what happened, checked with openssl where it can be.
# Leaves everything running; stop it with deploy/local/stop-all.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
devices=${DEVICES:-100}
factory=${FACTORY_ID:-factory-demo}
station=${STATION_ID:-station-01}
extra=${EXTRA:-5}
order=${ORDER_ID:-order-$(date +%Y%m%d-%H%M%S)}

step() { printf '\n== %s\n' "$*"; }

step "Checking prerequisites"
bash "$here/prereqs.sh"
step "Building (mvn -DskipTests package)"
(cd "$IMPRINT_ROOT" && mvn -B -q -DskipTests package)
gateway() { java -cp "$(ls "$IMPRINT_ROOT"/factory-gateway/target/factory-gateway-*.jar | head -1):$IMPRINT_ROOT/factory-gateway/target/lib/*" io.imprint.gateway.GatewayCli "$@"; }
step "Simulating a secure-element vendor (its root is what intake trusts for ATECC608A in this demo)"
gateway vendor-init --dir "$IMPRINT_WORK/vendor"
step "Enrolling operators with the operator CA: alice (order-admin), bob (revoker), carol (auditor)"
bash "$here/operators.sh" alice order-admin bob revoker carol auditor
step "Starting broker, database, token and services"
bash "$here/start-all.sh" --allow-embedded

step "Enrolling station $station of $factory (station key stays here; certificate from the station CA in the HSM)"
stations=$IMPRINT_WORK/stations/$station
mkdir -p "$stations"
gateway keygen --key "$stations/station.key" --public-key "$stations/station.pub.pem"
bash "$here/ca-ceremony.sh" enrol-station --factory "$factory" --station "$station" \
  --public-key "$stations/station.pub.pem" --hours 8 --out "$stations/station.crt" \
  --transcripts "$IMPRINT_CERTS/transcripts"
# Its broker rights (acls.conf): write submissions, read its own factory's results topic, nothing else.
bash "$here/kafka.sh" grant-station --factory "$factory" --station "$station"

step "Opening production order $order: $devices devices for $factory, attested ATECC608A only"
intake=$(operator_url csr-intake)
operator_curl alice -fsS -H 'Content-Type: application/json' \
  -d "{\"orderId\":\"$order\",\"factoryId\":\"$factory\",\"productModel\":\"demo-sensor\",\"quantity\":$devices,
       \"notAfter\":\"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)\",\"deviceIdPattern\":\"dev-[a-z0-9]+-[0-9]{5}\",
       \"secureElementTypes\":[\"ATECC608A\"],\"attestationRequired\":true}" "$intake/orders"
echo

step "Provisioning $((devices + extra)) devices under an order for $devices"
out=$IMPRINT_WORK/devices/$(date +%Y%m%d-%H%M%S)
mkdir -p "$(dirname "$out")"
set +e
gateway provision --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --key "$stations/station.key" --cert "$stations/station.crt" \
  --broker-ca "$IMPRINT_CERTS/service-ca.pem" --factory "$factory" --station "$station" --order "$order" \
  --devices "$((devices + extra))" --out "$out" --vendor "$IMPRINT_WORK/vendor" --secure-element ATECC608A \
  | tee "$out.log"
set -e
summary=$(grep '^summary:' "$out.log")
quota_refused=$(grep -c ' REJECTED .*QUOTA_EXHAUSTED' "$out.log" || true)
issued=$(echo "$summary" | sed -E 's/.* issued=([0-9]+).*/\1/')
provision_exit=0
[ "$issued" = "$devices" ] && [ "$quota_refused" = "$extra" ] || provision_exit=1
order_state=$(operator_curl alice -fsS "$intake/orders/$order")
certs=("$out"/*.pem)
[ -f "${certs[0]}" ] || { echo "no certificate was issued; see $IMPRINT_LOGS" >&2; exit 1; }
verified=$(openssl verify -purpose sslclient -CAfile "$IMPRINT_CERTS/root-ca.pem" -untrusted "$IMPRINT_CERTS/issuing-ca.pem" \
  "${certs[@]}" | grep -c ': OK$' || true)
station_as_device=$(openssl verify -purpose sslclient -CAfile "$IMPRINT_CERTS/root-ca.pem" \
  -untrusted "$IMPRINT_CERTS/station-ca.pem" "$stations/station.crt" >/dev/null 2>&1 && echo ACCEPTED || echo refused)

revoked_pem=${certs[0]}
good_pem=${certs[${#certs[@]}-1]}
serial=$(openssl x509 -in "$revoked_pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//')
step "Revoking $(basename "$revoked_pem" .pem) (serial $serial, keyCompromise)"
revocation=http://127.0.0.1:$(service_port revocation)
revocation_api=$(operator_url revocation)
# revocation learns serials from cert.issued at its own pace; a serial it has not recorded yet but that is in
# cert.issued is waited for (503 ISSUANCE_NOT_YET_RECORDED, with Retry-After, if that takes over 20 s).
for _ in $(seq 1 10); do
  status=$(operator_curl bob -sS -o "$IMPRINT_WORK/revocation.json" -w '%{http_code}' \
    -H 'Content-Type: application/json' \
    -d "{\"serialNumber\":\"$serial\",\"reason\":\"KEY_COMPROMISE\"}" "$revocation_api/revocations")
  [ "$status" != 503 ] && break
  sleep 5
done
echo "HTTP $status $(cat "$IMPRINT_WORK/revocation.json")"
# Operators are people with roles: an auditor may not revoke, and nobody without a certificate reads revocations.
auditor_revokes=$(operator_curl carol -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"serialNumber\":\"$serial\"}" "$revocation_api/revocations")
anonymous_reads=$(curl -sS -o /dev/null -w '%{http_code}' "$revocation/revocations/$serial")
[ "$auditor_revokes" = 403 ] && [ "$anonymous_reads" = 401 ] || provision_exit=1
# A relying party finds the revocation from the certificate alone: its partition's CRL (CRL distribution point)
# and that partition's delta CRL (Freshest CRL), which lists it within about a second.
uri_in() { openssl x509 -in "$1" -noout -ext "$2" 2>/dev/null | grep -o 'URI:.*' | head -1 | cut -c5-; }
crl_url=$(uri_in "$revoked_pem" crlDistributionPoints)
delta_url=$(uri_in "$revoked_pem" freshestCRL)
crl=$IMPRINT_WORK/crl.der
delta=$IMPRINT_WORK/delta-crl.der
crl_listed="NOT listed"
for _ in $(seq 1 60); do
  curl -fsS -o "$crl" "$crl_url" 2>/dev/null || true
  rm -f "$delta"; [ -z "$delta_url" ] || curl -fsS -o "$delta" "$delta_url" 2>/dev/null || true
  for f in "$crl" "$delta"; do
    if [ -s "$f" ] && openssl crl -inform DER -in "$f" -noout -text | tr 'A-Z' 'a-z' | grep -q "serial number: 0*$serial"; then
      crl_listed="listed in $( [ "$f" = "$delta" ] && echo "the delta CRL" || echo "the full CRL")"
    fi
  done
  [ "$crl_listed" != "NOT listed" ] && break
  sleep 0.5
done
openssl crl -inform DER -in "$crl" -out "$crl.pem" 2>/dev/null || true
crl_files=(-CRLfile "$crl.pem")
if [ -s "$delta" ]; then
  openssl crl -inform DER -in "$delta" -out "$delta.pem"
  crl_files+=(-CRLfile "$delta.pem")
fi
crl_verdict=$(openssl verify -crl_check -use_deltas -CAfile "$IMPRINT_CERTS/root-ca.pem" \
  -untrusted "$IMPRINT_CERTS/issuing-ca.pem" "${crl_files[@]}" "$revoked_pem" 2>&1 | grep -o 'certificate revoked' | head -1 || true)
[ "$crl_verdict" = "certificate revoked" ] || provision_exit=1

ocsp_status() {
  openssl ocsp -issuer "$IMPRINT_CERTS/issuing-ca.pem" -cert "$1" -url "$revocation/ocsp" \
    -CAfile "$IMPRINT_CERTS/root-ca.pem" -verify_other "$IMPRINT_CERTS/issuing-ca.pem" 2>/dev/null |
    grep "^$1:" | sed 's/^.*: //' | head -1
}
step "Trying what a rogue factory would, with kcat and the station's own certificate"
forged=$IMPRINT_WORK/forged-accepted.json
printf '{"requestId":"forged-%s","deviceId":"made-up","factoryId":"made-up","stationId":"made-up","orderId":"made-up","csr":"x","profile":"idevid","acceptedAt":"%s","serial":"4242424242424242424242424242abcd"}' \
  "$(cat /proc/sys/kernel/random/uuid)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$forged"
as_station=(-X security.protocol=ssl -X "ssl.key.location=$stations/station.key"
  -X "ssl.certificate.location=$stations/station.crt" -X "ssl.ca.location=$IMPRINT_CERTS/infrastructure-root-ca.pem")
forgery=$(kcat -b "$KAFKA_BOOTSTRAP_SERVERS" "${as_station[@]}" -X message.timeout.ms=10000 -P \
  -t imprint.csr.accepted.v1 "$forged" 2>&1 | grep -o 'Topic authorization failed' | head -1 || true)
echo "kcat -P -t imprint.csr.accepted.v1 (as $station): ${forgery:-ACCEPTED BY THE BROKER}"
anonymous=$(kcat -b "$KAFKA_BOOTSTRAP_SERVERS" -X security.protocol=ssl \
  -X "ssl.ca.location=$IMPRINT_CERTS/infrastructure-root-ca.pem" -L -m 5 >/dev/null 2>&1 && echo connected || echo "no connection")
echo "kcat -L without a client certificate: $anonymous"
[ -n "$forgery" ] && [ "$anonymous" = "no connection" ] && [ "$station_as_device" = refused ] || provision_exit=1

# Consumers catch up at their own pace: wait until every consumer group has read everything (lag 0). The
# SRE's identity may describe groups and read topics, and change nothing.
for _ in $(seq 1 30); do
  lag=$(java -cp "$here/kafka/lib/*" -Dlog4j2.configurationFile="$here/kafka/log4j2.properties" \
    org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" \
    --command-config "$(client_properties sre)" --describe --all-groups 2>/dev/null |
    awk '$6 ~ /^[0-9]+$/ && $6 > 0 {n += $6} END {print n + 0}')
  [ "$lag" = 0 ] && break
  sleep 1
done
audit_url=$(operator_url audit)
audit=$(operator_curl carol -fsS "$audit_url/audit/summary")
chain=$(operator_curl carol -fsS "$audit_url/audit/verify")

step "Shipping: the warehouse scans every device but the revoked one into a shipment; audit reconciles and signs off"
shipment=$IMPRINT_WORK/shipment-$order.csv
echo "shipment_id,order_id,factory_id,shipped_at,device_id,quantity" > "$shipment"
for pem in "${certs[@]}"; do
  [ "$pem" = "$revoked_pem" ] || echo "DN-$order,$order,$factory,$(date -u +%Y-%m-%d),$(basename "$pem" .pem)," >> "$shipment"
done
operator_curl alice -fsS -H 'Content-Type: text/csv' --data-binary "@$shipment" \
  "$audit_url/audit/shipments"
echo
# audit relays the file's shipment to imprint.shipment.recorded.v1; fleet-registry marks its devices shipped.
fleet_url=$(operator_url fleet-registry)
for _ in $(seq 1 30); do
  shipped=$(operator_curl carol -fsS "$fleet_url/devices?order=$order&status=shipped&limit=1000" | { grep -o '"deviceId"' || true; } | wc -l)
  [ "$shipped" -ge $((${#certs[@]} - 1)) ] && break
  sleep 1
done
fleet=$(operator_curl carol -fsS "$fleet_url/devices/stats")
# order_id,factory_id,ordered,provisioned,shipped,over_provisioned,provisioned_not_shipped,shipped_not_provisioned,
# duplicate_shipments,revoked_but_shipped,reprovisioned,rejected,rejected_by_reason,reconciled
reconciliation=$(operator_curl carol -fsS "$audit_url/audit/reconciliation.csv?order=$order" | sed -n 2p)
unshipped=$(operator_curl carol -fsS "$audit_url/audit/reconciliation/discrepancies.csv?order=$order" |
  awk -F, '$3 == "provisioned_not_shipped" {print $4}' | paste -sd' ' -)
sign_off=$(operator_curl carol -fsS -H 'Content-Type: application/json' \
  -d "{\"orderId\":\"$order\"}" "$audit_url/audit/reconciliation/sign-offs" | sed -E 's/.*"id":([0-9]+).*/\1/')
signed=$IMPRINT_WORK/sign-off-$sign_off
operator_curl carol -fsS -o "$signed.json" "$audit_url/audit/reconciliation/sign-offs/$sign_off/report.json"
operator_curl carol -fsS -o "$signed.p7s" "$audit_url/audit/reconciliation/sign-offs/$sign_off/report.p7s"
sign_off_check=$(openssl cms -verify -binary -inform DER -in "$signed.p7s" -content "$signed.json" \
  -CAfile "$IMPRINT_CERTS/infrastructure-root-ca.pem" -purpose any -out /dev/null 2>&1 | tail -1)

step "Filing the CA ceremonies' sealed transcripts with audit (hierarchy, service and station enrolments)"
filed=0 ceremony_refused=0
ceremony_commands=()
for text in "$IMPRINT_CERTS"/transcripts/*.txt; do
  answer=$(operator_curl carol -sS -F "transcript=@$text" \
    -F "signature=@${text%.txt}.p7s" "$audit_url/audit/ceremonies")
  if echo "$answer" | grep -q '"command"'; then
    filed=$((filed + 1))
    ceremony_commands+=("$(echo "$answer" | sed -E 's/.*"command":"([^"]+)".*/\1/')")
  else
    ceremony_refused=$((ceremony_refused + 1))
    echo "refused: $text: $answer"
  fi
done
ceremonies="$filed sealed transcripts filed, each logged once ($(printf '%s\n' "${ceremony_commands[@]}" | sort | uniq -c |
  awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')), $ceremony_refused refused"
[ "$ceremony_refused" = 0 ] && [ "$filed" -gt 0 ] || provision_exit=1

step "What happened"
echo "provisioning:   $summary"
echo "order:          $(echo "$order_state" | sed -E 's/.*"quantity":([0-9]+),"acceptedCount":([0-9]+),"remaining":([0-9]+).*/quantity \1, accepted \2, remaining \3/'); $quota_refused over-quota requests refused QUOTA_EXHAUSTED"
echo "openssl verify: $verified of ${#certs[@]} device certificates chain to the device root CA; the station's certificate as a device: $station_as_device"
echo "audit rows:     $audit (every run on this database); hash chain $chain"
echo "fleet devices:  this order: $shipped shipped; all: $fleet (every run on this database)"
echo "$reconciliation" | awk -F, -v unshipped="$unshipped" '{
  printf "reconciliation: order %s: ordered %s, provisioned %s, shipped %s, provisioned not shipped %s (%s), shipped not provisioned %s, duplicate shipments %s, revoked but shipped %s, rejected attempts %s (%s)\n",
    $1, $3, $4, $5, $7, unshipped, $8, $9, $10, $12, $13 }'
echo "$sign_off_check" | grep -q 'Verification successful' || provision_exit=1
echo "ceremonies:     $ceremonies"
echo "sign-off:       $sign_off ($signed.json, .p7s); openssl cms -verify under the infrastructure root: $sign_off_check"
ocsp_get=$(bash "$here/ocsp-get.sh" "$revocation/ocsp" "$IMPRINT_CERTS/issuing-ca.pem" "$IMPRINT_CERTS/root-ca.pem" \
  "${certs[@]}" 2>&1) || provision_exit=1
echo "OCSP (openssl): $(basename "$good_pem" .pem) -> $(ocsp_status "$good_pem"); $(basename "$revoked_pem" .pem) -> $(ocsp_status "$revoked_pem")"
echo "OCSP GET (curl, openssl): ${ocsp_get#OCSP over GET: }"
echo "CRL (openssl):  ${crl_url#http://127.0.0.1:*/} revoked serial $crl_listed; openssl verify -crl_check -use_deltas: ${crl_verdict:-NOT revoked}"
echo "operators:      bob (revoker) revoked -> HTTP $status; carol (auditor) revoking -> HTTP $auditor_revokes; reading a revocation without a certificate -> HTTP $anonymous_reads"
echo "event plane:    forged csr.accepted with the station's certificate -> ${forgery:-ACCEPTED}; no client certificate -> $anonymous"
echo
echo "Services keep running (logs in $IMPRINT_LOGS); stop them with: bash deploy/local/stop-all.sh"
exit "$provision_exit"
