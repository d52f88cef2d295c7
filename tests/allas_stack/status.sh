#!/bin/bash
# Exit 0 and list the services when the whole stack that start.sh started is
# up and answering; exit 1 otherwise.
D=${ALLAS_STACK_DIR:-/tmp/allas-tui-stack}
[ -f "$D/stack.json" ] || { echo "not started ($D)"; exit 1; }
ok=0
probe() {  # probe NAME URL
  if curl -sk -o /dev/null --max-time 3 "$2"; then echo "up    $1  $2"; else echo "DOWN  $1  $2"; ok=1; fi
}
probe keystone http://127.0.0.1:15000/v3
probe keystone-short http://127.0.0.1:15001/v3
for b in $(cat "$D/run/backends"); do
  case $b in
    rgw) probe radosgw https://127.0.0.1:17443/ ;;
    swift) probe swift http://127.0.0.1:18080/healthcheck ;;
  esac
done
exit $ok
