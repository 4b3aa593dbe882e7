#!/usr/bin/env bash
# Starts the broker, PostgreSQL, the token (with the CA ceremony) and the five services, each waiting until
# ready; each service connects to the broker with its own identity from the service CA (enrolled here if it
# has none). Expects a build (mvn -DskipTests package). Idempotent: what already runs is kept.
# Pass --allow-embedded to fall back to an embedded PostgreSQL when none is installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
mkdir -p "$IMPRINT_LOGS" "$IMPRINT_PIDS"

bash "$here/kafka.sh" start
eval "$(bash "$here/postgres.sh" ensure "$@")"
export IMPRINT_DB_URL IMPRINT_DB_USER IMPRINT_DB_PASSWORD
# An empty password is no password: unset, so audit's migrations fall back to theirs (loopback trust).
[ -n "${IMPRINT_DB_PASSWORD:-}" ] || unset IMPRINT_DB_PASSWORD
# shellcheck disable=SC2046
bash "$here/identities.sh" $(for service in $(service_instances); do echo "${service%-[0-9]*}"; done | sort -u)

# A roles file naming nobody is made when none exists: the operator APIs then refuse everyone until operators are
# enrolled.
[ -s "$IMPRINT_CERTS/operator-ca.pem" ] || bash "$here/ca-ceremony.sh" >/dev/null
mkdir -p "$IMPRINT_OPERATORS" && chmod 700 "$IMPRINT_OPERATORS" && touch "$IMPRINT_OPERATORS/roles.properties"
export_service_environment

for service in $(service_instances); do
  pidfile=$IMPRINT_PIDS/$service.pid
  if [ -f "$pidfile" ] && alive "$(cat "$pidfile")"; then
    echo "$service: already running (pid $(cat "$pidfile"))"
    continue
  fi
  module=${service%-[0-9]*}
  app=$IMPRINT_ROOT/$module/target/quarkus-app/quarkus-run.jar
  [ -f "$app" ] || { echo "$service: $app missing; build first (mvn -DskipTests package)" >&2; exit 1; }
  options=()
  heap=(-Xms64m -Xmx384m)
  # The signer holds a whole batch (up to IMPRINT_SIGNER_BATCH requests and their certificates) in flight,
  # and the crypto allocates briskly: a small heap spends a tenth of its time collecting. It works in
  # batches, so throughput matters more than pause times: the parallel collector gave about 8% more, and a
  # large young generation (little survives a batch) halved the collector's CPU per certificate.
  [ "$module" = signer ] && heap=(-Xms1g -Xmx1g -Xmn700m -XX:+UseParallelGC)
  # Audit keeps its Merkle tree in memory (64 bytes a log entry) and a reconciliation holds each device of its
  # scope (about 200 bytes): 512 MB reconciles a million devices over a log of a million entries.
  [ "$module" = audit ] && heap=(-Xms64m -Xmx512m)
  # The demo's simulated secure-element vendor (deploy/local/demo.sh); real vendor roots are configured alike.
  if [ "$module" = csr-intake ] && [ -f "$IMPRINT_WORK/vendor/root.pem" ]; then
    options+=("-Dimprint.intake.vendor-roots.ATECC608A=$IMPRINT_WORK/vendor/root.pem")
  fi
  # Extra JVM options per module, after the defaults so they win: IMPRINT_<MODULE>_JAVA_OPTS, e.g.
  # IMPRINT_CSR_INTAKE_JAVA_OPTS=-Dimprint.intake.rate-limits.factories.<id>.factory-burst=... or
  # IMPRINT_SIGNER_JAVA_OPTS=-Xmx2g.
  extra_var=IMPRINT_$(echo "$module" | tr 'a-z-' 'A-Z_')_JAVA_OPTS
  if [ -n "${!extra_var:-}" ]; then
    read -r -a extra <<< "${!extra_var}"
    options+=("${extra[@]}")
  fi
  QUARKUS_HTTP_PORT=$(service_port "$service") QUARKUS_HTTP_SSL_PORT=$(service_tls_port "$service") \
    IMPRINT_EVENT_PLANE_IDENTITY=$IMPRINT_IDENTITIES/$module/identity.pem \
    nohup java "${heap[@]}" "${options[@]}" -jar "$app" > "$IMPRINT_LOGS/$service.log" 2>&1 &
  echo $! > "$pidfile"
done

for service in $(service_instances); do
  port=$(service_port "$service")
  ready=false
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; then ready=true; break; fi
    alive "$(cat "$IMPRINT_PIDS/$service.pid")" || break
    sleep 0.5
  done
  if ! $ready; then
    echo "$service: not ready on port $port; last lines of $IMPRINT_LOGS/$service.log:" >&2
    tail -30 "$IMPRINT_LOGS/$service.log" >&2
    exit 1
  fi
  tls=""
  [ "${service%-[0-9]*}" = signer ] || tls=", operators on https://127.0.0.1:$(service_tls_port "$service")"
  echo "$service: ready on http://127.0.0.1:$port$tls (log $IMPRINT_LOGS/$service.log)"
done
