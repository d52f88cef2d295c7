"""Finding credentials: allas-conf, RC files, clouds.yaml, ~/.aws, rclone, config profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from allas_tui.config import ConfigError, load_config, parse_size
from allas_tui.storage.discovery import choose_profile, discover
from allas_tui.storage.errors import NoCredentials
from allas_tui.storage.models import Protocol
from allas_tui.storage.openstack_sources import parse_rc_file

RC = """\
#!/usr/bin/env bash
export OS_AUTH_URL=https://pouta.csc.fi:5001/v3
export OS_PROJECT_ID=abc123
export OS_PROJECT_NAME="project_2001234"
export OS_USER_DOMAIN_NAME="Default"
if [ -z "$OS_USER_DOMAIN_NAME" ]; then unset OS_USER_DOMAIN_NAME; fi
export OS_USERNAME="jdoe"
echo "Please enter your OpenStack Password for project $OS_PROJECT_NAME as user $OS_USERNAME: "
read -sr OS_PASSWORD_INPUT
export OS_PASSWORD=$OS_PASSWORD_INPUT
export OS_REGION_NAME="regionOne"
export OS_INTERFACE=public
export OS_IDENTITY_API_VERSION=3
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home, with boto3 and every OS_/AWS_ variable pointed away from the real one."""
    import os

    for name in list(os.environ):
        if name.startswith(("OS_", "AWS_", "RCLONE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / ".aws/config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / ".aws/credentials"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_rc_file_is_parsed_not_run(home: Path) -> None:
    rc = home / "project_2001234-openrc.sh"
    rc.write_text(RC)
    values = parse_rc_file(rc)
    assert values["OS_PROJECT_NAME"] == "project_2001234"
    assert values["OS_USERNAME"] == "jdoe"
    assert "OS_PASSWORD" not in values  # comes from the shell; the user is asked
    profile = choose_profile(discover({}, home=home, rc_file=rc))
    assert profile.name == "rc"
    assert profile.needs_password
    inherited = choose_profile(
        discover({"OS_CACERT": "/ca.pem", "OS_PASSWORD": "pw"}, home=home, rc_file=rc)
    )
    assert inherited.swift is not None
    assert (inherited.swift.cacert, inherited.swift.password) == ("/ca.pem", "pw")
    with_pw = profile.with_password("s3cret $&!")
    assert with_pw.swift is not None and with_pw.swift.password == "s3cret $&!"
    assert "s3cret" not in repr(with_pw)


def test_order_token_then_openstack_then_s3(home: Path) -> None:
    (home / ".aws").mkdir()
    (home / ".aws/credentials").write_text(
        "[default]\naws_access_key_id = AK\naws_secret_access_key = SK\n"
    )
    (home / ".aws/config").write_text("[default]\nendpoint_url = https://a3s.fi\n")
    env = {
        "OS_AUTH_URL": "https://pouta.csc.fi:5001/v3",
        "OS_USERNAME": "jdoe",
        "OS_PASSWORD": "pw",
        "OS_PROJECT_NAME": "project_2001234",
        "OS_AUTH_TOKEN": "tok",
        "OS_STORAGE_URL": "https://a3s.fi:443/swift/v1/AUTH_abc",
    }
    names = [p.name for p in discover(env, home=home).profiles]
    assert names == ["allas-conf", "aws:default"]
    token = choose_profile(discover(env, home=home))
    assert token.swift is not None and token.swift.can_relogin  # allas-conf -k
    env.pop("OS_AUTH_TOKEN")
    assert [p.name for p in discover(env, home=home).profiles] == ["openstack", "aws:default"]
    s3 = choose_profile(discover(env, home=home), protocol=Protocol.S3)
    assert s3.s3 is not None
    assert (s3.s3.access_key, s3.s3.endpoint_url) == ("AK", "https://a3s.fi")


def test_s3_endpoint_defaults_to_allas(home: Path) -> None:
    (home / ".aws").mkdir()
    (home / ".aws/credentials").write_text(
        "[p1]\naws_access_key_id = A\naws_secret_access_key = S\n"
    )
    profile = choose_profile(discover({}, home=home), name="aws:p1")
    assert profile.s3 is not None and profile.s3.endpoint_url == "https://a3s.fi"


def test_s3_endpoint_comes_from_where_boto3_reads_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A profile's own endpoint_url, its services section, then AWS_ENDPOINT_URL_S3."""
    (home / ".aws").mkdir()
    (home / ".aws/credentials").write_text(
        "[own]\naws_access_key_id = A\naws_secret_access_key = S\n"
        "[svc]\naws_access_key_id = B\naws_secret_access_key = T\n"
    )
    (home / ".aws/config").write_text(
        "[profile own]\nendpoint_url = https://own.example:8443\n"
        "[profile svc]\nservices = local\n"
        "[services local]\ns3 =\n  endpoint_url = https://svc.example\n"
    )

    def endpoint(name: str) -> str:
        profile = choose_profile(discover({}, home=home), name=name)
        assert profile.s3 is not None
        return profile.s3.endpoint_url

    assert endpoint("aws:own") == "https://own.example:8443"
    assert endpoint("aws:svc") == "https://svc.example"
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "https://env.example")
    assert endpoint("aws:own") == "https://env.example"


def test_rclone_allas_remotes_are_profiles(home: Path) -> None:
    conf = home / ".config/rclone/rclone.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text(
        "[s3allas-project_2001234]\ntype = s3\nprovider = Other\nendpoint = a3s.fi\n"
        "access_key_id = AK1\nsecret_access_key = SK1\n\n"
        "[s3allas-project_2005678]\ntype = s3\nendpoint = a3s.fi\n"
        "access_key_id = AK2\nsecret_access_key = SK2\n\n"
        "[elsewhere]\ntype = s3\nendpoint = s3.example.org\naccess_key_id = x\nsecret_access_key = y\n"
        "[allas]\ntype = swift\nenv_auth = true\n"
    )
    found = discover({}, home=home)
    assert [p.name for p in found.profiles] == [
        "rclone:s3allas-project_2001234",
        "rclone:s3allas-project_2005678",
    ]
    chosen = choose_profile(found, name="s3allas-project_2005678")
    assert chosen.s3 is not None
    assert (chosen.s3.access_key, chosen.s3.endpoint_url, chosen.s3.project) == (
        "AK2",
        "https://a3s.fi",
        "project_2005678",
    )


def test_clouds_yaml(home: Path) -> None:
    folder = home / ".config/openstack"
    folder.mkdir(parents=True)
    (folder / "clouds.yaml").write_text(
        "clouds:\n  allas:\n    auth:\n      auth_url: https://pouta.csc.fi:5001/v3\n"
        "      username: jdoe\n      project_name: project_2001234\n"
        "      user_domain_name: Default\n    region_name: regionOne\n"
    )
    (folder / "secure.yaml").write_text("clouds:\n  allas:\n    auth:\n      password: pw\n")
    profile = choose_profile(discover({"OS_CLOUD": "allas"}, home=home))
    assert profile.name == "cloud:allas"
    assert profile.swift is not None
    assert (profile.swift.username, profile.swift.password, profile.swift.region) == (
        "jdoe",
        "pw",
        "regionOne",
    )


def test_nothing_found_says_where_it_looked(home: Path) -> None:
    found = discover({}, home=home)
    assert found.profiles == []
    places = " ".join(where for where, _ in found.looked_for)
    for place in ("OS_AUTH_TOKEN", "OS_AUTH_URL", "OS_CLOUD", "~/.aws", "rclone"):
        assert place in places
    with pytest.raises(NoCredentials, match="No credentials"):
        choose_profile(found)
    with pytest.raises(NoCredentials, match="No profile named 'x'"):
        choose_profile(found, name="x")


def test_config_profiles_and_settings(home: Path) -> None:
    config = home / "config.toml"
    config.write_text(
        'default_profile = "work"\n[transfers]\nchunk_size = "16MiB"\nchunks_at_once = 8\n'
        '[profiles.work]\nprotocol = "swift"\nauth_url = "https://pouta.csc.fi:5001/v3"\n'
        'username = "jdoe"\nproject = "project_2005678"\n'
    )
    loaded = load_config(config)
    assert loaded.transfers.chunk_size == 16 * 1024 * 1024
    assert loaded.transfers.chunks_at_once == 8
    found = discover({}, home=home, config_profiles=loaded.profiles)
    profile = choose_profile(found, default_name=loaded.default_profile)
    assert profile.name == "work" and profile.needs_password
    assert profile.swift is not None and profile.swift.project_name == "project_2005678"


def test_bad_config_is_a_clear_error(home: Path) -> None:
    config = home / "config.toml"
    config.write_text('[transfers]\nchunk_size = "lots"\n')
    with pytest.raises(ConfigError, match="Not a size"):
        load_config(config)
    assert parse_size("8 MiB") == 8 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "text", "holds_secret"),
    [
        (
            ".config/rclone/rclone.conf",
            "[s3allas-p]\ntype = s3\nsecret_access_key = abc123\n",
            True,
        ),
        (".aws/credentials", "[default]\naws_secret_access_key=abc123\n", True),
        (
            ".config/openstack/clouds.yaml",
            "clouds:\n  a:\n    auth:\n      password: 'x$y'\n",
            True,
        ),
        ("project-openrc.sh", RC, False),  # read at a prompt, not written down
        ("project-openrc.sh", RC.replace("$OS_PASSWORD_INPUT", '"hunter2"'), True),
        (".aws/config", "[default]\nregion = regionOne\n", False),
    ],
)
def test_a_file_holding_a_secret_that_others_can_read_gets_a_warning(
    home: Path, name: str, text: str, holds_secret: bool
) -> None:
    path = home / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    rc = path if name.endswith("openrc.sh") else None
    path.chmod(0o644)
    warnings = discover(home=home, rc_file=rc).warnings
    if holds_secret:
        assert warnings == [
            f"{path} holds a secret, and other users can read it (-rw-r--r--). "
            f"Run: chmod go-rwx {path}"
        ]
    else:
        assert warnings == []
    path.chmod(0o600)
    assert discover(home=home, rc_file=rc).warnings == []
