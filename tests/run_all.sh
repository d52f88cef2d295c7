#!/bin/bash
# Run every test on a fresh Debian machine: install what the tests need (Debian
# packages, the dev venv, the local Allas servers), start the local Allas, run
# the static gates (ruff, ruff format, strict mypy) and pytest, then stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "install python3-venv first" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
if [ ! -x .venv/bin/pytest ]; then
  "$PY" -m venv .venv
fi
quiet() {  # run "$@" without pip's "Location ... is ignored" noise, keeping its exit status
  "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }
  return "${PIPESTATUS[0]}"
}
quiet .venv/bin/pip install -q --disable-pip-version-check -e '.[dev]'
quiet tests/allas_stack/install.sh

echo "== ruff"; .venv/bin/ruff check allas_tui tests screenshots benchmarks
echo "== ruff format"; .venv/bin/ruff format --check allas_tui tests screenshots benchmarks
echo "== mypy --strict"; .venv/bin/mypy

# Stop only what this run started, also when the start itself fails halfway
started=0
stop() {
  if [ "$started" = 1 ]; then tests/allas_stack/stop.sh --wipe >/dev/null; fi
}
trap stop EXIT
if ! tests/allas_stack/status.sh >/dev/null 2>&1; then
  started=1
  tests/allas_stack/start.sh
fi
echo "== pytest"
.venv/bin/pytest -q "$@"
