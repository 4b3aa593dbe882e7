#!/usr/bin/env bash
# Stops what deploy/factory-edge/start.sh started: the mirror, both sites' services and both brokers. Data is kept.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/sites.sh"
sites bash "$here/mirror.sh" stop
factory bash "$here/../local/stop-all.sh"
hq bash "$here/../local/stop-all.sh"
