#!/bin/bash
# Stop what start.sh started (by its PID files only) and unmount its tmpfs.
# Usage: stop.sh [--wipe]   --wipe also deletes the state and the data.
D=${ALLAS_STACK_DIR:-/tmp/allas-tui-stack}
[ -d "$D/run" ] || { echo "nothing to stop in $D"; exit 0; }
pids=()
for f in "$D"/run/*.pid; do
  [ -f "$f" ] || continue
  p=$(cat "$f")
  # memstore writes every object to disk on a clean OSD shutdown; the cluster
  # is rebuilt on each start anyway, so kill it outright
  sig=TERM; [ "$(basename "$f")" = ceph-osd.pid ] && sig=KILL
  if kill -0 "$p" 2>/dev/null; then kill -$sig "$p" && pids+=("$p"); fi
  rm -f "$f"
done
for _ in $(seq 1 50); do
  alive=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && break
  sleep 0.1
done
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && kill -KILL "$p"; done
if [ -f "$D/run/tmpfs-mounted" ]; then umount "$D/srv" && rm -f "$D/run/tmpfs-mounted"; fi
if [ "${1:-}" = --wipe ]; then
  [ -f "$D/run/shm-dir" ] && rm -rf "$(cat "$D/run/shm-dir")"
  rm -rf "$D"
fi
echo "stopped ${#pids[@]} processes"
