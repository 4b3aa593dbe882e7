#!/usr/bin/env bash
# A real Apache Kafka broker (KRaft, combined broker+controller) on 127.0.0.1, run from Kafka's own jars
# resolved from Maven Central: no Docker. Mutual TLS only (no PLAINTEXT listener, not even for the
# controller): every client presents a certificate from Imprint's infrastructure root (a service's from the
# service CA, a station's from the station CA), mapped to a principal (service:<name>, station:<f>/<s>);
# the StandardAuthorizer refuses anything deploy/local/acls.conf does not allow.
#   kafka.sh start|stop|status
#   kafka.sh grant-station --factory ID --station ID    a station's ACLs and its factory's results topic
#   kafka.sh revoke-station --factory ID --station ID   every right of a station taken away
#   kafka.sh replay-dlq --topic TOPIC.SERVICE.dlq        after a fix: dead letters back to their topic
# IMPRINT_KAFKA_ACLS names the declared ACL files, comma-separated (default deploy/local/acls.conf; the offline
# factory adds deploy/factory-edge/acls-factory.conf or acls-hq.conf for its mirror).
# IMPRINT_KAFKA_PORT (default 9092; the controller uses PORT+1) and IMPRINT_WORK (default <repo>/work) keep
# runs apart: each port has its own data folder, pid file and log; each work folder its own token and CAs.
# Needs a build (mvn -DskipTests package): the CA ceremony and the event-plane tool run from it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
port=$IMPRINT_KAFKA_PORT
controller_port=$((port + 1))
data=$IMPRINT_WORK/kafka-$port
lib=$here/kafka/lib
pidfile=$data/broker.pid
log=$data/broker.log

jars() {
  if ! ls "$lib"/kafka-server-*.jar >/dev/null 2>&1; then
    echo "kafka: resolving Kafka's jars from Maven Central (once)"
    (cd "$here/kafka" && mvn -B -q dependency:copy-dependencies -DoutputDirectory=lib)
  fi
}

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# The event-plane tool as the administrator (a super user): topics and ACLs from the declared files.
event_plane() {
  local jar
  jar=$(ls "$IMPRINT_ROOT"/event-plane/target/event-plane-*.jar 2>/dev/null | head -1 || true)
  [ -n "$jar" ] || { echo "kafka: build first (mvn -DskipTests package)" >&2; exit 1; }
  # Kafka's client warns about every refused connection while the broker starts: errors only.
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error \
    -cp "$jar:$IMPRINT_ROOT/event-plane/target/lib/*" \
    io.imprint.eventplane.EventPlaneCli "$1" \
    --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --identity "$IMPRINT_IDENTITIES/admin/identity.pem" \
    --broker-ca "$IMPRINT_CERTS/service-ca.pem" --topics "$here/topics.conf" --acls "${IMPRINT_KAFKA_ACLS:-$here/acls.conf}" "${@:2}"
}

# The token, the CA hierarchy and the broker's and administrator's identities (idempotent).
credentials() {
  bash "$here/ca-ceremony.sh" >/dev/null
  bash "$here/identities.sh" broker admin sre
}

start() {
  jars
  credentials
  if running; then
    echo "kafka: already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"
    event_plane apply
    return
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "kafka: port $port is taken by another process; set IMPRINT_KAFKA_PORT" >&2
    exit 1
  fi
  mkdir -p "$data"
  # Principal mapping: RFC 2253 subjects (last RDN first) of the two certificate kinds; anything else has no
  # rule, and a certificate no rule maps cannot connect. The CAs' name constraints keep each CA to its own OU.
  cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=SSL://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SSL://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=SSL:SSL,CONTROLLER:SSL
inter.broker.listener.name=SSL
ssl.client.auth=required
ssl.keystore.type=PEM
ssl.keystore.location=$IMPRINT_IDENTITIES/broker/identity.pem
ssl.truststore.type=PEM
ssl.truststore.location=$IMPRINT_CERTS/infrastructure-root-ca.pem
ssl.endpoint.identification.algorithm=https
ssl.principal.mapping.rules=RULE:^CN=([a-z][a-z0-9-]*),OU=Imprint service\$/service:\$1/,RULE:^CN=([A-Za-z0-9][A-Za-z0-9._-]*),O=([A-Za-z0-9][A-Za-z0-9-]*),OU=Imprint factory station\$/station:\$2\\\\/\$1/
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:service:broker;User:service:admin
log.dirs=$data/logs
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
PROPS
  if [ ! -f "$data/logs/meta.properties" ]; then
    cluster_id=$(java -cp "$lib/*" -Dlog4j2.configurationFile="$here/kafka/log4j2.properties" kafka.tools.StorageTool random-uuid)
    java -cp "$lib/*" -Dlog4j2.configurationFile="$here/kafka/log4j2.properties" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$data/server.properties" >/dev/null
  fi
  # Produce requests reach 1 MB (the signer batches a transaction's certificates): with G1's default 1 MB
  # regions each one is a humongous object that starts a concurrent cycle, which took half the broker's CPU
  # under the signer benchmark. 4 MB regions make them ordinary young objects. IMPRINT_KAFKA_JAVA_OPTS wins.
  # shellcheck disable=SC2086
  nohup java -Xms1g -Xmx1g -XX:+UseG1GC -XX:G1HeapRegionSize=4m ${IMPRINT_KAFKA_JAVA_OPTS:-} -cp "$lib/*" \
    -Dlog4j2.configurationFile="$here/kafka/log4j2.properties" kafka.Kafka "$data/server.properties" >"$log" 2>&1 &
  echo $! > "$pidfile"
  if ! event_plane apply --wait 90; then
    echo "kafka: broker did not become ready; last lines of $log:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  echo "kafka: ready on 127.0.0.1:$port, mutual TLS (pid $(cat "$pidfile"), data $data)"
}

stop() {
  if running; then
    pid=$(cat "$pidfile")
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    echo "kafka: stopped"
  else
    echo "kafka: not running"
  fi
  rm -f "$pidfile"
}

status() {
  if running; then echo "kafka: running on 127.0.0.1:$port (pid $(cat "$pidfile"))"; else echo "kafka: stopped"; exit 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  apply|grant-station|revoke-station|replay-dlq) event_plane "$@" ;;
  *) echo "usage: $0 start|stop|status|apply|grant-station|revoke-station|replay-dlq [--factory ID --station ID] [--topic DLQ]" >&2; exit 64 ;;
esac
