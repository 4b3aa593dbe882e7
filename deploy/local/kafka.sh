#!/usr/bin/env bash
# A real Apache Kafka broker (KRaft, combined broker+controller) on 127.0.0.1, run from Kafka's own jars
# resolved from Maven Central: no Docker.
#   kafka.sh start|stop|status
# IMPRINT_KAFKA_PORT (default 9092; the controller uses PORT+1) and IMPRINT_WORK (default <repo>/work) keep
# runs apart: each port has its own data folder, pid file and log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${IMPRINT_WORK:-$root/work}
port=${IMPRINT_KAFKA_PORT:-9092}
controller_port=$((port + 1))
data=$work/kafka-$port
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

create_topics() {
  java -cp "$lib/*" "$here/kafka/CreateTopics.java" "127.0.0.1:$port" "$here/topics.conf" "${1:-60}"
}

start() {
  jars
  if running; then
    echo "kafka: already running on 127.0.0.1:$port (pid $(cat "$pidfile"))"
    create_topics 60
    return
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "kafka: port $port is taken by another process; set IMPRINT_KAFKA_PORT" >&2
    exit 1
  fi
  mkdir -p "$data"
  cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
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
  if ! create_topics 90; then
    echo "kafka: broker did not become ready; last lines of $log:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  echo "kafka: ready on 127.0.0.1:$port (pid $(cat "$pidfile"), data $data)"
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
  *) echo "usage: $0 start|stop|status" >&2; exit 64 ;;
esac
