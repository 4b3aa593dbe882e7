#!/usr/bin/env bash
# Stops the services (every instance), the broker and an embedded PostgreSQL if one was started. Data is kept.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
for pidfile in "$IMPRINT_PIDS"/*.pid; do
  [ -e "$pidfile" ] || continue
  service=$(basename "$pidfile" .pid)
  if [ -f "$pidfile" ] && alive "$(cat "$pidfile")"; then
    kill "$(cat "$pidfile")"
    for _ in $(seq 1 40); do alive "$(cat "$pidfile")" || break; sleep 0.25; done
    kill -9 "$(cat "$pidfile")" 2>/dev/null
    echo "$service: stopped"
  fi
  rm -f "$pidfile"
done
bash "$here/kafka.sh" stop
bash "$here/postgres.sh" stop
