#!/usr/bin/env bash
# Strimzi's KafkaTopic and KafkaUser resources from the declared files (deploy/local/topics.conf, acls.conf):
#   generate.sh                        rewrites deploy/k8s/strimzi/topics.yaml and users.yaml
#   generate.sh station-class FACTORY  prints one factory's results topic and station user (kubectl apply -f -)
# A test (event-plane StrimziResourcesTest) fails while the committed files differ from what this writes.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# The tool's jar, built first on a fresh clone (no jar: ls fails, which pipefail would make fatal).
event_plane_jar() { ls "$root"/event-plane/target/event-plane-*.jar 2>/dev/null | head -1 || true; }
[ -n "$(event_plane_jar)" ] || (cd "$root" && mvn -B -q -DskipTests package -pl event-plane -am) >&2
jar=$(event_plane_jar)
run() {
  java -cp "$jar:$root/event-plane/target/lib/*" io.imprint.eventplane.kubernetes.StrimziResourcesCli "$1" \
    "$root/deploy/local/topics.conf" "$root/deploy/local/acls.conf" "$2"
}
case ${1:-} in
  "") run write "$root/deploy/k8s/strimzi" ;;
  station-class) run station-class "${2:?usage: generate.sh station-class FACTORY}" ;;
  *) echo "usage: generate.sh [station-class FACTORY]" >&2; exit 2 ;;
esac
