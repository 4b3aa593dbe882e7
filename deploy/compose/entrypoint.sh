#!/usr/bin/env bash
# The container side of docker-compose.yml: one image, one role per container, the same scripts as on one machine,
# with IMPRINT_WORK on a volume the containers share (token, certificates, identities, secrets).
#   entrypoint.sh ceremony     the SoftHSM2 token and the CA ceremony, every identity, an empty roles file (idempotent)
#   entrypoint.sh event-plane  topics and ACLs of deploy/local/topics.conf and acls.conf applied (waits for the broker)
#   entrypoint.sh MODULE       one service in the foreground (csr-intake, signer, audit, fleet-registry, revocation)
#   entrypoint.sh run MODULE   one service with the environment as given, no shared work folder (Kubernetes:
#                              deploy/k8s/services, settings from ConfigMaps and Secrets)
set -euo pipefail
here=/opt/imprint/deploy/local
source "$here/env.sh"
role=${1:?usage: entrypoint.sh ceremony|event-plane|MODULE}
case $role in
  ceremony)
    bash "$here/ca-ceremony.sh"
    # The broker's certificate names the broker's container; each service's, its own (its HTTPS port).
    IMPRINT_SERVER_NAMES=kafka,csr-intake,signer,audit,fleet-registry,revocation,localhost \
      bash "$here/identities.sh" broker admin sre csr-intake signer audit fleet-registry revocation
    mkdir -p "$IMPRINT_OPERATORS" && chmod 700 "$IMPRINT_OPERATORS" && touch "$IMPRINT_OPERATORS/roles.properties"
    ;;
  event-plane)
    exec bash "$here/kafka.sh" apply --wait 120
    ;;
  csr-intake | signer | audit | fleet-registry | revocation)
    export_service_environment
    export QUARKUS_HTTP_PORT=8080 QUARKUS_HTTP_SSL_PORT=8443
    export IMPRINT_EVENT_PLANE_IDENTITY=$IMPRINT_IDENTITIES/$role/identity.pem
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    exec java ${JAVA_OPTS:-} -jar "/opt/imprint/$role/target/quarkus-app/quarkus-run.jar"
    ;;
  run)
    module=${2:?usage: entrypoint.sh run MODULE}
    case $module in csr-intake | signer | audit | fleet-registry | revocation) ;; *) echo "entrypoint: unknown module $module" >&2; exit 64 ;; esac
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    exec java ${JAVA_OPTS:-} -jar "/opt/imprint/$module/target/quarkus-app/quarkus-run.jar"
    ;;
  *)
    echo "entrypoint: unknown role $role" >&2
    exit 64
    ;;
esac
