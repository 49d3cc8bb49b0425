#!/bin/sh
# One-shot key generation for docker-compose: writes the cluster's keys into the shared volume on
# the first start and leaves them alone afterwards, since new keys would orphan the existing chain.
# With KEYGEN_SPLIT_DIR, it then copies into KEYGEN_SPLIT_DIR/replica-<i> (replica i's own volume)
# only what replica i needs: membership.yml and replicas/replica-<i>.key and .yml, owned by
# KEYGEN_OWNER (uid:gid). A replica that mounts only its directory holds no other replica's key.
set -eu
out="${KEYGEN_OUT:-/var/lib/pbft-ledger/keys}"
replicas="${KEYGEN_REPLICAS:-4}"
if [ -f "$out/membership.yml" ]; then
  echo "keygen: $out/membership.yml exists; keeping the existing keys"
else
  set -- keygen \
    --replicas "$replicas" \
    --clients "${KEYGEN_CLIENTS:-2}" \
    --url-template "${KEYGEN_URL_TEMPLATE:?must be set to the replica URL with the id as i in braces}" \
    --out "$out"
  if [ -n "${KEYGEN_CHAIN_ID:-}" ]; then
    set -- "$@" --chain-id "$KEYGEN_CHAIN_ID"
  fi
  # keygen writes membership.yml last, so a run cut short is redone from scratch on the next start
  pbft-ledger "$@" --force
fi

# copies $1 to $2 with mode $3 through a temporary file in the same directory, so a replica never
# reads half a file
install_file() {
  tmp="$2.tmp.$$"
  cp "$1" "$tmp"
  chmod "$3" "$tmp"
  chown "$owner" "$tmp"
  mv -f "$tmp" "$2"
}

if [ -n "${KEYGEN_SPLIT_DIR:-}" ]; then
  owner="${KEYGEN_OWNER:?must be the uid:gid of the replicas' user}"
  i=0
  while [ "$i" -lt "$replicas" ]; do
    dir="$KEYGEN_SPLIT_DIR/replica-$i"
    if [ ! -d "$dir" ]; then
      echo "keygen: $dir is missing: mount replica $i's key volume there" >&2
      exit 1
    fi
    mkdir -p "$dir/replicas"
    chown "$owner" "$dir" "$dir/replicas"
    chmod 0700 "$dir" "$dir/replicas"
    install_file "$out/membership.yml" "$dir/membership.yml" 0644
    install_file "$out/replicas/replica-$i.yml" "$dir/replicas/replica-$i.yml" 0644
    install_file "$out/replicas/replica-$i.key" "$dir/replicas/replica-$i.key" 0600
    echo "keygen: $dir holds replica $i's key only"
    i=$((i + 1))
  done
fi
