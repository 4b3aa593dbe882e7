#!/usr/bin/env bash
# Makes a PostgreSQL database available and prints its connection settings as shell assignments.
#   postgres.sh ensure [--allow-embedded]   |   postgres.sh stop
# Order: IMPRINT_DB_HOST/_PORT/_USER/_PASSWORD if given; else 127.0.0.1:5432, starting the installed Debian
# cluster if it is stopped; else, with --allow-embedded (the demo only), a real embedded PostgreSQL
# (io.zonky.test:embedded-postgres) on 127.0.0.1:5433 with its data under $IMPRINT_WORK.
set -euo pipefail
source "$(dirname "$0")/env.sh"
here=$(cd "$(dirname "$0")" && pwd)
embedded_pid=$IMPRINT_WORK/embedded-postgres/pid

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

create_database() {
  local host=$1 port=$2 user=$3
  if command -v psql >/dev/null; then
    PGPASSWORD=${IMPRINT_DB_PASSWORD:-} psql -h "$host" -p "$port" -U "$user" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$IMPRINT_DB_NAME'" | grep -q 1 ||
      PGPASSWORD=${IMPRINT_DB_PASSWORD:-} psql -h "$host" -p "$port" -U "$user" -d postgres -qc \
        "CREATE DATABASE $IMPRINT_DB_NAME" >&2
  fi
}

emit() {
  echo "IMPRINT_DB_URL=postgresql://$1:$2/$IMPRINT_DB_NAME"
  echo "IMPRINT_DB_USER=$3"
  echo "IMPRINT_DB_PASSWORD=${IMPRINT_DB_PASSWORD:-}"
}

ensure() {
  if [ -n "${IMPRINT_DB_HOST:-}" ]; then
    create_database "$IMPRINT_DB_HOST" "${IMPRINT_DB_PORT:-5432}" "${IMPRINT_DB_USER:-postgres}"
    emit "$IMPRINT_DB_HOST" "${IMPRINT_DB_PORT:-5432}" "${IMPRINT_DB_USER:-postgres}"
    return
  fi
  if ! answers 127.0.0.1 5432 && command -v pg_ctlcluster >/dev/null; then
    version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
    if [ -n "$version" ]; then
      echo "postgres: starting the installed PostgreSQL $version cluster" >&2
      pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
      for _ in $(seq 1 30); do answers 127.0.0.1 5432 && break; sleep 0.5; done
    fi
  fi
  if answers 127.0.0.1 5432; then
    create_database 127.0.0.1 5432 postgres
    emit 127.0.0.1 5432 postgres
    return
  fi
  if [ "${1:-}" != "--allow-embedded" ]; then
    echo "postgres: no PostgreSQL on 127.0.0.1:5432; start one or set IMPRINT_DB_HOST" >&2
    exit 1
  fi
  if ! { [ -f "$embedded_pid" ] && kill -0 "$(cat "$embedded_pid")" 2>/dev/null; }; then
    echo "postgres: starting an embedded PostgreSQL on 127.0.0.1:5433" >&2
    if ! ls "$here/embedded-postgres/lib"/embedded-postgres-*.jar >/dev/null 2>&1; then
      (cd "$here/embedded-postgres" && mvn -B -q dependency:copy-dependencies -DoutputDirectory=lib >&2)
    fi
    mkdir -p "$IMPRINT_WORK/embedded-postgres"
    nohup java -cp "$here/embedded-postgres/lib/*" "$here/embedded-postgres/EmbeddedPostgresMain.java" 5433 \
      "$IMPRINT_WORK/embedded-postgres/data" "$IMPRINT_DB_NAME" > "$IMPRINT_WORK/embedded-postgres/log" 2>&1 &
    echo $! > "$embedded_pid"
    for _ in $(seq 1 120); do grep -q "ready" "$IMPRINT_WORK/embedded-postgres/log" && break; sleep 0.5; done
    grep -q "ready" "$IMPRINT_WORK/embedded-postgres/log" || { cat "$IMPRINT_WORK/embedded-postgres/log" >&2; exit 1; }
  fi
  emit 127.0.0.1 5433 postgres
}

stop() {
  if [ -f "$embedded_pid" ] && kill -0 "$(cat "$embedded_pid")" 2>/dev/null; then
    kill "$(cat "$embedded_pid")" && echo "postgres: embedded PostgreSQL stopped"
  fi
  rm -f "$embedded_pid"
}

case "${1:-}" in
  ensure) shift; ensure "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 ensure [--allow-embedded] | stop" >&2; exit 64 ;;
esac
