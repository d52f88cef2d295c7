#!/usr/bin/env python3
"""Create Allas-like identities in the local Keystone (idempotent).

- the `service` project and `swift` user that the object stores use to
  validate tokens and S3 signatures;
- one object-store endpoint a backend, each in its own region (rgw in
  RegionOne like Allas, swift in RegionSwift), so one Keystone serves both;
- users with the `member` role on CSC-style projects, each with an EC2
  credential (what `openstack ec2 credentials create` makes) for S3.

Writes STACK_DIR/stack.json for the tests and STACK_DIR/env-<backend>.sh
(an RC file plus AWS_* keys) for people.
"""

import json
import os
import shlex

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

E = os.environ
KS = E["KS_URL"]
STACK_DIR = E["STACK_DIR"]
BACKENDS = {
    "rgw": {
        "region": "RegionOne",
        "object_url": "https://127.0.0.1:17443",
        "object_url_http": "http://127.0.0.1:17480",
        "storage_path": "/swift/v1",
    },
    "swift": {
        "region": "RegionSwift",
        "object_url": "http://127.0.0.1:18080",
        "object_url_http": "http://127.0.0.1:18080",
        "storage_path": "/v1",
    },
}
USERS = [  # (user, password, projects); the EC2 credential is for each project
    ("allasuser", "allaspass", ["project_2001234", "project_2005678"]),
    ("otheruser", "otherpass", ["project_2009999"]),
    # every character a shell treats specially: allas-conf fails on such passwords
    ("quoteuser", "p a$HOME\"'`;|&<>*?!#~\\(){}[]%=^", ["project_2007777"]),
]

sess = session.Session(
    auth=v3.Password(
        auth_url=KS,
        username="admin",
        password=E["ADMIN_PW"],
        project_name="admin",
        user_domain_id="default",
        project_domain_id="default",
    )
)
ks = client.Client(session=sess, interface="public")


def find(manager, name):
    return next((x for x in manager.list() if x.name == name), None)


def project(name):
    return find(ks.projects, name) or ks.projects.create(name=name, domain="default")


def user(name, password):
    return find(ks.users, name) or ks.users.create(name=name, password=password, domain="default")


roles = {r.name: r for r in ks.roles.list()}
swift_user = user("swift", E["SERVICE_PW"])
for role in ("admin", "service"):
    ks.roles.grant(roles[role], user=swift_user, project=project("service"))

service = find(ks.services, "swift") or ks.services.create(name="swift", type="object-store")
active = E["BACKENDS"].split()
for name in active:
    b = BACKENDS[name]
    if not any(r.id == b["region"] for r in ks.regions.list()):
        ks.regions.create(id=b["region"])
    url = b["object_url"] + b["storage_path"] + "/AUTH_$(project_id)s"
    for interface in ("public", "internal", "admin"):
        ks.endpoints.create(service=service, url=url, interface=interface, region=b["region"])

users = {}
for uname, password, projects in USERS:
    u = user(uname, password)
    entry = {"username": uname, "password": password, "user_id": u.id, "projects": {}}
    for pname in projects:
        p = project(pname)
        ks.roles.grant(roles["member"], user=u, project=p)
        cred = next((c for c in ks.ec2.list(u.id) if c.tenant_id == p.id), None) or ks.ec2.create(
            u.id, p.id
        )
        entry["projects"][pname] = {"id": p.id, "access": cred.access, "secret": cred.secret}
    users[uname] = entry

stack = {
    "auth_url": KS,
    "short_auth_url": E["KS_SHORT_URL"],
    "ca_bundle": E["CA_BUNDLE"],
    "backends": {n: BACKENDS[n] for n in active},
    "users": users,
}
with open(os.path.join(STACK_DIR, "stack.json"), "w") as f:
    json.dump(stack, f, indent=2)

first = users["allasuser"]
pname, p = next(iter(first["projects"].items()))
for name in active:
    b = BACKENDS[name]
    env = {
        "OS_AUTH_URL": KS,
        "OS_IDENTITY_API_VERSION": "3",
        "OS_USERNAME": first["username"],
        "OS_PASSWORD": first["password"],
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_DOMAIN_NAME": "Default",
        "OS_PROJECT_NAME": pname,
        "OS_PROJECT_ID": p["id"],
        "OS_REGION_NAME": b["region"],
        "OS_INTERFACE": "public",
        "OS_CACERT": E["CA_BUNDLE"],
        "AWS_ACCESS_KEY_ID": p["access"],
        "AWS_SECRET_ACCESS_KEY": p["secret"],
        "AWS_ENDPOINT_URL_S3": b["object_url"],
        "AWS_CA_BUNDLE": E["CA_BUNDLE"],
    }
    with open(os.path.join(STACK_DIR, f"env-{name}.sh"), "w") as f:
        f.write("".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items()))
