"""The command line: help, version, and listing what was found."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from allas_tui import __version__


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "allas_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"allas-tui {__version__}"


def test_help_explains_options_and_credential_sources() -> None:
    text = run("--help").stdout
    for word in (
        "--profile",
        "--protocol",
        "--endpoint",
        "--rc",
        "--demo",
        "--config",
        "OS_AUTH_TOKEN",
        "OS_STORAGE_URL",
        "OS_CLOUD",
        "clouds.yaml",
        "~/.aws/credentials",
        "rclone.conf",
        "OS_CACERT",
        "AWS_CA_BUNDLE",
    ):
        assert word in text


def test_list_profiles_with_an_rc_file(tmp_path: Path) -> None:
    rc = tmp_path / "openrc.sh"
    rc.write_text("export OS_AUTH_URL=https://pouta.csc.fi:5001/v3\nexport OS_USERNAME=jdoe\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "AWS_"))}
    env["HOME"] = str(tmp_path)
    out = run("--rc", str(rc), "--list-profiles", env=env)
    assert out.returncode == 0
    assert f"RC file {rc}" in out.stdout


def test_demo_screen_only_when_no_login_was_found() -> None:
    from allas_tui.cli import build_parser, demo_is_fallback

    parse = build_parser().parse_args
    assert demo_is_fallback(parse([]), None)
    assert not demo_is_fallback(parse(["--demo"]), None)
    assert not demo_is_fallback(parse(["--profile", "demo"]), None)


def test_unknown_profile_is_an_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "AWS_"))}
    env["HOME"] = str(tmp_path)
    out = run("--profile", "nosuch", env=env)
    assert out.returncode == 2
    assert "No profile named 'nosuch'" in out.stderr
