#!/usr/bin/env bash
# Checks docker-compose.yml without a Docker engine: docker-compose parses and resolves it (`config -q`), it refuses
# to resolve without a database password, it names every container the suite needs, and its broker has the local
# broker's security settings (deploy/local/kafka.sh). Run by deploy/local/test.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "compose check: $*" >&2; exit 1; }
# A password only to resolve the file; the file itself insists on one.
IMPRINT_DB_PASSWORD=check docker-compose -f docker-compose.yml config -q
if (unset IMPRINT_DB_PASSWORD; docker-compose -f docker-compose.yml config -q 2>/dev/null); then
  fail "docker-compose.yml resolves without IMPRINT_DB_PASSWORD"
fi
services=" $(IMPRINT_DB_PASSWORD=check docker-compose -f docker-compose.yml config --services | sort | tr '\n' ' ')"
for service in ceremony kafka event-plane postgres csr-intake signer audit fleet-registry revocation; do
  case $services in *" $service "*) ;; *) fail "no service $service in docker-compose.yml" ;; esac
done
# Same security as the local broker, with the container's names and paths (kafka.sh writes its settings through an
# unquoted here-document: \$ and \\ there are $ and \ in the file).
security='^(ssl\.|authorizer|allow\.everyone|super\.users|listener\.security|inter\.broker)'
local_broker=$(sed -n '/^process.roles=/,/^group.initial.rebalance.delay.ms=/p' deploy/local/kafka.sh |
  grep -E "$security" | grep -v location | sed 's/\\\\/\\/g; s/\\\$/$/g' | sort)
compose_broker=$(grep -E "$security" deploy/compose/server.properties | grep -v location | sort)
if [ "$local_broker" != "$compose_broker" ]; then
  diff <(echo "$local_broker") <(echo "$compose_broker") >&2 || true
  fail "deploy/compose/server.properties differs from the local broker's security settings (deploy/local/kafka.sh)"
fi
echo "compose check: docker-compose.yml resolves; services:$services"
