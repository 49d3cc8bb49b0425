#!/bin/sh
# PostgreSQL init script (runs once, on an empty data volume): per replica i a role ledger_<i> with
# the password in LEDGER_DB_PASSWORD_<i> and a database ledger_<i> that it owns, since every replica
# keeps its own copy of the chain. No other role but the superuser may connect to ledger_<i>, so a
# replica's credentials open its own database only. LEDGER_REPLICAS says how many there are.
set -eu
replicas="${LEDGER_REPLICAS:?LEDGER_REPLICAS must give the number of replicas}"
case "$replicas" in
  ''|*[!0-9]*) echo "init-databases: LEDGER_REPLICAS '$replicas' is not a number" >&2; exit 1 ;;
esac
# every password first, so a missing one leaves no half-initialised server behind
i=0
while [ "$i" -lt "$replicas" ]; do
  if [ -z "$(printenv "LEDGER_DB_PASSWORD_$i" || true)" ]; then
    echo "init-databases: LEDGER_DB_PASSWORD_$i is not set: every replica's database role needs its own password" >&2
    exit 1
  fi
  i=$((i + 1))
done
i=0
while [ "$i" -lt "$replicas" ]; do
  name="ledger_$i"
  echo "init-databases: creating role and database $name"
  # the password reaches psql through its environment (\getenv), not its command line
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" <<SQL
\getenv password LEDGER_DB_PASSWORD_$i
CREATE ROLE "$name" LOGIN PASSWORD :'password';
CREATE DATABASE "$name" OWNER "$name";
REVOKE ALL ON DATABASE "$name" FROM PUBLIC;
SQL
  i=$((i + 1))
done
