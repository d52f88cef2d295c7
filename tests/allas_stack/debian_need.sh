#!/bin/bash
# Install the Debian packages behind the programs named, where they are missing:
#   debian_need.sh PROGRAM:PACKAGE ...
# PROGRAM is a command on PATH, or an absolute path (/usr/bin/aws: so that
# another program of that name elsewhere does not count). Root runs apt-get
# itself; anyone else is told what to install, and the script fails.
set -euo pipefail
PKGS=()
for p in "$@"; do
  prog=${p%%:*}
  if [[ $prog == /* ]]; then [ -x "$prog" ] && continue; else command -v "$prog" >/dev/null && continue; fi
  PKGS+=("${p##*:}")
done
[ ${#PKGS[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "apt-get install ${PKGS[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
else
  echo "missing: run 'sudo apt-get install -y ${PKGS[*]}'" >&2; exit 1
fi
