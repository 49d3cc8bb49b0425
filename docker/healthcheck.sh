#!/bin/sh
# Container health check: the replica's readiness probe on its API port answers 200 (curl -f fails
# otherwise); /readyz is there whether or not the actuator has a management port of its own.
# LEDGER_HEALTH_URL overrides the URL, e.g. for TLS: https://127.0.0.1:8080/readyz
url="${LEDGER_HEALTH_URL:-http://127.0.0.1:${SERVER_PORT:-8080}/readyz}"
exec curl --fail --silent --show-error --insecure --max-time 2 --output /dev/null "$url"
