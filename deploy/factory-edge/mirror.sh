#!/usr/bin/env bash
# The link of the offline factory: Apache Kafka's MirrorMaker 2 (dedicated mode, from Kafka's jars on Maven
# Central) copying the factory broker's issuance, rejections, revocations and order and station events to
# headquarters' broker, and headquarters' signed revocation and order requests to the factory's, under the same names,
# as the principal service:mirror (mutual TLS on both sides; its
# ACLs in deploy/factory-edge/acls-factory.conf and acls-hq.conf). It reads committed records only (the signer writes in transactions).
# While it is stopped (the link is down) the factory goes on; started again, it resumes from the offsets it
# committed, so a record is copied at least once and headquarters' consumers keep each certificate once.
#   mirror.sh start|stop|status
# IMPRINT_FACTORY_KAFKA and IMPRINT_HQ_KAFKA: the two brokers (host:port); IMPRINT_WORK: the work folder;
# IMPRINT_MIRROR_REPLICATION_FACTOR: replicas of MirrorMaker's own topics (1, for one broker a site).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../local/env.sh"
dir=$IMPRINT_WORK/mirror
pidfile=$dir/mirror.pid
lib=$here/mirror/lib
# What crosses from the factory to headquarters (regular expressions, as MirrorMaker takes them).
TOPICS='imprint\.cert\.issued\.v1,imprint\.csr\.rejected\.v1,imprint\.cert\.revoked\.v1,imprint\.order\.changed\.v1,imprint\.station\.revoked\.v1'
# What crosses back: revocations and production orders operators asked for at headquarters, each signed by the
# operator. No topic crosses both ways, so nothing loops under the identity policy.
TOPICS_BACK='imprint\.revocation\.requested\.v1,imprint\.order\.requested\.v1'

running() { [ -f "$pidfile" ] && alive "$(cat "$pidfile")"; }

properties() {
  local identity=$IMPRINT_IDENTITIES/mirror/identity.pem replicas=${IMPRINT_MIRROR_REPLICATION_FACTOR:-1}
  cat <<PROPS
clusters = factory, hq
factory.bootstrap.servers = ${IMPRINT_FACTORY_KAFKA:?set IMPRINT_FACTORY_KAFKA}
hq.bootstrap.servers = ${IMPRINT_HQ_KAFKA:?set IMPRINT_HQ_KAFKA}
factory->hq.enabled = true
factory->hq.topics = $TOPICS
hq->factory.enabled = true
hq->factory.topics = $TOPICS_BACK
# The same names at headquarters: its consumers read the topics they always read.
replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy
# Topics, their settings and ACLs are each broker's own (kafka.sh); no heartbeats. No consumer group's offsets are
# translated (no group reads on both sides), but the checkpoint connector must be valid to let the herder go on.
sync.topic.configs.enabled = false
sync.topic.acls.enabled = false
emit.heartbeats.enabled = false
groups.exclude = .*
sync.group.offsets.enabled = false
refresh.topics.interval.seconds = 5
# Its own topics' replication: one per local broker here; 3 where each site runs three brokers.
replication.factor = $replicas
config.storage.replication.factor = $replicas
offset.storage.replication.factor = $replicas
status.storage.replication.factor = $replicas
offset-syncs.topic.replication.factor = $replicas
checkpoints.topic.replication.factor = $replicas
heartbeats.topic.replication.factor = $replicas
offset.flush.interval.ms = 1000
PROPS
  for cluster in factory hq; do
    cat <<PROPS
$cluster.security.protocol = SSL
$cluster.ssl.keystore.type = PEM
$cluster.ssl.keystore.location = $identity
$cluster.ssl.truststore.type = PEM
$cluster.ssl.truststore.location = $IMPRINT_CERTS/service-ca.pem
$cluster.consumer.isolation.level = read_committed
PROPS
  done
}

case ${1:-} in
  start)
    running && { echo "mirror: already running (pid $(cat "$pidfile"))"; exit 0; }
    if ! ls "$lib"/connect-mirror-*.jar >/dev/null 2>&1; then
      echo "mirror: resolving MirrorMaker's jars from Maven Central (once)"
      (cd "$here/mirror" && mvn -B -q dependency:copy-dependencies -DoutputDirectory=lib)
    fi
    [ -s "$IMPRINT_IDENTITIES/mirror/identity.pem" ] || bash "$here/../local/identities.sh" mirror
    mkdir -p "$dir"
    properties > "$dir/mm2.properties"
    nohup java -Xms64m -Xmx256m -cp "$lib/*" -Dlog4j2.configurationFile="$here/mirror/log4j2.properties" \
      org.apache.kafka.connect.mirror.MirrorMaker "$dir/mm2.properties" >> "$dir/mirror.log" 2>&1 &
    echo $! > "$pidfile"
    echo "mirror: started (pid $!, log $dir/mirror.log): $IMPRINT_FACTORY_KAFKA <-> $IMPRINT_HQ_KAFKA"
    ;;
  stop)
    if running; then
      kill "$(cat "$pidfile")"
      for _ in $(seq 1 60); do alive "$(cat "$pidfile")" || break; sleep 0.25; done
      kill -9 "$(cat "$pidfile")" 2>/dev/null || true
      echo "mirror: stopped"
    fi
    rm -f "$pidfile"
    ;;
  status) if running; then echo "mirror: running (pid $(cat "$pidfile"))"; else echo "mirror: stopped"; exit 3; fi ;;
  *) echo "usage: mirror.sh start|stop|status" >&2; exit 2 ;;
esac
