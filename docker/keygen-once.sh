#!/bin/sh
# One-shot key generation for docker-compose: writes the cluster's keys into the shared volume on
# the first start and leaves them alone afterwards, since new keys would orphan the existing chain.
set -eu
out="${KEYGEN_OUT:-/var/lib/pbft-ledger/keys}"
if [ -f "$out/membership.yml" ]; then
  echo "keygen: $out/membership.yml exists; keeping the existing keys"
  exit 0
fi
set -- keygen \
  --replicas "${KEYGEN_REPLICAS:-4}" \
  --clients "${KEYGEN_CLIENTS:-2}" \
  --url-template "${KEYGEN_URL_TEMPLATE:?must be set to the replica URL with the id as i in braces}" \
  --out "$out"
if [ -n "${KEYGEN_CHAIN_ID:-}" ]; then
  set -- "$@" --chain-id "$KEYGEN_CHAIN_ID"
fi
# keygen writes membership.yml last, so a run cut short is redone from scratch on the next start
exec pbft-ledger "$@" --force
