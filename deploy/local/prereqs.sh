#!/usr/bin/env bash
# Checks what the local scripts need and installs the Debian packages that are missing (when run as root).
set -euo pipefail
missing=()
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
