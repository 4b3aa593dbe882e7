#!/usr/bin/env bash
# Checks what the local scripts need and installs the Debian packages that are missing (when run as root).
#   prereqs.sh [--postgres-server] [--tpm] [--deploy-checks]
#     --postgres-server  also a PostgreSQL server, unless IMPRINT_DB_HOST names one (the tests)
#     --tpm              also a software TPM and its tools (swtpm, tpm2-tools), for the TPM attestation tests
#     --deploy-checks    also docker-compose (checks docker-compose.yml without an engine), Prometheus' promtool
#                        (checks the alert rules) and npm (the Kubernetes schema check's tools), for the tests
set -euo pipefail
missing=()
fresh_postgres=false
for flag in "$@"; do
  case $flag in
    --postgres-server)
      if [ -z "${IMPRINT_DB_HOST:-}" ] && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        missing+=(postgresql)
        fresh_postgres=true
      fi ;;
    --tpm)
      command -v swtpm >/dev/null || missing+=(swtpm)
      command -v swtpm_setup >/dev/null || missing+=(swtpm-tools)
      command -v tpm2_certify >/dev/null || missing+=(tpm2-tools) ;;
    --deploy-checks)
      command -v docker-compose >/dev/null || missing+=(docker-compose)
      command -v promtool >/dev/null || missing+=(prometheus)
      command -v npm >/dev/null || missing+=(nodejs npm) ;;
    *) echo "prereqs: unknown option $flag" >&2; exit 2 ;;
  esac
done
command -v java >/dev/null || { echo "prereqs: Java 17+ is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "prereqs: Maven is required" >&2; exit 1; }
[ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
command -v pkcs11-tool >/dev/null || missing+=(opensc)
command -v kcat >/dev/null || missing+=(kcat)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "prereqs: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "prereqs: missing ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
if $fresh_postgres; then
  # A cluster we just installed: let loopback connections in as on our machines (trust, 127.0.0.1 only).
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    version=$(basename "$(dirname "$(dirname "$hba")")")
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
  done
fi
