#!/bin/bash
# Start the local Allas stand-in on 127.0.0.1, in the background.
#   Keystone v3 (sqlite, gunicorn)             :15000  tokens live KS_TOKEN_EXPIRATION s
#   Keystone, same DB and keys, short tokens   :15001  tokens live KS_SHORT_EXPIRATION s
#   rgw:   Ceph radosgw (what Allas runs), https :17443 (and http :17480), region RegionOne
#   swift: OpenStack Swift + s3api, http        :18080, region RegionSwift
# ALLAS_STACK_BACKENDS picks the object stores (default "rgw swift"). When this
# returns, $ALLAS_STACK_DIR/stack.json and env-<backend>.sh describe the users.
# Stop with stop.sh; status.sh tells what runs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${ALLAS_STACK_VENV:-$HOME/.cache/allas-tui/stack-venv}
D=${ALLAS_STACK_DIR:-/tmp/allas-tui-stack}
BACKENDS=${ALLAS_STACK_BACKENDS:-rgw swift}
KS_PORT=15000 KS_SHORT_PORT=15001
PROXY_PORT=18080 ACC_PORT=16012 CONT_PORT=16011 OBJ_PORT=16010 MC_PORT=11311
RGW_PORT=17480 RGW_TLS_PORT=17443 MON_PORT=13300
KS_TOKEN_EXPIRATION=${KS_TOKEN_EXPIRATION:-3600}
KS_SHORT_EXPIRATION=${KS_SHORT_EXPIRATION:-5}
# memstore and the Swift tmpfs cap; data lives in RAM only as it is written.
# 6 GiB filled up once during a full test run (the OSD went "full" and radosgw
# stopped answering), with garbage collection lagging behind the deletes.
STORAGE_MB=${STORAGE_MB:-12288}
ADMIN_PW=adminpass SERVICE_PW=swiftpass
H=127.0.0.1
KS_URL=http://$H:$KS_PORT
B=$VENV/bin
ME=$(id -un)
ts() { printf '%6.1fs %s\n' "$SECONDS" "$*"; }

[ -x "$B/keystone-manage" ] || { echo "stack not installed: run $HERE/install.sh" >&2; exit 1; }
if "$HERE/status.sh" >/dev/null 2>&1; then echo "already running in $D"; exit 0; fi
"$HERE/stop.sh" --wipe >/dev/null 2>&1 || true
mkdir -p "$D"/{keystone/fernet-keys,keystone/credential-keys,log,run,cache,srv,tls,etc/swift}
chmod 700 "$D"/keystone/fernet-keys "$D"/keystone/credential-keys
echo "$BACKENDS" > "$D/run/backends"

bg() {  # bg NAME CMD... : start in the background, remember the PID
  local name=$1; shift
  nohup "$@" > "$D/log/$name.log" 2>&1 < /dev/null &
  echo $! > "$D/run/$name.pid"
}
wait_http() {  # wait_http URL NAME; --max-time: a hung probe once cost 10 minutes
  for _ in $(seq 1 900); do
    curl -sk -o /dev/null --max-time 2 "$1" && return 0
    kill -0 "$(cat "$D/run/$2.pid")" 2>/dev/null || { echo "$2 died, see $D/log/$2.log" >&2; tail -20 "$D/log/$2.log" >&2; return 1; }
    sleep 0.1
  done
  echo "timeout waiting for $1" >&2; return 1
}

# ------------------------------------------------------------------ TLS
# Allas is https-only, and botocore >= 1.36 behaves differently over https
# (aws-chunked bodies with CRC trailers, which radosgw 16 rejects), so rgw
# must be tested over TLS. Self-signed, trusted through OS_CACERT/AWS_CA_BUNDLE.
CERT=$D/tls/cert.pem KEY=$D/tls/key.pem
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$H" \
  -addext "subjectAltName=IP:$H,DNS:localhost" -keyout "$KEY" -out "$CERT" 2>/dev/null

# ------------------------------------------------------------------ keystone
ks_conf() {  # ks_conf EXPIRATION LOGNAME
cat <<CONF
[DEFAULT]
log_file = $D/log/$2-app.log
use_stderr = false
[database]
connection = sqlite:///$D/keystone/keystone.db
[token]
provider = fernet
expiration = $1
[fernet_tokens]
key_repository = $D/keystone/fernet-keys
[fernet_receipts]
key_repository = $D/keystone/fernet-keys
[credential]
key_repository = $D/keystone/credential-keys
[identity]
# bcrypt's minimum; the default costs ~0.25 s per password login
password_hash_rounds = 4
CONF
}
ks_conf "$KS_TOKEN_EXPIRATION" keystone > "$D/keystone/keystone.conf"
ks_conf "$KS_SHORT_EXPIRATION" keystone-short > "$D/keystone/keystone-short.conf"
# keystone-manage ignores OS_KEYSTONE_CONFIG_FILES: always pass --config-file,
# or it silently writes keys under /etc/keystone.
KSC=(--config-file "$D/keystone/keystone.conf")
{
  "$B/keystone-manage" "${KSC[@]}" db_sync
  "$B/keystone-manage" "${KSC[@]}" fernet_setup --keystone-user "$ME" --keystone-group "$(id -gn)"
  "$B/keystone-manage" "${KSC[@]}" credential_setup --keystone-user "$ME" --keystone-group "$(id -gn)"
  "$B/keystone-manage" "${KSC[@]}" bootstrap --bootstrap-password "$ADMIN_PW" \
    --bootstrap-region-id RegionOne --bootstrap-admin-url "$KS_URL/v3" \
    --bootstrap-public-url "$KS_URL/v3" --bootstrap-internal-url "$KS_URL/v3"
} 2>>"$D/log/keystone-manage.log"
ts "keystone database ready"
# keystone_wsgi.py hides gunicorn's argv, which keystone would parse as its own
for k in keystone:$KS_PORT keystone-short:$KS_SHORT_PORT; do
  OS_KEYSTONE_CONFIG_FILES=$D/keystone/${k%%:*}.conf \
    bg "${k%%:*}" "$B/gunicorn" --bind "$H:${k##*:}" --workers 1 --threads 4 \
      --worker-class gthread --timeout 120 --no-control-socket \
      --pythonpath "$HERE" keystone_wsgi:application
done

# ------------------------------------------------------------------ swift
start_swift() {
# Swift keeps metadata in user xattrs; ext4 caps them at ~3.5 KB an inode and
# a 507 then error-limits the only device. tmpfs has no such cap.
local DEV=$D/srv
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=${STORAGE_MB}m,mode=755 allas-tui-stack "$DEV" 2>/dev/null; then
  touch "$D/run/tmpfs-mounted"
elif [ -w /dev/shm ]; then
  DEV=/dev/shm/allas-tui-stack-$(id -u); mkdir -p "$DEV"; echo "$DEV" > "$D/run/shm-dir"
fi
mkdir -p "$DEV/d1"
printf '[swift-hash]\nswift_hash_path_suffix = allas\nswift_hash_path_prefix = allas\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n' > "$D/etc/swift/swift.conf"
for s in account:$ACC_PORT container:$CONT_PORT object:$OBJ_PORT; do
  local n=${s%%:*} p=${s##*:}
  cat > "$D/etc/swift/$n-server.conf" <<CONF
[DEFAULT]
bind_ip = $H
bind_port = $p
user = $ME
workers = 0
devices = $DEV
mount_check = false
disable_fallocate = true
swift_dir = $D/etc/swift
log_name = $n-server
recon_cache_path = $D/cache
[pipeline:main]
pipeline = healthcheck $n-server
[app:$n-server]
use = egg:swift#$n
[filter:healthcheck]
use = egg:swift#healthcheck
[$n-updater]
CONF
  "$B/swift-ring-builder" "$D/etc/swift/$n.builder" create 8 1 1 >/dev/null
  "$B/swift-ring-builder" "$D/etc/swift/$n.builder" add "r1z1-$H:$p/d1" 1 >/dev/null
  "$B/swift-ring-builder" "$D/etc/swift/$n.builder" rebalance >/dev/null
done
local SVC_AUTH="auth_type = password
auth_url = $KS_URL
username = swift
password = $SERVICE_PW
project_name = service
user_domain_id = default
project_domain_id = default"
cat > "$D/etc/swift/proxy-server.conf" <<CONF
[DEFAULT]
bind_ip = $H
bind_port = $PROXY_PORT
user = $ME
workers = 1
swift_dir = $D/etc/swift
log_name = proxy-server
[pipeline:main]
# authtoken must come before s3api: after s3token it strips the identity that
# s3token set, and every S3 request fails with SignatureDoesNotMatch
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl ratelimit authtoken s3api s3token keystoneauth copy container-quotas account-quotas slo dlo versioned_writes symlink proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
# one device: never error-limit it (default: 60 s of 503 after one 507)
error_suppression_interval = 0
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = $KS_URL
$SVC_AUTH
delay_auth_decision = true
cache = swift.cache
include_service_catalog = false
[filter:s3api]
use = egg:swift#s3api
# SigV4 must be signed for this region (radosgw accepts any)
location = us-east-1
# Allas takes names like My_Bucket
dns_compliant_bucket_names = false
max_upload_part_num = 10000
[filter:s3token]
use = egg:swift#s3token
auth_uri = $KS_URL/v3
reseller_prefix = AUTH_
delay_auth_decision = false
http_timeout = 10.0
# keystone >= 2025 wants the s3tokens call itself authenticated
$SVC_AUTH
secret_cache_duration = ${S3_SECRET_CACHE:-60}
[filter:keystoneauth]
use = egg:swift#keystoneauth
reseller_prefix = AUTH_
operator_roles = admin, member
[filter:cache]
use = egg:swift#memcache
memcache_servers = $H:$MC_PORT
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:tempurl]
use = egg:swift#tempurl
[filter:ratelimit]
use = egg:swift#ratelimit
[filter:copy]
use = egg:swift#copy
[filter:container-quotas]
use = egg:swift#container_quotas
[filter:account-quotas]
use = egg:swift#account_quotas
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true
allow_object_versioning = true
[filter:symlink]
use = egg:swift#symlink
CONF
local MCUSER=(); [ "$(id -u)" = 0 ] && MCUSER=(-u root)
bg memcached memcached -l $H -p "$MC_PORT" -U 0 -m 64 "${MCUSER[@]}"
for n in account container object proxy; do
  bg "$n" "$B/swift-$n-server" "$D/etc/swift/$n-server.conf"
done
# Account listings' per-container counts only change when the container
# updater runs; swift_daemon.py runs it as a cheap 1 s loop.
bg container-updater "$B/python" "$HERE/swift_daemon.py" "$D/etc/swift" container-updater "$D/etc/swift/container-server.conf" 1
for n in account:$ACC_PORT container:$CONT_PORT object:$OBJ_PORT proxy:$PROXY_PORT; do
  wait_http "http://$H:${n##*:}/healthcheck" "${n%%:*}"
done
ts "swift up"
}

# ------------------------------------------------------------------ rgw
# A one-node Ceph cluster (1 mon, 1 memstore OSD), rebuilt on every start:
# memstore keeps objects in RAM, so nothing survives a restart anyway.
start_rgw() {
local C=$D/ceph
local CEPH=(timeout 30 ceph -c "$C/ceph.conf")
mkdir -p "$C"/{mon,osd/ceph-0,run,log}
local FSID OSD_UUID
FSID=$(cat /proc/sys/kernel/random/uuid) OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
cat > "$C/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = [v2:$H:$MON_PORT,v1:$H:$((MON_PORT + 489))]
mon initial members = a
public network = 127.0.0.0/8
# no cephx; without it radosgw's default msgr2 "secure" mode fails (-13)
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms client mode = crc
ms bind ipv6 = false
keyring = $C/keyring
run dir = $C/run
admin socket = $C/run/\$cluster-\$name.asok
log file = $C/log/\$cluster-\$name.log
mon cluster log file = $C/log/\$cluster.\$channel.log
# one OSD: size-1 pools and few PGs (radosgw creates ~8 pools)
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon max pg per osd = 1000
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
[mon]
mon data = $C/mon/\$cluster-\$id
mon data avail crit = 1
mon data avail warn = 2
[osd]
osd data = $C/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = $((STORAGE_MB * 1024 * 1024))
[client.rgw.a]
# tcp_nodelay: without it, beast's small last write of an answer waits for the
# client's delayed ACK, adding 40 ms to half of all S3 listing pages here
rgw frontends = beast endpoint=$H:$RGW_PORT ssl_endpoint=$H:$RGW_TLS_PORT ssl_certificate=$CERT ssl_private_key=$KEY tcp_nodelay=1
rgw data = $C/rgw
# Allas's storage URL shape: .../swift/v1/AUTH_<project_id>
rgw swift account in url = true
rgw swift versioning enabled = true
# Allas takes bucket names like My_Bucket over S3
rgw relaxed s3 bucket names = true
# Deleted objects' data goes to garbage collection, by default after two hours;
# the memstore OSD holds everything in RAM, so the tests' deletes must free it soon
rgw gc obj min wait = 5
rgw gc processor period = 5
rgw gc processor max time = 5
rgw keystone url = $KS_URL
rgw keystone api version = 3
rgw keystone admin user = swift
rgw keystone admin password = $SERVICE_PW
rgw keystone admin project = service
# a domain NAME: "default" (the id) makes every request 401
rgw keystone admin domain = Default
rgw keystone accepted roles = member, admin
rgw keystone verify ssl = false
rgw s3 auth use keystone = true
CONF
ceph-authtool --create-keyring "$C/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
for n in client.admin client.rgw.a; do
  ceph-authtool "$C/keyring" --gen-key -n $n --cap mon 'allow *' --cap osd 'allow *' >/dev/null
done
monmaptool --create --addv a "[v2:$H:$MON_PORT,v1:$H:$((MON_PORT + 489))]" --fsid "$FSID" "$C/monmap" >/dev/null
ceph-mon -c "$C/ceph.conf" --mkfs -i a --monmap "$C/monmap" --keyring "$C/keyring"
bg ceph-mon ceph-mon -c "$C/ceph.conf" -i a -f
"${CEPH[@]}" osd new "$OSD_UUID" >/dev/null
ceph-osd -c "$C/ceph.conf" -i 0 --mkfs --osd-uuid "$OSD_UUID" > "$D/log/ceph-osd-mkfs.log" 2>&1
bg ceph-osd ceph-osd -c "$C/ceph.conf" -i 0 -f
for _ in $(seq 1 300); do
  "${CEPH[@]}" osd stat 2>/dev/null | grep -q "1 up" && break; sleep 0.2
done
ts "ceph mon + osd up"
bg radosgw radosgw -c "$C/ceph.conf" -n client.rgw.a -f
wait_http "https://$H:$RGW_TLS_PORT/" radosgw
ts "radosgw up"
}

for b in $BACKENDS; do
  case $b in
    rgw) start_rgw ;;
    swift) start_swift ;;
    *) echo "unknown backend $b (rgw or swift)" >&2; exit 2 ;;
  esac
done
wait_http "$KS_URL/v3" keystone
wait_http "http://$H:$KS_SHORT_PORT/v3" keystone-short
ts "keystone up"
KS_URL=$KS_URL/v3 KS_SHORT_URL=http://$H:$KS_SHORT_PORT/v3 BACKENDS="$BACKENDS" \
  ADMIN_PW=$ADMIN_PW SERVICE_PW=$SERVICE_PW CA_BUNDLE=$CERT STACK_DIR=$D \
  "$B/python" "$HERE/ks_setup.py" 2>>"$D/log/ks_setup.log"
ts "ready: $D/stack.json; for a shell: source $D/env-rgw.sh (or env-swift.sh)"
