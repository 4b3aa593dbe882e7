#!/usr/bin/env bash
# Checks the alert rules with Prometheus' own promtool (syntax, PromQL, templates) and that the dashboard is JSON.
# That every metric they name is served is WholeSuiteSystemTest's to check. Run by deploy/local/test.sh.
set -euo pipefail
cd "$(dirname "$0")"
promtool check rules prometheus-rules.yml
python3 -m json.tool grafana-dashboard.json >/dev/null
echo "observability check: rules and dashboard well-formed"
