#!/bin/sh
# The TypeScript kernel's command (the kernel spec's argv): NODE TSLAB ARGS… runs tslab from the
# startup snapshot built for this Node, this TypeScript and these NODE_OPTIONS (V8 refuses a
# snapshot made under other flags), when there is one; otherwise tslab as it comes. The snapshots
# are built by src/exercises/kernel-snapshot.ts (npm install's setup, and the grader for its heap
# limit). `start.sh --print-blob NODE` prints where the snapshot for NODE and NODE_OPTIONS goes.
here=$(dirname "$0")
root=$(cd "$here/../.." && pwd)
blob_for() {
  key=$(printf '%s|%s|%s|%s' \
    "$(stat -Lc '%s-%Y' "$1")" \
    "$(stat -Lc '%s-%Y' "$root/node_modules/@tslab/typescript-for-tslab/lib/typescript.js")" \
    "$(stat -Lc '%s-%Y' "$here/snapshot.cjs")" \
    "$NODE_OPTIONS" | cksum | cut -d ' ' -f 1)
  echo "$root/node_modules/.cache/backprop-tutor/kernel/tslab-$key.blob"
}
if [ "$1" = "--print-blob" ]; then
  blob_for "$2"
  exit 0
fi
node=$1
shift
blob=$(blob_for "$node")
if [ -r "$blob" ]; then exec "$node" --snapshot-blob "$blob" "$@"; fi
exec "$node" "$@"
