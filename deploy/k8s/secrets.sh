#!/usr/bin/env bash
# The Secrets and ConfigMaps the Kubernetes manifests expect, from a CA ceremony's output (deploy/local/ca-ceremony.sh
# and identities.sh, in $IMPRINT_WORK), as YAML on standard output, to pipe straight into kubectl:
#   IMPRINT_DB_PASSWORD=... bash deploy/k8s/secrets.sh | kubectl apply -n imprint -f -
# It holds private keys and PINs: never write it to a file in a repository. The identities must name the cluster's
# Kafka addresses (README, "Kubernetes"): IMPRINT_SERVER_NAMES when running identities.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../local/env.sh"
: "${IMPRINT_DB_PASSWORD:?set IMPRINT_DB_PASSWORD to the database password}"
services=(csr-intake signer audit fleet-registry revocation)
for name in broker "${services[@]}"; do
  [ -s "$IMPRINT_IDENTITIES/$name/identity.pem" ] ||
    { echo "k8s secrets: no identity $name in $IMPRINT_IDENTITIES: run deploy/local/identities.sh" >&2; exit 1; }
done
[ -s "$IMPRINT_CERTS/service-ca.pem" ] || { echo "k8s secrets: no CA ceremony in $IMPRINT_WORK" >&2; exit 1; }

b64() { base64 -w0; }
header() { # kind name
  printf -- '---\napiVersion: v1\nkind: "%s"\nmetadata:\n  name: "%s"\n  labels:\n    app.kubernetes.io/part-of: imprint\n' "$1" "$2"
}
certificates() { sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/p' "$1"; }

header Secret imprint-broker-identity
printf 'type: kubernetes.io/tls\ndata:\n  tls.crt: "%s"\n  tls.key: "%s"\n' \
  "$(certificates "$IMPRINT_IDENTITIES/broker/identity.pem" | b64)" \
  "$(openssl pkey -in "$IMPRINT_IDENTITIES/broker/identity.pem" | b64)"

header Secret imprint-client-cas
printf 'data:\n  client-cas.pem: "%s"\n' "$(cat "$IMPRINT_CERTS/service-ca.pem" "$IMPRINT_CERTS/station-ca.pem" | b64)"

header ConfigMap imprint-cas
printf 'binaryData:\n'
for pem in "$IMPRINT_CERTS"/*.pem; do
  printf '  %s: "%s"\n' "$(basename "$pem")" "$(b64 < "$pem")"
done

header ConfigMap imprint-operators
printf 'binaryData:\n  roles.properties: "%s"\n' "$(cat "$IMPRINT_OPERATORS/roles.properties" 2>/dev/null | b64)"

for service in "${services[@]}"; do
  header Secret "imprint-$service-identity"
  printf 'data:\n  identity.pem: "%s"\n' "$(b64 < "$IMPRINT_IDENTITIES/$service/identity.pem")"
done

header Secret imprint-hsm
printf 'data:\n  pin: "%s"\n  softhsm2.conf: "%s"\n' "$(b64 < "$(secret_file "hsm-user-pin$IMPRINT_TOKEN_SUFFIX")")" \
  "$(printf 'directories.tokendir = /var/lib/imprint/token\nobjectstore.backend = file\nlog.level = ERROR\n' | b64)"

header Secret imprint-database
printf 'data:\n  IMPRINT_DB_PASSWORD: "%s"\n' "$(printf %s "$IMPRINT_DB_PASSWORD" | b64)"
