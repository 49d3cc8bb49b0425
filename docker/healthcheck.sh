#!/bin/sh
# Container health check: the replica's readiness group answers 200 (curl -f fails otherwise).
# LEDGER_HEALTH_URL overrides the URL, e.g. for TLS: https://127.0.0.1:8080/actuator/health/readiness
url="${LEDGER_HEALTH_URL:-http://127.0.0.1:${SERVER_PORT:-8080}/actuator/health/readiness}"
exec curl --fail --silent --show-error --insecure --max-time 2 --output /dev/null "$url"
