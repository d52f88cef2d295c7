#!/bin/bash
# Install what the local Allas stand-in needs, idempotently:
#   Debian: memcached, openssl, curl, and Ceph's radosgw/ceph-mon/ceph-osd
#   a venv with Keystone, Swift and gunicorn (servers only; the app has its own)
# Root does apt itself; anyone else is told what to install.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${ALLAS_STACK_VENV:-$HOME/.cache/allas-tui/stack-venv}
PY=${PYTHON:-python3}

"$HERE/debian_need.sh" memcached:memcached openssl:openssl curl:curl radosgw:radosgw \
  ceph-mon:ceph-mon ceph-osd:ceph-osd

# Rebuild the venv only when the pinned requirements change.
STAMP="$VENV/.requirements.sha256"
WANT=$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  echo "building the stack venv in $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt"
  "$VENV/bin/pip" check >/dev/null
  echo "$WANT" > "$STAMP"
fi
echo "stack installed: $VENV"
