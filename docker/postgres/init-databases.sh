#!/bin/sh
# PostgreSQL init script (runs once, on an empty data volume): one database per replica, since
# every replica keeps its own copy of the chain. LEDGER_DATABASES lists them, separated by spaces.
set -eu
for db in ${LEDGER_DATABASES:?LEDGER_DATABASES must list the replica databases}; do
  case "$db" in
    *[!A-Za-z0-9_]*) echo "init-databases: '$db' is not a plain database name" >&2; exit 1 ;;
  esac
  echo "init-databases: creating database $db owned by $POSTGRES_USER"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
    -c "CREATE DATABASE \"$db\" OWNER \"$POSTGRES_USER\""
done
