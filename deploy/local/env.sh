# Shared settings of the local scripts; sourced, not run. Every value can be overridden from the environment.
# IMPRINT_WORK keeps runs apart: the demo uses <repo>/work, the system tests <repo>/work/system-test.
IMPRINT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export IMPRINT_WORK=${IMPRINT_WORK:-$IMPRINT_ROOT/work}
export IMPRINT_KAFKA_PORT=${IMPRINT_KAFKA_PORT:-9092}
# Where clients reach the broker: the local one, unless IMPRINT_KAFKA_BOOTSTRAP names another (docker-compose.yml).
export KAFKA_BOOTSTRAP_SERVERS=${IMPRINT_KAFKA_BOOTSTRAP:-127.0.0.1:$IMPRINT_KAFKA_PORT}
# HTTP ports: csr-intake base+1, signer +2, audit +3, fleet-registry +4, revocation +5.
export IMPRINT_PORT_BASE=${IMPRINT_PORT_BASE:-8080}
export IMPRINT_DB_NAME=${IMPRINT_DB_NAME:-imprint}
# Where relying parties fetch CRLs and OCSP (revocation's port): written into every certificate, CA certificates too.
export IMPRINT_PUBLIC_URL=${IMPRINT_PUBLIC_URL:-http://127.0.0.1:$((IMPRINT_PORT_BASE + 5))}
# The site's token (SoftHSM2 here): IMPRINT_TOKEN names one of its own, with its own PINs (the offline factory's site,
# deploy/factory-edge/sites.sh); unset, the work folder's one token, which holds the roots.
IMPRINT_TOKEN_SUFFIX=${IMPRINT_TOKEN:+-$IMPRINT_TOKEN}
export SOFTHSM2_CONF=$IMPRINT_WORK/softhsm$IMPRINT_TOKEN_SUFFIX/softhsm2.conf
IMPRINT_SECRETS=$IMPRINT_WORK/secrets
IMPRINT_CERTS=$IMPRINT_WORK/certs
# Service identities (key + certificate chain from the service CA), one folder each: deploy/local/identities.sh.
IMPRINT_IDENTITIES=$IMPRINT_WORK/identities
# Operator identities (key + certificate chain from the operator CA) and their roles: deploy/local/operators.sh.
IMPRINT_OPERATORS=$IMPRINT_WORK/operators
IMPRINT_LOGS=$IMPRINT_WORK/logs
IMPRINT_PIDS=$IMPRINT_WORK/pids
IMPRINT_SERVICES=${IMPRINT_SERVICES:-"csr-intake signer audit fleet-registry revocation"}
# csr-intake scales out: instances 2.. share its consumer group and database, on ports base+11, base+21, ...
IMPRINT_INTAKE_INSTANCES=${IMPRINT_INTAKE_INSTANCES:-1}

# The processes to run: each service once, csr-intake as csr-intake, csr-intake-2, ...
service_instances() {
  local service i
  for service in $IMPRINT_SERVICES; do
    echo "$service"
    if [ "$service" = csr-intake ]; then
      for i in $(seq 2 "$IMPRINT_INTAKE_INSTANCES"); do echo "csr-intake-$i"; done
    fi
  done
}

service_port() {
  case "$1" in
    csr-intake) echo $((IMPRINT_PORT_BASE + 1)) ;;
    csr-intake-*) echo $((IMPRINT_PORT_BASE + 10 * (${1#csr-intake-} - 1) + 1)) ;;
    signer) echo $((IMPRINT_PORT_BASE + 2)) ;;
    audit) echo $((IMPRINT_PORT_BASE + 3)) ;;
    fleet-registry) echo $((IMPRINT_PORT_BASE + 4)) ;;
    revocation) echo $((IMPRINT_PORT_BASE + 5)) ;;
  esac
}

# The HTTPS port of a service's operator APIs (client certificates from the operator CA): its HTTP port + 400.
service_tls_port() {
  echo $(($(service_port "$1") + 400))
}

# Prepares DIR/key.pem and DIR/pub.pem to enrol: the key of DIR/identity.pem when there is one (re-enrolment
# keeps the key), else a new P-256 key, readable by its owner only. identity_from_enrolment joins the key and the
# certificate the ceremony wrote (DIR/cert.pem) into DIR/identity.pem and removes the rest.
key_to_enrol() {
  mkdir -p "$1" && chmod 700 "$1"
  if [ -s "$1/identity.pem" ]; then
    (umask 077 && openssl pkey -in "$1/identity.pem" -out "$1/key.pem")
  else
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1/key.pem")
  fi
  openssl pkey -in "$1/key.pem" -pubout -out "$1/pub.pem"
}

identity_from_enrolment() {
  (umask 077 && cat "$1/key.pem" "$1/cert.pem" > "$1/identity.pem.new" && mv "$1/identity.pem.new" "$1/identity.pem")
  rm -f "$1/key.pem" "$1/pub.pem" "$1/cert.pem"
}

# A service's operator API base URL (HTTPS, client certificates from the operator CA).
operator_url() {
  echo "https://127.0.0.1:$(service_tls_port "$1")"
}

# curl as operator $1 (enrolled by deploy/local/operators.sh): their certificate, the service trusted under the
# infrastructure root.
operator_curl() {
  local name=$1
  shift
  curl --cert "$IMPRINT_OPERATORS/$name/identity.pem" --cacert "$IMPRINT_CERTS/infrastructure-root-ca.pem" "$@"
}

# A random secret in a file only its owner can read, created once.
# What every service reads from its environment besides its ports and identity (start-all.sh, and
# deploy/compose/entrypoint.sh in a container): the token's PIN file, the operator CA and roles, the station CA, the
# roots whose CRLs revocation serves, the CAs the event plane and audit trust. After the ceremony.
export_service_environment() {
  export IMPRINT_HSM_PIN_FILE
  IMPRINT_HSM_PIN_FILE=$(secret_file "hsm-user-pin$IMPRINT_TOKEN_SUFFIX")
  # Operators: client certificates from the operator CA, roles from the roles file (deploy/local/operators.sh).
  export IMPRINT_OPERATORS_CA=$IMPRINT_CERTS/operator-ca.pem
  export IMPRINT_OPERATORS_ROLES_FILE=$IMPRINT_OPERATORS/roles.properties
  export IMPRINT_INTAKE_STATION_CA=$IMPRINT_CERTS/station-ca.pem
  # The roots' own CRLs, signed in the ceremony (ca-ceremony.sh revoke-ca, sign-root-crl), served by revocation.
  export IMPRINT_REVOCATION_ROOTS=$IMPRINT_CERTS/root-ca.pem,$IMPRINT_CERTS/infrastructure-root-ca.pem
  export IMPRINT_REVOCATION_ROOT_CRLS=$IMPRINT_CERTS/root-crls
  # The event plane: every issuing CA the ceremony exported (rollovers and per-factory CAs included) is one whose
  # cert.issued events audit, fleet-registry and revocation accept.
  export IMPRINT_EVENT_PLANE_SERVICE_CA=$IMPRINT_CERTS/service-ca.pem
  IMPRINT_EVENT_PLANE_ISSUING_CAS=$(ls "$IMPRINT_CERTS"/issuing-ca*.pem | paste -sd, -)
  export IMPRINT_EVENT_PLANE_ISSUING_CAS
  # Audit logs the ceremony transcripts sealed under either root.
  export IMPRINT_AUDIT_CEREMONY_ROOTS=$IMPRINT_CERTS/root-ca.pem,$IMPRINT_CERTS/infrastructure-root-ca.pem
}

secret_file() {
  local file=$IMPRINT_SECRETS/$1
  if [ ! -s "$file" ]; then
    mkdir -p "$IMPRINT_SECRETS" && chmod 700 "$IMPRINT_SECRETS"
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$file")
  fi
  echo "$file"
}

# Kafka client settings for the identity $1, for Kafka's own Java tools (--command-config, --consumer.config):
# mutual TLS, trusting the broker because the service CA issued its certificate.
client_properties() {
  local file=$IMPRINT_IDENTITIES/$1/client.properties
  if [ ! -s "$file" ]; then
    cat > "$file" <<PROPS
security.protocol=SSL
ssl.keystore.type=PEM
ssl.keystore.location=$IMPRINT_IDENTITIES/$1/identity.pem
ssl.truststore.type=PEM
ssl.truststore.location=$IMPRINT_CERTS/service-ca.pem
PROPS
  fi
  echo "$file"
}

# kcat's flags for the identity $1 (its key and chain are in one PEM file). OpenSSL, under kcat, wants a
# self-signed anchor: the infrastructure root, which the broker's chain (broker, service CA) leads to.
kcat_tls() {
  echo "-X security.protocol=ssl -X ssl.key.location=$IMPRINT_IDENTITIES/$1/identity.pem" \
    "-X ssl.certificate.location=$IMPRINT_IDENTITIES/$1/identity.pem" \
    "-X ssl.ca.location=$IMPRINT_CERTS/infrastructure-root-ca.pem"
}

# Whether process $1 runs. A process killed with SIGKILL stays a zombie until reaped, and in a container
# whose init does not reap, kill -0 still succeeds on it: zombies count as gone.
alive() {
  local state
  [ -r "/proc/$1/stat" ] || return 1
  state=$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)
  [ "$state" != Z ]
}
